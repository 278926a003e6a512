"""The ``survey-results`` dataset: the citizen-satisfaction survey's results.

The site keeps the answers in its database and exports every edition's aggregates and
anonymised microdata with ``export_survey_results`` (``exports.SURVEY_RESULTS``); the
catalogue reads those files back at build time.
"""

from __future__ import annotations

from datasets.catalog.blocks import text
from datasets.catalog.exports import SURVEY_RESULTS, schema_header
from datasets.catalog.facts import CC_BY_4_0, SOURCE_CONCERTEM
from datasets.catalog.paths import schema_path
from datasets.catalog.types import Check, DatasetSpec, ResourceSpec, Table


def survey_results_spec() -> DatasetSpec:
    aggregates_schema = schema_path("survey_results_aggregates")
    microdata_schema = schema_path("survey_results_microdata")
    folder = SURVEY_RESULTS.folder_path()

    def aggregates() -> Table:
        return SURVEY_RESULTS.table_read(
            "survey_results_aggregates.csv", schema_header(aggregates_schema)
        )

    def microdata() -> Table:
        return SURVEY_RESULTS.table_read(
            "survey_results_microdata.csv", schema_header(microdata_schema)
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
