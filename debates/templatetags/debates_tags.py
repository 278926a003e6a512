"""Small presentation helpers for the debate templates."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from datasets.number_display import euros_format, number_format
from debates import rules

register = template.Library()


@register.filter
def initials(name: str) -> str:
    """Up to two initials for the avatar circle ("Núria Puig" -> "NP")."""
    parts = [part for part in (name or "").split() if part[:1].isalpha()]
    return "".join(part[0].upper() for part in parts[:2]) or "?"


# The site's one number format (datasets/number_display.py), as the portal's
# |euros and |number filters use it; a missing value is "—".


@register.filter
def euros(value: Decimal | None, places: int = 0) -> str:
    """Euros, whole unless told otherwise (``|euros:2``), rounded half away from zero."""
    return euros_format(value, int(places), get_language())


@register.filter
def number(value: Decimal | None, places: int = -2) -> str:
    """Up to two decimals, none for a whole number (3 -> "3", 3.456 -> "3,46")."""
    return number_format(value, int(places), get_language())


@register.simple_tag
def comment_max_length() -> int:
    """The longest comment accepted (the setting), for the boxes' counters."""
    return rules.comment_max_length()
