"""Figures that describe a distribution: totals, spread and inequality per inhabitant."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from datasets.allocation.compute import STATUS_FORMULA, AllocationResult, AllocationRow
from datasets.allocation.rounding import CENT

GINI_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class AllocationSummary:
    formula_id: str
    formula_version: str
    total_eur: Decimal
    count: int
    excluded: int
    minimum_eur: Decimal
    maximum_eur: Decimal
    median_eur: Decimal
    gini_per_capita: Decimal | None

    def as_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}


def allocation_summarise(result: AllocationResult) -> AllocationSummary:
    """Summary of the entities shared by the formula (exclusions only count in the total).

    ``gini_per_capita`` is the Gini coefficient of the amounts per inhabitant, one
    observation per entity (unweighted): 0 when every entity gets the same per inhabitant.
    """
    rows = [row for row in result.rows if row.status == STATUS_FORMULA]
    amounts = sorted(row.amount_eur for row in rows)
    return AllocationSummary(
        formula_id=result.formula.id,
        formula_version=result.formula.version,
        total_eur=result.total_eur,
        count=len(rows),
        excluded=len(result.rows) - len(rows),
        minimum_eur=amounts[0],
        maximum_eur=amounts[-1],
        median_eur=_median(amounts).quantize(CENT),
        gini_per_capita=gini_compute(
            [per_capita for row in rows if (per_capita := amount_per_capita(row)) is not None]
        ),
    )


def amount_per_capita(row: AllocationRow) -> Decimal | None:
    population = row.entity.population
    if not population:
        return None
    return (row.amount_eur / population).quantize(CENT)


def gini_compute(values: list[Decimal]) -> Decimal | None:
    """Gini coefficient, exact on the given values: sum((2i - n - 1) * x_i) / (n * sum(x))."""
    if not values:
        return None
    ordered = sorted(values)
    count, total = len(ordered), sum(ordered, Decimal(0))
    if total == 0:
        return Decimal(0)
    with localcontext() as context:
        context.prec = 40
        weighted = sum(
            ((2 * position - count - 1) * value for position, value in enumerate(ordered, 1)),
            Decimal(0),
        )
        return (weighted / (count * total)).quantize(GINI_PLACES)


def _median(ordered: list[Decimal]) -> Decimal:
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
