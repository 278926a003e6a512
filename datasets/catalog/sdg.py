"""The ``sdg`` dataset: the UN Agenda 2030 framework (goals, targets, indicators)."""

from __future__ import annotations

from datasets.catalog.blocks import Spatial, text
from datasets.catalog.facts import MIT, SOURCE_CONCERTEM, SOURCE_OPEN_SDG
from datasets.catalog.paths import reference_path, schema_path
from datasets.catalog.types import Check, DatasetSpec, ResourceSpec


def sdg_spec() -> DatasetSpec:
    return DatasetSpec(
        name="sdg-framework",
        title=text(
            "Marc global dels Objectius de Desenvolupament Sostenible (ODS)",
            "Marco global de los Objetivos de Desarrollo Sostenible (ODS)",
            "Global framework of the Sustainable Development Goals (SDGs)",
        ),
        description=text(
            "Els 17 objectius, 169 metes i els indicadors globals vigents de l'Agenda 2030 "
            "de les Nacions Unides, en català, castellà i anglès.",
            "Los 17 objetivos, 169 metas y los indicadores globales vigentes de la Agenda "
            "2030 de las Naciones Unidas, en catalán, castellano e inglés.",
            "The 17 goals, 169 targets and the current global indicators of the United "
            "Nations 2030 Agenda, in Catalan, Spanish and English.",
        ),
        keywords={
            "ca": ("ODS", "Agenda 2030", "indicadors", "metes"),
            "es": ("ODS", "Agenda 2030", "indicadores", "metas"),
            "en": ("SDG", "2030 Agenda", "indicators", "targets"),
        },
        licence=MIT,
        sources=(SOURCE_OPEN_SDG, SOURCE_CONCERTEM),
        temporal=("2015-09-25", "2030-12-31"),
        frequency="ANNUAL",
        themes=("SOCI", "ENVI", "INTR"),
        spatial=Spatial(
            uri="http://publications.europa.eu/resource/authority/continent/WORLD",
            label=text("Món", "Mundo", "World"),
        ),
        dataset_type="CODE_LIST",
        resources=(
            ResourceSpec(
                name="sdg_goals",
                path="data/sdg_goals.csv",
                title=text("Objectius", "Objetivos", "Goals"),
                description=text("Els 17 ODS.", "Los 17 ODS.", "The 17 SDGs."),
                file=reference_path("sdg_goals.csv"),
                schema=schema_path("sdg_goals"),
            ),
            ResourceSpec(
                name="sdg_targets",
                path="data/sdg_targets.csv",
                title=text("Metes", "Metas", "Targets"),
                description=text("Les 169 metes.", "Las 169 metas.", "The 169 targets."),
                file=reference_path("sdg_targets.csv"),
                schema=schema_path("sdg_targets"),
            ),
            ResourceSpec(
                name="sdg_indicators",
                path="data/sdg_indicators.csv",
                title=text("Indicadors globals", "Indicadores globales", "Global indicators"),
                description=text(
                    "Indicadors globals vigents (els retirats per l'ONU no hi són).",
                    "Indicadores globales vigentes (los retirados por la ONU no están).",
                    "Current global indicators (those retired by the UN are not listed).",
                ),
                file=reference_path("sdg_indicators.csv"),
                schema=schema_path("sdg_indicators"),
            ),
        ),
        checks=(
            Check("sdg-goal-range", resource="sdg_goals", field="goal"),
            Check("sdg-goal-range", resource="sdg_targets", field="goal"),
            Check("sdg-goal-range", resource="sdg_indicators", field="goal"),
        ),
    )
