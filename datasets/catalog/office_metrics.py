"""The ``office-metrics`` dataset: the office for attention to municipalities' service metrics.

The site (Django) computes the metrics and exports them with ``export_office_metrics``
(``exports.OFFICE_METRICS``); this package declares their Table Schema, which the site's
exporter writes, and only reads the export back, so it stays free of Django.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from datasets.catalog.blocks import text
from datasets.catalog.exports import OFFICE_METRICS, schema_header
from datasets.catalog.facts import CC_BY_4_0, SOURCE_CONCERTEM
from datasets.catalog.types import DatasetSpec, ResourceSpec, Table
from datasets.schema_texts import schema_translate

OFFICE_METRICS_CSV = OFFICE_METRICS.csv_files[0]
OFFICE_METRICS_SCHEMA_NAME = OFFICE_METRICS.schema_files[0]


def _days_field(name: str, title: str) -> dict[str, Any]:
    return {
        "name": name,
        "type": "number",
        "title": title,
        "description": "Days (one decimal); empty when no request qualifies.",
        "constraints": {"minimum": 0},
    }


OFFICE_METRICS_SCHEMA: dict[str, Any] = {
    "fields": [
        {
            "name": "dimension",
            "type": "string",
            "title": "Grouping",
            "description": "all (every request), area (of the service catalogue) or comarca.",
            "constraints": {"required": True, "enum": ["all", "area", "comarca"]},
        },
        {
            "name": "group_code",
            "type": "string",
            "title": "Group code",
            "description": "'all', the area code, or the comarca's name.",
            "constraints": {"required": True},
        },
        {
            "name": "group_label",
            "type": "string",
            "title": "Group",
            "constraints": {"required": True},
        },
        {
            "name": "requests",
            "type": "integer",
            "title": "Requests filed",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "open",
            "type": "integer",
            "title": "Requests still open",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "resolved",
            "type": "integer",
            "title": "Requests resolved",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "declined",
            "type": "integer",
            "title": "Requests declined",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "share_resolved",
            "type": "number",
            "title": "Share resolved",
            "description": "resolved / requests (0 to 1); empty when there are no requests.",
            "constraints": {"minimum": 0, "maximum": 1},
        },
        _days_field("first_answer_median_days", "Days to first answer (median)"),
        _days_field("first_answer_p90_days", "Days to first answer (90th percentile)"),
        _days_field("resolution_median_days", "Days to resolution (median)"),
        _days_field("resolution_p90_days", "Days to resolution (90th percentile)"),
        {
            "name": "as_of",
            "type": "date",
            "title": "Computed on",
            "constraints": {"required": True},
        },
    ],
    "primaryKey": ["dimension", "group_code"],
    "missingValues": [""],
}
schema_translate(
    OFFICE_METRICS_SCHEMA,
    {
        "dimension": (
            "Agrupació",
            "Agrupación",
            "all (totes les sol·licituds), area (del catàleg de serveis) o comarca.",
            "all (todas las solicitudes), area (del catálogo de servicios) o comarca.",
        ),
        "group_code": (
            "Codi del grup",
            "Código del grupo",
            "'all', el codi de l'àrea o el nom de la comarca.",
            "'all', el código del área o el nombre de la comarca.",
        ),
        "group_label": ("Grup", "Grupo"),
        "requests": ("Sol·licituds presentades", "Solicitudes presentadas"),
        "open": ("Sol·licituds encara obertes", "Solicitudes todavía abiertas"),
        "resolved": ("Sol·licituds resoltes", "Solicitudes resueltas"),
        "declined": ("Sol·licituds desestimades", "Solicitudes desestimadas"),
        "share_resolved": (
            "Proporció resolta",
            "Proporción resuelta",
            "resolved / requests (de 0 a 1); buit quan no hi ha sol·licituds.",
            "resolved / requests (de 0 a 1); vacío cuando no hay solicitudes.",
        ),
        "first_answer_median_days": (
            "Dies fins a la primera resposta (mediana)",
            "Días hasta la primera respuesta (mediana)",
            "Dies (un decimal); buit quan cap sol·licitud no hi entra.",
            "Días (un decimal); vacío cuando ninguna solicitud entra.",
        ),
        "first_answer_p90_days": (
            "Dies fins a la primera resposta (percentil 90)",
            "Días hasta la primera respuesta (percentil 90)",
            "Dies (un decimal); buit quan cap sol·licitud no hi entra.",
            "Días (un decimal); vacío cuando ninguna solicitud entra.",
        ),
        "resolution_median_days": (
            "Dies fins a la resolució (mediana)",
            "Días hasta la resolución (mediana)",
            "Dies (un decimal); buit quan cap sol·licitud no hi entra.",
            "Días (un decimal); vacío cuando ninguna solicitud entra.",
        ),
        "resolution_p90_days": (
            "Dies fins a la resolució (percentil 90)",
            "Días hasta la resolución (percentil 90)",
            "Dies (un decimal); buit quan cap sol·licitud no hi entra.",
            "Días (un decimal); vacío cuando ninguna solicitud entra.",
        ),
        "as_of": ("Calculat el", "Calculado el"),
    },
)


def office_metrics_path() -> Path:
    """The site's export, read at build time."""
    return OFFICE_METRICS.path(OFFICE_METRICS_CSV)


def _office_metrics_table() -> Table:
    return OFFICE_METRICS.table_read(OFFICE_METRICS_CSV, schema_header(OFFICE_METRICS_SCHEMA))


def office_metrics_spec() -> DatasetSpec:
    return DatasetSpec(
        name="office-metrics",
        title=text(
            "Oficina d'atenció als municipis: indicadors del servei",
            "Oficina de atención a los municipios: indicadores del servicio",
            "Office for attention to municipalities: service metrics",
        ),
        description=text(
            "Sol·licituds de suport dels ens locals a l'Oficina d'atenció als municipis, per "
            "àmbit del catàleg de serveis i per comarca: quantes, quantes resoltes, i els "
            "dies fins a la primera resposta i fins a la resolució (mediana i percentil 90). "
            "Sense dades personals.",
            "Solicitudes de apoyo de los entes locales a la Oficina de atención a los "
            "municipios, por ámbito del catálogo de servicios y por comarca: cuántas, cuántas "
            "resueltas, y los días hasta la primera respuesta y hasta la resolución (mediana "
            "y percentil 90). Sin datos personales.",
            "Support requests from local entities to the Office for attention to "
            "municipalities, per area of the service catalogue and per comarca: how many, "
            "how many resolved, and the days to a first answer and to resolution (median "
            "and 90th percentile). No personal data.",
        ),
        keywords={
            "ca": ("oficina d'atenció als municipis", "suport tècnic", "agents territorials"),
            "es": (
                "oficina de atención a los municipios",
                "apoyo técnico",
                "agentes territoriales",
            ),
            "en": ("office for municipalities", "technical support", "territorial agents"),
        },
        licence=CC_BY_4_0,
        sources=(SOURCE_CONCERTEM,),
        temporal=("2025-01-01", "2030-12-31"),
        frequency="DAILY",
        themes=("GOVE", "REGI"),
        resources=(
            ResourceSpec(
                name="office_metrics",
                path="data/office_metrics.csv",
                title=text("Indicadors del servei", "Indicadores del servicio", "Service metrics"),
                description=text(
                    "Una fila per al total, per àmbit i per comarca.",
                    "Una fila para el total, por ámbito y por comarca.",
                    "One row for the total, per area and per comarca.",
                ),
                table=_office_metrics_table,
                schema=OFFICE_METRICS_SCHEMA,
            ),
        ),
    )
