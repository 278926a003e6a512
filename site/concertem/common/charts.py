"""Accessible charts computed on the server: no JavaScript, so the strict CSP holds.

Two forms, for two kinds of page:
- SVG drawn here as a string (``bar_chart_svg``, ``line_chart_svg`` and their responsive
  pairs): the portal's charts. Each is an ``<svg role="img">`` with a ``<title>`` and a
  ``<desc>`` that states the data in words.
- bar geometry that a template draws (``bar_chart_build``): the survey and cooperation
  charts, styled by CSS classes (no inline style).
Either way templates place a data table with the same figures beside the chart, which is
what screen readers and keyboard users get.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from datasets.number_display import euros_format, number_format

PALETTE = ("#b5121b", "#0b4f8a", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f")
# Average advance of a character of the site's sans-serif per pixel of font size: enough
# to keep labels inside the picture without measuring text (there is no browser here).
CHAR_EM = 0.56


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | Decimal
    highlight: bool = False
    note: str = ""
    # Where the figure is published ("dataset|resource|key|column"), so that a reader
    # (and the crawler test) can trace the bar's number back to its file.
    source: str = ""


def value_text(value: float | Decimal, places: int | None, unit: str = "") -> str:
    """A chart's figure in the page's language, by the site's one number rule."""
    if unit == "€":
        return euros_format(value, places, get_language())
    return number_format(value, places, get_language())


def text_fit(text: str, width: float, font_size: float) -> str:
    """The text, cut with an ellipsis at its end so that it fits ``width`` pixels."""
    fits = max(int(width / (font_size * CHAR_EM)), 4)
    return text if len(text) <= fits else text[: fits - 1].rstrip() + "…"


def text_width(text: str, font_size: float) -> float:
    return len(text) * font_size * CHAR_EM


def bar_chart_svg(
    *,
    bars: Sequence[Bar],
    title: str,
    description: str,
    unit: str = "",
    places: int | None = None,
    width: int = 640,
    bar_height: int = 22,
    stacked: bool = False,
    css_class: str = "",
) -> SafeString:
    """Horizontal bars, one per item, with the value printed at the end of each.

    ``places`` are the decimals of the figures (the dataset's; None keeps each value's
    own), so a bar says exactly what the table beside it says. ``stacked`` puts each
    label on its own line above its bar, for a narrow picture (a phone).
    """
    gap = 6
    top = 8
    label_size, value_size = 13, 12
    label_line = label_size + 6 if stacked else 0
    row_height = bar_height + gap + label_line
    height = top + len(bars) * row_height + 8
    values = [float(bar.value) for bar in bars] or [0.0]
    texts = [value_text(bar.value, places, unit) for bar in bars]
    # Room for the longest label (up to 40% of the picture) and the longest value.
    longest = max((text_width(bar.label, label_size) for bar in bars), default=0)
    label_width = 4 if stacked else min(max(longest + 16, 100), width * 0.4)
    value_room = max((text_width(text, value_size) for text in texts), default=0) + 12
    has_negative = min(values) < 0
    low = min(0.0, *values)
    high = max(0.0, *values) or 1.0
    span = (high - low) or 1.0
    # A negative bar carries its value on its left: keep room there too.
    plot_left = label_width + (value_room if has_negative else 0)
    plot = max(width - plot_left - value_room, 40)
    zero_x = plot_left + plot * (0 - low) / span
    parts = [
        f'<svg class="chart chart--bars {css_class}" viewBox="0 0 {width} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>",
    ]
    for index, (bar, value, text) in enumerate(zip(bars, values, texts, strict=True)):
        y = top + index * row_height + label_line
        x0 = plot_left + plot * (min(value, 0) - low) / span
        x1 = plot_left + plot * (max(value, 0) - low) / span
        fill = PALETTE[0] if bar.highlight else "#6b7785"
        label = text_fit(bar.label, label_width - 12, label_size)
        weight = ' font-weight="700"' if bar.highlight else ""
        baseline = y + bar_height * 0.72
        # A negative bar (a rounding of -0,01 €) carries its value on its left.
        value_at = f'x="{x0 - 6:.1f}" text-anchor="end"' if value < 0 else f'x="{x1 + 6:.1f}"'
        if bar.source:
            value_at += f' data-figure="{escape(bar.source)}"'
        if stacked:
            label = text_fit(bar.label, width - 8, label_size)
            label_at = f'x="4" y="{y - 6}"'
        else:
            label_at = f'x="{label_width - 8:.1f}" y="{baseline:.1f}" text-anchor="end"'
        parts.append(
            f'<text {label_at} font-size="{label_size}"{weight}>{escape(label)}</text>'
            f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 1):.1f}" height="{bar_height}" '
            f'fill="{fill}"><title>{escape(bar.label)}: {escape(text)}</title></rect>'
            f'<text {value_at} y="{baseline:.1f}" font-size="{value_size}"{weight}>'
            f"{escape(text)}</text>"
        )
    parts.append(
        f'<line x1="{zero_x:.1f}" x2="{zero_x:.1f}" y1="0" y2="{height}" stroke="#1b1f24" '
        f'stroke-width="1"/></svg>'
    )
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def bar_chart_responsive(**options) -> SafeString:
    """The bar chart twice: side labels for wide screens, stacked labels for phones.

    CSS shows one (``.chart--wide`` / ``.chart--narrow``); the other is display:none, so
    screen readers meet a single picture. Scaling one 640-wide picture down to a phone
    would shrink its text to 7 px.
    """
    wide = bar_chart_svg(**options, css_class="chart--wide")
    narrow = bar_chart_svg(**options, width=360, stacked=True, css_class="chart--narrow")
    return mark_safe(wide + narrow)  # noqa: S308 - both escaped by bar_chart_svg


def line_chart_responsive(**options) -> SafeString:
    """The line chart for wide screens and, drawn narrower, for phones (see above)."""
    wide = line_chart_svg(**options, css_class="chart--wide")
    if not wide:
        return wide
    narrow = line_chart_svg(**options, width=360, height=220, css_class="chart--narrow")
    return mark_safe(wide + narrow)  # noqa: S308 - both escaped by line_chart_svg


def axis_ticks(low: float, high: float, *, count: int = 4, floor_zero: bool = False):
    """Round tick values covering [low, high] (1, 2, 2.5 or 5 times a power of ten).

    ``floor_zero``: the data cannot be negative (a count, a rate), so the axis never
    goes below zero. Returns (ticks, decimals of the step).
    """
    if high == low:
        low, high = low - 1, high + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    if floor_zero:
        start = max(start, 0.0)
    stop = math.ceil(high / step) * step
    ticks = []
    tick = start
    while tick <= stop + step / 1000:
        ticks.append(round(tick, 10))
        tick += step
    exponent = Decimal(repr(round(step, 10))).normalize().as_tuple().exponent
    return ticks, max(0, -exponent) if isinstance(exponent, int) else 0


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[int, float | Decimal]]


def line_chart_svg(
    *,
    series: Sequence[Series],
    title: str,
    description: str,
    unit: str = "",
    places: int | None = None,
    width: int = 640,
    height: int = 260,
    css_class: str = "",
) -> SafeString:
    """Time series: one line per series, years on the x axis.

    The y axis has round ticks in the page's number format and, when every value is
    zero or more (populations, incomes, rates), never goes below zero.
    """
    left, right, top, bottom = 70, 20, 16, 34
    points = [point for item in series for point in item.points]
    if not points:
        return mark_safe("")
    years = sorted({year for year, _ in points})
    values = [float(value) for _, value in points]
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or abs(high) * 0.05 or 1.0
    ticks, tick_places = axis_ticks(low - pad, high + pad, floor_zero=low >= 0)
    low, high = ticks[0], ticks[-1]
    tick_texts = [number_format(tick, tick_places, get_language()) for tick in ticks]
    left = max(left, int(max(text_width(text, 11) for text in tick_texts)) + 14)
    x_span = (years[-1] - years[0]) or 1

    def x_of(year: int) -> float:
        return left + (width - left - right) * (year - years[0]) / x_span

    def y_of(value: float) -> float:
        return top + (height - top - bottom) * (1 - (float(value) - low) / (high - low))

    parts = [
        f'<svg class="chart chart--lines {css_class}" viewBox="0 0 {width} {height}" '
        f'role="img" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>",
    ]
    for tick, text in zip(ticks, tick_texts, strict=True):
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d5db"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(text)}</text>"
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
                f"<title>{escape(item.label)} {year}: {escape(value_text(value, places, unit))}"
                f"{'' if unit == '€' else ' ' + escape(unit)}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


# ---- Bar geometry for a template (surveys, cooperation) ----

LABEL_WIDTH = 200
BAR_AREA = 230
VALUE_WIDTH = 110
ROW_HEIGHT = 26
BAR_HEIGHT = 18
# A label is wrapped, never cut: up to LABEL_LINES lines of LABEL_CHARS characters (what
# fits LABEL_WIDTH at the chart's font size), each extra line making its row taller.
LABEL_CHARS = 28
LABEL_LINES = 4
LINE_HEIGHT = 14


@dataclass(frozen=True)
class ChartRow:
    label: str
    lines: tuple[str, ...]
    value_text: str
    y: int
    text_y: int
    width: float
    value_x: float


@dataclass(frozen=True)
class BarChart:
    title: str
    rows: list[ChartRow]
    width: int
    height: int
    label_width: int


def bar_chart_build(
    title: str,
    items: Sequence[tuple[str, Decimal | float | int, str]],
    *,
    maximum: Decimal | float | int | None = None,
) -> BarChart:
    """``items``: (label, value, value as text). Bars scale to ``maximum`` (default: largest)."""
    top = float(
        maximum if maximum is not None else max((float(v) for _l, v, _t in items), default=0)
    )
    rows = []
    y = 4
    for label, value, text in items:
        width = 0.0 if top <= 0 else round(BAR_AREA * float(value) / top, 1)
        lines = label_lines(label)
        rows.append(
            ChartRow(
                label=label,
                lines=lines,
                value_text=text,
                y=y,
                text_y=y + BAR_HEIGHT - 4,
                width=max(width, 0.0),
                value_x=LABEL_WIDTH + max(width, 0.0) + 6,
            )
        )
        y += ROW_HEIGHT + (len(lines) - 1) * LINE_HEIGHT
    return BarChart(
        title=title,
        rows=rows,
        width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
        height=y + 4,
        label_width=LABEL_WIDTH,
    )


def label_lines(label: str) -> tuple[str, ...]:
    """``label`` wrapped at word boundaries to fit the label column (the whole of it: a
    name cut short reads as another name). Only a label longer than LABEL_LINES lines
    loses its end, marked with an ellipsis; the full text is the row's tooltip."""
    lines = textwrap.wrap(label, LABEL_CHARS, break_long_words=True) or [""]
    if len(lines) > LABEL_LINES:
        lines = [*lines[: LABEL_LINES - 1], lines[LABEL_LINES - 1][: LABEL_CHARS - 1] + "…"]
    return tuple(lines)
