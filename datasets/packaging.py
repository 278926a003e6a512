"""Catalogue spec -> a frictionless Data Package on disk, deterministic to the byte.

``package_build`` writes ``<out_dir>/<name>/``: the resources under ``data/`` (CSV, GeoJSON,
TOML), ``datapackage.json`` (Data Package v2 profile), ``README.md`` and ``CHANGELOG.md``.
Running it twice on the same data gives the same bytes: rows come sorted from the datasets
package, JSON keys are written in a fixed order, and the only date is the release date kept
in the version ledger.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from datasets.catalog import LANGUAGES, DatasetSpec, ResourceSpec
from datasets.errors import DatasetError
from datasets.readme import changelog_render, readme_render
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


class PackageBuildError(DatasetError):
    code = "package-build-failed"


@dataclass(frozen=True)
class BuiltResource:
    name: str
    path: str  # relative to the package directory
    file: Path
    sha256: str
    bytes: int
    format: str
    mediatype: str
    schema: dict[str, Any] | None
    rows: int | None  # data rows, for tables

    @property
    def tabular(self) -> bool:
        return self.schema is not None


@dataclass(frozen=True)
class BuiltPackage:
    spec: DatasetSpec
    directory: Path
    descriptor: dict[str, Any]
    resources: tuple[BuiltResource, ...]
    version: str
    change: str  # initial | major | minor | patch | unchanged
    digests: Digests
    # Foreign keys to resources published in another package, checked by domain rules.
    external_keys: tuple[dict[str, Any], ...] = ()

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def descriptor_path(self) -> Path:
        return self.directory / "datapackage.json"

    @property
    def bytes(self) -> int:
        return sum(resource.bytes for resource in self.resources)

    def resource_get(self, name: str) -> BuiltResource:
        for resource in self.resources:
            if resource.name == name:
                return resource
        raise KeyError(name)


# ---- Helpers ----


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def json_canonical(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def json_text(data: Any) -> str:
    """The on-disk JSON form: insertion order kept (it is fixed by the code), 2-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def table_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> tuple[bytes, int]:
    """The project's one CSV dialect: UTF-8, comma, ``\\n``, minimal quoting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([cell_text(value) for value in row])
        count += 1
    return buffer.getvalue().encode("utf-8"), count


def file_write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically, and only when the bytes differ (keeps mtimes of unchanged files)."""
    if path.exists() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)  # mkstemp makes 0600; published files are meant to be read
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True


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
    return Digests(
        schema=sha256_bytes(json_canonical(schema_view).encode()),
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
) -> BuiltPackage:
    """Write the Data Package of ``spec`` under ``out_dir/<name>/`` and return what was built."""
    directory = out_dir / spec.name
    directory.mkdir(parents=True, exist_ok=True)
    local = {resource.name for resource in spec.resources}
    built_pairs: list[tuple[ResourceSpec, BuiltResource]] = []
    external: list[dict[str, Any]] = []
    for resource in spec.resources:
        if progress:
            progress(spec.name, resource.name)
        data, rows = _resource_bytes(spec, resource)
        file = directory / resource.path
        file_write_if_changed(file, data)
        schema = resource.schema_load()
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
                    sha256=sha256_bytes(data),
                    bytes=len(data),
                    format=fmt,
                    mediatype=mediatype,
                    schema=schema,
                    rows=rows,
                ),
            )
        )
    _stale_files_remove(directory, keep={resource.path for resource in spec.resources})

    metadata = package_metadata(spec)
    digests = _digests(metadata, built_pairs)
    decision = version_decide(name=spec.name, digests=digests, ledger=ledger, today=today)
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
    file_write_if_changed(directory / "datapackage.json", json_text(descriptor).encode())
    file_write_if_changed(directory / "README.md", readme_render(built).encode())
    file_write_if_changed(directory / "CHANGELOG.md", changelog_render(built, decision).encode())
    return built


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
    generated = {"datapackage.json", "README.md", "CHANGELOG.md"}
    for path in sorted(directory.rglob("*"), reverse=True):
        relative = path.relative_to(directory).as_posix()
        if path.is_file() and relative not in keep and relative not in generated:
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
) -> list[BuiltPackage]:
    """Build every spec; the ledger is saved once, at the end, only if a version moved."""
    ledger = VersionLedger(ledger_path) if ledger_path else VersionLedger()
    built = [
        package_build(spec=spec, out_dir=out_dir, ledger=ledger, today=today, progress=progress)
        for spec in specs
    ]
    ledger.save()
    return built
