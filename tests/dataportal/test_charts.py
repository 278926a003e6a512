"""The SVG charts: sensible axes, labels that fit, numbers in the page's format."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils.translation import override

from concertem.common.charts import Bar, Series, axis_ticks, bar_chart_svg, line_chart_svg, text_fit


def _ticks(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end" font-size="11">([^<]+)</text>', svg)


def test_a_count_axis_never_goes_below_zero():
    """A population from 382 to 47,629: the axis starts at 0, not at "-382"."""
    series = [Series(label="Vic", points=[(2015, 382), (2022, 47629)])]
    with override("ca"):
        svg = line_chart_svg(series=series, title="Population", description="", places=0)
    ticks = _ticks(svg)
    assert ticks[0] == "0"
    assert not any(tick.startswith("-") for tick in ticks)
    assert "47.629" in svg  # the point's tooltip, in the Catalan format


def test_axis_ticks_are_round_and_cover_the_data():
    ticks, places = axis_ticks(10.2, 14.9, floor_zero=True)
    assert ticks[0] <= 10.2 and ticks[-1] >= 14.9 and places == 0
    assert all(tick == int(tick) for tick in ticks)
    ticks, places = axis_ticks(0.12, 0.37, floor_zero=True)
    assert places == 1 and ticks[0] == 0.1
    ticks, _ = axis_ticks(-5, 5)
    assert ticks[0] < 0  # values that may be negative keep their negative side


@pytest.mark.parametrize(("language", "text"), [("ca", "815.508,76\u00a0€"), ("en", "€815,508.76")])
def test_bar_values_show_the_cents_in_the_page_language(language, text):
    bars = [Bar(label="Income", value=Decimal("815508.76")), Bar(label="Minimum", value=100)]
    with override(language):
        svg = bar_chart_svg(bars=bars, title="t", description="d", unit="€", places=2)
    assert f">{text}</text>" in svg


def test_long_labels_are_cut_to_fit_inside_the_picture():
    label = "Mean net income per person of the municipality (inverse, weighted by population)"
    svg = bar_chart_svg(bars=[Bar(label=label, value=5)], title="t", description="d")
    shown = re.search(r'text-anchor="end" font-size="13">([^<]+)</text>', svg)[1]
    label_x = float(re.search(r'<text x="([0-9.]+)" y="[0-9.]+" text-anchor="end"', svg)[1])
    # Right-aligned at label_x, the text must start at or after x=0: it fits.
    assert len(shown) * 13 * 0.56 <= label_x
    assert shown.endswith("…") and shown.startswith("Mean net income")
    assert f"<title>{label}: 5</title>" in svg  # the whole label stays in the tooltip


def test_text_fit_keeps_short_text_whole():
    assert text_fit("Vic", 100, 13) == "Vic"
    assert text_fit("a" * 50, 70, 10).endswith("…")


def test_a_negative_bar_carries_its_value_on_its_left():
    bars = [Bar(label="Rounding", value=Decimal("-0.01")), Bar(label="Income", value=1000)]
    with override("ca"):
        svg = bar_chart_svg(bars=bars, title="t", description="d", unit="€", places=2)
    assert 'text-anchor="end" y=' in svg and "-0,01\u00a0€" in svg


def test_the_phone_chart_puts_labels_above_the_bars_at_a_readable_size():
    from concertem.common.charts import bar_chart_responsive

    label = "Renda per persona (menys renda, més diners)"
    bars = [Bar(label=label, value=Decimal("815508.76")), Bar(label="Mínim fix", value=100000)]
    with override("ca"):
        svg = bar_chart_responsive(bars=bars, title="t", description="d", unit="€", places=2)
    wide, narrow = svg.split("</svg>")[:2]
    assert "chart--wide" in wide and "chart--narrow" in narrow
    assert 'viewBox="0 0 360 ' in narrow  # drawn for a phone, not scaled down from 640
    assert f'<text x="4" y="21" font-size="13">{label}</text>' in narrow  # whole, above its bar
    assert "815.508,76\u00a0€" in narrow
