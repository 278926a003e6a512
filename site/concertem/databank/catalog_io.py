"""The catalogue between its three forms: database rows, TOML (indicators.toml) and the pure
``IndicatorCatalog`` the views and the importer use.

The database row becomes the same dictionary a ``[[indicator]]`` table of the TOML file
parses to, and that dictionary goes through ``datasets.indicators.catalog``'s own parser: the
rules an indicator must follow (units, directions, SDG targets that exist, languages) live in
one place, for the file, the catalogue editor and the site alike.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from typing import Any

from datasets.indicators.catalog import IndicatorCatalog, indicator_catalog_parse
from datasets.sdg import LANGUAGES, sdg_framework_load

TEXT_FIELDS = ("name", "definition", "method")
# Not a key of the file: the comment lines written above an indicator (a block heading).
COMMENT_KEY = "_comment"
SUFFIX = {"ca": "", "es": "_es", "en": "_en"}
# Scalar keys in the order the file writes them; optional ones only when set. Each is also
# a model field of the same name, copied as it is between the row and the dictionary.
_SCALARS = (
    "code",
    "publisher_code",
    "unit",
    "decimals",
    "direction",
    "periodicity",
    "territorial_level",
    "value_type",
    "aggregation",
    "translation_pending",
    "value_min",
    "value_max",
    "disaggregations",
    "sdg_targets",
    "sdg_indicators",
    "source",
    "source_url",
    "licence",
    "seed_variable",
    "categories",
    "dimensions",
)
_ALWAYS = {"code", "unit", "decimals", "direction", "periodicity", "territorial_level"}
_ALWAYS |= {"sdg_targets", "source", "source_url", "licence"}
_DEFAULTS: dict[str, Any] = {"value_type": "numeric", "aggregation": "value"}


def indicator_raw(row: Any, *, fill_pending: bool = True) -> dict[str, Any]:
    """The ``[[indicator]]`` dictionary of a database row (or anything with its attributes).

    An indicator marked "translation pending" shows its Catalan text in the languages still
    missing (``fill_pending``), so the pure catalogue always has the three.
    """
    raw: dict[str, Any] = {}
    for key in _SCALARS:
        value = getattr(row, key)
        if key in _DEFAULTS and value == _DEFAULTS[key]:
            continue
        if key not in _ALWAYS and (value is None or value is False or value in ("", [])):
            continue
        raw[key] = value
    levels = str(raw["territorial_level"]).split(",")
    if len(levels) > 1:  # an indicator published for several levels lists them
        raw["territorial_level"] = levels
    for field in TEXT_FIELDS:
        texts = {lang: getattr(row, field + SUFFIX[lang]) or "" for lang in LANGUAGES}
        if fill_pending and row.translation_pending:
            texts = {lang: text or texts["ca"] for lang, text in texts.items()}
        raw[field] = texts
    if fill_pending and row.translation_pending:
        for key in ("categories", "dimensions"):
            if raw.get(key):
                raw[key] = labels_fill_pending(raw[key])
    if row.sdg_rationale:
        raw["sdg_rationale"] = {"en": row.sdg_rationale}
    if getattr(row, "toml_comment", ""):
        raw[COMMENT_KEY] = row.toml_comment
    return raw


def labels_fill_pending(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Category and dimension labels still to translate show the Catalan one, as the names
    and definitions do (the stored rows keep them empty until someone translates them)."""
    filled = []
    for row in rows:
        row = dict(row)
        labels = dict(row.get("labels") or {})
        row["labels"] = {lang: labels.get(lang) or labels.get("ca", "") for lang in LANGUAGES}
        if "values" in row:
            row["values"] = labels_fill_pending(row["values"])
        filled.append(row)
    return filled


def indicator_fields(raw: dict[str, Any]) -> dict[str, Any]:
    """Model field values of an ``[[indicator]]`` dictionary (``indicator_raw``'s inverse)."""
    fields: dict[str, Any] = {}
    for key in _SCALARS:
        if key in raw:
            fields[key] = raw[key]
    if isinstance(fields.get("territorial_level"), list):
        fields["territorial_level"] = ",".join(fields["territorial_level"])
    for key in ("value_min", "value_max"):
        if key in fields and fields[key] is not None:
            fields[key] = float(fields[key])
    for field in TEXT_FIELDS:
        texts = raw.get(field) or {}
        for lang in LANGUAGES:
            fields[field + SUFFIX[lang]] = texts.get(lang, "")
    fields["sdg_rationale"] = (raw.get("sdg_rationale") or {}).get("en", "")
    fields["toml_comment"] = raw.get(COMMENT_KEY, "")
    return fields


def catalog_build(raws: Iterable[dict[str, Any]], *, origin: str = "data bank") -> IndicatorCatalog:
    """The pure catalogue, checked by the same parser as the TOML file."""
    return indicator_catalog_parse(
        text=catalog_toml(list(raws)), sdg=sdg_framework_load(), origin=origin
    )


# ---- TOML ----


def _number(value: float | int) -> str:
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _inline(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        # A JSON string is a TOML basic string (same escapes); non-ASCII kept as written.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        inner = ", ".join(f"{_key(k)} = {_inline(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, (list, tuple)):
        if any(isinstance(item, dict) for item in value):
            return "[\n" + "".join(f"  {_inline(item)},\n" for item in value) + "]"
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else json.dumps(key)


def indicator_toml(raw: dict[str, Any]) -> str:
    lines = ["[[indicator]]"]
    lines += [f"{key} = {_inline(raw[key])}" for key in _SCALARS if key in raw]
    for table in (*TEXT_FIELDS, "sdg_rationale"):
        texts = raw.get(table)
        if texts:
            lines.append("")
            lines.append(f"[indicator.{table}]")
            lines += [f"{lang} = {_inline(text)}" for lang, text in texts.items()]
    return "\n".join(lines) + "\n"


def catalog_toml(raws: list[dict[str, Any]], *, preamble: str = "") -> str:
    """The catalogue file; a comment heading an indicator (``COMMENT_KEY``) precedes it."""
    return preamble + "\n".join(raw.get(COMMENT_KEY, "") + indicator_toml(raw) for raw in raws)


def catalog_toml_read(text: str) -> tuple[str, list[dict[str, Any]]]:
    """The comment block before the first indicator, and the indicator dictionaries.

    Comment lines between two indicators (a heading for the next block) are kept with the
    indicator they precede, under ``COMMENT_KEY``, so the export writes them back in place.
    """
    starts = [m.start() for m in re.finditer(r"^\[\[indicator\]\]", text, flags=re.MULTILINE)]
    preamble = text[: starts[0]] if starts else ""
    raws = list(tomllib.loads(text).get("indicator", []))
    for index in range(1, min(len(starts), len(raws))):
        chunk = text[starts[index - 1] : starts[index]].splitlines(keepends=True)
        tail = len(chunk)
        while tail and (not chunk[tail - 1].strip() or chunk[tail - 1].startswith("#")):
            tail -= 1
        trailing = "".join(chunk[tail:])
        if "#" in trailing:
            raws[index][COMMENT_KEY] = trailing[1:]  # the blank line between tables stays
    return preamble, raws
