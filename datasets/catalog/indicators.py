"""The ``territorial-indicators`` dataset: the single indicator system, with its SDG links."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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
if TYPE_CHECKING:
    from datasets.indicators.values import ValueRow

INDICATOR_EXPORT_FOLDER = "indicators"
# Breakdowns every indicator may use (their codes are the values schema's pattern); any other
# is declared by the indicator, with its labels (datasets.indicators.catalog).
BUILTIN = ("sex", "age_group")
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


def _values_split() -> tuple[list[ValueRow], list[ValueRow]]:
    """(numeric, categorical) value rows of the province, from the data bank's export."""
    from datasets.indicators.catalog import indicator_catalog_load
    from datasets.indicators.label_tables import indicator_values_split
    from datasets.indicators.values import values_rows_read

    catalog_path, values_path = indicator_sources()
    values = values_rows_read(path=values_path)
    rows = [row for row in values if row[1].startswith(PROVINCE_CODE)]
    return indicator_values_split(indicator_catalog_load(path=catalog_path), rows)


def _indicator_values_table() -> Table:
    from datasets.indicators.values import VALUES_HEADER

    return Table(header=VALUES_HEADER, rows=_values_split()[0])


def _indicator_category_values_table() -> Table:
    from datasets.indicators.label_tables import CATEGORY_VALUES_HEADER

    return Table(header=CATEGORY_VALUES_HEADER, rows=_values_split()[1])


def _indicator_categories_table() -> Table:
    from datasets.indicators.catalog import indicator_catalog_load
    from datasets.indicators.label_tables import CATEGORIES_HEADER, indicator_category_rows

    catalog = indicator_catalog_load(path=indicator_sources()[0])
    return Table(header=CATEGORIES_HEADER, rows=indicator_category_rows(catalog))


def _indicator_dimension_values_table() -> Table:
    from datasets.indicators.catalog import indicator_catalog_load
    from datasets.indicators.label_tables import (
        DIMENSION_VALUES_HEADER,
        indicator_dimension_value_rows,
    )

    catalog = indicator_catalog_load(path=indicator_sources()[0])
    return Table(header=DIMENSION_VALUES_HEADER, rows=indicator_dimension_value_rows(catalog))


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
            "ODS que segueix cada indicador) i els seus valors per municipi i any, amb les "
            "etiquetes en català, castellà i anglès i l'ordre declarat de cada categoria i de "
            "cada valor de desagregació que els valors escriuen com a codi.",
            "El catálogo de indicadores del territorio (definición, método, unidad, fuente "
            "y metas ODS que sigue cada indicador) y sus valores por municipio y año, con las "
            "etiquetas en catalán, castellano e inglés y el orden declarado de cada categoría "
            "y de cada valor de desagregación que los valores escriben como código.",
            "The territory's indicator catalogue (definition, method, unit, source and the "
            "SDG targets each indicator monitors) and its values per municipality and year, "
            "with the Catalan, Spanish and English labels and the declared order of every "
            "category and breakdown value the values write as a code.",
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
                    "Valor de cada indicador numèric per municipi, any i desagregació.",
                    "Valor de cada indicador numérico por municipio, año y desagregación.",
                    "Value of each numeric indicator per municipality, year and disaggregation.",
                ),
                table=_indicator_values_table,
                inputs=indicator_export_paths(),  # else reference tables under datasets/
                schema=schema_path("indicator_values"),
            ),
            ResourceSpec(
                name="indicator_categories",
                path="data/indicator_categories.csv",
                title=text(
                    "Categories dels indicadors",
                    "Categorías de los indicadores",
                    "Indicator categories",
                ),
                description=text(
                    "Les categories declarades de cada indicador categòric o ordinal: el codi "
                    "que desen els valors, la seva etiqueta en català, castellà i anglès i la "
                    "seva posició (en un indicador ordinal, l'escala de més baix a més alt).",
                    "Las categorías declaradas de cada indicador categórico u ordinal: el "
                    "código que guardan los valores, su etiqueta en catalán, castellano e "
                    "inglés y su posición (en un indicador ordinal, la escala de más bajo a "
                    "más alto).",
                    "The declared categories of each categorical or ordinal indicator: the "
                    "code the values store, its label in Catalan, Spanish and English, and its "
                    "position (for an ordinal indicator, the scale from lowest to highest).",
                ),
                table=_indicator_categories_table,
                inputs=indicator_export_paths(),  # else reference tables under datasets/
                schema=schema_path("indicator_categories"),
            ),
            ResourceSpec(
                name="indicator_category_values",
                path="data/indicator_category_values.csv",
                title=text(
                    "Valors categòrics",
                    "Valores categóricos",
                    "Categorical values",
                ),
                description=text(
                    "La categoria de cada indicador categòric o ordinal per municipi, any i "
                    "desagregació (el seu codi; l'etiqueta és a la taula de categories).",
                    "La categoría de cada indicador categórico u ordinal por municipio, año y "
                    "desagregación (su código; la etiqueta está en la tabla de categorías).",
                    "The category of each categorical or ordinal indicator per municipality, "
                    "year and disaggregation (its code; the label is in the categories table).",
                ),
                table=_indicator_category_values_table,
                inputs=indicator_export_paths(),  # else reference tables under datasets/
                schema=schema_path("indicator_category_values"),
            ),
            ResourceSpec(
                name="indicator_dimension_values",
                path="data/indicator_dimension_values.csv",
                title=text(
                    "Valors de les desagregacions",
                    "Valores de las desagregaciones",
                    "Breakdown dimension values",
                ),
                description=text(
                    "Els valors de cada dimensió de desagregació que declara un indicador "
                    "(p. ex. energy_source=solar): codi, etiquetes de la dimensió i del valor "
                    "en català, castellà i anglès, i l'ordre declarat.",
                    "Los valores de cada dimensión de desagregación que declara un indicador "
                    "(p. ej. energy_source=solar): código, etiquetas de la dimensión y del "
                    "valor en catalán, castellano e inglés, y el orden declarado.",
                    "The values of each breakdown dimension an indicator declares (e.g. "
                    "energy_source=solar): code, labels of the dimension and of the value in "
                    "Catalan, Spanish and English, and the declared order.",
                ),
                table=_indicator_dimension_values_table,
                inputs=indicator_export_paths(),  # else reference tables under datasets/
                schema=schema_path("indicator_dimension_values"),
            ),
        ),
        checks=(
            Check("indicator-code-exists", resource="indicator_values", field="indicator_code"),
            Check(
                "indicator-code-exists", resource="indicator_sdg_targets", field="indicator_code"
            ),
            Check("entity-code-exists", resource="indicator_values", field="entity_code"),
            Check("indicator-code-exists", resource="indicator_categories", field="indicator_code"),
            Check(
                "indicator-code-exists",
                resource="indicator_category_values",
                field="indicator_code",
            ),
            Check("entity-code-exists", resource="indicator_category_values", field="entity_code"),
            Check(
                "indicator-code-exists",
                resource="indicator_dimension_values",
                field="indicator_code",
            ),
            *(
                Check(
                    "breakdown-value-declared",
                    resource=values,
                    field="disaggregation",
                    params={"labels": "indicator_dimension_values", "builtin": BUILTIN},
                )
                for values in ("indicator_values", "indicator_category_values")
            ),
            Check("sdg-goal-range", resource="indicator_sdg_targets", field="goal"),
            Check("sdg-target-exists", resource="indicator_sdg_targets", field="target_code"),
        ),
    )
