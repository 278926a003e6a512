"""Catalogue entries (``datasets.catalog``) for data the site keeps in its database.

The site writes them to ``CONCERTEM_BUILD_DIR`` (``manage.py export_cooperation_actions``,
``manage.py export_survey_results``); the catalogue reads those files at build time, as it
does for the office metrics. Missing files give empty tables, never a crash.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from datasets.catalog import (
    CC_BY_4_0,
    DATASETS_DIR,
    SOURCE_CONCERTEM,
    Check,
    DatasetSpec,
    ResourceSpec,
    Table,
    exported_table_read,
    text,
)
from datasets.execution.export import ACTIONS_SCHEMA, MILESTONES_SCHEMA

SCHEMAS_DIR = DATASETS_DIR / "schemas"


def build_dir() -> Path:
    return Path(os.environ.get("CONCERTEM_BUILD_DIR", DATASETS_DIR.parent / "build"))


# The site command that writes each export folder.
EXPORT_COMMANDS = {
    "cooperation_actions": "python site/manage.py export_cooperation_actions",
    "survey_results": "python site/manage.py export_survey_results",
}


def _exported_table(folder: str, name: str, schema_path: Path, dataset: str) -> Table:
    header = tuple(f["name"] for f in json.loads(schema_path.read_text("utf-8"))["fields"])
    return exported_table_read(
        path=build_dir() / folder / f"{name}.csv",
        header=header,
        dataset=dataset,
        command=EXPORT_COMMANDS[folder],
    )


def cooperation_actions_spec() -> DatasetSpec:
    def actions() -> Table:
        return _exported_table(
            "cooperation_actions", "cooperation_actions", ACTIONS_SCHEMA, "cooperation-actions"
        )

    def milestones() -> Table:
        return _exported_table(
            "cooperation_actions",
            "cooperation_action_milestones",
            MILESTONES_SCHEMA,
            "cooperation-actions",
        )

    folder = build_dir() / "cooperation_actions"
    return DatasetSpec(
        name="cooperation-actions",
        title=text(
            "Estat d'execució de les actuacions de cooperació",
            "Estado de ejecución de las actuaciones de cooperación",
            "Execution status of cooperation actions",
        ),
        description=text(
            "Subvencions, serveis tècnics del catàleg i inversions de la Diputació de Barcelona "
            "a cada ens local: programa, estat, imports atorgat, justificat i pagat, avanç i "
            "fites. La columna is_demo marca les dades de demostració.",
            "Subvenciones, servicios técnicos del catálogo e inversiones de la Diputació de "
            "Barcelona en cada ente local: programa, estado, importes otorgado, justificado y "
            "pagado, avance e hitos. La columna is_demo marca los datos de demostración.",
            "Grants, catalogue technical services and investments of the Barcelona Provincial "
            "Council in each local entity: programme, status, amounts granted, justified and "
            "paid, progress and milestones. The is_demo column marks demonstration data.",
        ),
        keywords={
            "ca": ("cooperació local", "subvencions", "execució"),
            "es": ("cooperación local", "subvenciones", "ejecución"),
            "en": ("local cooperation", "grants", "execution"),
        },
        licence=CC_BY_4_0,
        sources=(SOURCE_CONCERTEM,),
        temporal=("2024-01-01", "2027-12-31"),
        frequency="DAILY",
        themes=("GOVE", "REGI", "ECON"),
        resources=(
            ResourceSpec(
                name="cooperation_actions",
                path="data/cooperation_actions.csv",
                title=text("Actuacions", "Actuaciones", "Actions"),
                description=text(
                    "Una fila per actuació.", "Una fila por actuación.", "One row per action."
                ),
                table=actions,
                schema=ACTIONS_SCHEMA,
                inputs=(folder / "cooperation_actions.csv",),
            ),
            ResourceSpec(
                name="cooperation_action_milestones",
                path="data/cooperation_action_milestones.csv",
                title=text("Fites", "Hitos", "Milestones"),
                description=text(
                    "Una fila per fita d'una actuació.",
                    "Una fila por hito de una actuación.",
                    "One row per milestone of an action.",
                ),
                table=milestones,
                schema=MILESTONES_SCHEMA,
                inputs=(folder / "cooperation_action_milestones.csv",),
            ),
        ),
        checks=(Check("entity-code-exists", resource="cooperation_actions", field="entity_code"),),
    )


def survey_results_spec() -> DatasetSpec:
    aggregates_schema = SCHEMAS_DIR / "survey_results_aggregates.json"
    microdata_schema = SCHEMAS_DIR / "survey_results_microdata.json"
    folder = build_dir() / "survey_results"

    def aggregates() -> Table:
        return _exported_table(
            "survey_results", "survey_results_aggregates", aggregates_schema, "survey-results"
        )

    def microdata() -> Table:
        return _exported_table(
            "survey_results", "survey_results_microdata", microdata_schema, "survey-results"
        )

    return DatasetSpec(
        name="survey-results",
        title=text(
            "Enquesta de satisfacció amb els serveis municipals",
            "Encuesta de satisfacción con los servicios municipales",
            "Satisfaction survey on municipal services",
        ),
        description=text(
            "Resultats per municipi i pregunta (distribució, mitjana, persones que responen) "
            "i respostes anonimitzades sense text lliure. No es publica res d'un municipi amb "
            "menys respostes que el llindar de publicació.",
            "Resultados por municipio y pregunta (distribución, media, personas que responden) "
            "y respuestas anonimizadas sin texto libre. No se publica nada de un municipio con "
            "menos respuestas que el umbral de publicación.",
            "Results per municipality and question (distribution, mean, respondents) and "
            "anonymised answers without free text. Nothing is published for a municipality "
            "with fewer answers than the publication threshold.",
        ),
        keywords={
            "ca": ("enquesta", "satisfacció", "serveis municipals"),
            "es": ("encuesta", "satisfacción", "servicios municipales"),
            "en": ("survey", "satisfaction", "municipal services"),
        },
        licence=CC_BY_4_0,
        sources=(SOURCE_CONCERTEM,),
        temporal=("2024-01-01", "2030-12-31"),
        frequency="ANNUAL",
        themes=("SOCI", "GOVE"),
        resources=(
            ResourceSpec(
                name="survey_results_aggregates",
                path="data/survey_results_aggregates.csv",
                title=text("Resultats agregats", "Resultados agregados", "Aggregated results"),
                description=text(
                    "Una fila per municipi, pregunta i resposta.",
                    "Una fila por municipio, pregunta y respuesta.",
                    "One row per municipality, question and answer value.",
                ),
                table=aggregates,
                schema=aggregates_schema,
                inputs=(folder / "survey_results_aggregates.csv",),
            ),
            ResourceSpec(
                name="survey_results_microdata",
                path="data/survey_results_microdata.csv",
                title=text(
                    "Respostes anonimitzades", "Respuestas anonimizadas", "Anonymised answers"
                ),
                description=text(
                    "Una fila per resposta a una pregunta (sense text lliure).",
                    "Una fila por respuesta a una pregunta (sin texto libre).",
                    "One row per answer to a question (no free text).",
                ),
                table=microdata,
                schema=microdata_schema,
                inputs=(folder / "survey_results_microdata.csv",),
            ),
        ),
        checks=(
            Check("entity-code-exists", resource="survey_results_aggregates", field="entity_code"),
            Check("entity-code-exists", resource="survey_results_microdata", field="entity_code"),
        ),
    )
