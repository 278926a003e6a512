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
