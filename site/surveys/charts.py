"""Horizontal bar charts as geometry for an inline SVG, computed on the server.

No JavaScript and no inline style (the CSP forbids it): the template draws ``<rect>`` and
``<text>`` with these numbers and CSS classes; every chart sits beside a data table with
the same figures, which is what screen readers and keyboard users get.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

LABEL_WIDTH = 200
BAR_AREA = 230
VALUE_WIDTH = 110
ROW_HEIGHT = 26
BAR_HEIGHT = 18


@dataclass(frozen=True)
class ChartRow:
    label: str
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
    for index, (label, value, value_text) in enumerate(items):
        width = 0.0 if top <= 0 else round(BAR_AREA * float(value) / top, 1)
        y = index * ROW_HEIGHT + 4
        rows.append(
            ChartRow(
                # The full label is in the table beside the chart.
                label=label if len(label) <= 25 else label[:24] + "…",
                value_text=value_text,
                y=y,
                text_y=y + BAR_HEIGHT - 4,
                width=max(width, 0.0),
                value_x=LABEL_WIDTH + max(width, 0.0) + 6,
            )
        )
    return BarChart(
        title=title,
        rows=rows,
        width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
        height=len(rows) * ROW_HEIGHT + 8,
        label_width=LABEL_WIDTH,
    )
