"""Rounding to the cent so that the amounts add up to the budget exactly, every time."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_FLOOR, Decimal

CENT = Decimal("0.01")


def amounts_round(
    amounts: Mapping[str, Decimal], *, total: Decimal, ties: str = "smaller_entity_code"
) -> dict[str, Decimal]:
    """Largest-remainder rounding (Hamilton's method) at the cent.

    Every amount is rounded down, then the cents still missing go one each to the largest
    remainders. Ties go to the smaller key (entity code), so the result never depends on
    input order. No amount moves by a cent or more, and an amount that is already whole cents
    (a fixed amount, a cap) never moves at all.
    """
    if ties != "smaller_entity_code":
        raise ValueError(f"unknown tie-break {ties!r}: only smaller_entity_code is implemented")
    floored = {key: value.quantize(CENT, rounding=ROUND_FLOOR) for key, value in amounts.items()}
    missing = (total - sum(floored.values(), Decimal(0))) / CENT
    if missing != missing.to_integral_value() or not 0 <= missing <= len(amounts):
        raise ValueError(f"amounts add up to {sum(amounts.values())}, not to {total}")
    order = sorted(amounts, key=lambda key: (floored[key] - amounts[key], key))
    for key in order[: int(missing)]:
        floored[key] += CENT
    return floored
