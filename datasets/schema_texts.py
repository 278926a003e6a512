"""Catalan and Spanish texts of a Table Schema's fields.

A field's ``title`` and ``description`` are English (what CKAN's DataStore and any Table
Schema tool read); beside them, a ``concertem`` property frictionless keeps as is holds the
Catalan and Spanish texts: ``{"title": {"ca": ..., "es": ...}, "description": {...}}``. The
dataset pages show the page language's text and fall back to the English one. Schemas in
``datasets/schemas/`` carry the property in the file; schemas built in code get it here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# name -> (title_ca, title_es) or (title_ca, title_es, description_ca, description_es)
FieldTexts = Mapping[str, tuple[str, ...]]


def schema_translate(schema: dict[str, Any], texts: FieldTexts) -> dict[str, Any]:
    """Give every field of ``schema`` its Catalan and Spanish texts (in place; returns it).

    Raises ``ValueError`` when a field has no texts or a description has no translation, so
    that a column added in English only cannot slip onto a Catalan page unnoticed.
    """
    for field in schema["fields"]:
        name = field["name"]
        if name not in texts:
            raise ValueError(f"field {name!r} has no Catalan/Spanish texts")
        item = texts[name]
        wanted = 4 if field.get("description") else 2
        if len(item) != wanted:
            raise ValueError(f"field {name!r}: {wanted} texts expected, got {len(item)}")
        translations: dict[str, Any] = {"title": {"ca": item[0], "es": item[1]}}
        if wanted == 4:
            translations["description"] = {"ca": item[2], "es": item[3]}
        field["concertem"] = translations
    return schema


def field_text(field: Mapping[str, Any], key: str, language: str) -> str:
    """A field's ``title`` or ``description`` in ``language``; English when untranslated."""
    translated = (field.get("concertem") or {}).get(key) or {}
    return translated.get(language) or field.get(key, "")
