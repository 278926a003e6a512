"""Pure mapping: a built Data Package -> the CKAN dataset and resources it becomes.

Field names follow ckanext-dcat's CKAN <-> DCAT-AP mapping (docs/mapping.md), so a portal
running ckanext-dcat (``euro_dcat_ap_3``) exposes them as DCAT-AP without extra work:
``dcat_type``, ``theme``, ``spatial_uri``, ``temporal_start``/``temporal_end``,
``frequency``, ``publisher_*``, ``contact_*``, ``language``, ``conforms_to``, ``version``,
``version_notes``, ``issued``/``modified``; multilingual titles and descriptions go in
``title_translated``/``notes_translated`` (ckanext-fluent's names). Resources carry their
sha256 in ``hash`` (+ ``hash_algorithm``, read by ckanext-dcat as spdx:checksum).

Nothing here does I/O beyond hashing the built files; DataStore loading is in datastore.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasets.catalog import LANGUAGES, DatasetSpec
from datasets.packaging import (
    DATAPACKAGE_PROFILE,
    BuiltPackage,
    json_canonical,
    json_text,
    sha256_bytes,
    sha256_file,
)
from publishing.config import CkanConfig
from publishing.spatial import spatial_extent

EU = "http://publications.europa.eu/resource/authority"
LANGUAGE_URIS = {"ca": f"{EU}/language/CAT", "es": f"{EU}/language/SPA", "en": f"{EU}/language/ENG"}
SHA256_URI = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"
ACCESS_PUBLIC = f"{EU}/access-right/PUBLIC"
# Files stay where they are for as long as the dataset is published.
AVAILABILITY_STABLE = f"{EU}/planned-availability/STABLE"
TABLE_SCHEMA_URI = "https://datapackage.org/standard/table-schema/"
CKAN_FORMATS = {
    "csv": "CSV",
    "geojson": "GeoJSON",
    "json": "JSON",
    "toml": "TOML",
    "md": "Markdown",
}
# Extras this pipeline owns; the digest of the package dict is stored among them.
METADATA_DIGEST_KEY = "concertem_metadata_sha256"
DESCRIPTOR_RESOURCE = "datapackage"
DESCRIPTOR_TITLE = "Descriptor del paquet de dades (Data Package v2)"
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


def dataset_iri(spec_name: str, config: CkanConfig) -> str:
    """The dataset's DCAT IRI: its CKAN page by name, stable across re-creations."""
    return f"{config.site}/dataset/{dataset_name(spec_name, config)}"


def source_uris(spec: DatasetSpec, config: CkanConfig) -> list[str]:
    """dct:source: the catalogue's datasets this one is computed from, then the external
    sources; the publisher's own home page (this project's own work) is no dataset."""
    upstream = [dataset_iri(name, config) for name in spec.derived_from]
    external = [source.url for source in spec.sources if source.url != spec.publisher.url]
    return list(dict.fromkeys(upstream + external))


def landing_page(spec_name: str, site_url: str) -> str:
    """The site's page about the dataset (dcat:landingPage): what a reader should open."""
    return f"{site_url.rstrip('/')}/ca/dades/{spec_name}/"


def package_dict(*, built: BuiltPackage, config: CkanConfig) -> dict[str, Any]:
    """The dataset as the local CKAN's schema (ckanserver/ckanext-concertem_dcat) has it.

    Those are ckanext-dcat's field names, so its ``euro_dcat_ap_3`` profile serves them as
    DCAT-AP 3: texts in every language (``*_translated``), publisher and contact point,
    temporal and spatial coverage (with the area's bounding box and centroid), themes,
    languages, sources, landing page and version notes.
    """
    spec = built.spec
    meta = built.descriptor["concertem"]
    keywords = built.descriptor["keywords"]
    publisher = spec.publisher
    extent = spatial_extent(spec.spatial.uri)
    spatial: dict[str, str] = {"uri": spec.spatial.uri, "text": spec.spatial.label["ca"]}
    if extent is not None:
        spatial.update(bbox=extent.bbox_geojson, centroid=extent.centroid_geojson)
    package: dict[str, Any] = {
        "name": dataset_name(spec.name, config),
        "title": spec.title["ca"],
        "title_translated": dict(spec.title),
        # CKAN's own pages read notes_translated in the reader's language; notes is the
        # Catalan fallback for clients that know only the core fields.
        "notes": spec.description["ca"],
        "notes_translated": dict(spec.description),
        "owner_org": config.owner_org,
        "license_id": spec.licence.ckan_id,
        "version": built.version,
        "version_notes": "\n".join(f"- {note}" for note in _release_notes(built)),
        "url": landing_page(spec.name, config.site_url),
        "issued": built.descriptor["created"][:10],
        "modified": meta["released"],
        "dcat_type": f"{EU}/dataset-type/{spec.dataset_type}",
        "frequency": f"{EU}/frequency/{spec.frequency}",
        "access_rights": ACCESS_PUBLIC,
        "theme": [f"{EU}/data-theme/{theme}" for theme in spec.themes],
        "language": [LANGUAGE_URIS[lang] for lang in LANGUAGES],
        "conforms_to": [DATAPACKAGE_PROFILE],
        "uri": dataset_iri(spec.name, config),
        "source": source_uris(spec, config),
        "provenance": "; ".join(f"{s.title} — {s.attribution} ({s.licence})" for s in spec.sources),
        "publisher": [
            {
                "uri": publisher.url,
                "name": publisher.name,
                "email": publisher.email,
                "url": publisher.url,
                "type": publisher.type_uri,
            }
        ],
        "contact": [{"name": publisher.name, "email": publisher.email}],
        "temporal_coverage": [{"start": spec.temporal[0], "end": spec.temporal[1]}],
        "spatial_coverage": [spatial],
        "private": False,
        "tags": [{"name": name} for name in tags_clean(keywords)],
    }
    digest = sha256_bytes(json_canonical(package).encode())
    package["extras"] = [{"key": METADATA_DIGEST_KEY, "value": digest}]
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
        "availability": AVAILABILITY_STABLE,
    }
    if licence_url:
        data["license"] = licence_url
    if schema is not None:
        # ckanext-validation reads `schema`; DCAT-AP's conformsTo names the standard.
        data["schema"] = json.dumps(schema, ensure_ascii=False, sort_keys=True)
        data["conforms_to"] = TABLE_SCHEMA_URI
    data[RESOURCE_DIGEST_KEY] = sha256_bytes(json_canonical(data).encode())
    return data


def descriptor_for_ckan(descriptor_path: Path, urls: Mapping[str, str]) -> bytes:
    """The descriptor CKAN serves: each resource's path is its CKAN download URL.

    On CKAN every file lives at its own URL, so the relative paths of the built package
    (``data/entities.csv``) would resolve to nothing; a resource without a URL yet keeps
    its path (it is created in this run, and the descriptor is written again then).
    """
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if urls.get(resource["name"]):
            resource["path"] = urls[resource["name"]]
    return json_text(descriptor).encode()


def resources_local(
    *, built: BuiltPackage, report_path: Path | None, descriptor_path: Path | None = None
) -> tuple[LocalResource, ...]:
    """The package's files, then datapackage.json, README.md, CHANGELOG.md and the
    validation report.

    ``descriptor_path``: the descriptor to upload in place of the built one (see
    ``descriptor_for_ckan``).
    """
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
            DESCRIPTOR_RESOURCE,
            descriptor_path or built.descriptor_path,
            DESCRIPTOR_TITLE,
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
        resources.append(
            _file_resource(name, path, title, fmt, mimetype, licence_url=spec.licence.url)
        )
    return tuple(resources)


def _file_resource(
    name: str, path: Path, title: str, fmt: str, mimetype: str, *, licence_url: str
) -> LocalResource:
    """A documentation file of the package (descriptor, README, ...) as a CKAN resource."""
    sha = sha256_file(path)
    return LocalResource(
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
            licence_url=licence_url,
        ),
    )


def descriptor_resource(*, built: BuiltPackage, descriptor_path: Path) -> LocalResource:
    """The datapackage.json resource for a given (CKAN) copy of the descriptor."""
    return _file_resource(
        DESCRIPTOR_RESOURCE,
        descriptor_path,
        DESCRIPTOR_TITLE,
        "json",
        "application/json",
        licence_url=built.spec.licence.url,
    )


def dataset_local(
    *,
    built: BuiltPackage,
    config: CkanConfig,
    report_path: Path | None,
    descriptor_path: Path | None = None,
) -> LocalDataset:
    package = package_dict(built=built, config=config)
    return LocalDataset(
        name=package["name"],
        package=package,
        resources=resources_local(
            built=built, report_path=report_path, descriptor_path=descriptor_path
        ),
    )
