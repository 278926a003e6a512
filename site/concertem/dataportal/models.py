from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from concertem.dataportal import (
    allocation_selectors,
    catalog_selectors,
    entity_selectors,
    indicator_selectors,
    portal_data,
)
from concertem.dataportal.formula_drafts import draft_formula_parse


class PublishRun(models.Model):
    """One run of the publishing pipeline started from the admin, and what it said."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    only = models.CharField(_("only these datasets"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    log = models.TextField(_("log"), blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("publish run")
        verbose_name_plural = _("publish runs")
        permissions = [("publish_datasets", _("Can publish the datasets to the open data portal"))]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


# ---- Pages ----
# The portal's pages are routable: one Wagtail page per language serves every
# entity, formula view or dataset from the data package, so the page tree never
# has to be kept in step with the data.


class PortalPage(RoutablePageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = ["intro"]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        abstract = True

    def render_route(self, request: HttpRequest, template: str, context: dict) -> HttpResponse:
        return TemplateResponse(
            request, template, {**self.get_context(request), **context, "page": self}
        )


class MunicipalityIndexPage(PortalPage):
    """Every local entity of the territory, and one profile page for each."""

    class Meta:
        verbose_name = _("municipality profiles")

    @path("")
    def entity_list(self, request: HttpRequest) -> HttpResponse:
        context = entity_selectors.entity_list_context(
            query=request.GET.get("q", ""), comarca=request.GET.get("comarca", "")
        )
        return self.render_route(request, "dataportal/municipality_index_page.html", context)

    @re_path(r"^(?P<code>\d{5})/$")
    def entity_profile(self, request: HttpRequest, code: str) -> HttpResponse:
        context = entity_selectors.entity_profile_context(code=code, request=request)
        if context is None:
            raise Http404("unknown entity")
        context.update(
            indicator_selectors.entity_indicators_context(
                code=code,
                indicator_code=request.GET.get("indicator", ""),
                tab=request.GET.get("tab", ""),
            )
        )
        return self.render_route(request, "dataportal/municipality_profile.html", context)


class AllocationExplorerPage(PortalPage):
    """A formula explained, its result for every entity, and comparisons between versions."""

    formula_id = models.CharField(
        _("formula"),
        max_length=100,
        default="pgi-2024-2027",
        help_text=_("The id of a formula file in datasets/formulas/ (e.g. pgi-2024-2027)."),
    )

    content_panels = [*PortalPage.content_panels, FieldPanel("formula_id")]

    class Meta:
        verbose_name = _("allocation explorer")

    @path("")
    def allocation_overview(self, request: HttpRequest) -> HttpResponse:
        context = allocation_selectors.allocation_overview_context(
            formula_id=self.formula_id,
            query=request.GET.get("q", ""),
            sort=request.GET.get("sort", "rank"),
            page=request.GET.get("page", "1"),
        )
        return self.render_route(request, "dataportal/allocation_explorer_page.html", context)

    @re_path(r"^(?P<code>\d{5})/$")
    def allocation_entity(self, request: HttpRequest, code: str) -> HttpResponse:
        context = allocation_selectors.allocation_entity_context(
            formula_id=self.formula_id, code=code
        )
        if context is None:
            raise Http404("unknown entity")
        return self.render_route(request, "dataportal/allocation_entity.html", context)

    @path("proposal/<int:draft_id>/", name="proposal")
    def allocation_proposal(self, request: HttpRequest, draft_id: int) -> HttpResponse:
        # Only drafts put to a (published) debate are public; the others stay in the admin.
        draft = FormulaDraft.objects.filter(pk=draft_id, debate__live=True).first()
        if draft is None:
            raise Http404("no such proposal")
        context = allocation_selectors.draft_compare_context(draft=draft)
        return self.render_route(request, "dataportal/allocation_compare.html", context)

    @path("compare/", name="compare")
    def allocation_compare(self, request: HttpRequest) -> HttpResponse:
        other = request.GET.get("other", "")
        context = allocation_selectors.allocation_compare_context(
            base_id=self.formula_id, other_id=other
        )
        if context is None:
            return redirect(self.url)
        return self.render_route(request, "dataportal/allocation_compare.html", context)


class DataCatalogPage(PortalPage):
    """The catalogue of open datasets, and one page per dataset."""

    class Meta:
        verbose_name = _("dataset catalogue")

    @path("")
    def catalog_index(self, request: HttpRequest) -> HttpResponse:
        context = catalog_selectors.catalog_index_context(
            query=request.GET.get("q", ""),
            theme=request.GET.get("theme", ""),
            goal=request.GET.get("goal", ""),
            territory=request.GET.get("territory", ""),
        )
        return self.render_route(request, "dataportal/data_catalog_page.html", context)

    @re_path(r"^(?P<name>[a-z0-9][a-z0-9-]*)/$")
    def catalog_dataset(self, request: HttpRequest, name: str) -> HttpResponse:
        context = catalog_selectors.catalog_dataset_context(name=name)
        if context is None:
            raise Http404("unknown dataset")
        return self.render_route(request, "dataportal/dataset_detail.html", context)


class SdgIndexPage(PortalPage):
    """The Agenda 2030 goals and, for each one, a dashboard of its indicators."""

    class Meta:
        verbose_name = _("SDG dashboards")

    @path("")
    def sdg_index(self, request: HttpRequest) -> HttpResponse:
        return self.render_route(
            request, "dataportal/sdg_index_page.html", indicator_selectors.sdg_index_context()
        )

    @re_path(r"^(?P<goal>[0-9]{1,2})/$")
    def sdg_goal(self, request: HttpRequest, goal: str) -> HttpResponse:
        context = indicator_selectors.sdg_goal_context(
            goal=int(goal),
            indicator_code=request.GET.get("indicator", ""),
            tab=request.GET.get("tab", ""),
        )
        if context is None:
            raise Http404("unknown goal")
        return self.render_route(request, "dataportal/sdg_goal.html", context)


class FormulaDraft(models.Model):
    """A new version of an allocation formula, drafted by editors before it is adopted.

    The text is the same declarative TOML as the shipped formulas, so a draft can be
    computed, compared with its base, debated and, once adopted, committed as a file.
    """

    title = models.CharField(_("title"), max_length=200)
    base_formula = models.CharField(
        _("base formula"),
        max_length=100,
        default="pgi-2024-2027",
        help_text=_("The shipped formula this draft changes (a file in datasets/formulas/)."),
    )
    text = models.TextField(
        _("formula (TOML)"),
        help_text=_("Start from the base formula's file and change weights, minimum or criteria."),
    )
    notes = models.TextField(_("why this change"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    debate = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("debate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The debate opened on this draft; its comparison is public from then on."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("base_formula"),
        FieldPanel("text"),
        FieldPanel("notes"),
    ]

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("formula draft")
        verbose_name_plural = _("formula drafts")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.base_formula not in portal_data.formula_ids():
            raise ValidationError({"base_formula": _("No shipped formula has this id.")})
        try:
            draft_formula_parse(self)
        except Exception as error:  # the formula's own, line-numbered message
            raise ValidationError({"text": str(error)}) from error
