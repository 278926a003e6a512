"""Two versions of a formula side by side: who gains, who loses, by how much."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from datasets.allocation.compute import AllocationResult, AllocationRow

PERCENT_PLACES = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    entity_code: str
    name: str
    base_eur: Decimal
    other_eur: Decimal
    base_rank: int | None
    other_rank: int | None

    @property
    def difference_eur(self) -> Decimal:
        return self.other_eur - self.base_eur

    @property
    def difference_pct(self) -> Decimal | None:
        if self.base_eur == 0:
            return None
        return (100 * self.difference_eur / self.base_eur).quantize(PERCENT_PLACES)

    @property
    def change(self) -> str:
        if self.difference_eur > 0:
            return "gains"
        return "loses" if self.difference_eur < 0 else "unchanged"


@dataclass(frozen=True)
class AllocationComparison:
    base: AllocationResult
    other: AllocationResult
    rows: tuple[ComparisonRow, ...]

    @property
    def winners(self) -> list[ComparisonRow]:
        """Entities that get more under ``other``, largest gain first."""
        gains = [row for row in self.rows if row.difference_eur > 0]
        return sorted(gains, key=lambda row: (-row.difference_eur, row.entity_code))

    @property
    def losers(self) -> list[ComparisonRow]:
        """Entities that get less under ``other``, largest loss first."""
        losses = [row for row in self.rows if row.difference_eur < 0]
        return sorted(losses, key=lambda row: (row.difference_eur, row.entity_code))

    @property
    def moved_eur(self) -> Decimal:
        """Money that changes hands: the sum of the gains (= the sum of the losses when the
        budgets are equal)."""
        return sum((row.difference_eur for row in self.winners), Decimal(0))


def allocation_compare(base: AllocationResult, other: AllocationResult) -> AllocationComparison:
    """Per-entity difference ``other - base``; an entity missing on one side counts as 0 €."""
    base_rows = {row.entity_code: row for row in base.rows}
    other_rows = {row.entity_code: row for row in other.rows}
    rows = []
    for code in sorted(base_rows.keys() | other_rows.keys()):
        left, right = base_rows.get(code), other_rows.get(code)
        named: AllocationRow = left or right  # type: ignore[assignment]
        rows.append(
            ComparisonRow(
                entity_code=code,
                name=named.entity.name,
                base_eur=left.amount_eur if left else Decimal("0.00"),
                other_eur=right.amount_eur if right else Decimal("0.00"),
                base_rank=left.rank if left else None,
                other_rank=right.rank if right else None,
            )
        )
    return AllocationComparison(base=base, other=other, rows=tuple(rows))
