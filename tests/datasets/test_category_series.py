"""A categorical indicator over the years, as the charts read it: every year on one scale
(declared order, then undeclared values), an alias counted as its category, a municipality's
category as its place on the scale, and the colours spread as the map spreads them."""

from __future__ import annotations

from types import SimpleNamespace

from datasets.indicators.catalog import IndicatorCatalog
from datasets.indicators.category_series import (
    category_colour_index,
    entity_category_points,
    province_category_years,
)
from datasets.indicators.views import IndicatorViews
from datasets.sdg import sdg_framework_load
from tests.datasets.test_category_labels import SCALE

CODE = "fire_risk_level"


def _views(rows: list[tuple[str, str, str]]) -> IndicatorViews:
    indicator = SimpleNamespace(
        code=CODE, value_type="ordinal", categories=SCALE, sdg_targets=("13.1",)
    )
    catalog = IndicatorCatalog(indicators=(indicator,), _index={CODE: indicator})
    entities = [SimpleNamespace(entity_code=f"0800{i}", province_code="08") for i in range(1, 5)]
    entities.append(SimpleNamespace(entity_code="17001", province_code="17"))
    return IndicatorViews.from_rows(
        catalog=catalog,
        rows=[(CODE, entity, year, "_T", value, "final") for entity, year, value in rows],
        entities=entities,
        sdg=sdg_framework_load(),
    )


def test_every_year_on_one_scale_undeclared_values_last():
    views = _views(
        [
            ("08001", "2021", "risk_high"),
            ("08002", "2021", "Mitjana"),  # an alias: counts as risk_medium
            ("08001", "2022", "risk_low"),
            ("08002", "2022", "very high"),  # undeclared: after the declared ones
            ("08003", "2022", "risk_low"),
            ("17001", "2022", "risk_high"),  # another province: not counted
        ]
    )
    scale, years = province_category_years(views, CODE, "08")
    assert scale == ["risk_low", "risk_medium", "risk_high", "very high"]
    assert [(y.year, y.counts, y.total) for y in years] == [
        (2021, (0, 1, 1, 0), 2),
        (2022, (2, 0, 0, 1), 3),
    ]
    assert [round(share) for share in years[1].shares()] == [67, 0, 0, 33]
    assert province_category_years(views, CODE, "25") == (scale[:3], [])


def test_a_municipality_s_category_is_its_place_on_the_scale():
    views = _views([("08001", "2021", "risk_high"), ("08001", "2022", "Mitjana")])
    scale, points = entity_category_points(views, "08001", CODE)
    assert scale == ["risk_low", "risk_medium", "risk_high"]
    assert [(p.year, p.code, p.position) for p in points] == [
        (2021, "risk_high", 2),
        (2022, "risk_medium", 1),
    ]


def test_colours_spread_over_the_palette_like_the_map():
    assert [category_colour_index(rank, 3, 7) for rank in range(3)] == [0, 3, 6]
    assert [category_colour_index(rank, 2, 7) for rank in range(2)] == [0, 6]
    assert category_colour_index(0, 1, 7) == 3
