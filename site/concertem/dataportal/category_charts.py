"""A categorical indicator's evolution, drawn on the server like the numeric series charts.

Two pictures, each an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that reads the
data in words (``concertem.common.charts`` draws the numeric ones the same way), for wide
screens and, narrower, for phones:
- ``share_chart_responsive``: the province, one 100% bar per year split into its categories
  (how many municipalities fall in each), in the declared order, with a legend;
- ``step_chart_responsive``: one municipality's category per year, on the ordinal scale
  whose labels are the y axis.
Categories take the goal page map's sequential colours in their order (lightest first), so a
category is the same colour on the map and on the charts. A table with the same figures
stays beside each chart: it is what screen readers and keyboard users get.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from concertem.common.charts import PALETTE, text_fit, text_width
from datasets.indicators.category_series import (
    CategoryPoint,
    CategoryYear,
    category_colour_index,
)
from datasets.number_display import number_format, percent_format

# The map's palette (map.js COLOURS); a test keeps the two equal.
CATEGORY_COLOURS = ("#fde0dd", "#fcc5c0", "#fa9fb5", "#f768a1", "#dd3497", "#ae017e", "#7a0177")
# Colours dark enough that a figure printed on them is white (the ``.chart`` CSS sets the ink).
DARK_COLOURS = frozenset({"#dd3497", "#ae017e", "#7a0177"})
OUTLINE = 'stroke="#555" stroke-width="0.6"'


def category_colour(rank: int, count: int) -> str:
    return CATEGORY_COLOURS[category_colour_index(rank, count, len(CATEGORY_COLOURS))]


def _open(kind: str, width: int, height: int, css_class: str, title: str, description: str):
    return [
        f'<svg class="chart chart--{kind} {css_class}" viewBox="0 0 {width} {height}" '
        f'role="img" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>",
    ]


def _legend(labels: Sequence[str], width: int, top: int) -> tuple[list[str], int]:
    """Swatch and label of each category, left to right in order, wrapping onto new rows.
    Returns the parts and the height the legend takes."""
    parts, x, y, row = [], 4.0, float(top), 20
    for rank, label in enumerate(labels):
        text = text_fit(label, width - 30, 12)
        room = 18 + text_width(text, 12) + 14
        if x > 4 and x + room > width:
            x, y = 4.0, y + row
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="12" height="12" '
            f'fill="{category_colour(rank, len(labels))}" {OUTLINE}/>'
            f'<text x="{x + 18:.1f}" y="{y + 10.5:.1f}" font-size="12">{escape(text)}</text>'
        )
        x += room
    return parts, int(y - top) + row


def share_chart_svg(
    *,
    labels: Sequence[str],
    years: Sequence[CategoryYear],
    title: str,
    description: str,
    width: int = 640,
    css_class: str = "",
) -> SafeString:
    """One horizontal 100% bar per year (oldest first), a segment per category in order, the
    count printed inside a segment wide enough for it; a percentage axis below."""
    if not years:
        return mark_safe("")
    language = get_language()
    legend, legend_height = _legend(labels, width, 6)
    left, right, bar_height, gap = 48, 16, 24, 8
    top = 6 + legend_height + 8
    plot = width - left - right
    axis_y = top + len(years) * (bar_height + gap)
    height = axis_y + 26
    parts = _open("shares", width, height, css_class, title, description) + legend
    for tick in (0, 25, 50, 75, 100):
        x = left + plot * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{axis_y}" stroke="#d0d5db"/>'
            f'<text x="{x:.1f}" y="{axis_y + 16}" text-anchor="middle" font-size="11">'
            f"{escape(percent_format(tick, 0, language))}</text>"
        )
    for index, item in enumerate(years):
        y = top + index * (bar_height + gap)
        parts.append(
            f'<text x="{left - 8}" y="{y + bar_height * 0.72:.1f}" text-anchor="end" '
            f'font-size="12">{item.year}</text>'
        )
        x = float(left)
        for rank, (label, count, share) in enumerate(
            zip(labels, item.counts, item.shares(), strict=True)
        ):
            if not count:
                continue
            segment = plot * share / 100
            colour = category_colour(rank, len(labels))
            figure = number_format(count, 0, language)
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{segment:.1f}" height="{bar_height}" '
                f'fill="{colour}" {OUTLINE}><title>{item.year}, {escape(label)}: '
                f"{escape(figure)} ({escape(percent_format(share, 0, language))})</title></rect>"
            )
            if segment >= text_width(figure, 12) + 8:
                ink = ' class="chart-ink-light"' if colour in DARK_COLOURS else ""
                parts.append(
                    f'<text x="{x + segment / 2:.1f}" y="{y + bar_height * 0.72:.1f}" '
                    f'text-anchor="middle" font-size="12"{ink}>{escape(figure)}</text>'
                )
            x += segment
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def step_chart_svg(
    *,
    labels: Sequence[str],
    points: Sequence[CategoryPoint],
    title: str,
    description: str,
    width: int = 640,
    css_class: str = "",
) -> SafeString:
    """Years across, the scale's categories up the y axis (the first declared at the bottom),
    a dot per year in its category's colour joined by steps: a category holds until the next
    year's."""
    if not points:
        return mark_safe("")
    band, top, bottom, right, inset = 36, 10, 30, 20, 18
    texts = [text_fit(label, width * 0.35, 12) for label in labels]
    left = int(max(text_width(text, 12) for text in texts)) + 16
    height = top + band * len(labels) + bottom
    first, last = points[0].year, points[-1].year
    span = (last - first) or 1

    def x_of(year: int) -> float:
        if first == last:
            return left + (width - left - right) / 2
        return left + inset + (width - left - right - 2 * inset) * (year - first) / span

    def y_of(position: int) -> float:
        return top + band * (len(labels) - 1 - position) + band / 2

    parts = _open("steps", width, height, css_class, title, description)
    for position, text in enumerate(texts):
        y = y_of(position)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d5db"/>'
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12">'
            f"{escape(text)}</text>"
        )
    for year in sorted({point.year for point in points}):
        parts.append(
            f'<text x="{x_of(year):.1f}" y="{height - 10}" text-anchor="middle" '
            f'font-size="11">{year}</text>'
        )
    steps = []
    for index, point in enumerate(points):
        if index:
            steps.append(f"{x_of(point.year):.1f},{y_of(points[index - 1].position):.1f}")
        steps.append(f"{x_of(point.year):.1f},{y_of(point.position):.1f}")
    if len(points) > 1:
        parts.append(
            f'<polyline points="{" ".join(steps)}" fill="none" stroke="{PALETTE[0]}" '
            f'stroke-width="2.5"/>'
        )
    for point in points:
        parts.append(
            f'<circle cx="{x_of(point.year):.1f}" cy="{y_of(point.position):.1f}" r="6" '
            f'fill="{category_colour(point.position, len(labels))}" stroke="#1b1f24" '
            f'stroke-width="1.5"><title>{point.year}: {escape(labels[point.position])}</title>'
            "</circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def _responsive(draw: Callable[..., SafeString], options: dict) -> SafeString:
    """Wide and narrow drawings; CSS shows one, so a screen reader meets a single picture."""
    wide = draw(**options, css_class="chart--wide")
    if not wide:
        return wide
    narrow = draw(**options, width=360, css_class="chart--narrow")
    return mark_safe(wide + narrow)  # noqa: S308 - both escaped by the drawing


def share_chart_responsive(**options) -> SafeString:
    return _responsive(share_chart_svg, options)


def step_chart_responsive(**options) -> SafeString:
    return _responsive(step_chart_svg, options)
