"""The ``territory`` dataset: the province's municipalities and their boundaries."""

from __future__ import annotations

from datasets.catalog.blocks import text
from datasets.catalog.facts import (
    AGPL_3_0,
    CC_BY_4_0,
    PROVINCE_CODE,
    SOURCE_GENCAT,
    SOURCE_INE_ATLAS,
    SOURCE_INE_CODES,
    SOURCE_VISOR,
)
from datasets.catalog.paths import reference_path, schema_path
from datasets.catalog.types import Check, DatasetSpec, ResourceSpec, Table


def _province_entities_table() -> Table:
    from datasets.territory import ENTITY_FIELDS, entities_load, entity_row

    entities = entities_load(province_code=PROVINCE_CODE)
    return Table(
        header=ENTITY_FIELDS,
        rows=[[entity_row(entity)[name] for name in ENTITY_FIELDS] for entity in entities],
    )


def territory_spec() -> DatasetSpec:
    return DatasetSpec(
        name="territory",
        title=text(
            "Municipis de la província de Barcelona",
            "Municipios de la provincia de Barcelona",
            "Municipalities of the province of Barcelona",
        ),
        description=text(
            "Els 311 municipis de la província de Barcelona: codi INE i Idescat, nom, "
            "comarca, població (Cens 2021), superfície, centroide i límits municipals "
            "(GeoJSON, WGS84).",
            "Los 311 municipios de la provincia de Barcelona: código INE e Idescat, nombre, "
            "comarca, población (Censo 2021), superficie, centroide y límites municipales "
            "(GeoJSON, WGS84).",
            "The 311 municipalities of the province of Barcelona: INE and Idescat codes, "
            "name, comarca, population (Census 2021), surface, centroid and municipal "
            "boundaries (GeoJSON, WGS84).",
        ),
        keywords={
            "ca": ("municipis", "territori", "límits municipals", "comarques"),
            "es": ("municipios", "territorio", "límites municipales", "comarcas"),
            "en": ("municipalities", "territory", "boundaries", "comarcas"),
        },
        licence=CC_BY_4_0,
        sources=(SOURCE_INE_ATLAS, SOURCE_INE_CODES, SOURCE_GENCAT, SOURCE_VISOR),
        temporal=("2021-01-01", "2021-12-31"),
        frequency="IRREG",
        themes=("REGI", "GOVE"),
        dataset_type="GEOSPATIAL",
        resources=(
            ResourceSpec(
                name="entities",
                path="data/entities.csv",
                title=text("Ens locals", "Entes locales", "Local entities"),
                description=text(
                    "Un registre per municipi de la província de Barcelona.",
                    "Un registro por municipio de la provincia de Barcelona.",
                    "One row per municipality of the province of Barcelona.",
                ),
                table=_province_entities_table,
                inputs=(),  # reference tables under datasets/
                schema=schema_path("municipalities"),  # the packages carry municipalities only
            ),
            ResourceSpec(
                name="boundaries",
                path="data/boundaries_08.geojson",
                title=text("Límits municipals", "Límites municipales", "Municipal boundaries"),
                description=text(
                    "Límits dels 311 municipis (ICGC, via el Visor 2030), simplificats a 10 m, "
                    "WGS84; `id` és el codi INE.",
                    "Límites de los 311 municipios (ICGC, vía el Visor 2030), simplificados a "
                    "10 m, WGS84; `id` es el código INE.",
                    "Boundaries of the 311 municipalities (ICGC, via the Visor 2030), "
                    "simplified at 10 m, WGS84; `id` is the INE code.",
                ),
                file=reference_path("boundaries_08.geojson"),
                licences=(AGPL_3_0,),
            ),
        ),
        checks=(
            Check("entity-code-exists", resource="entities", field="entity_code"),
            Check(
                "features-match-entities",
                resource="boundaries",
                field="entity_code",
                params={"entities": "entities"},
            ),
        ),
    )
