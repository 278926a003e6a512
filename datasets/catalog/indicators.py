"""The ``territorial-indicators`` dataset: the single indicator system, with its SDG links."""

from __future__ import annotations

from pathlib import Path

from datasets.catalog.blocks import text
from datasets.catalog.facts import (
    CC_BY_4_0,
    PROVINCE_CODE,
    SOURCE_CONCERTEM,
    SOURCE_INE_ATLAS,
    SOURCE_OPEN_SDG,
)
from datasets.catalog.paths import build_dir, reference_path, schema_path
from datasets.catalog.types import Check, DatasetSpec, ResourceSpec, Table, csv_table

# The data bank (indicator catalogue and values) lives in the site's database:
# `manage.py databank_export` (run by `export_open_data`) writes it to this folder of the
# build folder, in the reference files' format. Without that export (a checkout with no
# site) the committed reference files are read: they are the data bank's initial load.
INDICATOR_EXPORT_FOLDER = "indicators"
INDICATOR_EXPORT_COMMAND = "databank_export"


def indicator_export_paths() -> tuple[Path, Path]:
    """Where the site's export of the data bank is (the build cache keys on these)."""
    folder = build_dir() / INDICATOR_EXPORT_FOLDER
    return folder / "indicators.toml", folder / "indicator_values.csv"


def indicator_sources() -> tuple[Path, Path]:
    """(indicators.toml, indicator_values.csv) the dataset is built from."""
    catalog, values = indicator_export_paths()
    if catalog.is_file() and values.is_file():
        return catalog, values
    return reference_path("indicators.toml"), reference_path("indicator_values.csv")


def _indicators_table() -> Table:
    from datasets.indicators.catalog import (
        CATALOG_HEADER,
        indicator_catalog_load,
        indicator_catalog_rows,
    )

    catalog = indicator_catalog_load(path=indicator_sources()[0])
    return Table(header=CATALOG_HEADER, rows=indicator_catalog_rows(catalog))


def _indicator_targets_table() -> Table:
    from datasets.indicators.catalog import (
        TARGET_LINK_HEADER,
        indicator_catalog_load,
        indicator_target_rows,
    )

    catalog = indicator_catalog_load(path=indicator_sources()[0])
    return Table(header=TARGET_LINK_HEADER, rows=indicator_target_rows(catalog))


def _indicator_values_table() -> Table:
    from datasets.indicators.values import VALUES_HEADER, values_rows_read

    values = values_rows_read(path=indicator_sources()[1])
    rows = [row for row in values if row[1].startswith(PROVINCE_CODE)]
    return Table(header=VALUES_HEADER, rows=rows)


def _sdg_targets_table() -> Table:
    """The SDG targets table, for the foreign keys of indicator_sdg_targets."""
    return csv_table(reference_path("sdg_targets.csv"))


def indicators_spec() -> DatasetSpec:
    return DatasetSpec(
        name="territorial-indicators",
        title=text(
            "Sistema únic d'indicadors territorials i ODS",
            "Sistema único de indicadores territoriales y ODS",
            "Single territorial indicator system and SDGs",
        ),
        description=text(
            "El catàleg d'indicadors del territori (definició, mètode, unitat, font i metes "
            "ODS que segueix cada indicador) i els seus valors per municipi i any.",
            "El catálogo de indicadores del territorio (definición, método, unidad, fuente "
            "y metas ODS que sigue cada indicador) y sus valores por municipio y año.",
            "The territory's indicator catalogue (definition, method, unit, source and the "
            "SDG targets each indicator monitors) and its values per municipality and year.",
        ),
        keywords={
            "ca": ("indicadors", "ODS", "Agenda 2030", "municipis"),
            "es": ("indicadores", "ODS", "Agenda 2030", "municipios"),
            "en": ("indicators", "SDG", "2030 Agenda", "municipalities"),
        },
        licence=CC_BY_4_0,
        sources=(SOURCE_CONCERTEM, SOURCE_INE_ATLAS, SOURCE_OPEN_SDG),
        derived_from=("socioeconomic-variables", "sdg-framework"),
        temporal=("2015-01-01", "2022-12-31"),
        frequency="ANNUAL",
        themes=("SOCI", "ECON", "REGI"),
        resources=(
            ResourceSpec(
                name="indicators",
                path="data/indicators.csv",
                title=text(
                    "Catàleg d'indicadors", "Catálogo de indicadores", "Indicator catalogue"
                ),
                description=text(
                    "Un registre per indicador, amb els textos en ca/es/en.",
                    "Un registro por indicador, con los textos en ca/es/en.",
                    "One row per indicator, texts in ca/es/en.",
                ),
                table=_indicators_table,
                inputs=indicator_export_paths(),  # else reference tables under datasets/
                schema=schema_path("indicators"),
            ),
            ResourceSpec(
                name="indicator_sdg_targets",
                path="data/indicator_sdg_targets.csv",
                title=text(
                    "Indicadors i metes ODS",
                    "Indicadores y metas ODS",
                    "Indicators and SDG targets",
                ),
                description=text(
                    "Quines metes ODS segueix cada indicador (relació molts a molts).",
                    "Qué metas ODS sigue cada indicador (relación muchos a muchos).",
                    "Which SDG targets each indicator monitors (many-to-many).",
                ),
                table=_indicator_targets_table,
                inputs=indicator_export_paths(),  # else reference tables under datasets/
                schema=schema_path("indicator_sdg_targets"),
            ),
            ResourceSpec(
                name="sdg_targets",
                path="data/sdg_targets.csv",
                title=text("Metes ODS", "Metas ODS", "SDG targets"),
                description=text(
                    "Les metes ODS (referència de la taula anterior).",
                    "Las metas ODS (referencia de la tabla anterior).",
                    "The SDG targets (referenced by the table above).",
                ),
                table=_sdg_targets_table,
                inputs=(),  # reference tables under datasets/
                schema=schema_path("sdg_targets"),
            ),
            ResourceSpec(
                name="indicator_values",
                path="data/indicator_values.csv",
                title=text("Valors", "Valores", "Values"),
                description=text(
                    "Valor de cada indicador per municipi, any i desagregació.",
                    "Valor de cada indicador por municipio, año y desagregación.",
                    "Value of each indicator per municipality, year and disaggregation.",
                ),
                table=_indicator_values_table,
                inputs=indicator_export_paths(),  # else reference tables under datasets/
                schema=schema_path("indicator_values"),
            ),
        ),
        checks=(
            Check("indicator-code-exists", resource="indicator_values", field="indicator_code"),
            Check(
                "indicator-code-exists", resource="indicator_sdg_targets", field="indicator_code"
            ),
            Check("entity-code-exists", resource="indicator_values", field="entity_code"),
            Check("sdg-goal-range", resource="indicator_sdg_targets", field="goal"),
            Check("sdg-target-exists", resource="indicator_sdg_targets", field="target_code"),
        ),
    )
