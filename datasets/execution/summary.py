"""Aggregates of cooperation actions: totals by programme, status, comarca, entity.

Pure: the site passes records (from its database) and a comarca look-up; the same code
backs the public page and the tests, so a page figure and a test figure cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from datasets.execution.actions import ActionRecord


@dataclass
class ActionTotals:
    key: str
    label: str = ""
    count: int = 0
    granted: Decimal = Decimal("0")
    justified: Decimal = Decimal("0")
    paid: Decimal = Decimal("0")
    entities: set[str] = field(default_factory=set)

    def add(self, action: ActionRecord) -> None:
        self.count += 1
        self.granted += action.amount_granted
        self.justified += action.amount_justified
        self.paid += action.amount_paid
        self.entities.add(action.entity_code)

    @property
    def paid_pct(self) -> Decimal | None:
        """Share of the granted amount already paid, one decimal; None when nothing granted."""
        if not self.granted:
            return None
        return (self.paid * 100 / self.granted).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def justified_pct(self) -> Decimal | None:
        if not self.granted:
            return None
        return (self.justified * 100 / self.granted).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def entity_count(self) -> int:
        return len(self.entities)


@dataclass
class ActionSummary:
    total: ActionTotals
    by_programme: list[ActionTotals]
    by_status: list[ActionTotals]
    by_comarca: list[ActionTotals]
    by_entity: list[ActionTotals]


def _group(
    actions: Iterable[ActionRecord],
    key: Callable[[ActionRecord], str],
    label: Callable[[ActionRecord], str] | None = None,
) -> list[ActionTotals]:
    groups: dict[str, ActionTotals] = {}
    for action in actions:
        name = key(action)
        if name not in groups:
            groups[name] = ActionTotals(key=name, label=label(action) if label else name)
        groups[name].add(action)
    return list(groups.values())


def actions_summarise(
    actions: Iterable[ActionRecord],
    *,
    comarca_of: Callable[[str], str] = lambda code: "",
    status_order: tuple[str, ...] = (),
) -> ActionSummary:
    rows = list(actions)
    total = ActionTotals(key="total")
    for action in rows:
        total.add(action)
    by_status = _group(rows, lambda action: action.status)
    if status_order:
        by_status.sort(
            key=lambda item: (
                status_order.index(item.key) if item.key in status_order else len(status_order)
            )
        )
    return ActionSummary(
        total=total,
        by_programme=sorted(
            _group(rows, lambda a: a.programme_code, lambda a: a.programme_name),
            key=lambda item: item.key,
        ),
        by_status=by_status,
        by_comarca=sorted(
            _group(rows, lambda action: comarca_of(action.entity_code) or "—"),
            key=lambda item: (-item.granted, item.key),
        ),
        by_entity=sorted(
            _group(rows, lambda action: action.entity_code),
            key=lambda item: (-item.granted, item.key),
        ),
    )
