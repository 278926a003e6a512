"""The per-indicator views of the SDG pages: province series, breakdowns, categories, trend."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from datasets.indicators.catalog import Indicator, IndicatorCatalog
from datasets.indicators.progress import STABLE_BAND_PERCENT, trend_assess
from datasets.indicators.views import IndicatorViews, breakdown_parts, indicator_views_load
from datasets.sdg import sdg_framework_load

TEXTS = {"ca": "x", "es": "x", "en": "x"}


def _numeric(code: str, direction: str = "higher_is_better") -> Indicator:
    return Indicator(
        code=code,
        names=TEXTS,
        definitions=TEXTS,
        methods=TEXTS,
        unit="percent",
        direction=direction,
        sdg_targets=("4.4",),
        disaggregations=("sex",),
    )


# A categorical indicator as the importer's catalogue declares it (value_type, categories).
LEVEL = SimpleNamespace(
    code="risk_level",
    names=TEXTS,
    direction="lower_is_better",
    value_type="ordinal",
    categories=(
        SimpleNamespace(code="low"),
        SimpleNamespace(code="medium"),
        SimpleNamespace(code="high"),
    ),
    sdg_targets=("13.1",),
    sdg_goals=(13,),
)


def _views() -> IndicatorViews:
    indicators = (_numeric("attainment"), LEVEL)
    catalog = IndicatorCatalog(indicators=indicators, _index={i.code: i for i in indicators})
    entities = [
        SimpleNamespace(entity_code=code, province_code=province)
        for code, province in (("08001", "08"), ("08002", "08"), ("08003", "08"), ("17001", "17"))
    ]
    rows = [
        ("attainment", "08001", "2019", "_T", "10", "final"),
        ("attainment", "08002", "2019", "_T", "20", "final"),
        ("attainment", "08003", "2019", "_T", "40", "final"),
        ("attainment", "17001", "2019", "_T", "99", "final"),
        ("attainment", "08001", "2021", "_T", "12", "final"),
        ("attainment", "08002", "2021", "_T", "", "confidential"),
        ("attainment", "08001", "2021", "sex=female", "14", "final"),
        ("attainment", "08001", "2021", "sex=male", "10", "final"),
        ("attainment", "08002", "2021", "sex=female", "30", "final"),
        ("risk_level", "08001", "2020", "_T", "low", "final"),
        ("risk_level", "08001", "2022", "_T", "high", "final"),
        ("risk_level", "08002", "2022", "_T", "high", "final"),
        ("risk_level", "08003", "2022", "_T", "odd", "final"),
        ("risk_level", "17001", "2022", "_T", "low", "final"),
    ]
    return IndicatorViews.from_rows(
        catalog=catalog, rows=rows, entities=entities, sdg=sdg_framework_load()
    )


def test_province_series_is_the_median_of_its_municipalities_with_the_count():
    views = _views()
    points = views.province_series("attainment", "08")
    assert [(p.year, p.median, p.reporting) for p in points] == [(2019, 20, 3), (2021, 12, 1)]


def test_breakdowns_of_a_municipality_and_of_the_province():
    views = _views()
    assert views.breakdown_keys("attainment") == ["sex=female", "sex=male"]
    assert views.breakdown_year("attainment", "08001") == 2021
    assert views.breakdown_year("attainment", "08003") is None
    mine = views.entity_breakdowns("08001", "attainment", 2021)
    assert [(b.parts, b.value) for b in mine] == [
        ((("sex", "female"),), 14.0),
        ((("sex", "male"),), 10.0),
    ]
    province = views.province_breakdowns("attainment", "08", 2021)
    assert [(b.disaggregation, b.value) for b in province] == [("sex=female", 22), ("sex=male", 10)]


def test_breakdown_parts_reads_any_declared_dimension():
    assert breakdown_parts("_T") == ()
    assert breakdown_parts("age_group=65+;sex=female") == (("age_group", "65+"), ("sex", "female"))
    assert breakdown_parts("energy_source=solar") == (("energy_source", "solar"),)


def test_categorical_values_are_categories_not_numbers():
    views = _views()
    assert views.values.years("risk_level") == []  # never parsed as a number
    assert views.category_series("08001", "risk_level") == [(2020, "low"), (2022, "high")]
    assert views.category_years("risk_level") == [2020, 2022]
    distribution = views.category_distribution("risk_level", 2022, "08")
    # declared order first (an empty category still listed), undeclared codes after
    assert [(c.category, c.count) for c in distribution] == [
        ("low", 0),
        ("medium", 0),
        ("high", 2),
        ("odd", 1),
    ]
    assert views.latest("08001", LEVEL) is None  # no rank or median for a category


@pytest.mark.parametrize(
    ("direction", "points", "status"),
    [
        ("higher_is_better", [(2015, 10.0), (2020, 12.0)], "improving"),
        ("higher_is_better", [(2015, 10.0), (2020, 8.0)], "worsening"),
        ("lower_is_better", [(2015, 10.0), (2020, 8.0)], "improving"),
        ("lower_is_better", [(2020, 12.0), (2015, 10.0)], "worsening"),  # order of input
        ("neutral", [(2015, 10.0), (2020, 12.0)], "increasing"),
        ("neutral", [(2015, 10.0), (2020, 8.0)], "decreasing"),
        ("higher_is_better", [(2015, 100.0), (2018, 50.0), (2020, 100.5)], "stable"),
        ("higher_is_better", [(2015, 0.0), (2020, 0.0)], "stable"),
        ("higher_is_better", [(2015, 0.0), (2020, 3.0)], "improving"),
        ("higher_is_better", [(2015, 10.0), (2020, None)], "insufficient_data"),
        ("higher_is_better", [(2020, 10.0)], "insufficient_data"),
    ],
)
def test_trend_is_direction_aware_between_first_and_last_year(direction, points, status):
    assert trend_assess(points, direction).status == status


def test_trend_reports_the_change_it_judged():
    trend = trend_assess([(2015, 20.0), (2017, None), (2022, 25.0)], "lower_is_better")
    assert (trend.first_year, trend.last_year, trend.change, trend.change_percent) == (
        2015,
        2022,
        5.0,
        25.0,
    )
    just_inside = trend_assess([(1, 100.0), (2, 100 + STABLE_BAND_PERCENT * 0.99)], "neutral")
    assert just_inside.status == "stable"


def test_the_real_tables_index_once_and_cover_new_goals():
    views = indicator_views_load()
    assert views is indicator_views_load()  # cached per file version
    goals = {goal for indicator in views.catalog for goal in indicator.sdg_goals}
    assert {4, 17} <= goals
    points = views.province_series("gross_income_per_person", "08")
    assert len(points) >= 8 and all(p.reporting >= 300 for p in points)
