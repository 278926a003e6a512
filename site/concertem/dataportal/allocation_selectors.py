"""Reads for the allocation explorer: a formula's table, one entity's calculation and the
comparison of two versions (or of a draft with its base).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from concertem.common.charts import Bar, bar_chart_responsive, value_text
from concertem.common.params import page_number_parse
from concertem.dataportal import portal_data
from concertem.dataportal.entity_search import entity_match_rank
from concertem.dataportal.formula_drafts import draft_preview
from datasets.allocation.compute import STATUS_EXCLUDED
from datasets.allocation.tables import contribution_field
from datasets.errors import DatasetError

SORTS = {
    "rank": lambda row: (row["rank"] is None, row["rank"] or 0, row["name"]),
    "name": lambda row: slugify(row["name"]),
    "amount": lambda row: -row["amount"],
    "per_capita": lambda row: -(row["per_capita"] or Decimal(0)),
    "population": lambda row: -(row["population"] or 0),
}


def allocation_contributions(formula, published: dict[str, Any]) -> list[dict[str, Any]]:
    """The parts of an amount exactly as allocations.csv publishes them, in order.

    Each part is rounded to the cent in the file, and the file's rounding column makes the
    row add up, so the rows shown always add up to the total shown (the rounding row is
    shown whenever it is not zero).
    """
    language = get_language() or "ca"
    items = []
    if published["fixed_eur"]:
        items.append(
            {"title": _("Fixed amount"), "amount": published["fixed_eur"], "field": "fixed_eur"}
        )
    items.append(
        {"title": _("Fixed minimum"), "amount": published["minimum_eur"], "field": "minimum_eur"}
    )
    for criterion in formula.criteria:
        field = contribution_field(criterion.id)
        items.append(
            {
                "title": criterion.title_in(language),
                "amount": published[field],
                "criterion": criterion,
                "field": field,
            }
        )
    for field, title in (
        ("adjustment_eur", _("Adjustment (caps and floors)")),
        ("rounding_eur", _("Rounding to the cent")),
    ):
        if published[field]:
            items.append({"title": title, "amount": published[field], "field": field})
    return items


def _allocation_or_none(formula_id: str):
    try:
        return portal_data.allocation(formula_id)
    except (DatasetError, FileNotFoundError):
        return None


# The whole province fits on one page (311 rows); a formula over thousands of entities
# is paged so that a page stays light.
TABLE_PAGE_SIZE = 500


def allocation_overview_context(
    *, formula_id: str, query: str, sort: str, page: str = "1"
) -> dict[str, Any]:
    allocation = _allocation_or_none(formula_id)
    if allocation is None:
        return {"formula_error": formula_id}
    formula = allocation.formula
    query = query.strip()[:100]
    rows = []
    for row in allocation.result.rows:
        if entity_match_rank(row.entity, query) is None:
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
                # As allocations.csv publishes them (to the cent), not the exact shares.
                "contributions": _published_contributions(allocation, formula, row),
                "minimum": allocation.published[row.entity_code]["minimum_eur"],
                "published": allocation.published[row.entity_code],
            }
        )
    sort = sort if sort in SORTS else "rank"
    rows.sort(key=SORTS[sort])
    matched = len(rows)
    pages = max(1, -(-matched // TABLE_PAGE_SIZE))
    page_number = min(page_number_parse(page), pages)
    rows = rows[(page_number - 1) * TABLE_PAGE_SIZE : page_number * TABLE_PAGE_SIZE]
    map_values = {
        code: {"value": float(value) if value is not None else None}
        for code, value in allocation.per_capita.items()
        if allocation.by_code[code].status != STATUS_EXCLUDED
    }
    return {
        "formula": formula,
        "summary": allocation.summary,
        "rows": rows,
        "matched": matched,
        "page_number": page_number,
        "pages": pages,
        "page_range": range(1, pages + 1) if pages > 1 else (),
        "query": query,
        "sort": sort,
        "criteria": formula.criteria,
        "criteria_percent": [(c, c.weight * 100) for c in formula.criteria],
        "distributable": allocation.result.distributable_eur,
        "minimum_total": formula.minimum_eur * allocation.summary.count,
        "formula_text": Path(formula.path).read_text(encoding="utf-8"),
        "map_values": json.dumps(map_values),
        "other_formulas": [f for f in portal_data.formula_ids() if f != formula_id],
        "has_adjustment": any(row["adjustment_eur"] for row in allocation.published.values()),
    }


def _published_contributions(allocation, formula, row) -> list:
    published = allocation.published[row.entity_code]
    return [published[contribution_field(c.id)] for c in formula.criteria]


def allocation_entity_context(*, formula_id: str, code: str) -> dict[str, Any] | None:
    allocation = _allocation_or_none(formula_id)
    if allocation is None:
        return None
    row = allocation.by_code.get(code)
    if row is None:
        return None
    published = allocation.published[code]
    contributions = allocation_contributions(allocation.formula, published)
    titles = {
        criterion.id: criterion.title_in(get_language() or "ca")
        for criterion in allocation.formula.criteria
    }
    chart = bar_chart_responsive(
        bars=[
            Bar(
                label=str(item["title"]),
                value=item["amount"],
                source=f"allocation-{formula_id}|allocations|{formula_id},{code}|{item['field']}",
            )
            for item in contributions
        ],
        title=_("How the amount of %(name)s is made up") % {"name": row.entity.name},
        description="; ".join(
            f"{item['title']}: {value_text(item['amount'], 2, '€')}" for item in contributions
        ),
        unit="€",
        places=2,
    )
    return {
        "formula": allocation.formula,
        "row": row,
        "published": published,
        "entity": row.entity,
        "per_capita": allocation.per_capita.get(code),
        "count": allocation.summary.count,
        "contributions": contributions,
        "inputs": [
            {
                "title": titles.get(item.criterion_id, item.criterion_id),
                "input": item,
                "published": allocation.explained[(code, item.criterion_id)],
            }
            for item in row.inputs
        ],
        "extra_parts": [
            item for item in contributions if item["field"] in ("adjustment_eur", "rounding_eur")
        ],
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


def draft_compare_context(*, draft) -> dict[str, Any]:
    """A draft against its base formula, in the same shape as two shipped versions."""
    preview = draft_preview(draft)
    comparison = preview.comparison
    return {
        "base": portal_data.allocation(draft.base_formula).formula,
        "other": preview.formula,
        "other_label": draft.title,
        "draft": draft,
        "comparison": comparison,
        "winners": comparison.winners[:15],
        "losers": comparison.losers[:15],
        "winner_count": len(comparison.winners),
        "loser_count": len(comparison.losers),
        "rows": sorted(comparison.rows, key=lambda r: r.difference_eur),
    }
