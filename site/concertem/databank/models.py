"""The data bank: the indicator catalogue and its values, with the provenance of every value.

The catalogue mirrors ``datasets.indicators.catalog.Indicator`` field for field; the three
languages are columns (Catalan unsuffixed, as the office's service catalogue does): an
indicator is one thing in every language, edited and withdrawn at once. Lists and nested
structures (SDG targets, categories, dimensions) are JSON, checked by the pure parser in
``datasets/indicators/catalog.py`` (``concertem.databank.catalog_io``), so the rules live in one
place.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from concertem.databank.catalogue_choices import (
    aggregation_choices,
    direction_choices,
    periodicity_choices,
    unit_choices,
    value_type_choices,
)

LANGUAGE_SUFFIXES = {"ca": "", "es": "_es", "en": "_en"}


class Indicator(models.Model):
    code = models.CharField(
        _("code"),
        max_length=80,
        unique=True,
        help_text=_("Stable identifier in lowercase snake_case, e.g. net_income_per_person."),
    )
    publisher_code = models.CharField(
        _("publisher's code"),
        max_length=80,
        blank=True,
        help_text=_("The code the publisher's files use, e.g. 15.1.1."),
    )
    name = models.CharField(_("name (Catalan)"), max_length=300, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    definition = models.TextField(_("definition (Catalan)"), blank=True)
    definition_es = models.TextField(_("definition (Spanish)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    method = models.TextField(_("method (Catalan)"), blank=True)
    method_es = models.TextField(_("method (Spanish)"), blank=True)
    method_en = models.TextField(_("method (English)"), blank=True)
    translation_pending = models.BooleanField(
        _("translation pending"),
        default=False,
        help_text=_(
            "Tick to save with a language missing; the missing texts then show the Catalan one."
        ),
    )
    # The closed fields offer the pure catalogue's vocabularies (catalogue_choices).
    unit = models.CharField(_("unit"), max_length=40, choices=unit_choices)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=0)
    direction = models.CharField(
        _("direction"), max_length=20, default="neutral", choices=direction_choices
    )
    periodicity = models.CharField(
        _("periodicity"), max_length=20, default="annual", choices=periodicity_choices
    )
    # One level, or several joined by commas: the editor ticks them (a multiple choice).
    territorial_level = models.CharField(
        _("territorial level"),
        max_length=200,
        default="municipality",
        help_text=_("Every level the indicator is published for."),
    )
    value_type = models.CharField(
        _("value type"), max_length=20, default="numeric", choices=value_type_choices
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=10, default="value", choices=aggregation_choices
    )
    value_min = models.FloatField(_("minimum plausible value"), null=True, blank=True)
    value_max = models.FloatField(_("maximum plausible value"), null=True, blank=True)
    disaggregations = models.JSONField(_("breakdowns"), default=list, blank=True)
    sdg_targets = models.JSONField(_("SDG targets"), default=list)
    sdg_indicators = models.JSONField(_("SDG global indicators"), default=list, blank=True)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    dimensions = models.JSONField(_("declared breakdown dimensions"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    licence = models.CharField(_("licence"), max_length=80, blank=True)
    seed_variable = models.CharField(_("seed variable"), max_length=80, blank=True)
    sdg_rationale = models.TextField(_("why these SDG targets (English)"), blank=True)
    # Comment lines written above the indicator in indicators.toml (a block heading).
    toml_comment = models.TextField(blank=True, editable=False)
    # Catalogue order: the export writes the indicators back in it.
    position = models.PositiveIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicator catalogue")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def text(self, field: str, language: str) -> str:
        return getattr(self, field + LANGUAGE_SUFFIXES[language])


class Import(models.Model):
    """One file taken into the data bank (or checked without being taken, ``dry_run``)."""

    class State(models.TextChoices):
        CHECKED = "checked", _("checked, not applied")
        REFUSED = "refused", _("refused")
        APPLIED = "applied", _("applied")
        UNDONE = "undone", _("undone")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="imports", verbose_name=_("indicator")
    )
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    # The upload is kept until it is applied or abandoned, so the mapping can be changed
    # and the file checked again without uploading it again.
    content = models.BinaryField(null=True, blank=True, editable=False)
    mapping = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.CHECKED)
    via = models.CharField(max_length=10, default="admin")  # admin | cli | reference
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    report = models.JSONField(default=dict, blank=True)
    added = models.PositiveIntegerField(default=0)
    replaced = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name} → {self.indicator.code}"


class ValueBlock(models.Model):
    """Every value of one indicator, in one row: its text sorted by key and compressed, and
    which import wrote each value. ``value_store`` reads and writes it (the format is there).
    """

    indicator = models.OneToOneField(
        Indicator, on_delete=models.PROTECT, primary_key=True, related_name="value_block"
    )
    rows = models.BinaryField()
    # [[import id, number of consecutive values it wrote], ...] in the rows' order.
    sources = models.JSONField(default=list)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("indicator values")
        verbose_name_plural = _("indicator values")

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.count} values"


class ReplacedBlock(models.Model):
    """The values an import replaced, as they were (with the import that had written each),
    kept so that undoing it puts them back. Keys the import added have none: undo removes
    the values the import wrote."""

    source_import = models.OneToOneField(
        Import, on_delete=models.CASCADE, primary_key=True, related_name="replaced_block"
    )
    rows = models.BinaryField()
    sources = models.JSONField(default=list)
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"#{self.source_import_id}: {self.count} replaced values"


class DataVersion(models.Model):
    """One row: a counter every import, undo and catalogue edit bumps in its transaction.

    Every process compares it with the version its cached catalogue and values were built
    from, so an import through one server is seen by all of them at their next request.
    ``catalog_preamble`` keeps the comment block at the top of indicators.toml for the export.
    """

    version = models.PositiveBigIntegerField(default=0)
    # Set anew with every bump: a bump whose transaction rolled back leaves a number that the
    # next bump reuses, never a stamp, so a cache keyed on the stamp cannot be fooled by it.
    stamp = models.CharField(max_length=32, blank=True)
    catalog_preamble = models.TextField(blank=True)

    class Meta:
        verbose_name = _("data bank version")
        permissions = [("import_values", _("Can import indicator values into the data bank"))]

    def __str__(self) -> str:
        return f"data bank version {self.version}"
