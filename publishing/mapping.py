"""Pure mapping: a built Data Package -> the CKAN dataset and resources it becomes.

Field names follow ckanext-dcat's CKAN <-> DCAT-AP mapping (docs/mapping.md), so a portal
running ckanext-dcat (``euro_dcat_ap_3``) exposes them as DCAT-AP without extra work:
``dcat_type``, ``theme``, ``spatial_uri``, ``temporal_start``/``temporal_end``,
``frequency``, ``publisher_*``, ``contact_*``, ``language``, ``conforms_to``, ``version``,
``version_notes``, ``issued``/``modified``; multilingual titles and descriptions go in
``title_translated``/``notes_translated`` (ckanext-fluent's names). Resources carry their
sha256 in ``hash`` (+ ``hash_algorithm``, read by ckanext-dcat as spdx:checksum).

Nothing here does I/O beyond reading the built files for DataStore records.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasets.catalog import LANGUAGES
from datasets.packaging import (
    DATAPACKAGE_PROFILE,
    BuiltPackage,
    json_canonical,
    sha256_bytes,
    sha256_file,
)
from publishing.config import CkanConfig

EU = "http://publications.europa.eu/resource/authority"
LANGUAGE_URIS = {"ca": f"{EU}/language/CAT", "es": f"{EU}/language/SPA", "en": f"{EU}/language/ENG"}
SHA256_URI = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"
TABLE_SCHEMA_URI = "https://datapackage.org/standard/table-schema/"
CKAN_FORMATS = {
    "csv": "CSV",
    "geojson": "GeoJSON",
    "json": "JSON",
    "toml": "TOML",
    "md": "Markdown",
}
# Table Schema type -> DataStore (PostgreSQL) column type.
DATASTORE_TYPES = {
    "integer": "int8",
    "year": "int4",
    "number": "numeric",
    "boolean": "bool",
    "date": "date",
    "datetime": "timestamp",
}
# Extras this pipeline owns; the digest of the package dict is stored among them.
METADATA_DIGEST_KEY = "concertem_metadata_sha256"
RESOURCE_DIGEST_KEY = "concertem_digest"
DATASTORE_MARK_KEY = "datastore_sha256"


@dataclass(frozen=True)
class LocalResource:
    """A resource as CKAN should have it: its fields, its file and (tables) its DataStore."""

    name: str
    file: Path
    sha256: str
    bytes: int
    data: dict[str, str]  # resource fields sent with the upload (all strings: multipart)
    schema: dict[str, Any] | None = None

    @property
    def digest(self) -> str:
        return self.data[RESOURCE_DIGEST_KEY]

    @property
    def tabular(self) -> bool:
        return self.schema is not None


@dataclass(frozen=True)
class LocalDataset:
    name: str  # CKAN name (prefix included)
    package: dict[str, Any]  # package_create/patch fields, without resources
    resources: tuple[LocalResource, ...]

    @property
    def digest(self) -> str:
        return _extra(self.package, METADATA_DIGEST_KEY)


def tags_clean(keywords: Iterable[str]) -> list[str]:
    """CKAN tags allow letters, digits, spaces and ``-_.`` only: "d'atenció" -> "d atenció".

    Keywords keep their spelling in the Data Package and DCAT; only CKAN's tags are cleaned.
    """
    cleaned = (" ".join(re.sub(r"[^\w\s.-]", " ", keyword).split())[:100] for keyword in keywords)
    return list(dict.fromkeys(tag for tag in cleaned if len(tag) >= 2))


def dataset_name(name: str, config: CkanConfig) -> str:
    return f"{config.dataset_prefix}{name}"


def _extra(package: dict[str, Any], key: str) -> str:
    for item in package.get("extras", []):
        if item.get("key") == key:
            return str(item.get("value", ""))
    return ""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _notes(texts: dict[str, str]) -> str:
    """CKAN shows one description: Catalan first, then the translations, labelled."""
    labels = {"es": "Castellano", "en": "English"}
    return "\n\n".join(
        [texts["ca"], *(f"**{labels[lang]}.** {texts[lang]}" for lang in ("es", "en"))]
    )


def package_dict(*, built: BuiltPackage, config: CkanConfig) -> dict[str, Any]:
    spec = built.spec
    meta = built.descriptor["concertem"]
    history_notes = " ".join(_release_notes(built))
    keywords = built.descriptor["keywords"]
    extras = {
        "dcat_type": f"{EU}/dataset-type/{spec.dataset_type}",
        "theme": _json([f"{EU}/data-theme/{theme}" for theme in spec.themes]),
        "spatial_uri": spec.spatial.uri,
        "temporal_start": spec.temporal[0],
        "temporal_end": spec.temporal[1],
        "frequency": f"{EU}/frequency/{spec.frequency}",
        "publisher_name": spec.publisher.name,
        "publisher_url": spec.publisher.url,
        "publisher_email": spec.publisher.email,
        "publisher_type": spec.publisher.type_uri,
        "contact_name": spec.publisher.name,
        "contact_email": spec.publisher.email,
        "language": _json([LANGUAGE_URIS[lang] for lang in LANGUAGES]),
        "conforms_to": _json([DATAPACKAGE_PROFILE]),
        "version_notes": history_notes,
        "issued": built.descriptor["created"][:10],
        "modified": meta["released"],
        "title_translated": _json(dict(spec.title)),
        "notes_translated": _json(dict(spec.description)),
        "spatial_label": _json(dict(spec.spatial.label)),
        "source": _json([source.url for source in spec.sources]),
        "provenance": "; ".join(f"{s.title} — {s.attribution} ({s.licence})" for s in spec.sources),
    }
    package: dict[str, Any] = {
        "name": dataset_name(spec.name, config),
        "title": spec.title["ca"],
        "notes": _notes(dict(spec.description)),
        "owner_org": config.owner_org,
        "license_id": spec.licence.ckan_id,
        "version": built.version,
        "url": spec.publisher.url,
        "author": spec.publisher.name,
        "author_email": spec.publisher.email,
        "maintainer": spec.publisher.name,
        "maintainer_email": spec.publisher.email,
        "private": False,
        "tags": [{"name": name} for name in tags_clean(keywords)],
        "extras": [{"key": key, "value": value} for key, value in sorted(extras.items())],
    }
    digest = sha256_bytes(json_canonical(package).encode())
    package["extras"].append({"key": METADATA_DIGEST_KEY, "value": digest})
    return package


def _release_notes(built: BuiltPackage) -> list[str]:
    # The latest release's notes, from the CHANGELOG the build wrote (the ledger has them).
    changelog = (built.directory / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
    notes: list[str] = []
    for line in changelog[3:]:
        if line.startswith("## "):
            break
        if line.startswith("- "):
            notes.append(line[2:])
    return notes


def _resource_data(
    *,
    name: str,
    title: str,
    description: str,
    fmt: str,
    mimetype: str,
    sha256: str,
    licence_url: str = "",
    schema: dict[str, Any] | None = None,
) -> dict[str, str]:
    data = {
        "name": name,
        "description": f"{title}. {description}".strip(),
        "format": CKAN_FORMATS.get(fmt, fmt.upper()),
        "mimetype": mimetype,
        "hash": sha256,
        "hash_algorithm": SHA256_URI,
    }
    if licence_url:
        data["license"] = licence_url
    if schema is not None:
        # ckanext-validation reads `schema`; DCAT-AP's conformsTo names the standard.
        data["schema"] = json.dumps(schema, ensure_ascii=False, sort_keys=True)
        data["conforms_to"] = TABLE_SCHEMA_URI
    data[RESOURCE_DIGEST_KEY] = sha256_bytes(json_canonical(data).encode())
    return data


def resources_local(*, built: BuiltPackage, report_path: Path | None) -> tuple[LocalResource, ...]:
    """The package's files, then datapackage.json, README.md, CHANGELOG.md and the
    validation report."""
    spec = built.spec
    resources = []
    for resource_spec, resource in zip(spec.resources, built.resources, strict=True):
        licence = resource_spec.licences[0].url if resource_spec.licences else spec.licence.url
        resources.append(
            LocalResource(
                name=resource.name,
                file=resource.file,
                sha256=resource.sha256,
                bytes=resource.bytes,
                data=_resource_data(
                    name=resource.name,
                    title=resource_spec.title["ca"],
                    description=resource_spec.description["ca"],
                    fmt=resource.format,
                    mimetype=resource.mediatype,
                    sha256=resource.sha256,
                    licence_url=licence,
                    schema=resource.schema,
                ),
                schema=resource.schema,
            )
        )
    extra_files = [
        (
            "datapackage",
            built.descriptor_path,
            "Descriptor del paquet de dades (Data Package v2)",
            "json",
            "application/json",
        ),
        (
            "readme",
            built.directory / "README.md",
            "Diccionari de dades, llicència i com citar",
            "md",
            "text/markdown",
        ),
        (
            "changelog",
            built.directory / "CHANGELOG.md",
            "Registre de canvis: què ha canviat a cada versió",
            "md",
            "text/markdown",
        ),
    ]
    if report_path is not None:
        extra_files.append(
            (
                "validation-report",
                report_path,
                "Informe de validació (frictionless + regles)",
                "json",
                "application/json",
            )
        )
    for name, path, title, fmt, mimetype in extra_files:
        sha = sha256_file(path)
        resources.append(
            LocalResource(
                name=name,
                file=path,
                sha256=sha,
                bytes=path.stat().st_size,
                data=_resource_data(
                    name=name,
                    title=title,
                    description="",
                    fmt=fmt,
                    mimetype=mimetype,
                    sha256=sha,
                    licence_url=spec.licence.url,
                ),
            )
        )
    return tuple(resources)


def dataset_local(
    *, built: BuiltPackage, config: CkanConfig, report_path: Path | None
) -> LocalDataset:
    package = package_dict(built=built, config=config)
    return LocalDataset(
        name=package["name"],
        package=package,
        resources=resources_local(built=built, report_path=report_path),
    )


# ---- DataStore ----


def datastore_fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": field["name"],
            "type": DATASTORE_TYPES.get(field.get("type", "string"), "text"),
            "info": {"label": field.get("title", ""), "notes": field.get("description", "")},
        }
        for field in schema["fields"]
    ]


def _converters(schema: dict[str, Any]) -> dict[str, Any]:
    def integer(value: str) -> int:
        return int(value)

    def boolean(value: str) -> bool:
        return value.lower() in ("true", "1", "yes")

    kinds = {"integer": integer, "year": integer, "boolean": boolean}
    return {
        field["name"]: kinds.get(field.get("type", "string"), str) for field in schema["fields"]
    }


def datastore_batches(
    *, file: Path, schema: dict[str, Any], size: int
) -> Iterator[list[dict[str, Any]]]:
    """Records ready for datastore_create/upsert: empty cells are NULL, integers are ints.

    Numbers stay strings: PostgreSQL parses them into ``numeric`` exactly, where a float
    would not keep every cent.
    """
    convert = _converters(schema)
    missing = set(schema.get("missingValues", [""]))
    batch: list[dict[str, Any]] = []
    with file.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            record = {
                key: (None if value in missing or value is None else convert.get(key, str)(value))
                for key, value in row.items()
                if key is not None
            }
            batch.append(record)
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch
