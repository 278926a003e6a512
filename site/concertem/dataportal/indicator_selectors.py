"""Reads for the indicator and SDG pages: the profile's indicator blocks, the SDG index and goals.

They work on ``IndicatorViews`` (datasets/indicators/views.py), indexed once per data version.
"""

from __future__ import annotations

import json
from statistics import median
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from concertem.common.charts import Bar, bar_chart_responsive, value_text
from concertem.dataportal import portal_data
from concertem.dataportal.indicator_panels import (
    category_label,
    category_order,
    entity_panel,
    province_panel,
    tab_parse,
)
from datasets.indicators.values import TOTAL
from datasets.indicators.views import indicator_is_categorical

# ---- Indicators and SDGs ----


def _indicator_row(item, language: str) -> dict[str, Any]:
    indicator = item.indicator
    return {
        "code": indicator.code,
        "name": indicator.name(language),
        "unit": indicator.unit_label(language),
        "decimals": indicator.decimals,
        "direction": indicator.direction,
        "year": item.year,
        "value": item.value,
        "status": item.status,
        "rank": item.rank,
        "peers": item.peers,
        "median": item.median,
        "goals": indicator.sdg_goals,
        "targets": indicator.sdg_targets,
    }


def _province_code() -> str:
    provinces = portal_data.portal_provinces()
    return provinces[0] if provinces else "08"


def _latest_category(views, code: str, indicator, language: str) -> dict[str, Any] | None:
    """A categorical indicator's latest category for one entity, as its label."""
    if not indicator_is_categorical(indicator):
        return None
    found = views.category_series(code, indicator.code)
    if not found:
        return None
    year, value = found[-1]
    return {"year": year, "label": category_label(indicator, value, language)}


def _category_rows(views, code: str, language: str) -> list[dict[str, Any]]:
    """The latest category of each categorical indicator, for the profile's table."""
    rows = []
    for indicator in views.catalog:
        latest = _latest_category(views, code, indicator, language)
        if latest is not None:
            rows.append(
                {
                    "code": indicator.code,
                    "name": indicator.name(language),
                    "unit": "",
                    "year": latest["year"],
                    "category": latest["label"],
                    "goals": indicator.sdg_goals,
                }
            )
    return rows


def entity_indicators_context(
    *, code: str, indicator_code: str = "", tab: str = ""
) -> dict[str, Any]:
    """The profile's indicator table, the chosen indicator's panel and the 17-goal overview."""
    from concertem.databank.selectors import databank_views as indicator_views_load

    language = get_language() or "ca"
    views = indicator_views_load()
    latest = [_indicator_row(item, language) for item in views.latest_all(code)]
    categories = _category_rows(views, code, language)
    overview = [
        {
            "number": goal.goal.number,
            "name": goal.goal.short_name(language),
            "indicators": [
                {
                    "code": gi.indicator.code,
                    "name": gi.indicator.name(language),
                    "targets": gi.targets,
                    "latest": gi.latest,
                    "category": _latest_category(views, code, gi.indicator, language),
                }
                for gi in goal.indicators
            ],
        }
        for goal in views.sdg_overview(code)
    ]
    shown = [row["code"] for row in latest + categories]
    panel = None
    if shown:
        chosen = indicator_code if indicator_code in shown else shown[0]
        entity = portal_data.territory().by_code.get(code)
        if entity is not None:
            panel = entity_panel(views, views.catalog.get(chosen), entity, language, tab_parse(tab))
    return {
        "indicators": latest,
        "category_indicators": categories,
        "sdg_overview": overview,
        "indicator_panel": panel,
    }


def _goals_with_data(views) -> set[int]:
    goals: set[int] = set()
    for indicator in views.catalog:
        if views.values.years(indicator.code) or views.category_years(indicator.code):
            goals.update(indicator.sdg_goals)
    return goals


def sdg_index_context() -> dict[str, Any]:
    from concertem.databank.selectors import databank_views as indicator_views_load

    language = get_language() or "ca"
    views = indicator_views_load()
    with_data = _goals_with_data(views)
    return {
        "goals": [
            {
                "number": goal.number,
                "name": goal.short_name(language),
                "long_name": goal.name(language),
                "indicators": views.catalog.of_goal(goal.number),
                "has_data": goal.number in with_data,
            }
            for goal in views.sdg.goals
        ],
        "goals_with_data": len(with_data),
        "goals_without_data": [g.number for g in views.sdg.goals if g.number not in with_data],
    }


def _latest_rows(views, indicator, year: int, language: str) -> list[dict[str, Any]]:
    """Every municipality of the portal's territory with its value (or category) in ``year``."""
    territory = portal_data.territory()
    if indicator_is_categorical(indicator):
        by_entity = views.categories.get((indicator.code, TOTAL), {}).get(year, {})
        rows = [
            {
                "code": code,
                "name": territory.by_code[code].name,
                "value": None,
                "category": category_label(indicator, value, language),
                "order": category_order(indicator, value),
            }
            for code, value in by_entity.items()
            if code in territory.by_code
        ]
        # the declared order (an ordinal's scale), not the alphabet of one language's labels
        return sorted(rows, key=lambda row: (row["order"], row["category"], row["name"]))
    by_entity = views.values.year_values(indicator.code, year)
    rows = [
        {"code": code, "name": territory.by_code[code].name, "value": obs.value}
        for code, obs in by_entity.items()
        if code in territory.by_code and obs.value is not None
    ]
    return sorted(rows, key=lambda row: -row["value"])


def _category_map(indicator, rows: list[dict[str, Any]], language: str) -> dict[str, Any]:
    """The map's data for a categorical indicator: each municipality's label and its place in
    the legend (the declared order, then any undeclared value the data holds)."""
    legend = [
        category_label(indicator, c.code, language) for c in getattr(indicator, "categories", ())
    ]
    legend += sorted({row["category"] for row in rows} - set(legend))
    return {
        "map_categories": legend,
        "map_category_values": {
            row["code"]: {"category": row["category"], "rank": legend.index(row["category"])}
            for row in rows
        },
    }


def sdg_goal_context(*, goal: int, indicator_code: str, tab: str = "") -> dict[str, Any] | None:
    """One goal's dashboard: its targets and indicators; the chosen one's panel, map and chart."""
    from concertem.databank.selectors import databank_views as indicator_views_load

    language = get_language() or "ca"
    views = indicator_views_load()
    if goal not in {g.number for g in views.sdg.goals}:
        return None
    sdg_goal = views.sdg.goal_get(goal)
    indicators = views.catalog.of_goal(goal)
    context: dict[str, Any] = {
        "goal": {
            "number": goal,
            "name": sdg_goal.short_name(language),
            "long_name": sdg_goal.name(language),
        },
        "targets": [
            {
                "code": t.code,
                "name": t.name(language),
                "indicators": [
                    (i.code, i.name(language)) for i in indicators if t.code in i.sdg_targets
                ],
            }
            for t in views.sdg.targets_of_goal(goal)
        ],
        "indicators": [(i.code, i.name(language)) for i in indicators],
        "selected": None,
    }
    if not indicators:
        return context
    indicator = next((i for i in indicators if i.code == indicator_code), indicators[0])
    categorical = indicator_is_categorical(indicator)
    years = (
        views.category_years(indicator.code) if categorical else views.values.years(indicator.code)
    )
    if not years:
        return context
    year = years[-1]
    province = _province_code()
    rows = _latest_rows(views, indicator, year, language)
    unit = indicator.unit_label(language)
    selected: dict[str, Any] = {
        "code": indicator.code,
        "name": indicator.name(language),
        "definition": indicator.definitions[language],
        "decimals": indicator.decimals,
        "unit": unit,
        "year": year,
        "targets": [t for t in indicator.sdg_targets if t.startswith(f"{goal}.")],
        "rows": rows,
        "categorical": categorical,
        "panel": province_panel(views, indicator, province, language, tab_parse(tab)),
    }
    context["selected"] = selected
    if categorical:
        selected.update(_category_map(indicator, rows, language))
        return context
    values = [row["value"] for row in rows]
    middle = median(values) if values else None
    extremes = rows[:8] + rows[-8:] if len(rows) > 16 else rows
    bars = [Bar(label=row["name"], value=row["value"]) for row in extremes]
    if middle is not None:
        bars.insert(
            len(extremes) // 2, Bar(label=_("Province median"), value=middle, highlight=True)
        )
    selected["median"] = middle
    selected["map_values"] = json.dumps({row["code"]: {"value": row["value"]} for row in rows})
    selected["chart"] = bar_chart_responsive(
        bars=bars,
        title=_("%(name)s, %(year)s: highest and lowest municipalities")
        % {"name": indicator.name(language), "year": year},
        description="; ".join(
            f"{bar.label}: {value_text(bar.value, indicator.decimals, unit)}" for bar in bars
        ),
        unit=unit,
        places=indicator.decimals,
    )
    return context
