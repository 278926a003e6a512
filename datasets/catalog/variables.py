"""The ``socioeconomic-variables`` dataset: the long variables table and its catalogue."""

from __future__ import annotations

import csv
import json
from typing import Any

from datasets.catalog.blocks import text
from datasets.catalog.facts import CC_BY_4_0, PROVINCE_CODE, SOURCE_INE_ATLAS
from datasets.catalog.paths import reference_path, schema_path
from datasets.catalog.types import Check, DatasetSpec, ResourceSpec, Table
from datasets.schema_texts import schema_translate


def _province_variables_table() -> Table:
    """The long variables table, restricted to the province (the file covers all Spain)."""
    from datasets.territory import VARIABLES_PATH

    with VARIABLES_PATH.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = tuple(next(reader))
        rows = [row for row in reader if row[0].startswith(PROVINCE_CODE)]
    return Table(header=header, rows=rows)


# The variables catalogue has no schema file of its own; its columns are described here.
VARIABLES_CATALOG_SCHEMA: dict[str, Any] = {
    "fields": [
        {
            "name": "variable",
            "type": "string",
            "title": "Variable",
            "constraints": {"required": True, "unique": True, "pattern": "[a-z][a-z0-9_]*"},
        },
        {"name": "title", "type": "string", "title": "Title", "constraints": {"required": True}},
        {"name": "unit", "type": "string", "title": "Unit", "constraints": {"required": True}},
        {
            "name": "source",
            "type": "string",
            "title": "Source file and column",
            "description": "folder/file#column under datasets/sources/ in the project repository",
        },
        {"name": "years", "type": "string", "title": "Years available"},
        {"name": "description", "type": "string", "title": "Description"},
    ],
    "primaryKey": ["variable"],
    "missingValues": [""],
}
schema_translate(
    VARIABLES_CATALOG_SCHEMA,
    {
        "variable": ("Variable", "Variable"),
        "title": ("Títol", "Título"),
        "unit": ("Unitat", "Unidad"),
        "source": (
            "Fitxer i columna d'origen",
            "Fichero y columna de origen",
            "carpeta/fitxer#columna dins de datasets/sources/ al repositori del projecte",
            "carpeta/fichero#columna dentro de datasets/sources/ en el repositorio del proyecto",
        ),
        "years": ("Anys disponibles", "Años disponibles"),
        "description": ("Descripció", "Descripción"),
    },
)


def _variables_schema() -> dict[str, Any]:
    schema = json.loads(schema_path("variables").read_text(encoding="utf-8"))
    schema.setdefault("foreignKeys", []).append(
        {
            "fields": ["variable"],
            "reference": {"resource": "variables_catalog", "fields": ["variable"]},
        }
    )
    return schema


def variables_spec() -> DatasetSpec:
    return DatasetSpec(
        name="socioeconomic-variables",
        title=text(
            "Variables socioeconòmiques dels municipis",
            "Variables socioeconómicas de los municipios",
            "Socio-economic variables of the municipalities",
        ),
        description=text(
            "Renda per persona i per llar, índex de Gini, P80/P20, població, atur, "
            "activitat, estructura d'edat, nacionalitat i estudis dels municipis de la "
            "província de Barcelona (INE: Atles de distribució de renda de les llars "
            "2015-2022 i Cens 2021). Taula llarga: una fila per municipi, variable i any.",
            "Renta por persona y por hogar, índice de Gini, P80/P20, población, paro, "
            "actividad, estructura de edad, nacionalidad y estudios de los municipios de la "
            "provincia de Barcelona (INE: Atlas de distribución de renta de los hogares "
            "2015-2022 y Censo 2021). Tabla larga: una fila por municipio, variable y año.",
            "Income per person and per household, Gini index, P80/P20, population, "
            "unemployment, activity, age structure, nationality and education of the "
            "municipalities of the province of Barcelona (INE Household Income Distribution "
            "Atlas 2015-2022 and Census 2021). Long table: one row per municipality, "
            "variable and year; missing values are absent rows.",
        ),
        keywords={
            "ca": ("renda", "atur", "població", "desigualtat", "cens"),
            "es": ("renta", "paro", "población", "desigualdad", "censo"),
            "en": ("income", "unemployment", "population", "inequality", "census"),
        },
        licence=CC_BY_4_0,
        sources=(SOURCE_INE_ATLAS,),
        temporal=("2015-01-01", "2022-12-31"),
        frequency="ANNUAL",
        themes=("ECON", "SOCI", "REGI"),
        resources=(
            ResourceSpec(
                name="variables",
                path="data/variables.csv",
                title=text("Valors", "Valores", "Values"),
                description=text(
                    "entity_code, variable, year, value.",
                    "entity_code, variable, year, value.",
                    "entity_code, variable, year, value.",
                ),
                table=_province_variables_table,
                inputs=(),  # reference tables under datasets/
                schema=_variables_schema,
            ),
            ResourceSpec(
                name="variables_catalog",
                path="data/variables_catalog.csv",
                title=text("Catàleg de variables", "Catálogo de variables", "Variable catalogue"),
                description=text(
                    "Títol, unitat, font i anys de cada variable.",
                    "Título, unidad, fuente y años de cada variable.",
                    "Title, unit, source and years of each variable.",
                ),
                file=reference_path("variables_catalog.csv"),
                schema=VARIABLES_CATALOG_SCHEMA,
            ),
        ),
        checks=(Check("entity-code-exists", resource="variables", field="entity_code"),),
    )
