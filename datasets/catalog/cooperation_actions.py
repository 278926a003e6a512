"""The ``cooperation-actions`` dataset: the execution status of cooperation actions.

The site keeps the actions in its database and exports them with
``export_cooperation_actions`` (``exports.COOPERATION_ACTIONS``); the catalogue reads those
files back at build time. A missing export is refused, never published as an empty table.
"""

from __future__ import annotations

from datasets.catalog.blocks import text
from datasets.catalog.exports import COOPERATION_ACTIONS, schema_header
from datasets.catalog.facts import CC_BY_4_0, SOURCE_CONCERTEM
from datasets.catalog.types import Check, DatasetSpec, ResourceSpec, Table
from datasets.execution.export import ACTIONS_SCHEMA, MILESTONES_SCHEMA


def cooperation_actions_spec() -> DatasetSpec:
    def actions() -> Table:
        return COOPERATION_ACTIONS.table_read(
            "cooperation_actions.csv", schema_header(ACTIONS_SCHEMA)
        )

    def milestones() -> Table:
        return COOPERATION_ACTIONS.table_read(
            "cooperation_action_milestones.csv", schema_header(MILESTONES_SCHEMA)
        )

    folder = COOPERATION_ACTIONS.folder_path()
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
