"""Helpers for the content blocks' templates (numbers are formatted by portal_tags)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def decimal_places(value) -> int:
    """How many decimals the editor typed (12.50 -> 2, 7 -> 0), so that the page's
    ``number`` filter shows them all, in the page language's format, and no more."""
    try:
        exponent = Decimal(str(value)).as_tuple().exponent
    except (InvalidOperation, ValueError):
        return 0
    return max(0, -exponent) if isinstance(exponent, int) else 0  # NaN, Infinity: "n", "F"
