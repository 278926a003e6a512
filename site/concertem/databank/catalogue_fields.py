"""Categories and breakdown dimensions edited as rows, stored as the catalogue file's lists.

An indicator's categories (``[{code, labels: {ca, es, en}, aliases: [...]}]``) and declared
dimensions (``[{code, labels, values: [categories]}]``) stay the JSON lists the catalogue
file and the importer read; only the editing changes: Wagtail's block widgets give a person
repeatable, reorderable rows with one box per label, and every error is shown next to the
box it is about. ``rows_check`` holds the rules a person can be told about row by row (in
their language); the catalogue parser still runs on the whole indicator afterwards.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError, StreamValue
from wagtail.blocks.struct_block import StructBlockValidationError

from datasets.indicators.catalog import DISAGGREGATION_DIMENSIONS
from datasets.indicators.cells import label_normalise
from datasets.sdg import LANGUAGES

DIMENSION_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
LABEL_NAMES = {lang: f"label_{lang}" for lang in LANGUAGES}


def _label_block(language_name: Any) -> blocks.CharBlock:
    return blocks.CharBlock(label=language_name, required=False, max_length=200)


# Declared in the order a person reads a row: the code, the three labels, then the rest.
class CategoryBlock(blocks.StructBlock):
    code = blocks.CharBlock(
        label=_("Code"),
        max_length=80,
        help_text=_("What the values table stores, e.g. medium."),
    )
    label_ca = _label_block(_("Label (Catalan)"))
    label_es = _label_block(_("Label (Spanish)"))
    label_en = _label_block(_("Label (English)"))
    aliases = blocks.TextBlock(
        label=_("Other spellings in files"),
        required=False,
        rows=2,
        help_text=_("One per line: spellings publishers use for this category, e.g. Mitjana."),
    )

    class Meta:
        label = _("Category")
        icon = "tag"


class DimensionBlock(blocks.StructBlock):
    code = blocks.CharBlock(
        label=_("Code"),
        max_length=80,
        help_text=_("Lowercase snake_case, e.g. energy_source."),
    )
    label_ca = _label_block(_("Label (Catalan)"))
    label_es = _label_block(_("Label (Spanish)"))
    label_en = _label_block(_("Label (English)"))
    values = blocks.ListBlock(CategoryBlock(), label=_("Values"), default=[], collapsed=False)

    class Meta:
        label = _("Breakdown dimension")
        icon = "list-ul"


# ---- stored list <-> block value ----


def category_block_value(raw: dict[str, Any]) -> dict[str, Any]:
    labels = raw.get("labels") or {}
    value = {"code": str(raw.get("code", ""))}
    value.update({LABEL_NAMES[lang]: str(labels.get(lang, "")) for lang in LANGUAGES})
    value["aliases"] = "\n".join(str(alias) for alias in raw.get("aliases", ()))
    return value


def dimension_block_value(raw: dict[str, Any]) -> dict[str, Any]:
    value = category_block_value({"code": raw.get("code"), "labels": raw.get("labels")})
    del value["aliases"]
    value["values"] = [category_block_value(v) for v in raw.get("values", ())]
    return value


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _code_labels_stored(value: Any) -> dict[str, Any]:
    """The code and the three labels of a category or dimension row, as the file writes them."""
    return {
        "code": _text(value["code"]),
        "labels": {lang: _text(value[LABEL_NAMES[lang]]) for lang in LANGUAGES},
    }


def category_stored(value: Any) -> dict[str, Any]:
    """The catalogue file's dictionary; ``aliases`` only when there are some (as written)."""
    stored = _code_labels_stored(value)
    aliases = [_text(line) for line in str(value.get("aliases") or "").splitlines()]
    aliases = [alias for alias in aliases if alias]
    if aliases:
        stored["aliases"] = aliases
    return stored


def dimension_stored(value: Any) -> dict[str, Any]:
    return {**_code_labels_stored(value), "values": [category_stored(v) for v in value["values"]]}


class RowsField(blocks.BlockField):
    """A list of rows in the admin, the catalogue's list of dictionaries in ``cleaned_data``.

    The rows are a stream of one block type: Wagtail's block widget renders a stream at its
    root (a bare list block there has no root element and fails in the browser).
    """

    def __init__(
        self, *, row_type: str, row: blocks.StructBlock, to_block, to_stored, **kwargs: Any
    ) -> None:
        self.row_type = row_type
        self.to_block = to_block
        self.to_stored = to_stored
        block = blocks.StreamBlock([(self.row_type, row)], required=False, collapsed=False)
        super().__init__(block=block, required=False, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, StreamValue):
            return value  # a submitted form shown again, with its errors
        rows = [{"type": self.row_type, "value": self.to_block(raw)} for raw in value or ()]
        return self.block.to_python(rows)

    def clean(self, value: Any) -> list[dict[str, Any]]:
        return [self.to_stored(child.value) for child in super().clean(value)]

    def _stored(self, value: Any) -> list[dict[str, Any]]:
        if isinstance(value, StreamValue):
            return [self.to_stored(child.value) for child in value]
        return list(value or [])

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self._stored(initial) != self._stored(data)


def categories_field() -> RowsField:
    return RowsField(
        row_type="category",
        row=CategoryBlock(),
        to_block=category_block_value,
        to_stored=category_stored,
        label=_("Categories"),
        help_text=_(
            "For categorical and ordinal indicators, in their order (lowest first for ordinal "
            "ones). Each category: the code stored, its label in the three languages, and "
            "other spellings the files use."
        ),
    )


def dimensions_field() -> RowsField:
    return RowsField(
        row_type="dimension",
        row=DimensionBlock(),
        to_block=dimension_block_value,
        to_stored=dimension_stored,
        label=_("Declared breakdown dimensions"),
        help_text=_(
            "Breakdowns beyond sex and age group (e.g. energy source): the column's label in "
            "the three languages and the values it takes."
        ),
    )


# ---- the rules, row by row ----


def _missing_label(lang: str) -> str:
    if lang == "ca":
        return _t("The Catalan label is always required.")
    return _t("Missing. Write it, or tick “translation pending” to save without it.")


def _labels_check(row: dict[str, Any], pending: bool, errors: dict[str, ValidationError]) -> None:
    for lang in LANGUAGES:
        if not row["labels"][lang] and (lang == "ca" or not pending):
            errors.setdefault(LABEL_NAMES[lang], ValidationError(_missing_label(lang)))


def categories_check(
    rows: list[dict[str, Any]], *, pending: bool, error_class: type = StreamBlockValidationError
) -> ValidationError | None:
    """Duplicate codes, missing labels, a spelling (code, label, alias) of two categories."""
    row_errors: dict[int, StructBlockValidationError] = {}
    codes: dict[str, int] = {}
    owner: dict[str, int] = {}
    for index, row in enumerate(rows):
        errors: dict[str, ValidationError] = {}
        code = row["code"]
        if code in codes:
            errors["code"] = ValidationError(
                _t("The code “%(code)s” is already used by category %(n)s.")
                % {"code": code, "n": codes[code] + 1}
            )
        codes.setdefault(code, index)
        _labels_check(row, pending, errors)
        spellings = [("code", code)]
        spellings += [(LABEL_NAMES[lang], row["labels"][lang]) for lang in LANGUAGES]
        spellings += [("aliases", alias) for alias in row.get("aliases", ())]
        for name, text in spellings:
            key = label_normalise(text)
            if not key:
                continue
            first = owner.setdefault(key, index)
            if first != index:
                errors.setdefault(
                    name,
                    ValidationError(
                        _t(
                            "“%(text)s” already means category %(n)s (“%(code)s”): a file "
                            "value must name one category only."
                        )
                        % {"text": text, "n": first + 1, "code": rows[first]["code"]}
                    ),
                )
        if errors:
            row_errors[index] = StructBlockValidationError(block_errors=errors)
    return error_class(block_errors=row_errors) if row_errors else None


def dimensions_check(
    rows: list[dict[str, Any]], *, pending: bool, disaggregations: list[str]
) -> StreamBlockValidationError | None:
    row_errors: dict[int, StructBlockValidationError] = {}
    seen: set[str] = set()
    for index, row in enumerate(rows):
        errors: dict[str, ValidationError] = {}
        code = row["code"]
        if not DIMENSION_CODE_RE.match(code):
            errors["code"] = ValidationError(
                _t("Use lowercase snake_case: letters, digits and single underscores.")
            )
        elif code in DISAGGREGATION_DIMENSIONS or code in disaggregations:
            errors["code"] = ValidationError(
                _t("“%(code)s” is a built-in breakdown: list it under Breakdowns instead.")
                % {"code": code}
            )
        elif code in seen:
            errors["code"] = ValidationError(_t("This dimension is declared twice."))
        seen.add(code)
        _labels_check(row, pending, errors)
        if not row["values"]:
            errors["values"] = ListBlockValidationError(
                non_block_errors=[_t("Add the values this dimension takes.")]
            )
        else:
            values_errors = categories_check(
                row["values"], pending=pending, error_class=ListBlockValidationError
            )
            if values_errors is not None:
                errors["values"] = values_errors
        if errors:
            row_errors[index] = StructBlockValidationError(block_errors=errors)
    return StreamBlockValidationError(block_errors=row_errors) if row_errors else None


def value_type_check(value_type: str, categories: list[dict[str, Any]]) -> str | None:
    if value_type != "numeric" and not categories:
        return _t("A categorical or ordinal indicator needs its categories: add them here.")
    if value_type == "numeric" and categories:
        return _t(
            "Categories are only for categorical or ordinal indicators: change the value "
            "type or remove them."
        )
    return None


__all__ = ["categories_check", "categories_field", "dimensions_check", "dimensions_field"]
