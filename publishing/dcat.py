"""The catalogue as DCAT-AP 3 JSON-LD (``build/dcat/catalog.jsonld``), for harvesters.

Written from the specs and the built descriptors, so it exists even before (or without) a
CKAN; after a publish the IRIs and download URLs are CKAN's. Deterministic: same packages
and same portal, same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from datasets.catalog import CC_BY_4_0, LANGUAGES, PROVINCE_BARCELONA, DatasetSpec
from datasets.packaging import DATAPACKAGE_PROFILE, file_write_if_changed, json_text
from publishing.config import CkanConfig
from publishing.mapping import LANGUAGE_URIS, SHA256_URI, TABLE_SCHEMA_URI, landing_page
from publishing.results import DatasetResult

EU = "http://publications.europa.eu/resource/authority"
FILE_TYPES = {"csv": "CSV", "geojson": "GEOJSON", "json": "JSON", "toml": "TXT"}
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "spdx": "http://spdx.org/rdf/terms#",
    "adms": "http://www.w3.org/ns/adms#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dcatap": "http://data.europa.eu/r5r/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}


def _texts(texts: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"@language": lang, "@value": texts[lang]} for lang in LANGUAGES]


def _date(value: str) -> dict[str, str]:
    return {"@type": "xsd:date", "@value": value}


def _publisher(spec: DatasetSpec) -> dict[str, Any]:
    return {
        "@id": spec.publisher.url,
        "@type": "foaf:Agent",
        "foaf:name": spec.publisher.name,
        "dct:type": {"@id": spec.publisher.type_uri},
    }


def _distribution(
    spec: DatasetSpec, resource: Mapping[str, Any], dataset_iri: str, url: str
) -> dict[str, Any]:
    fmt = resource["format"]
    titles = resource.get("concertem", {}).get("title") or {
        lang: resource["name"] for lang in LANGUAGES
    }
    descriptions = resource.get("concertem", {}).get("description") or dict.fromkeys(LANGUAGES, "")
    licence = (resource.get("licenses") or [{"path": spec.licence.url}])[0]["path"]
    distribution: dict[str, Any] = {
        "@id": f"{dataset_iri}#{resource['name']}",
        "@type": "dcat:Distribution",
        "dct:title": _texts(titles),
        "dct:description": _texts(descriptions),
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dct:format": {"@id": f"{EU}/file-type/{FILE_TYPES.get(fmt, fmt.upper())}"},
        "dcat:mediaType": {
            "@id": f"https://www.iana.org/assignments/media-types/{resource['mediatype']}"
        },
        "dcat:byteSize": {"@type": "xsd:nonNegativeInteger", "@value": str(resource["bytes"])},
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": SHA256_URI},
            "spdx:checksumValue": {
                "@type": "xsd:hexBinary",
                "@value": resource["hash"].split(":", 1)[-1],
            },
        },
        "dct:license": {"@id": licence},
        "dcatap:availability": {"@id": f"{EU}/planned-availability/STABLE"},
    }
    if "schema" in resource:
        distribution["dct:conformsTo"] = {"@id": TABLE_SCHEMA_URI}
    return distribution


def dataset_dcat(
    *,
    spec: DatasetSpec,
    descriptor: Mapping[str, Any],
    dataset_iri: str,
    resource_urls: Mapping[str, str],
    dataset_iris: Mapping[str, str] | None = None,
    landing_page: str = "",
) -> dict[str, Any]:
    """One dataset; ``dataset_iris`` (by spec name) name the datasets it is computed from."""
    meta = descriptor["concertem"]
    iris = dataset_iris or {}
    upstream = [iris[name] for name in spec.derived_from if name in iris]
    external = [source.url for source in spec.sources if source.url != spec.publisher.url]
    graph: dict[str, Any] = {
        "@id": dataset_iri,
        "@type": "dcat:Dataset",
        "dct:identifier": descriptor["name"],
        "dct:title": _texts(spec.title),
        "dct:description": _texts(spec.description),
        "dcat:keyword": [
            {"@language": lang, "@value": keyword}
            for lang in LANGUAGES
            for keyword in spec.keywords.get(lang, ())
        ],
        "dcat:theme": [{"@id": f"{EU}/data-theme/{theme}"} for theme in spec.themes],
        "dct:type": {"@id": f"{EU}/dataset-type/{spec.dataset_type}"},
        "dct:publisher": _publisher(spec),
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:fn": spec.publisher.name,
            "vcard:hasEmail": {"@id": f"mailto:{spec.publisher.email}"},
        },
        "dct:spatial": {"@id": spec.spatial.uri},
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": _date(spec.temporal[0]),
            "dcat:endDate": _date(spec.temporal[1]),
        },
        "dct:accrualPeriodicity": {"@id": f"{EU}/frequency/{spec.frequency}"},
        "dct:language": [{"@id": LANGUAGE_URIS[lang]} for lang in LANGUAGES],
        "dct:conformsTo": {"@id": DATAPACKAGE_PROFILE},
        "dct:issued": _date(descriptor["created"][:10]),
        "dct:modified": _date(meta["released"]),
        "owl:versionInfo": descriptor["version"],
        "dct:source": [{"@id": iri} for iri in dict.fromkeys(upstream + external)],
        "dct:provenance": {
            "@type": "dct:ProvenanceStatement",
            "rdfs:label": "; ".join(f"{s.title} — {s.attribution}" for s in spec.sources),
        },
        "dcat:distribution": [
            _distribution(spec, resource, dataset_iri, resource_urls.get(resource["name"], ""))
            for resource in descriptor["resources"]
        ],
    }
    if landing_page:
        graph["dcat:landingPage"] = {"@id": landing_page}
    return graph


def catalog_dcat(
    *,
    specs: Sequence[DatasetSpec],
    descriptors: Mapping[str, Mapping[str, Any]],
    base: str,
    dataset_iris: Mapping[str, str] | None = None,
    resource_urls: Mapping[str, Mapping[str, str]] | None = None,
    site_url: str = "",
) -> dict[str, Any]:
    """The catalogue graph; datasets without a built descriptor are left out.

    ``site_url``: the site's public address; each dataset's landing page is its page there.
    """
    dataset_iris = dict(dataset_iris or {})
    for spec in specs:
        dataset_iris.setdefault(spec.name, f"{base}/dataset/{spec.name}")
    resource_urls = resource_urls or {}
    datasets = []
    for spec in specs:
        descriptor = descriptors.get(spec.name)
        if descriptor is None:
            continue
        iri = dataset_iris.get(spec.name) or f"{base}/dataset/{spec.name}"
        urls = dict(resource_urls.get(spec.name, {}))
        for resource in descriptor["resources"]:
            urls.setdefault(resource["name"], f"{iri}/{resource['path']}")
        datasets.append(
            dataset_dcat(
                spec=spec,
                descriptor=descriptor,
                dataset_iri=iri,
                resource_urls=urls,
                dataset_iris=dataset_iris,
                landing_page=landing_page(spec.name, site_url) if site_url else "",
            )
        )
    publisher = specs[0].publisher if specs else None
    graph: dict[str, Any] = {
        "@context": {**CONTEXT, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
        # ckanext-dcat names the catalogue by the portal's URL (its catalog_uri()).
        "@id": base,
        "@type": "dcat:Catalog",
        "dct:title": _texts(
            {
                "ca": "Dades obertes de Concertem en xarxa",
                "es": "Datos abiertos de Concertem en xarxa",
                "en": "Open data of Concertem en xarxa",
            }
        ),
        "dct:description": _texts(
            {
                "ca": "Repartiments, territori, indicadors i ODS del programa de cooperació local.",
                "es": "Repartos, territorio, indicadores y ODS del programa de cooperación local.",
                "en": "Allocations, territory, indicators and SDGs of local cooperation.",
            }
        ),
        "dct:language": [{"@id": LANGUAGE_URIS[lang]} for lang in LANGUAGES],
        "foaf:homepage": {"@id": base},
        "dcat:dataset": datasets,
    }
    if publisher is not None:
        graph["dct:publisher"] = {
            "@id": publisher.url,
            "@type": "foaf:Agent",
            "foaf:name": publisher.name,
            "dct:type": {"@id": publisher.type_uri},
        }
    built = [descriptors[spec.name] for spec in specs if spec.name in descriptors]
    if built:
        # The catalogue's own recommended properties, as the local CKAN's profile has them.
        graph["dct:issued"] = _date(min(d["created"][:10] for d in built))
        graph["dct:modified"] = _date(max(d["concertem"]["released"] for d in built))
    graph["dct:license"] = {
        "@id": CC_BY_4_0.url,
        "@type": "dct:LicenseDocument",
        "dct:type": {"@id": "http://purl.org/adms/licencetype/Attribution"},
    }
    graph["dct:spatial"] = {"@id": PROVINCE_BARCELONA.uri}
    graph["dcat:themeTaxonomy"] = {
        "@id": f"{EU}/data-theme",
        "@type": "skos:ConceptScheme",
        "dct:title": _texts({"ca": "Temes de dades", "es": "Temas de datos", "en": "Data theme"}),
    }
    return graph


def descriptors_read(*, specs: Sequence[DatasetSpec], build_dir: Path) -> dict[str, Any]:
    found = {}
    for spec in specs:
        path = build_dir / "datapackages" / spec.name / "datapackage.json"
        if path.exists():
            found[spec.name] = json.loads(path.read_text(encoding="utf-8"))
    return found


def dcat_write(
    *,
    specs: Sequence[DatasetSpec],
    build_dir: Path,
    path: Path,
    config: CkanConfig | None = None,
    results: Sequence[DatasetResult] | None = None,
) -> Path:
    """Write the JSON-LD catalogue; with ``results``, dataset IRIs and URLs are CKAN's."""
    base = config.site if config is not None else "urn:concertem"
    iris: dict[str, str] = {}
    urls: dict[str, dict[str, str]] = {}
    for result in results or ():
        if result.dataset_url:
            iris[result.name] = result.dataset_url
            urls[result.name] = dict(result.resource_urls)
    if config is not None:
        for spec in specs:
            iris.setdefault(spec.name, f"{base}/dataset/{config.dataset_prefix}{spec.name}")
    graph = catalog_dcat(
        specs=specs,
        descriptors=descriptors_read(specs=specs, build_dir=build_dir),
        base=base,
        dataset_iris=iris,
        resource_urls=urls,
        site_url=config.site_url if config is not None else "",
    )
    file_write_if_changed(path, json_text(graph).encode())
    return path
