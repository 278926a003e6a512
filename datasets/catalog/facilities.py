"""The ``facilities`` dataset: the register of public facilities, as CSV and GeoJSON."""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

from datasets.catalog.blocks import Source, text
from datasets.catalog.facts import CC_BY_4_0, SOURCE_CONCERTEM
from datasets.catalog.types import Check, DatasetSpec, ResourceSpec, Table
from datasets.facilities.register import (
    FACILITY_FIELDS,
    REGISTER_PATH,
    SCHEMA_PATH,
    facilities_geojson,
    facilities_load,
)

SOURCE_GENCAT_EQUIPAMENTS = Source(
    title="Generalitat de Catalunya, Equipaments de Catalunya (swimming-pool sites, via "
    "OSM-Catalan/piscines_equipaments)",
    url="https://analisi.transparenciacatalunya.cat/d/8gmd-gz7i",
    licence="Generalitat de Catalunya open data licence",
    attribution="Generalitat de Catalunya",
)
SOURCE_OPENDATA_BCN = Source(
    title="Ajuntament de Barcelona, Open Data BCN: llista d'equipaments (culture, information)",
    url="https://opendata-ajuntament.barcelona.cat/data/ca/dataset/llista-equipaments",
    licence="CC-BY-4.0",
    attribution="Ajuntament de Barcelona",
)


def _facilities_table() -> Table:
    with REGISTER_PATH.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return Table(header=FACILITY_FIELDS, rows=list(reader))


def _facilities_geojson_file() -> Path:
    path = Path(tempfile.gettempdir()) / "concertem-facilities.geojson"
    collection = facilities_geojson(sorted(facilities_load(), key=lambda f: f.facility_id))
    path.write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    return path


def facilities_spec() -> DatasetSpec:
    return DatasetSpec(
        name="facilities",
        title=text(
            "Mapa d'equipaments públics",
            "Mapa de equipamientos públicos",
            "Map of public facilities",
        ),
        description=text(
            "Registre d'equipaments públics de la província de Barcelona: nom, categoria, "
            "titularitat, adreça, municipi (codi INE), coordenades WGS84, any d'obertura i "
            "accessibilitat. Inclou les instal·lacions esportives amb piscina de tota la "
            "província (Generalitat) i els equipaments culturals, socials i d'informació de "
            "la ciutat de Barcelona (Open Data BCN), sense duplicats.",
            "Registro de equipamientos públicos de la provincia de Barcelona: nombre, "
            "categoría, titularidad, dirección, municipio (código INE), coordenadas WGS84, "
            "año de apertura y accesibilidad. Incluye las instalaciones deportivas con "
            "piscina de toda la provincia (Generalitat) y los equipamientos culturales, "
            "sociales y de información de la ciudad de Barcelona (Open Data BCN), sin "
            "duplicados.",
            "Register of public facilities of the province of Barcelona: name, category, "
            "owner, address, municipality (INE code), WGS84 coordinates, opening year and "
            "accessibility. It covers the sport sites with swimming pools of the whole "
            "province (Generalitat) and the culture, social and information facilities of "
            "Barcelona city (Open Data BCN), deduplicated.",
        ),
        keywords={
            "ca": ("equipaments", "piscines", "cultura", "mapa"),
            "es": ("equipamientos", "piscinas", "cultura", "mapa"),
            "en": ("facilities", "swimming pools", "culture", "map"),
        },
        licence=CC_BY_4_0,
        sources=(SOURCE_GENCAT_EQUIPAMENTS, SOURCE_OPENDATA_BCN, SOURCE_CONCERTEM),
        temporal=("2023-01-01", "2025-12-31"),
        frequency="IRREG",
        themes=("REGI", "EDUC", "HEAL"),
        dataset_type="GEOSPATIAL",
        resources=(
            ResourceSpec(
                name="facilities",
                path="data/facilities.csv",
                title=text("Equipaments", "Equipamientos", "Facilities"),
                description=text(
                    "Un registre per equipament.",
                    "Un registro por equipamiento.",
                    "One row per facility.",
                ),
                table=_facilities_table,
                inputs=(),  # the committed register under datasets/reference/
                schema=SCHEMA_PATH,
            ),
            ResourceSpec(
                name="facilities_geojson",
                path="data/facilities.geojson",
                title=text(
                    "Equipaments (GeoJSON)", "Equipamientos (GeoJSON)", "Facilities (GeoJSON)"
                ),
                description=text(
                    "Les mateixes dades com a punts GeoJSON (WGS84).",
                    "Los mismos datos como puntos GeoJSON (WGS84).",
                    "The same data as GeoJSON points (WGS84).",
                ),
                file=_facilities_geojson_file,
                inputs=(),
            ),
        ),
        checks=(Check("entity-code-exists", resource="facilities", field="entity_code"),),
    )
