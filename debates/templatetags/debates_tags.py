"""Small presentation helpers for the debate templates."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def initials(name: str) -> str:
    """Up to two initials for the avatar circle ("Núria Puig" -> "NP")."""
    parts = [part for part in (name or "").split() if part[:1].isalpha()]
    return "".join(part[0].upper() for part in parts[:2]) or "?"


@register.filter
def euros(value: Decimal | None) -> str:
    """Whole euros with the locale's thousand separator; empty for a missing value."""
    if value is None:
        return ""
    return f"{floatformat(value, '0g')} €"


@register.filter
def number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return floatformat(value, "-2g")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def comment_max_length() -> int:
    """The longest comment accepted (the setting), for the boxes' counters."""
    from debates.services import comment_max_length as limit

    return limit()
