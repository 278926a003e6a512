"""The catalogue's codes as published tables: what a category or a breakdown value means.

An indicator's values table stores codes (``risk_high``, ``energy_source=solar``); an open-data
user who only has the Data Package needs their labels (ca/es/en) and, for an ordinal scale,
its declared order. These tables carry them, one row per declared code, in the catalogue's
order. ``indicator_values_split`` moves categorical observations out of the numeric values
table (whose ``value`` column is a number) into a table of their own, keyed to the categories.
"""

from __future__ import annotations

from collections.abc import Iterable

from datasets.indicators.catalog import IndicatorCatalog
from datasets.indicators.values import ValueRow
from datasets.indicators.views import category_find, indicator_is_categorical
from datasets.sdg import LANGUAGES

CATEGORIES_HEADER = (
    "indicator_code",
    "category_code",
    "position",
    *(f"label_{lang}" for lang in LANGUAGES),
)
DIMENSION_VALUES_HEADER = (
    "indicator_code",
    "dimension",
    "value_code",
    "position",
    *(f"dimension_label_{lang}" for lang in LANGUAGES),
    *(f"label_{lang}" for lang in LANGUAGES),
)
CATEGORY_VALUES_HEADER = (
    "indicator_code",
    "entity_code",
    "year",
    "disaggregation",
    "category_code",
    "status",
)


def _label(labels: dict[str, str], language: str, code: str) -> str:
    # The catalogue requires the three labels; a pending translation is exported with the
    # Catalan text in its place, so the Catalan label (then the code) is the fallback here too.
    return labels.get(language) or labels.get("ca") or code


def indicator_category_rows(catalog: IndicatorCatalog) -> list[tuple[object, ...]]:
    """One row per declared category: its position (1 = first; an ordinal's lowest) and labels."""
    return [
        (
            indicator.code,
            category.code,
            position,
            *(_label(category.labels, lang, category.code) for lang in LANGUAGES),
        )
        for indicator in catalog
        for position, category in enumerate(indicator.categories, start=1)
    ]


def indicator_dimension_value_rows(catalog: IndicatorCatalog) -> list[tuple[object, ...]]:
    """One row per value of each declared breakdown dimension, with the dimension's labels."""
    return [
        (
            indicator.code,
            dimension.code,
            value.code,
            position,
            *(_label(dimension.labels, lang, dimension.code) for lang in LANGUAGES),
            *(_label(value.labels, lang, value.code) for lang in LANGUAGES),
        )
        for indicator in catalog
        for dimension in indicator.dimensions
        for position, value in enumerate(dimension.values, start=1)
    ]


def indicator_values_split(
    catalog: IndicatorCatalog, rows: Iterable[ValueRow]
) -> tuple[list[ValueRow], list[ValueRow]]:
    """(numeric rows, category rows) of the values table.

    A categorical or ordinal indicator's stored value is a category: its row goes to the
    category table, with the declared code (a value stored as an alias or label is written as
    the code it means, as the site reads it). A value no category declares is kept as stored,
    so validation names its row instead of the package hiding it. A categorical row with no
    value (withheld, ``confidential``) stays in the numeric table, where an empty value means
    exactly that.
    """
    numeric: list[ValueRow] = []
    categorical: list[ValueRow] = []
    indicators = {indicator.code: indicator for indicator in catalog}
    for row in rows:
        indicator = indicators.get(row[0])
        if indicator is None or not indicator_is_categorical(indicator) or not row[4]:
            numeric.append(row)
            continue
        found = category_find(indicator.categories, row[4])
        code = found.code if found is not None else row[4]
        categorical.append((row[0], row[1], row[2], row[3], code, row[5]))
    return numeric, categorical
