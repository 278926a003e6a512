"""Catalogue spec -> a frictionless Data Package on disk, deterministic to the byte.

``package_build`` writes ``<out_dir>/<name>/``: the resources under ``data/`` (CSV, GeoJSON,
TOML), ``datapackage.json`` (Data Package v2 profile), ``README.md`` and ``CHANGELOG.md``.
Running it twice on the same data gives the same bytes: rows come sorted from the datasets
package, JSON keys are written in a fixed order, and the only date is the release date kept
in the version ledger.

With a ``BuildCache`` an unchanged package is not rebuilt at all: the cache keys each
package on everything its bytes depend on (the spec, the files and schemas it copies, the
whole ``datasets`` tree that holds the producers and the reference data, the package's
version history) and reuses the previous build when the key matches and every file on disk
is still byte for byte what that build wrote (``datasets.build_cache``). What a build
wrote, and the byte-level helpers, are in ``datasets.built``; the names others import
from here (``BuiltPackage``, ``BuildCache``, ``file_write_if_changed``...) stay importable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from datasets.build_cache import BuildCache
from datasets.built import (
    BuiltPackage,
    BuiltResource,
    file_write_if_changed,
    json_canonical,
    json_text,
    sha256_bytes,
    table_bytes,
)
from datasets.built import (
    sha256_file as sha256_file,  # re-exported: publishing.mapping reads it here
)
from datasets.catalog.blocks import LANGUAGES
from datasets.catalog.types import DatasetSpec, ResourceSpec
from datasets.errors import DatasetError
from datasets.versioning import Digests, VersionDecision, VersionLedger, version_decide

DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
DEFAULT_LANGUAGE = "ca"
FORMATS: dict[str, tuple[str, str]] = {
    ".csv": ("csv", "text/csv"),
    ".geojson": ("geojson", "application/geo+json"),
    ".json": ("json", "application/json"),
    ".toml": ("toml", "application/toml"),
}

Progress = Callable[[str, str], None]  # (package name, resource name or step)
GENERATED_FILES = ("datapackage.json", "README.md", "CHANGELOG.md")


class PackageBuildError(DatasetError):
    code = "package-build-failed"


def _format_of(path: str) -> tuple[str, str]:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise PackageBuildError(f"{path}: no format known for {suffix!r}", path=path)
    return FORMATS[suffix]


# ---- Resources ----


def _resource_bytes(spec: DatasetSpec, resource: ResourceSpec) -> tuple[bytes, int | None]:
    where = f"{spec.name}/{resource.path}"
    if (resource.table is None) == (resource.file is None):
        raise PackageBuildError(f"{where}: set exactly one of table= and file=", path=where)
    if resource.table is not None:
        table = resource.table()
        return table_bytes(table.header, table.rows)
    source = resource.file_path()
    assert source is not None
    try:
        data = source.read_bytes()
    except FileNotFoundError as error:
        raise PackageBuildError(f"{where}: source file {source} not found", path=where) from error
    rows = data.count(b"\n") - 1 if resource.tabular and data else None
    return data, rows


def _schema_split(
    schema: dict[str, Any], *, local: set[str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Keep foreign keys to resources of this package; return the others apart.

    A reference to a resource of another package (``entities`` from an indicator table)
    cannot be checked by frictionless inside this package; validation checks it against
    the territory instead (rule ``entity-code-exists`` and friends).
    """
    keys = schema.get("foreignKeys", [])
    inside = [key for key in keys if key["reference"].get("resource", "") in local | {""}]
    outside = [key for key in keys if key not in inside]
    if inside:
        schema["foreignKeys"] = inside
    else:
        schema.pop("foreignKeys", None)
    return schema, outside


def _resource_descriptor(resource: ResourceSpec, built: BuiltResource) -> dict[str, Any]:
    descriptor: dict[str, Any] = {"name": resource.name}
    if built.tabular:
        descriptor["type"] = "table"
    descriptor.update(
        {
            "path": resource.path,
            "format": built.format,
            "mediatype": built.mediatype,
            "encoding": "utf-8",
            "bytes": built.bytes,
            "hash": f"sha256:{built.sha256}",
            "title": resource.title[DEFAULT_LANGUAGE],
            "description": resource.description[DEFAULT_LANGUAGE],
        }
    )
    if resource.licences:
        descriptor["licenses"] = [
            {"name": lic.id, "path": lic.url, "title": lic.title} for lic in resource.licences
        ]
    if built.schema is not None:
        descriptor["schema"] = built.schema
    descriptor["concertem"] = {
        "title": dict(resource.title),
        "description": dict(resource.description),
    }
    return descriptor


# ---- Metadata and digests ----


def package_metadata(spec: DatasetSpec) -> dict[str, Any]:
    """Package-level metadata, in the order it is written to ``datapackage.json``."""
    keywords = list(dict.fromkeys(k for lang in LANGUAGES for k in spec.keywords.get(lang, ())))
    return {
        "name": spec.name,
        "title": spec.title[DEFAULT_LANGUAGE],
        "description": spec.description[DEFAULT_LANGUAGE],
        "keywords": keywords,
        "licenses": [
            {"name": spec.licence.id, "path": spec.licence.url, "title": spec.licence.title}
        ],
        "sources": [
            {
                "title": source.title,
                "path": source.url,
                "licence": source.licence,
                "attribution": source.attribution,
            }
            for source in spec.sources
        ],
        "contributors": [
            {
                "title": spec.publisher.name,
                "path": spec.publisher.url,
                "email": spec.publisher.email,
                "roles": ["publisher"],
            }
        ],
        "concertem": {
            "title": dict(spec.title),
            "description": dict(spec.description),
            "keywords": {lang: list(spec.keywords.get(lang, ())) for lang in LANGUAGES},
            "languages": list(LANGUAGES),
            "temporal": {"start": spec.temporal[0], "end": spec.temporal[1]},
            "spatial": {"uri": spec.spatial.uri, "label": dict(spec.spatial.label)},
            "frequency": spec.frequency,
            "themes": list(spec.themes),
            "datasetType": spec.dataset_type,
            "publisherType": spec.publisher.type_uri,
        },
    }


# What a consumer's code depends on in a Table Schema; the rest (titles, descriptions,
# display hints) documents it, and changing it alone is not a breaking change.
SCHEMA_STRUCTURE = ("fields", "primaryKey", "foreignKeys", "missingValues")
FIELD_STRUCTURE = ("name", "type", "format", "constraints")


def _schema_structure(schema: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if schema is None:
        return None
    view = {key: schema[key] for key in SCHEMA_STRUCTURE if key in schema}
    view["fields"] = [
        {key: field[key] for key in FIELD_STRUCTURE if key in field}
        for field in schema.get("fields", [])
    ]
    return view


def _digests(
    metadata: Mapping[str, Any],
    resources: Sequence[tuple[ResourceSpec, BuiltResource]],
) -> Digests:
    schema_view = [
        {"name": r.name, "path": r.path, "format": b.format, "schema": b.schema}
        for r, b in resources
    ]
    content_view = {b.path: b.sha256 for _, b in resources}
    metadata_view = {
        "package": metadata,
        "resources": [
            {
                "name": r.name,
                "title": dict(r.title),
                "description": dict(r.description),
                "licences": [lic.id for lic in r.licences],
            }
            for r, _ in resources
        ],
    }
    structure_view = [{**view, "schema": _schema_structure(view["schema"])} for view in schema_view]
    return Digests(
        schema=sha256_bytes(json_canonical(schema_view).encode()),
        structure=sha256_bytes(json_canonical(structure_view).encode()),
        content=sha256_bytes(json_canonical(content_view).encode()),
        metadata=sha256_bytes(json_canonical(metadata_view).encode()),
        resources=content_view,
    )


# ---- Build ----


def package_build(
    *,
    spec: DatasetSpec,
    out_dir: Path,
    ledger: VersionLedger,
    today: dt.date | None = None,
    progress: Progress | None = None,
    cache: BuildCache | None = None,
) -> BuiltPackage:
    """Write the Data Package of ``spec`` under ``out_dir/<name>/`` and return what was built.

    With ``cache``, a package whose inputs and files are unchanged is returned as the
    previous build left it, without running a single producer.
    """
    directory = out_dir / spec.name
    # The key is taken before producing anything: an input edited during the build makes
    # the stored key stale, so the next run rebuilds rather than trusting this one.
    inputs = cache.inputs_view(spec) if cache is not None else None
    if cache is not None and inputs is not None:
        found = cache.package_find(
            spec=spec, key=cache.key_make(inputs, ledger, spec.name), directory=directory
        )
        if found is not None:
            for resource in spec.resources:
                if progress:
                    progress(spec.name, resource.name)
            return found
    # No mkdir here: a dataset whose source is missing must not leave an empty package.
    local = {resource.name for resource in spec.resources}
    built_pairs: list[tuple[ResourceSpec, BuiltResource]] = []
    external: list[dict[str, Any]] = []
    written: dict[str, str] = {}
    # The files of the release before this build, to say what changed inside them.
    history = ledger.history(spec.name)
    released = history[0].digests.resources if history else {}
    previous: list[tuple[str, bytes | None, bytes, dict[str, Any] | None]] = []
    # Written only once the version is decided: a refused version (a formula whose version
    # was not bumped) leaves the previous release's files in place, to compare with later.
    pending: list[tuple[Path, bytes]] = []
    for resource in spec.resources:
        if progress:
            progress(spec.name, resource.name)
        data, rows = _resource_bytes(spec, resource)
        file = directory / resource.path
        old = _previous_release_bytes(file, released.get(resource.path), data)
        pending.append((file, data))
        written[resource.path] = sha256_bytes(data)
        schema = resource.schema_load()
        if old is not None:
            previous.append((resource.path, old or None, data, schema))
        if schema is not None:
            schema, outside = _schema_split(schema, local=local)
            external += [{"resource": resource.name, **key} for key in outside]
        fmt, mediatype = _format_of(resource.path)
        built_pairs.append(
            (
                resource,
                BuiltResource(
                    name=resource.name,
                    path=resource.path,
                    file=file,
                    sha256=written[resource.path],
                    bytes=len(data),
                    format=fmt,
                    mediatype=mediatype,
                    schema=schema,
                    rows=rows,
                ),
            )
        )
    metadata = package_metadata(spec)
    digests = _digests(metadata, built_pairs)
    decision = version_decide(
        name=spec.name,
        digests=digests,
        ledger=ledger,
        today=today,
        declared=spec.declared_version,
        declared_where=spec.declared_version_where,
        details=_content_notes(previous) if history else None,
    )
    for file, data in pending:
        file_write_if_changed(file, data)
    del pending
    _stale_files_remove(directory, keep={resource.path for resource in spec.resources})
    descriptor = _descriptor(metadata, built_pairs, decision)
    built = BuiltPackage(
        spec=spec,
        directory=directory,
        descriptor=descriptor,
        resources=tuple(b for _, b in built_pairs),
        version=decision.version,
        change=decision.change,
        digests=digests,
        external_keys=tuple(external),
    )
    # Imported here: an unchanged package (a cache hit) never renders its README.
    from datasets.readme import changelog_render, readme_render

    generated = {
        "datapackage.json": json_text(descriptor).encode(),
        "README.md": readme_render(built).encode(),
        "CHANGELOG.md": changelog_render(built, decision).encode(),
    }
    for relative, data in generated.items():
        file_write_if_changed(directory / relative, data)
        written[relative] = sha256_bytes(data)
    if cache is not None and inputs is not None:
        # Keyed with the history as it is now: a new release is part of what was built.
        key = cache.key_make(inputs, ledger, spec.name)
        cache.package_store(built=built, key=key, files=written)
    return built


def _previous_release_bytes(file: Path, released_sha256: str | None, data: bytes) -> bytes | None:
    """The previous release's bytes of a file this build changes; None when it does not
    change it (or the file is new). ``b""`` says "changed, but the previous release's file
    is not on disk" (a fresh checkout, or another build since)."""
    if released_sha256 is None or released_sha256 == sha256_bytes(data):
        return None
    try:
        old = file.read_bytes()
    except FileNotFoundError:
        return b""
    return old if sha256_bytes(old) == released_sha256 else b""


def _content_notes(
    changes: Sequence[tuple[str, bytes | None, bytes, dict[str, Any] | None]],
) -> list[str]:
    from datasets.changelog import content_notes

    return content_notes(changes)


def _descriptor(
    metadata: Mapping[str, Any],
    pairs: Sequence[tuple[ResourceSpec, BuiltResource]],
    decision: VersionDecision,
) -> dict[str, Any]:
    first_release = decision.history[-1].date
    descriptor: dict[str, Any] = {"$schema": DATAPACKAGE_PROFILE}
    descriptor.update(
        {
            "name": metadata["name"],
            "title": metadata["title"],
            "description": metadata["description"],
            "version": decision.version,
            # v2 `created` is when the package was first released; kept stable on purpose.
            "created": f"{first_release}T00:00:00Z",
            "keywords": metadata["keywords"],
            "licenses": metadata["licenses"],
            "sources": metadata["sources"],
            "contributors": metadata["contributors"],
            "concertem": {**metadata["concertem"], "released": decision.history[0].date},
            "resources": [_resource_descriptor(r, b) for r, b in pairs],
        }
    )
    return descriptor


def _stale_files_remove(directory: Path, *, keep: set[str]) -> None:
    """Remove resource files a previous build wrote for resources that no longer exist."""
    for path in sorted(directory.rglob("*"), reverse=True):
        relative = path.relative_to(directory).as_posix()
        if path.is_file() and relative not in keep and relative not in GENERATED_FILES:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def catalog_build(
    *,
    specs: Sequence[DatasetSpec],
    out_dir: Path,
    ledger_path: Path | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    cache: BuildCache | None = None,
    failures: dict[str, DatasetError] | None = None,
) -> list[BuiltPackage]:
    """Build every spec; the ledger is saved once, at the end, only if a version moved.

    ``cache`` skips the packages whose inputs are unchanged (the commands keep it in
    ``build/cache/``). With ``failures``, a dataset that cannot be built (a site export not
    produced yet, a broken formula) is recorded there by name and the others are built;
    without it, the first such error is raised.
    """
    ledger = VersionLedger(ledger_path) if ledger_path else VersionLedger()
    built = []
    for spec in specs:
        try:
            built.append(
                package_build(
                    spec=spec,
                    out_dir=out_dir,
                    ledger=ledger,
                    today=today,
                    progress=progress,
                    cache=cache,
                )
            )
        except DatasetError as error:
            if failures is None:
                raise
            failures[spec.name] = error
    ledger.save()
    if cache is not None:
        cache.save()
    return built
