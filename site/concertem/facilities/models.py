from __future__ import annotations

from django.core.paginator import Paginator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from concertem.common.blocks import BaseStreamBlock
from concertem.facilities import selectors
from concertem.facilities.categories import CATEGORY_LABELS, SOURCE_LABELS

PAGE_SIZE = 25


class FacilityMapPage(Page):
    """The map of public facilities, with the same data as an accessible, paginated table."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(
        BaseStreamBlock(),
        verbose_name=_("body"),
        blank=True,
        help_text=_("Shown below the map and the tables: notes on sources."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("facility map page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = selectors.FacilityFilters.from_query(request.GET)
        rows = selectors.facilities_filtered(filters)
        paginator = Paginator(rows, PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("page"))
        entities = selectors.entities_by_code()
        query = filters.as_query()
        data_url = reverse("facilities:geojson") + (f"?{query}" if query else "")
        context.update(
            filters=filters,
            query=query,
            facilities_page=page_obj,
            facility_rows=[
                (
                    facility,
                    CATEGORY_LABELS.get(facility.category, facility.category),
                    entities.get(facility.entity_code),
                )
                for facility in page_obj.object_list
            ],
            facility_total=len(rows),
            category_options=selectors.category_counts(filters),
            entity_options=sorted(entities.values(), key=lambda entity: entity.name),
            selected_entity=entities.get(filters.entity_code),
            selected_category_label=CATEGORY_LABELS.get(filters.category, ""),
            entity_counts=selectors.entity_counts(filters),
            map_config=selectors.map_config(
                data_url=data_url, boundaries_url=reverse("facilities:boundaries")
            ),
            csv_url=reverse("facilities:csv") + (f"?{query}" if query else ""),
            geojson_url=data_url,
            sources=SOURCE_LABELS,
        )
        return context
