"""Reads for the portal pages: each returns the context a template needs.

They work on the in-memory data of ``portal_data`` and touch the database only
for what lives there (debates); no selector issues a query per entity.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from statistics import median
from typing import Any

from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dataportal import portal_data
from datasets.allocation.compute import STATUS_EXCLUDED
from datasets.errors import DatasetError

SORTS = {
    "rank": lambda row: (row["rank"] is None, row["rank"] or 0, row["name"]),
    "name": lambda row: slugify(row["name"]),
    "amount": lambda row: -row["amount"],
    "per_capita": lambda row: -(row["per_capita"] or Decimal(0)),
    "population": lambda row: -(row["population"] or 0),
}


def _matches(name: str, query: str) -> bool:
    return not query or slugify(query) in slugify(name)


# ---- Entities ----


def entity_list_context(*, query: str, comarca: str) -> dict[str, Any]:
    territory = portal_data.territory()
    query = query.strip()[:100]
    entities = [
        e
        for e in territory.entities
        if _matches(e.name, query) and (not comarca or e.comarca == comarca)
    ]
    groups: dict[str, list] = {}
    for entity in sorted(entities, key=lambda e: slugify(e.name)):
        groups.setdefault(entity.comarca or _("Other"), []).append(entity)
    return {
        "query": query,
        "comarca": comarca,
        "comarques": territory.comarques,
        "groups": sorted(groups.items(), key=lambda item: slugify(item[0])),
        "count": len(entities),
        "total": len(territory.entities),
    }


def _variable_figure(table, variable: str, code: str) -> dict[str, Any] | None:
    years = table.years_of(variable)
    for year in reversed(years):
        value = table.value_get(variable=variable, year=year, entity_code=code)
        if value is not None:
            values = [v for v in table.series_get(variable=variable, year=year).values()]
            return {
                "variable": variable,
                "year": year,
                "value": value,
                "median": Decimal(str(median(values))) if values else None,
            }
    return None


def entity_profile_context(*, code: str, request: HttpRequest) -> dict[str, Any] | None:
    territory = portal_data.territory()
    entity = territory.by_code.get(code)
    if entity is None:
        return None
    variables = portal_data.profile_variables()
    figures = {
        name: figure
        for name in portal_data.PROFILE_VARIABLES
        if (figure := _variable_figure(variables, name, code)) is not None
    }
    density = (
        Decimal(entity.population) / Decimal(str(entity.surface_km2))
        if entity.population and entity.surface_km2
        else None
    )
    allocations = []
    for formula_id in portal_data.formula_ids():
        try:
            allocation = portal_data.allocation(formula_id)
        except DatasetError:
            continue  # an invalid draft formula file must not break every profile
        row = allocation.by_code.get(code)
        if row is None:
            continue
        allocations.append(
            {
                "formula": allocation.formula,
                "row": row,
                "per_capita": allocation.per_capita.get(code),
                "count": allocation.summary.count,
                "contributions": _contributions(allocation.formula, row),
            }
        )
    return {
        "entity": entity,
        "density": density,
        "figures": figures,
        "allocations": allocations,
        "neighbours": _neighbours(territory, entity),
        "language": get_language(),
    }


def _neighbours(territory, entity) -> list:
    """Other entities of the same comarca, for moving around the territory."""
    if not entity.comarca:
        return []
    return sorted(
        (e for e in territory.entities if e.comarca == entity.comarca and e is not entity),
        key=lambda e: slugify(e.name),
    )


def _contributions(formula, row) -> list[dict[str, Any]]:
    titles = {criterion.id: criterion for criterion in formula.criteria}
    items = [{"title": _("Fixed minimum"), "amount": row.minimum_eur, "criterion": None}]
    for criterion_id, amount in row.contributions.items():
        items.append(
            {
                "title": titles[criterion_id].title,
                "amount": amount,
                "criterion": titles[criterion_id],
            }
        )
    if row.adjustment_eur:
        items.append(
            {
                "title": _("Adjustment (caps and floors)"),
                "amount": row.adjustment_eur,
                "criterion": None,
            }
        )
    # Contributions are exact; the amount is rounded to the cent (largest remainder),
    # so a residual below a cent is shown rather than hidden.
    residual = row.amount_eur - sum((item["amount"] for item in items), Decimal(0))
    if residual.quantize(Decimal("0.01")):
        items.append({"title": _("Rounding to the cent"), "amount": residual, "criterion": None})
    return items


# ---- Allocation ----


def _allocation_or_none(formula_id: str):
    try:
        return portal_data.allocation(formula_id)
    except (DatasetError, FileNotFoundError):
        return None


def allocation_overview_context(*, formula_id: str, query: str, sort: str) -> dict[str, Any]:
    allocation = _allocation_or_none(formula_id)
    if allocation is None:
        return {"formula_error": formula_id}
    formula = allocation.formula
    query = query.strip()[:100]
    rows = []
    for row in allocation.result.rows:
        if not _matches(row.entity.name, query):
            continue
        rows.append(
            {
                "code": row.entity_code,
                "name": row.entity.name,
                "comarca": row.entity.comarca,
                "population": row.entity.population,
                "amount": row.amount_eur,
                "per_capita": allocation.per_capita.get(row.entity_code),
                "rank": row.rank,
                "excluded": row.status == STATUS_EXCLUDED,
                "contributions": [row.contributions.get(c.id) for c in formula.criteria],
                "minimum": row.minimum_eur,
            }
        )
    sort = sort if sort in SORTS else "rank"
    rows.sort(key=SORTS[sort])
    map_values = {
        code: {"value": float(value) if value is not None else None}
        for code, value in allocation.per_capita.items()
        if allocation.by_code[code].status != STATUS_EXCLUDED
    }
    return {
        "formula": formula,
        "summary": allocation.summary,
        "rows": rows,
        "query": query,
        "sort": sort,
        "criteria": formula.criteria,
        "criteria_percent": [(c, c.weight * 100) for c in formula.criteria],
        "distributable": allocation.result.distributable_eur,
        "minimum_total": formula.minimum_eur * allocation.summary.count,
        "formula_text": Path(formula.path).read_text(encoding="utf-8"),
        "map_values": json.dumps(map_values),
        "other_formulas": [f for f in portal_data.formula_ids() if f != formula_id],
    }


def allocation_entity_context(*, formula_id: str, code: str) -> dict[str, Any] | None:
    allocation = _allocation_or_none(formula_id)
    if allocation is None:
        return None
    row = allocation.by_code.get(code)
    if row is None:
        return None
    from dataportal.charts import Bar, bar_chart_svg

    contributions = _contributions(allocation.formula, row)
    chart = bar_chart_svg(
        bars=[Bar(label=str(item["title"]), value=float(item["amount"])) for item in contributions],
        title=_("How the amount of %(name)s is made up") % {"name": row.entity.name},
        description="; ".join(f"{item['title']}: {item['amount']} €" for item in contributions),
        unit="€",
    )
    return {
        "formula": allocation.formula,
        "row": row,
        "entity": row.entity,
        "per_capita": allocation.per_capita.get(code),
        "count": allocation.summary.count,
        "contributions": contributions,
        "inputs": row.inputs,
        "chart": chart,
        "excluded": row.status == STATUS_EXCLUDED,
    }


def allocation_compare_context(*, base_id: str, other_id: str) -> dict[str, Any] | None:
    if other_id not in portal_data.formula_ids() or other_id == base_id:
        return None
    base = _allocation_or_none(base_id)
    other = _allocation_or_none(other_id)
    if base is None or other is None:
        return None
    comparison = portal_data.allocation_comparison(base_id, other_id)
    return {
        "base": base.formula,
        "other": other.formula,
        "comparison": comparison,
        "winners": comparison.winners[:15],
        "losers": comparison.losers[:15],
        "winner_count": len(comparison.winners),
        "loser_count": len(comparison.losers),
        "rows": sorted(comparison.rows, key=lambda r: r.difference_eur),
    }
