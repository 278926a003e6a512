"""Accessible charts drawn on the server as SVG.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that
states the data in words; templates always place a data table beside it, so the
numbers are readable without the picture. No JavaScript, so the strict CSP holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#b5121b", "#0b4f8a", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    highlight: bool = False
    note: str = ""


def _number(value: float) -> str:
    # Localised like every other number on the page (1.386.545 in Catalan).
    places = 0 if abs(value) >= 100 or value == int(value) else 2
    return number_format(round(value, places), decimal_pos=places, force_grouping=True)


def bar_chart_svg(
    *,
    bars: Sequence[Bar],
    title: str,
    description: str,
    unit: str = "",
    width: int = 640,
    bar_height: int = 22,
    label_width: int = 240,
) -> SafeString:
    """Horizontal bars, one per item, with the value printed at the end of each."""
    gap = 6
    top = 8
    height = top + len(bars) * (bar_height + gap) + 8
    values = [bar.value for bar in bars] or [0.0]
    low = min(0.0, *values)
    high = max(0.0, *values) or 1.0
    span = (high - low) or 1.0
    plot = width - label_width - 90
    zero_x = label_width + plot * (0 - low) / span
    parts = [
        f'<svg class="chart chart--bars" viewBox="0 0 {width} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>",
    ]
    for index, bar in enumerate(bars):
        y = top + index * (bar_height + gap)
        x0 = label_width + plot * (min(bar.value, 0) - low) / span
        x1 = label_width + plot * (max(bar.value, 0) - low) / span
        fill = PALETTE[0] if bar.highlight else "#6b7785"
        label = bar.label if len(bar.label) <= 34 else bar.label[:33] + "…"
        weight = ' font-weight="700"' if bar.highlight else ""
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.72:.1f}" text-anchor="end" '
            f'font-size="13"{weight}>{escape(label)}</text>'
            f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 1):.1f}" height="{bar_height}" '
            f'fill="{fill}"><title>{escape(bar.label)}: {escape(_number(bar.value))} '
            f"{escape(unit)}</title></rect>"
            f'<text x="{x1 + 6:.1f}" y="{y + bar_height * 0.72:.1f}" font-size="12"{weight}>'
            f"{escape(_number(bar.value))}</text>"
        )
    parts.append(
        f'<line x1="{zero_x:.1f}" x2="{zero_x:.1f}" y1="0" y2="{height}" stroke="#1b1f24" '
        f'stroke-width="1"/></svg>'
    )
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[int, float]]


def line_chart_svg(
    *,
    series: Sequence[Series],
    title: str,
    description: str,
    unit: str = "",
    width: int = 640,
    height: int = 260,
) -> SafeString:
    """Time series: one line per series, years on the x axis."""
    left, right, top, bottom = 70, 20, 16, 34
    points = [point for item in series for point in item.points]
    if not points:
        return mark_safe("")
    years = sorted({year for year, _ in points})
    values = [value for _, value in points]
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad
    x_span = (years[-1] - years[0]) or 1

    def x_of(year: int) -> float:
        return left + (width - left - right) * (year - years[0]) / x_span

    def y_of(value: float) -> float:
        return top + (height - top - bottom) * (1 - (value - low) / (high - low))

    parts = [
        f'<svg class="chart chart--lines" viewBox="0 0 {width} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>",
    ]
    for tick in range(5):
        value = low + (high - low) * tick / 4
        y = y_of(value)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d5db"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(_number(value))}</text>"
        )
    for year in years:
        parts.append(
            f'<text x="{x_of(year):.1f}" y="{height - 12}" text-anchor="middle" '
            f'font-size="11">{year}</text>'
        )
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        ordered = sorted(item.points)
        path = " ".join(f"{x_of(y):.1f},{y_of(v):.1f}" for y, v in ordered)
        dash = ' stroke-dasharray="6 4"' if index else ""
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>'
        )
        for year, value in ordered:
            parts.append(
                f'<circle cx="{x_of(year):.1f}" cy="{y_of(value):.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(item.label)} {year}: {escape(_number(value))} "
                f"{escape(unit)}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
