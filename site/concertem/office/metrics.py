"""Service metrics of the office, as a pure function of anonymous request facts.

No Django and no personal data: a ``RequestFact`` holds an area, a comarca and four
timestamps. ``metrics_compute`` turns facts into one row per group (all requests, each
area, each comarca) with counts, the share resolved, and the median and 90th percentile
of the days to a first answer and to resolution. ``concertem.office.export`` writes the rows as
the CSV the open-data catalogue publishes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

DIMENSIONS: tuple[str, ...] = ("all", "area", "comarca")
OPEN_STATES = frozenset({"received", "assigned", "in_progress", "waiting"})
DAY_SECONDS = Decimal(86400)


@dataclass(frozen=True, slots=True)
class RequestFact:
    area: str
    comarca: str
    state: str
    created_at: datetime
    first_response_at: datetime | None = None
    closed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MetricRow:
    dimension: str
    group_code: str
    group_label: str
    requests: int
    open: int
    resolved: int
    declined: int
    share_resolved: Decimal | None
    first_answer_median_days: Decimal | None
    first_answer_p90_days: Decimal | None
    resolution_median_days: Decimal | None
    resolution_p90_days: Decimal | None
    as_of: date

    def as_csv_row(self) -> dict[str, str]:
        def cell(value: object) -> str:
            return "" if value is None else str(value)

        return {name: cell(getattr(self, name)) for name in METRIC_FIELDS}


METRIC_FIELDS: tuple[str, ...] = tuple(MetricRow.__dataclass_fields__)


def quantile(values: Sequence[Decimal], q: float) -> Decimal | None:
    """Linear interpolation between closest ranks (numpy's default; R type 7)."""
    if not values:
        return None
    ordered = sorted(values)
    position = Decimal(str(q)) * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    fraction = position - low
    return ordered[low] + (ordered[high] - ordered[low]) * fraction


def _days(start: datetime, end: datetime) -> Decimal:
    return Decimal(str((end - start).total_seconds())) / DAY_SECONDS


def _rounded(value: Decimal | None, places: str = "0.1") -> Decimal | None:
    return None if value is None else value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _row(
    dimension: str, code: str, label: str, facts: Sequence[RequestFact], as_of: date
) -> MetricRow:
    resolved = [fact for fact in facts if fact.state == "resolved"]
    declined = sum(1 for fact in facts if fact.state == "declined")
    first_answers = [
        _days(fact.created_at, fact.first_response_at)
        for fact in facts
        if fact.first_response_at is not None
    ]
    resolutions = [
        _days(fact.created_at, fact.closed_at) for fact in resolved if fact.closed_at is not None
    ]
    share = (Decimal(len(resolved)) / Decimal(len(facts))) if facts else None
    return MetricRow(
        dimension=dimension,
        group_code=code,
        group_label=label,
        requests=len(facts),
        open=sum(1 for fact in facts if fact.state in OPEN_STATES),
        resolved=len(resolved),
        declined=declined,
        share_resolved=_rounded(share, "0.001"),
        first_answer_median_days=_rounded(quantile(first_answers, 0.5)),
        first_answer_p90_days=_rounded(quantile(first_answers, 0.9)),
        resolution_median_days=_rounded(quantile(resolutions, 0.5)),
        resolution_p90_days=_rounded(quantile(resolutions, 0.9)),
        as_of=as_of,
    )


OTHER_COMARQUES = "other"


def metrics_compute(
    facts: Iterable[RequestFact],
    *,
    as_of: date,
    area_labels: Mapping[str, str] | None = None,
    all_label: str = "All requests",
    comarca_minimum: int = 0,
    other_label: str = "Other comarques",
) -> list[MetricRow]:
    """One row for all requests, then one per area and one per comarca, sorted by code.

    ``area_labels`` names areas (codes otherwise); comarques are their own labels. Every
    area in ``area_labels`` gets a row, even with no requests, so the published table
    keeps the same shape as the catalogue grows.

    A comarca with fewer than ``comarca_minimum`` requests gets no row of its own: in a
    comarca of a few small municipalities, "1 request, resolved in 40 days" points at one
    town hall. Such comarques are pooled into one ``other`` row (which names none of them).
    """
    facts = list(facts)
    area_labels = dict(area_labels or {})
    rows = [_row("all", "all", all_label, facts, as_of)]
    by_area: dict[str, list[RequestFact]] = {code: [] for code in area_labels}
    by_comarca: dict[str, list[RequestFact]] = {}
    for fact in facts:
        by_area.setdefault(fact.area, []).append(fact)
        by_comarca.setdefault(fact.comarca or "", []).append(fact)
    for code in sorted(by_area):
        rows.append(_row("area", code, area_labels.get(code, code), by_area[code], as_of))
    pooled: list[RequestFact] = []
    for name in sorted(by_comarca):
        if len(by_comarca[name]) < comarca_minimum:
            pooled += by_comarca[name]
            continue
        rows.append(_row("comarca", name or "unknown", name or "unknown", by_comarca[name], as_of))
    if pooled:
        rows.append(_row("comarca", OTHER_COMARQUES, other_label, pooled, as_of))
    return rows
