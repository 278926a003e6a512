"""The progress status of an ordinal indicator: a municipality's place on the declared scale,
the province's share in the best category; none for a nominal indicator."""

from __future__ import annotations

import pytest

from datasets.indicators.progress import ordinal_trend_assess, province_ordinal_trend_assess


@pytest.mark.parametrize(
    ("points", "direction", "status"),
    [
        ([(2019, 2), (2023, 1)], "lower_is_better", "improving"),
        ([(2019, 1), (2023, 2)], "lower_is_better", "worsening"),
        ([(2019, 1), (2023, 2)], "higher_is_better", "improving"),
        ([(2019, 2), (2023, 0)], "higher_is_better", "worsening"),
        ([(2019, 1), (2021, 2), (2023, 1)], "lower_is_better", "stable"),
        ([(2019, 1), (2023, 2)], "neutral", "increasing"),
        ([(2019, 2), (2023, 1)], "neutral", "decreasing"),
        ([(2023, 0), (2019, 2)], "lower_is_better", "improving"),  # sorted by year
    ],
)
def test_municipality_place_on_the_scale(points, direction, status):
    trend = ordinal_trend_assess(points, direction, "ordinal")
    assert trend is not None and trend.status == status
    first, last = sorted(points)[0], sorted(points)[-1]
    assert (trend.first_year, trend.first_position) == first
    assert (trend.last_year, trend.last_position) == last


def test_one_year_is_insufficient():
    assert ordinal_trend_assess([(2023, 1)], "lower_is_better", "ordinal").status == (
        "insufficient_data"
    )
    assert ordinal_trend_assess([], "higher_is_better", "ordinal").status == "insufficient_data"
    one = province_ordinal_trend_assess([(2023, (1, 2, 0))], "lower_is_better", "ordinal")
    assert one.status == "insufficient_data"


def test_nominal_has_no_status():
    assert ordinal_trend_assess([(2019, 0), (2023, 2)], "neutral", "categorical") is None
    assert (
        province_ordinal_trend_assess(
            [(2019, (1, 0)), (2023, (0, 1))], "higher_is_better", "categorical"
        )
        is None
    )


@pytest.mark.parametrize(
    ("direction", "status", "end", "shares"),
    [
        # best = first category: 2 of 3 in it, then 2 of 5
        ("lower_is_better", "worsening", 0, (200 / 3, 40.0)),
        # best = last category: 0 of 3, then 2 of 5
        ("higher_is_better", "improving", 2, (0.0, 40.0)),
        ("neutral", "increasing", 2, (0.0, 40.0)),
    ],
)
def test_province_share_in_the_best_category(direction, status, end, shares):
    years = [(2022, (2, 1, 0)), (2023, (2, 1, 2)), (2021, (0, 0, 0))]  # no value in 2021
    trend = province_ordinal_trend_assess(years, direction, "ordinal")
    assert trend.status == status and trend.end_position == end
    assert (trend.first_year, trend.last_year) == (2022, 2023)
    assert trend.first_share == pytest.approx(shares[0])
    assert trend.last_share == pytest.approx(shares[1])


def test_province_small_change_is_stable():
    # 50% then 50.5% in the best category: under the 1-point band
    years = [(2019, (100, 100)), (2023, (101, 99))]
    assert province_ordinal_trend_assess(years, "lower_is_better", "ordinal").status == "stable"
    years = [(2019, (100, 100)), (2023, (104, 96))]
    assert province_ordinal_trend_assess(years, "lower_is_better", "ordinal").status == (
        "improving"
    )
