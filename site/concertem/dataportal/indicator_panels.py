"""One indicator's panel on the SDG goal page (the province) and on a profile (a municipality).

A panel has four views, chosen with ``?tab=`` so that they work without JavaScript: the
evolution (time-series chart and progress status), the breakdowns (sex, age group, any
declared dimension; categories as a distribution), the data table and the metadata.
Everything is read from ``IndicatorViews``, whose values are indexed once per data version.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from concertem.common.charts import (
    Bar,
    Series,
    bar_chart_responsive,
    line_chart_responsive,
    value_text,
)
from concertem.databank.selectors import databank_last_imports
from concertem.dataportal.category_charts import share_chart_responsive, step_chart_responsive
from concertem.dataportal.category_progress import (
    ordinal_trend_context,
    province_ordinal_trend_context,
)
from datasets.indicators.catalog_vocabulary import catalog_choices
from datasets.indicators.category_series import entity_category_points, province_category_years
from datasets.indicators.progress import STABLE_BAND_PERCENT, trend_assess
from datasets.indicators.values import TOTAL
from datasets.indicators.views import (
    BreakdownValue,
    IndicatorViews,
    breakdown_parts,
    category_rank,
    category_text,
    indicator_is_categorical,
    labels_text,
)
from datasets.number_display import number_format, percent_format
from datasets.versioning import LEDGER_PATH, VersionLedger

TABS = ("chart", "breakdowns", "table", "metadata")
TAB_LABELS = {
    "chart": gettext_lazy("Evolution"),
    "breakdowns": gettext_lazy("Breakdowns"),
    "table": gettext_lazy("Table"),
    "metadata": gettext_lazy("Metadata"),
}
TREND_LABELS = {
    "improving": gettext_lazy("Improving"),
    "worsening": gettext_lazy("Worsening"),
    "stable": gettext_lazy("Stable"),
    "increasing": gettext_lazy("Increasing"),
    "decreasing": gettext_lazy("Decreasing"),
    "insufficient_data": gettext_lazy("Not enough years to assess"),
}
DIMENSION_LABELS = {"sex": gettext_lazy("Sex"), "age_group": gettext_lazy("Age group")}
SEX_LABELS = {"female": gettext_lazy("Women"), "male": gettext_lazy("Men")}
PUBLISHED_DATASET = "territorial-indicators"


def tab_parse(text: str) -> str:
    """The requested view; anything else (a typo, an old link) shows the first one."""
    return text if text in TABS else TABS[0]


def tabs_list(selected: str) -> list[dict[str, Any]]:
    return [{"code": tab, "label": TAB_LABELS[tab], "current": tab == selected} for tab in TABS]


@lru_cache(maxsize=2)
def _release_cached(path: Path, _mtime: int) -> tuple[str, str] | None:
    history = VersionLedger(path).history(PUBLISHED_DATASET)
    return (history[0].version, history[0].date) if history else None


def indicators_release() -> tuple[str, str] | None:
    """(version, date) of the latest published release of the indicator values."""
    try:
        mtime = LEDGER_PATH.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    return _release_cached(LEDGER_PATH, mtime)


def _label(item: Any, language: str, fallback: str) -> str:
    return labels_text(getattr(item, "labels", None), language, fallback)


def category_label(indicator: Any, code: str, language: str) -> str:
    """A stored category as the page's language writes it (Catalan while the translation is
    pending; the stored text itself only when the catalogue declares no such category)."""
    return category_text(getattr(indicator, "categories", ()), code, language)


def category_order(indicator: Any, code: str) -> int:
    """Where a stored category sits in the declared order (an ordinal's scale)."""
    return category_rank(getattr(indicator, "categories", ()), code)


def dimension_label(indicator: Any, dimension: str, language: str) -> str:
    for declared in getattr(indicator, "dimensions", ()):
        if declared.code == dimension:
            return _label(declared, language, dimension)
    return str(DIMENSION_LABELS.get(dimension, dimension))


def dimension_value_label(indicator: Any, dimension: str, value: str, language: str) -> str:
    if dimension == "sex":
        return str(SEX_LABELS.get(value, value))
    if dimension == "age_group":
        return _("Aged %(range)s") % {"range": value}
    for declared in getattr(indicator, "dimensions", ()):
        if declared.code == dimension:
            return category_text(getattr(declared, "values", ()), value, language)
    return value


def _dimension_value_order(indicator: Any, dimension: str, value: str) -> int:
    for declared in getattr(indicator, "dimensions", ()):
        if declared.code == dimension:
            return category_rank(getattr(declared, "values", ()), value)
    return 0


def _parts_order(indicator: Any, parts: tuple[tuple[str, str], ...]) -> tuple:
    """Rows of a breakdown in the declared order of its values (then as stored)."""
    return tuple((_dimension_value_order(indicator, d, v), v) for d, v in parts)


def _breakdown_groups(
    indicator: Any, found: list[BreakdownValue], language: str
) -> list[dict[str, Any]]:
    """Breakdowns grouped by dimension (one table each); crossed keys go in their own group."""
    groups: dict[str, dict[str, Any]] = {}
    for item in sorted(found, key=lambda item: _parts_order(indicator, item.parts)):
        dimensions = tuple(dimension for dimension, _value in item.parts)
        key = ";".join(dimensions)
        group = groups.setdefault(
            key,
            {
                "label": " × ".join(dimension_label(indicator, d, language) for d in dimensions),
                "rows": [],
            },
        )
        group["rows"].append(
            {
                "label": ", ".join(
                    dimension_value_label(indicator, d, v, language) for d, v in item.parts
                ),
                "disaggregation": item.disaggregation,
                "value": item.value,
            }
        )
    return list(groups.values())


def _category_breakdowns(
    views: IndicatorViews, indicator: Any, province: str, language: str, entity_code: str = ""
) -> dict[str, Any] | None:
    """A categorical indicator by each declared dimension: per value of the dimension, how
    many municipalities of the province fall in each category (and, on a profile, the
    municipality's own category). Columns and rows keep the declared order."""
    year = views.breakdown_year(indicator.code, entity_code or None)
    keys = views.category_breakdown_keys(indicator.code, year) if year is not None else []
    if not keys:
        return None
    counted = {
        key: views.category_distribution(indicator.code, year, province, key) for key in keys
    }
    codes = [c.code for c in getattr(indicator, "categories", ())]
    for counts in counted.values():
        codes += [c.category for c in counts if c.category not in codes]
    groups: dict[str, dict[str, Any]] = {}
    for key in sorted(keys, key=lambda key: _parts_order(indicator, breakdown_parts(key))):
        parts = breakdown_parts(key)
        dimensions = tuple(dimension for dimension, _value in parts)
        group = groups.setdefault(
            ";".join(dimensions),
            {
                "label": " × ".join(dimension_label(indicator, d, language) for d in dimensions),
                "rows": [],
            },
        )
        by_code = {c.category: c.count for c in counted[key]}
        row: dict[str, Any] = {
            "label": ", ".join(dimension_value_label(indicator, d, v, language) for d, v in parts),
            "disaggregation": key,
            "counts": [by_code.get(code, 0) for code in codes],
        }
        if entity_code:
            value = views.entity_category(entity_code, indicator.code, year, key)
            row["category"] = category_label(indicator, value, language) if value else ""
        group["rows"].append(row)
    return {
        "year": year,
        "columns": [category_label(indicator, code, language) for code in codes],
        "groups": list(groups.values()),
    }


def trend_context(points: list[tuple[int, float | None]], indicator: Any) -> dict[str, Any]:
    trend = trend_assess(points, indicator.direction)
    return {
        "status": trend.status,
        "label": TREND_LABELS[trend.status],
        "first_year": trend.first_year,
        "last_year": trend.last_year,
        "first_value": trend.first_value,
        "last_value": trend.last_value,
        "change_percent": trend.change_percent,
        "band": STABLE_BAND_PERCENT,
        "judged": indicator.direction != "neutral",
    }


def choice_label(field: str, code: str, language: str) -> str:
    """A closed field's value as the catalogue's vocabulary writes it in ``language`` (the
    code itself only for a value the vocabulary does not know)."""
    labels = dict(catalog_choices(field, language if language in ("ca", "es", "en") else "ca"))
    return labels.get(code, code)


def metadata_context(
    indicator: Any, language: str, views: IndicatorViews | None = None
) -> dict[str, Any]:
    """The metadata view's facts; ``views`` given (the metadata tab is open), also the last
    import the indicator's values come from."""
    release = indicators_release()
    levels = getattr(indicator, "territorial_levels", ()) or (
        getattr(indicator, "territorial_level", "") or "",
    )
    return {
        "definition": indicator.definitions[language],
        "method": indicator.methods[language],
        "source": indicator.source,
        "source_url": indicator.source_url,
        "licence": indicator.licence,
        "publisher_code": getattr(indicator, "publisher_code", "") or "",
        "periodicity": indicator.periodicity,
        "periodicity_label": choice_label("periodicity", indicator.periodicity, language),
        "direction_label": choice_label("direction", indicator.direction, language),
        "territorial_levels": [
            choice_label("territorial_level", level, language) for level in levels if level
        ],
        "targets": list(indicator.sdg_targets),
        "sdg_indicators": list(indicator.sdg_indicators),
        "unit": indicator.unit_label(language),
        "direction": indicator.direction,
        "release_version": release[0] if release else "",
        "release_date": release[1] if release else "",
        "last_import": databank_last_imports(views).get(indicator.code) if views else None,
    }


def _base(views: IndicatorViews, indicator: Any, language: str, tab: str) -> dict[str, Any]:
    return {
        "code": indicator.code,
        "name": indicator.name(language),
        "unit": indicator.unit_label(language),
        "decimals": indicator.decimals,
        "categorical": indicator_is_categorical(indicator),
        "tab": tab,
        "tabs": tabs_list(tab),
        "metadata": metadata_context(indicator, language, views if tab == "metadata" else None),
    }


def _distribution(views: IndicatorViews, indicator: Any, province: str, language: str):
    years = views.category_years(indicator.code)
    if not years:
        return None
    year = years[-1]
    counts = views.category_distribution(indicator.code, year, province)
    total = sum(c.count for c in counts) or 1
    rows = [
        {
            "code": c.category,
            "label": category_label(indicator, c.category, language),
            "count": c.count,
            "share": round(c.count / total * 100, 1),
        }
        for c in counts
    ]
    municipalities = _("municipalities")
    chart = bar_chart_responsive(
        bars=[Bar(label=row["label"], value=row["count"]) for row in rows],
        title=_("%(name)s, %(year)s: municipalities by category")
        % {"name": indicator.name(language), "year": year},
        description="; ".join(f"{row['label']}: {row['count']}" for row in rows),
        unit=municipalities,
        places=0,
    )
    return {"year": year, "rows": rows, "chart": chart}


def _category_years(
    views: IndicatorViews, indicator: Any, province: str, language: str
) -> dict[str, Any] | None:
    """The province's municipalities in each category, year by year: the table and, from two
    years on, its chart (a 100% bar per year), whose description reads every figure."""
    scale, years = province_category_years(views, indicator.code, province)
    if not years:
        return None
    labels = [category_label(indicator, code, language) for code in scale]
    words = []
    for item in years:
        counts = ", ".join(
            f"{label} {number_format(count, 0, language)} ({percent_format(share, 0, language)})"
            for label, count, share in zip(labels, item.counts, item.shares(), strict=True)
        )
        words.append(
            ngettext(
                "%(year)s, %(total)s municipality: %(counts)s",
                "%(year)s, %(total)s municipalities: %(counts)s",
                item.total,
            )
            % {"year": item.year, "total": number_format(item.total, 0, language), "counts": counts}
        )
    chart = ""
    if len(years) >= 2:
        chart = share_chart_responsive(
            labels=labels,
            years=years,
            title=_(
                "%(name)s, %(first)s to %(last)s: municipalities of the province in each category"
            )
            % {"name": indicator.name(language), "first": years[0].year, "last": years[-1].year},
            description="; ".join(words),
        )
    return {
        "columns": labels,
        "rows": [{"year": i.year, "counts": i.counts, "total": i.total} for i in years],
        "chart": chart,
    }


def _category_steps(views: IndicatorViews, indicator: Any, entity: Any, language: str) -> str:
    """From two years on, the municipality's category per year on the ordinal scale."""
    scale, points = entity_category_points(views, entity.entity_code, indicator.code)
    if len(points) < 2:
        return ""
    labels = [category_label(indicator, code, language) for code in scale]
    return step_chart_responsive(
        labels=labels,
        points=points,
        title=_("%(name)s in %(place)s, %(first)s to %(last)s: its category year by year")
        % {
            "name": indicator.name(language),
            "place": entity.name,
            "first": points[0].year,
            "last": points[-1].year,
        },
        description=_("Categories in order: %(scale)s. %(years)s")
        % {
            "scale": ", ".join(labels),
            "years": "; ".join(f"{p.year}: {labels[p.position]}" for p in points),
        },
    )


def province_panel(
    views: IndicatorViews, indicator: Any, province: str, language: str, tab: str
) -> dict[str, Any]:
    """The panel for the province: the median of its municipalities, year by year."""
    panel = _base(views, indicator, language, tab)
    if panel["categorical"]:
        panel["category_years"] = _category_years(views, indicator, province, language)
        scale, years = province_category_years(views, indicator.code, province)
        panel["category_trend"] = province_ordinal_trend_context(
            indicator,
            [category_label(indicator, c, language) for c in scale],
            years,
            TREND_LABELS,
            language,
        )
        panel["distribution"] = _distribution(views, indicator, province, language)
        panel["category_breakdowns"] = _category_breakdowns(views, indicator, province, language)
        return panel
    points = views.province_series(indicator.code, province)
    panel["series"] = points
    panel["trend"] = trend_context([(p.year, p.median) for p in points], indicator)
    if len(points) >= 2:
        panel["chart"] = line_chart_responsive(
            series=[
                Series(label=_("Province median"), points=[(p.year, p.median) for p in points])
            ],
            title=_("%(name)s: province median, %(first)s to %(last)s")
            % {"name": panel["name"], "first": points[0].year, "last": points[-1].year},
            description="; ".join(
                f"{p.year}: {value_text(p.median, indicator.decimals, panel['unit'])}"
                for p in points
            ),
            unit=panel["unit"],
            places=indicator.decimals,
        )
    year = views.breakdown_year(indicator.code)
    if year is not None:
        panel["breakdowns"] = {
            "year": year,
            "groups": _breakdown_groups(
                indicator, views.province_breakdowns(indicator.code, province, year), language
            ),
        }
    return panel


def entity_panel(
    views: IndicatorViews, indicator: Any, entity: Any, language: str, tab: str
) -> dict[str, Any]:
    """The panel for one municipality, with the province median beside it."""
    panel = _base(views, indicator, language, tab)
    code = entity.entity_code
    if panel["categorical"]:
        panel["category_series"] = [
            {"year": year, "code": value, "label": category_label(indicator, value, language)}
            for year, value in views.category_series(code, indicator.code)
        ]
        panel["category_chart"] = _category_steps(views, indicator, entity, language)
        scale, points = entity_category_points(views, code, indicator.code)
        panel["category_trend"] = ordinal_trend_context(
            indicator,
            [category_label(indicator, c, language) for c in scale],
            points,
            TREND_LABELS,
            language,
        )
        panel["distribution"] = _distribution(views, indicator, entity.province_code, language)
        panel["category_breakdowns"] = _category_breakdowns(
            views, indicator, entity.province_code, language, code
        )
        return panel
    points = views.series(code, indicator.code)
    panel["series"] = points
    panel["trend"] = trend_context([(p.year, p.value) for p in points], indicator)
    if len(points) >= 2:
        panel["chart"] = line_chart_responsive(
            series=[
                Series(
                    label=entity.name,
                    points=[(p.year, p.value) for p in points if p.value is not None],
                ),
                Series(
                    label=_("Province median"),
                    points=[(p.year, p.median) for p in points if p.median is not None],
                ),
            ],
            title=panel["name"],
            description=_("%(name)s from %(first)s to %(last)s, with the province median")
            % {"name": panel["name"], "first": points[0].year, "last": points[-1].year},
            unit=panel["unit"],
            places=indicator.decimals,
        )
    year = views.breakdown_year(indicator.code, code)
    if year is not None:
        medians = {
            item.disaggregation: item.value
            for item in views.province_breakdowns(indicator.code, entity.province_code, year)
        }
        groups = _breakdown_groups(
            indicator, views.entity_breakdowns(code, indicator.code, year), language
        )
        for group in groups:
            for row in group["rows"]:
                row["median"] = medians.get(row["disaggregation"])
        panel["breakdowns"] = {"year": year, "groups": groups}
    panel["total"] = TOTAL
    return panel
