"""Forms of the data bank's admin: the upload, the mapping, the catalogue editor."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from concertem.databank.catalog_io import _inline, indicator_raw
from concertem.databank.catalogue_choices import choice_codes, territorial_level_choices
from concertem.databank.catalogue_fields import (
    categories_check,
    categories_field,
    dimensions_check,
    dimensions_field,
    value_type_check,
)
from concertem.databank.models import Indicator
from datasets.indicators.catalog import indicator_catalog_parse
from datasets.indicators.errors import IndicatorCatalogError, IndicatorMappingError
from datasets.indicators.mapping import ENCODINGS, ImportMapping, import_mapping_parse
from datasets.sdg import LANGUAGES, sdg_framework_load

# Above this an upload is refused in the admin and the command line is the way (see README
# of the app: a checked file of this size is stored in well under the request timeout).
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
CODE_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


class UploadForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.order_by("position", "code")
    )
    file = forms.FileField(label=_("CSV file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "The file has %(size)s MB; the admin takes up to %(max)s MB. "
                    "Import bigger files with `manage.py indicators_import`."
                )
                % {"size": upload.size // (1024 * 1024), "max": UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload


ROLE_LABELS = {
    "entity_code": _("Municipality code column"),
    "entity_name": _("Municipality name column"),
    "year": _("Year column"),
    "value": _("Value column"),
    "status": _("Status column"),
    "indicator_code": _("Indicator code column"),
}


class MappingForm(forms.Form):
    """What detection got wrong, said with the file's own column names."""

    encoding = forms.ChoiceField(
        label=_("Encoding"),
        required=False,
        choices=[("", _("detect"))] + [(e, e) for e in ENCODINGS],
    )
    delimiter = forms.CharField(label=_("Delimiter"), required=False, max_length=1, strip=False)
    decimal = forms.ChoiceField(
        label=_("Decimal mark"),
        required=False,
        choices=[("", _("detect")), (".", "."), (",", ",")],
    )
    entity_code_kind = forms.ChoiceField(
        label=_("Municipality codes"),
        required=False,
        choices=[("", _("detect")), ("ine", "INE"), ("idescat", "Idescat")],
    )
    header_row = forms.IntegerField(label=_("Header line"), required=False, min_value=1)
    ignore = forms.CharField(
        label=_("Columns to ignore"),
        required=False,
        help_text=_("Column names separated by commas."),
    )
    extra = forms.CharField(
        label=_("Label mappings (TOML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('For example: [labels.sex] "D" = "female"'),
    )

    def __init__(self, *args: Any, columns: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("detect"))] + [(c, c) for c in columns or ()]
        for role, label in ROLE_LABELS.items():
            self.fields[f"column_{role}"] = forms.ChoiceField(
                label=label, required=False, choices=choices
            )

    def toml(self) -> str:
        data = self.cleaned_data
        lines: list[str] = []
        options = [
            (key, data.get(key))
            for key in ("encoding", "delimiter", "decimal", "entity_code_kind", "header_row")
        ]
        options = [(key, value) for key, value in options if value not in (None, "")]
        if options:
            lines.append("[file]")
            lines += [f"{key} = {_inline(value)}" for key, value in options]
        columns = [(role, data.get(f"column_{role}")) for role in ROLE_LABELS]
        columns = [(role, name) for role, name in columns if name]
        if columns:
            lines.append("[columns]")
            lines += [f"{role} = {_inline(name)}" for role, name in columns]
        ignore = [c.strip() for c in (data.get("ignore") or "").split(",") if c.strip()]
        if ignore:
            lines.append("[ignore]")
            lines.append(f"columns = {_inline(ignore)}")
        text = "\n".join(lines) + ("\n" if lines else "")
        if (data.get("extra") or "").strip():
            text += data["extra"].strip() + "\n"
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            try:
                self.mapping = import_mapping_parse(text=self.toml(), origin=str(_("mapping")))
            except IndicatorMappingError as error:
                raise forms.ValidationError(str(error)) from error
        return data


def mapping_initial(toml_text: str) -> dict[str, Any]:
    """The form's fields from a stored mapping."""
    try:
        mapping = import_mapping_parse(text=toml_text) if toml_text else ImportMapping()
    except IndicatorMappingError:
        return {}
    initial: dict[str, Any] = {
        "encoding": mapping.encoding or "",
        "delimiter": mapping.delimiter or "",
        "decimal": mapping.decimal or "",
        "entity_code_kind": mapping.entity_code_kind or "",
        "header_row": mapping.header_row,
        "ignore": ", ".join(mapping.ignore),
    }
    initial.update({f"column_{role}": name for role, name in mapping.columns.items()})
    return initial


# ---- The catalogue editor ----


class CommaListField(forms.CharField):
    """A list edited as text: "1.2, 10.1" <-> ["1.2", "10.1"]."""

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, (list, tuple)):
            return ", ".join(str(item) for item in value)
        return value or ""

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, (list, tuple)):
            return [str(item) for item in value]
        return [item.strip() for item in (value or "").split(",") if item.strip()]


def levels_split(value: Any) -> list[str]:
    """The levels of a stored ``territorial_level`` ("municipality,comarca")."""
    if isinstance(value, (list, tuple)):
        return [str(level) for level in value]
    return [level.strip() for level in str(value or "").split(",") if level.strip()]


class LevelsField(forms.MultipleChoiceField):
    """Territorial levels ticked in the editor, stored as the model's comma-joined text."""

    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value: Any) -> list[str]:
        return levels_split(value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return set(levels_split(initial)) != set(levels_split(data))


# The fields whose values are one of the pure catalogue's codes (catalogue_choices).
CLOSED_FIELDS = ("unit", "direction", "periodicity", "value_type", "aggregation")
LEVELS_FIELD = "territorial_level"


def _legacy_label(value: str) -> str:
    return _("%(value)s (not a valid choice: pick another)") % {"value": value}


def _legacy_error(values: list[str]) -> str:
    return _(
        "“%(values)s” is stored but is not one of the choices (it comes from an older "
        "catalogue or was written by hand): pick one from the list."
    ) % {"values": ", ".join(values)}


class IndicatorForm(WagtailAdminModelForm):
    """Checks an indicator as the catalogue file is checked, plus what the file cannot say."""

    sdg_targets = CommaListField(
        label=_("SDG targets"), help_text=_("Separated by commas, e.g. 1.2, 10.1.")
    )
    sdg_indicators = CommaListField(
        label=_("SDG global indicators"),
        required=False,
        help_text=_("Optional, separated by commas, e.g. 10.1.1."),
    )
    disaggregations = CommaListField(
        label=_("Breakdowns"), required=False, help_text=_("Optional: sex, age_group.")
    )
    territorial_level = LevelsField(
        label=_("Territorial levels"),
        choices=territorial_level_choices,
        initial=["municipality"],
        help_text=_("Every level the indicator is published for."),
    )
    categories = categories_field()
    dimensions = dimensions_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.legacy = self._legacy_offer()
        if self.legacy and not self.is_bound:
            # Shown as soon as the indicator is opened, next to the field, not after a save.
            self._errors = ErrorDict(
                {name: self.error_class([_legacy_error(v)]) for name, v in self.legacy.items()}
            )

    def _legacy_offer(self) -> dict[str, list[str]]:
        """Stored values that are not (any longer) a choice, offered as they are, selected.

        Without this the select would silently show its first option, and a save would
        replace the stored value with one the editor never picked.
        """
        legacy: dict[str, list[str]] = {}
        for name in (*CLOSED_FIELDS, LEVELS_FIELD):
            field = self.fields.get(name)
            if field is None:
                continue
            stored = levels_split(self.initial.get(name))
            unknown = [value for value in stored if value not in choice_codes(name)]
            if unknown:
                legacy[name] = unknown
                field.choices = [(v, _legacy_label(v)) for v in unknown] + list(field.choices)
        return legacy

    def _closed_clean(self, name: str) -> Any:
        value = self.cleaned_data.get(name)
        kept = [v for v in levels_split(value) if v in self.legacy.get(name, ())]
        if kept:
            raise forms.ValidationError(_legacy_error(kept))
        return value

    def clean_unit(self) -> str:
        return self._closed_clean("unit")

    def clean_direction(self) -> str:
        return self._closed_clean("direction")

    def clean_periodicity(self) -> str:
        return self._closed_clean("periodicity")

    def clean_value_type(self) -> str:
        return self._closed_clean("value_type")

    def clean_aggregation(self) -> str:
        return self._closed_clean("aggregation")

    def clean_territorial_level(self) -> str:
        """The ticked levels, joined; the stored order kept (the first is the main level)."""
        chosen = levels_split(self._closed_clean(LEVELS_FIELD))
        stored = levels_split(self.initial.get(LEVELS_FIELD))
        ordered = [level for level in stored if level in chosen]
        return ",".join(ordered + [level for level in chosen if level not in ordered])

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if not CODE_RE.match(code):
            raise forms.ValidationError(
                _("Use lowercase snake_case: letters, digits and single underscores.")
            )
        return code

    def clean_sdg_targets(self) -> list[str]:
        targets = self.cleaned_data.get("sdg_targets") or []
        if not targets:
            raise forms.ValidationError(_("Name at least one SDG target, e.g. 10.1."))
        sdg = sdg_framework_load()
        unknown = [str(t) for t in targets if not sdg.target_exists(str(t))]
        if unknown:
            raise forms.ValidationError(
                _("These SDG targets do not exist: %(targets)s.") % {"targets": ", ".join(unknown)}
            )
        return [str(t) for t in targets]

    def _rows_check(self, data: dict[str, Any]) -> None:
        """Errors of the category and dimension rows, each shown next to its box."""
        pending = bool(data.get("translation_pending"))
        if "categories" in data:
            problem = value_type_check(data.get("value_type") or "numeric", data["categories"])
            errors = categories_check(data["categories"], pending=pending)
            if errors is not None:
                self.add_error("categories", errors)
            elif problem:
                self.add_error("categories", problem)
        if "dimensions" in data:
            errors = dimensions_check(
                data["dimensions"],
                pending=pending,
                disaggregations=list(data.get("disaggregations") or ()),
            )
            if errors is not None:
                self.add_error("dimensions", errors)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self._rows_check(data)
        if self.errors:
            return data
        if not data.get("translation_pending"):
            for field in ("name", "definition", "method"):
                for suffix in ("", "_es", "_en"):
                    if not (data.get(field + suffix) or "").strip():
                        self.add_error(
                            field + suffix,
                            _(
                                "Missing. Write it, or tick “translation pending” to save "
                                "with the Catalan text shown in its place."
                            ),
                        )
        if not (data.get("name") or "").strip():
            self.add_error("name", _("The Catalan name is always required."))
        if self.errors:
            return data
        # The rest of the rules (units, directions, categories, dimensions ...) are the
        # catalogue file's: run its parser on this indicator.
        from concertem.databank.catalog_io import indicator_toml

        probe = Indicator(**{k: v for k, v in data.items() if hasattr(Indicator, k)})
        try:
            indicator_catalog_parse(
                text=indicator_toml(indicator_raw(probe)), sdg=sdg_framework_load()
            )
        except IndicatorCatalogError as error:
            problems = getattr(error, "problems", None) or [str(error)]
            raise forms.ValidationError([str(p) for p in problems]) from error
        return data


__all__ = ["LANGUAGES", "IndicatorForm", "MappingForm", "UploadForm", "mapping_initial"]
