"""Reads for the data blocks of a debate page: indicators of chosen entities and an
allocation table. They never raise for missing data: a value the data module does not
have shows as "not available", and a data module that cannot be read shows a notice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from datasets.allocation.inputs import allocation_of_file
from datasets.allocation.tables import allocation_result_rows, contribution_field
from debates import data_labels, territory
from debates.models import (
    entity_codes_parse,
)

logger = logging.getLogger(__name__)


@dataclass
class DataTable:
    columns: list[str]
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)
    unavailable: str = ""
    source: str = ""


def indicator_table(*, variables: list[str], entity_codes: str, year: int | None) -> DataTable:
    codes = entity_codes_parse(entity_codes)
    catalog = territory.variables_catalog()
    known = territory.entities_by_code()
    if not catalog or not known:
        return DataTable(columns=[], rows=[], unavailable="data-missing")
    variables = [name for name in variables if name in catalog]
    values = territory.variable_values(tuple(variables), tuple(codes))
    columns = []
    years: dict[str, int | None] = {}
    notes = []
    for name in variables:
        available = sorted(y for (v, y) in values if v == name)
        chosen = year if year in available else (available[-1] if available else None)
        if year and chosen != year and chosen is not None:
            notes.append(f"{data_labels.variable_title(name, catalog[name].title)}: {chosen}")
        years[name] = chosen
        title = data_labels.variable_title(name, catalog[name].title)
        columns.append(f"{title} ({chosen})" if chosen else title)
    rows = []
    for code in codes:
        entity = known.get(code)
        row: list[Any] = [entity.name if entity else code]
        for name in variables:
            chosen = years[name]
            value = values.get((name, chosen), {}).get(code) if chosen else None
            row.append(value)
        rows.append(row)
    source = ", ".join(
        sorted({data_labels.source_name(catalog[name].source) for name in variables})
    )
    return DataTable(columns=columns, rows=rows, notes=notes, source=source)


def formulas_dir() -> Path:
    return Path(
        getattr(settings, "DEBATES_FORMULAS_DIR", settings.REPO_DIR / "datasets" / "formulas")
    )


def formula_names() -> list[str]:
    try:
        return sorted(path.stem for path in formulas_dir().glob("*.toml"))
    except OSError:
        return []


def allocation_table(*, formula: str, entity_codes: str) -> DataTable:
    codes = entity_codes_parse(entity_codes)
    path = formulas_dir() / f"{formula}.toml"
    if not formula or "/" in formula or not path.is_file():
        return DataTable(columns=[], rows=[], unavailable="formula-missing")
    try:
        result = allocation_of_file(path)
        criteria = list(result.formula.criteria)
    except Exception:  # a formula being edited or data mid-rebuild must not break the page
        logger.exception("debates: allocation %s could not be computed", formula)
        return DataTable(columns=[], rows=[], unavailable="allocation-failed")
    language = get_language() or settings.LANGUAGE_CODE
    # The amounts exactly as allocations.csv publishes them (to the cent), so a reader who
    # adds a row up gets its total: adjustment and rounding get a column when any shown
    # row has one.
    published = {row["entity_code"]: row for row in allocation_result_rows(result)}
    shown = [published[code] for code in codes if code in published]
    extras = [
        (column, label)
        for column, label in (
            ("adjustment_eur", _("Adjustment (caps and floors)")),
            ("rounding_eur", _("Rounding to the cent")),
        )
        if any(row[column] for row in shown)
    ]
    width = len(criteria) + len(extras)
    rows = []
    for code in codes:
        row = published.get(code)
        if row is None:
            rows.append([territory.entity_name(code), None, *[None] * width, None, None])
            continue
        rows.append(
            [
                row["name"],
                row["minimum_eur"],
                *[row[contribution_field(c.id)] for c in criteria],
                *[row[column] for column, _label in extras],
                row["amount_eur"],
                row["rank"],
            ]
        )
    return DataTable(
        columns=[c.title_in(language) for c in criteria] + [label for _c, label in extras],
        rows=rows,
        source=f"{result.formula.title_in(language)} · v{result.formula.version}",
        notes=[result.formula.description_in(language).strip()]
        if result.formula.description
        else [],
    )
