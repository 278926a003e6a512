"""Reads for the indicator and SDG parts of the portal: a profile's indicators and the
Agenda 2030 dashboards.

The other portal reads live beside this module, one per feature area:
``entity_search``, ``entity_selectors``, ``allocation_selectors``, ``catalog_selectors``.
"""

from __future__ import annotations

import json
from statistics import median
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dataportal import portal_data


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


def entity_indicators_context(*, code: str) -> dict[str, Any]:
    """The profile's indicator table, a time-series chart and the 17-goal overview."""
    from common.charts import Series, line_chart_responsive
    from datasets.indicators.views import indicator_views_load

    language = get_language() or "ca"
    views = indicator_views_load()
    latest = [_indicator_row(item, language) for item in views.latest_all(code)]
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
                }
                for gi in goal.indicators
            ],
        }
        for goal in views.sdg_overview(code)
    ]
    charts = []
    for row in latest:
        points = views.series(code, row["code"])
        if len(points) < 2:
            continue
        own = Series(
            label=_("This municipality"),
            points=[(p.year, p.value) for p in points if p.value is not None],
        )
        median_series = Series(
            label=_("Province median"),
            points=[(p.year, p.median) for p in points if p.median is not None],
        )
        charts.append(
            {
                "name": row["name"],
                "code": row["code"],
                "decimals": row["decimals"],
                "unit": row["unit"],
                "points": points,
                "svg": line_chart_responsive(
                    series=[own, median_series],
                    title=row["name"],
                    description=_("%(name)s from %(first)s to %(last)s, with the province median")
                    % {"name": row["name"], "first": points[0].year, "last": points[-1].year},
                    unit=row["unit"],
                    places=row["decimals"],
                ),
            }
        )
    return {"indicators": latest, "sdg_overview": overview, "indicator_charts": charts[:3]}


def sdg_index_context() -> dict[str, Any]:
    from datasets.indicators.views import indicator_views_load

    language = get_language() or "ca"
    views = indicator_views_load()
    return {
        "goals": [
            {
                "number": goal.number,
                "name": goal.short_name(language),
                "long_name": goal.name(language),
                "indicators": views.catalog.of_goal(goal.number),
            }
            for goal in views.sdg.goals
        ]
    }


def sdg_goal_context(*, goal: int, indicator_code: str) -> dict[str, Any] | None:
    """One goal's dashboard: its targets and indicators; the chosen one on a map and a chart."""
    from common.charts import Bar, bar_chart_responsive, value_text
    from datasets.indicators.views import indicator_views_load

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
        "targets": [(t.code, t.name(language)) for t in views.sdg.targets_of_goal(goal)],
        "indicators": [(i.code, i.name(language)) for i in indicators],
        "selected": None,
    }
    if not indicators:
        return context
    indicator = next((i for i in indicators if i.code == indicator_code), indicators[0])
    territory = portal_data.territory()
    years = views.values.years(indicator.code)
    if not years:
        return context
    year = years[-1]
    by_entity = views.values.year_values(indicator.code, year)
    rows = sorted(
        (
            {"code": code, "name": territory.by_code[code].name, "value": obs.value}
            for code, obs in by_entity.items()
            if code in territory.by_code and obs.value is not None
        ),
        key=lambda row: -row["value"],
    )
    values = [row["value"] for row in rows]
    middle = median(values) if values else None
    extremes = rows[:8] + rows[-8:] if len(rows) > 16 else rows
    bars = [Bar(label=row["name"], value=row["value"]) for row in extremes]
    if middle is not None:
        bars.insert(
            len(extremes) // 2, Bar(label=_("Province median"), value=middle, highlight=True)
        )
    unit = indicator.unit_label(language)
    context["selected"] = {
        "code": indicator.code,
        "name": indicator.name(language),
        "definition": indicator.definitions[language],
        "method": indicator.methods[language],
        "decimals": indicator.decimals,
        "unit": unit,
        "year": year,
        "targets": [t for t in indicator.sdg_targets if t.startswith(f"{goal}.")],
        "rows": rows,
        "median": middle,
        "map_values": json.dumps({row["code"]: {"value": row["value"]} for row in rows}),
        "chart": bar_chart_responsive(
            bars=bars,
            title=_("%(name)s, %(year)s: highest and lowest municipalities")
            % {"name": indicator.name(language), "year": year},
            description="; ".join(
                f"{bar.label}: {value_text(bar.value, indicator.decimals, unit)}" for bar in bars
            ),
            unit=unit,
            places=indicator.decimals,
        ),
    }
    return context
