"""The catalogue editor's closed fields (unit, direction, periodicity, value type, aggregation,
territorial levels) as choices, read from the pure catalogue's vocabularies.

The model fields take these callables as ``choices`` (Django evaluates them each time the
choices are read): the labels follow the language of the request, and a code added to
``datasets/indicators/catalog_vocabulary.py`` is offered at once, with no migration (the
migration names the callable, not the list).
"""

from __future__ import annotations

from django.utils.translation import get_language

from datasets.indicators.catalog_vocabulary import CHOICE_LABELS, catalog_choices
from datasets.sdg import LANGUAGES


def _language() -> str:
    # None while migrations are written (translations deactivated): English, as msgids are.
    language = (get_language() or "en").split("-")[0]
    return language if language in LANGUAGES else "en"


def unit_choices() -> list[tuple[str, str]]:
    return catalog_choices("unit", _language())


def direction_choices() -> list[tuple[str, str]]:
    return catalog_choices("direction", _language())


def periodicity_choices() -> list[tuple[str, str]]:
    return catalog_choices("periodicity", _language())


def value_type_choices() -> list[tuple[str, str]]:
    return catalog_choices("value_type", _language())


def aggregation_choices() -> list[tuple[str, str]]:
    return catalog_choices("aggregation", _language())


def territorial_level_choices() -> list[tuple[str, str]]:
    return catalog_choices("territorial_level", _language())


def choice_codes(field: str) -> tuple[str, ...]:
    """The codes ``field`` may hold (``territorial_level``: each of the levels it lists)."""
    return tuple(CHOICE_LABELS[field])


__all__ = [
    "aggregation_choices",
    "choice_codes",
    "direction_choices",
    "periodicity_choices",
    "territorial_level_choices",
    "unit_choices",
    "value_type_choices",
]
