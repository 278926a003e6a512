"""The office's Wagtail page: the front desk under each home page, and its routes.

The routes are thin: ``concertem.office.views`` does the work. The models of the catalogue, the
agents and the requests are in ``concertem.office.models``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail.search import index


class OfficePage(RoutablePageMixin, Page):
    """The front desk: the catalogue, the requests of one's entity or territory, metrics."""

    intro = models.TextField(_("introduction"), blank=True)
    how_it_works = models.TextField(_("how it works"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("how_it_works")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("office for attention to municipalities")

    # ---- Routes (thin: concertem.office.views does the work) ----
    # The views module imports this one, so it is imported inside each route.

    @path("")
    def catalogue_route(self, request):
        from concertem.office import views

        return views.catalogue(request, self)

    @path("services/<slug:code>/")
    def service_route(self, request, code: str):
        from concertem.office import views

        return views.service_detail(request, self, code)

    @path("requests/")
    def requests_route(self, request):
        from concertem.office import views

        return views.request_list(request, self)

    @path("requests/new/")
    def request_new_route(self, request):
        from concertem.office import views

        return views.request_new(request, self)

    @path("requests/<str:reference>/")
    def request_route(self, request, reference: str):
        from concertem.office import views

        return views.request_detail(request, self, reference)

    @path("requests/<str:reference>/message/")
    def message_route(self, request, reference: str):
        from concertem.office import views

        return views.request_message(request, self, reference)

    @path("requests/<str:reference>/state/")
    def state_route(self, request, reference: str):
        from concertem.office import views

        return views.request_state(request, self, reference)

    @path("metrics/")
    def metrics_route(self, request):
        from concertem.office import views

        return views.metrics(request, self)
