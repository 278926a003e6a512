"""Cooperation actions (grants, catalogue services, investments) and their execution status.

In the database rather than in a CSV so that other parts of the site (a support request
resolved into a grant or a service) create actions through ``services.action_create_from``
instead of someone typing them in twice. The CSV import and every consistency rule live in
``datasets.execution`` (pure), shared by the import, the admin and the service function.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page
from wagtail.search import index

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


class ActionKind(models.TextChoices):
    GRANT = "grant", _("Grant")
    SERVICE = "service", _("Technical service")
    INVESTMENT = "investment", _("Investment")


class ActionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("Granted")
    IN_EXECUTION = "in_execution", _("In execution")
    JUSTIFIED = "justified", _("Justified")
    CLOSED = "closed", _("Closed")
    REVOKED = "revoked", _("Revoked")


PROGRAMME_NAMES_PATH = Path(__file__).resolve().parent / "data" / "programme_names.json"


@lru_cache(maxsize=1)
def programme_names() -> dict[str, dict[str, str]]:
    """The known programmes' names in each language (a programme's own name is Catalan)."""
    names = json.loads(PROGRAMME_NAMES_PATH.read_text(encoding="utf-8"))
    return {code: texts for code, texts in names.items() if not code.startswith("_")}


class Programme(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language when the programme is a known one."""
        known = programme_names().get(self.code, {})
        return known.get((get_language() or "ca")[:2]) or self.name


class CooperationAction(index.Indexed, ClusterableModel):
    action_id = models.CharField(_("action id"), max_length=60, unique=True)
    entity_code = models.CharField(_("local entity (INE code)"), max_length=5, db_index=True)
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="actions"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ActionKind.choices)
    service_code = models.CharField(_("service catalogue code"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=14, choices=ActionStatus.choices, default=ActionStatus.REQUESTED
    )
    amount_granted = models.DecimalField(_("amount granted (EUR)"), default=Decimal(0), **MONEY)
    amount_justified = models.DecimalField(_("amount justified (EUR)"), default=Decimal(0), **MONEY)
    amount_paid = models.DecimalField(_("amount paid (EUR)"), default=Decimal(0), **MONEY)
    progress_pct = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    requested_on = models.DateField(_("requested on"))
    granted_on = models.DateField(_("granted on"), null=True, blank=True)
    deadline = models.DateField(_("execution deadline"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    # Where the action came from: a CSV import, a resolved support request, the admin.
    source = models.CharField(_("source"), max_length=40, default="admin")
    source_reference = models.CharField(_("source reference"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("action_id"),
        FieldRowPanel([FieldPanel("entity_code"), FieldPanel("programme")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("service_code")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("progress_pct")]),
        MultiFieldPanel(
            [
                FieldPanel("amount_granted"),
                FieldPanel("amount_justified"),
                FieldPanel("amount_paid"),
            ],
            heading=_("Amounts"),
        ),
        FieldRowPanel(
            [FieldPanel("requested_on"), FieldPanel("granted_on"), FieldPanel("deadline")]
        ),
        InlinePanel("milestones", label=_("Milestones")),
        InlinePanel("documents", label=_("Documents (private to the entity)")),
        FieldPanel("is_demo"),
    ]
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.FilterField("entity_code"),
    ]

    class Meta:
        verbose_name = _("cooperation action")
        verbose_name_plural = _("cooperation actions")
        ordering = ["entity_code", "requested_on", "action_id"]

    def __str__(self) -> str:
        return f"{self.action_id} · {self.title}"

    def clean(self) -> None:
        super().clean()
        # concertem.cooperation.services imports this module (a real cycle): imported here.
        from concertem.cooperation.services import action_issues

        issues = action_issues(self)
        if issues:
            raise ValidationError({issue.column or "__all__": issue.message for issue in issues})


class ActionMilestone(Orderable):
    action = ParentalKey(CooperationAction, related_name="milestones", on_delete=models.CASCADE)
    date = models.DateField(_("date"))
    label = models.CharField(_("milestone"), max_length=200)

    panels = [FieldPanel("date"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("milestone")


class ActionDocument(Orderable):
    action = ParentalKey(CooperationAction, related_name="documents", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("document")

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


class CooperationIndexPage(RoutablePageMixin, Page):
    """Execution status of the cooperation actions: totals, per entity, private per entity."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("cooperation actions page")

    # ---- Routes (thin: concertem.cooperation.views calls the selectors) ----
    # The views module imports this one, so it is imported inside each route.

    @path("")
    def summary_route(self, request):
        from concertem.cooperation import views

        return views.cooperation_summary(request, self)

    @path("data/actions/")
    def csv_route(self, request):
        from concertem.cooperation import views

        return views.cooperation_csv(request, self)

    @path("<str:entity_code>/")
    def entity_route(self, request, entity_code: str):
        from concertem.cooperation import views

        return views.cooperation_entity(request, self, entity_code)

    @path("<str:entity_code>/private/")
    def private_route(self, request, entity_code: str):
        from concertem.cooperation import views

        return views.cooperation_private(request, self, entity_code)

    @path("<str:entity_code>/private/documents/<int:document_id>/")
    def document_route(self, request, entity_code: str, document_id: int):
        from concertem.cooperation import views

        return views.cooperation_document(request, self, entity_code, document_id)
