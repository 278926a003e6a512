"""Horizontal bar charts as geometry for an inline SVG, computed on the server.

No JavaScript and no inline style (the CSP forbids it): the template draws ``<rect>`` and
``<text>`` with these numbers and CSS classes; every chart sits beside a data table with
the same figures, which is what screen readers and keyboard users get.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

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
    for label, value, value_text in items:
        width = 0.0 if top <= 0 else round(BAR_AREA * float(value) / top, 1)
        lines = label_lines(label)
        rows.append(
            ChartRow(
                label=label,
                lines=lines,
                value_text=value_text,
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
