"""Progress status of an indicator series, in the manner of Open SDG's progress status.

Open SDG measures progress against a target value. The territory's indicators have no
agreed local targets yet, so the status here is the direction of change between the first
and the last year with a value, read through the indicator's direction:

* the change is the last value minus the first; relative to the first value (or, when the
  first value is 0, to the last) it is ``change_percent``;
* a change smaller than ``STABLE_BAND_PERCENT`` per cent of that value is **stable**;
* otherwise it is **improving** or **worsening** for indicators where more is better or
  less is better, and **increasing** or **decreasing** for context indicators
  (direction ``neutral``), which are not judged;
* fewer than two years with a value: **insufficient_data**.

Ordinal indicators (``ordinal_trend_assess``, ``province_ordinal_trend_assess``) get the same
statuses from their categories' places on the declared scale; nominal ones get none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

STABLE_BAND_PERCENT = 1.0
TREND_STATUSES = (
    "improving",
    "worsening",
    "stable",
    "increasing",
    "decreasing",
    "insufficient_data",
)


@dataclass(frozen=True, slots=True)
class Trend:
    status: str
    first_year: int | None = None
    last_year: int | None = None
    first_value: float | None = None
    last_value: float | None = None
    change: float | None = None  # last - first, in the indicator's unit
    change_percent: float | None = None  # relative to the first value (the last if first is 0)


def trend_assess(points: Iterable[tuple[int, float | None]], direction: str) -> Trend:
    """The status of a (year, value) series for an indicator of ``direction``."""
    known = sorted((year, value) for year, value in points if value is not None)
    if len(known) < 2 or known[0][0] == known[-1][0]:
        return Trend(status="insufficient_data")
    (first_year, first), (last_year, last) = known[0], known[-1]
    change = last - first
    base = abs(first) or abs(last)
    percent = round(change / base * 100, 6) if base else 0.0
    if abs(percent) < STABLE_BAND_PERCENT:
        status = "stable"
    elif direction == "higher_is_better":
        status = "improving" if change > 0 else "worsening"
    elif direction == "lower_is_better":
        status = "improving" if change < 0 else "worsening"
    else:
        status = "increasing" if change > 0 else "decreasing"
    return Trend(
        status=status,
        first_year=first_year,
        last_year=last_year,
        first_value=first,
        last_value=last,
        change=round(change, 9),
        change_percent=percent,
    )


@dataclass(frozen=True, slots=True)
class OrdinalTrend:
    """An ordinal indicator's status, with what the sentence shown to the reader needs."""

    status: str
    first_year: int | None = None
    last_year: int | None = None
    first_position: int | None = None  # a municipality's place on the scale (0 = first)
    last_position: int | None = None
    end_position: int | None = None  # the province: the category whose share is followed
    first_share: float | None = None  # the province: per cent of municipalities in it
    last_share: float | None = None


def _ordinal_status(change: float, direction: str) -> str:
    """A move along the scale; for lower_is_better the earlier categories are the better."""
    if direction == "higher_is_better":
        return "improving" if change > 0 else "worsening"
    if direction == "lower_is_better":
        return "improving" if change < 0 else "worsening"
    return "increasing" if change > 0 else "decreasing"


def ordinal_trend_assess(
    points: Iterable[tuple[int, int]], direction: str, value_type: str
) -> OrdinalTrend | None:
    """A municipality's status from its (year, place on the declared scale) points.

    Only an **ordinal** indicator has one: its category's place in the first and the last
    year with a value; a later place is a move up the scale, read through the direction
    (improving/worsening; increasing/decreasing for a ``neutral`` indicator, which is not
    judged), the same place is stable. A nominal (``categorical``) indicator's categories
    have no order, so nothing is better or higher: it gets no status (``None``).
    """
    if value_type != "ordinal":
        return None
    known = sorted(points)
    if len(known) < 2 or known[0][0] == known[-1][0]:
        return OrdinalTrend(status="insufficient_data")
    (first_year, first), (last_year, last) = known[0], known[-1]
    status = "stable" if first == last else _ordinal_status(last - first, direction)
    return OrdinalTrend(
        status=status,
        first_year=first_year,
        last_year=last_year,
        first_position=first,
        last_position=last,
    )


def province_ordinal_trend_assess(
    years: Iterable[tuple[int, tuple[int, ...]]], direction: str, value_type: str
) -> OrdinalTrend | None:
    """The province's status from (year, municipalities in each category of the scale).

    It follows the share of the municipalities with a value that are in the best category
    (the first of the scale for lower_is_better, the last for higher_is_better; the last, the
    top of the scale, for a ``neutral`` indicator) in the first and the last year: a share
    that reads as one sentence ("67% of the municipalities were in Low ...") where a mean
    place on the scale would not. A change smaller than ``STABLE_BAND_PERCENT`` percentage
    points is stable, the band of the numeric status. Moves between the other categories do
    not count: the sentence says which category is followed. Nominal indicators: ``None``.
    """
    if value_type != "ordinal":
        return None
    known = sorted((year, counts) for year, counts in years if sum(counts))
    if len(known) < 2 or known[0][0] == known[-1][0]:
        return OrdinalTrend(status="insufficient_data")
    (first_year, first), (last_year, last) = known[0], known[-1]
    end = 0 if direction == "lower_is_better" else len(first) - 1
    first_share = round(first[end] / sum(first) * 100, 6)
    last_share = round(last[end] / sum(last) * 100, 6)
    change = last_share - first_share
    if abs(change) < STABLE_BAND_PERCENT:
        status = "stable"
    elif direction in ("higher_is_better", "lower_is_better"):
        status = "improving" if change > 0 else "worsening"  # more in the best category
    else:
        status = "increasing" if change > 0 else "decreasing"
    return OrdinalTrend(
        status=status,
        first_year=first_year,
        last_year=last_year,
        end_position=end,
        first_share=first_share,
        last_share=last_share,
    )
