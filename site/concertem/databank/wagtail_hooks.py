"""Admin: the "Data bank" menu (import values, the indicator catalogue) and its URLs."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList, TabbedInterface
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from concertem.databank import admin_urls
from concertem.databank.admin_views import PERMISSION
from concertem.databank.forms import IndicatorForm
from concertem.databank.models import Indicator


@hooks.register("register_admin_urls")
def databank_admin_urls():
    return [path("databank/", include(admin_urls, namespace="databank_admin"))]


def _texts(suffix: str) -> list[FieldPanel]:
    return [FieldPanel(f"{field}{suffix}") for field in ("name", "definition", "method")]


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    icon = "table"
    add_to_admin_menu = False
    menu_label = _("Indicator catalogue")
    list_display = ["code", "name", "publisher_code", "unit", "territorial_level", "updated_at"]
    list_filter = ["unit", "territorial_level", "value_type", "translation_pending"]
    search_fields = ["code", "publisher_code", "name", "name_es", "name_en"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("code"), FieldPanel("publisher_code")]),
                    FieldRowPanel(
                        [FieldPanel("unit"), FieldPanel("decimals"), FieldPanel("direction")]
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("periodicity"),
                            FieldPanel("value_type"),
                            FieldPanel("aggregation"),
                        ]
                    ),
                    # Several levels may be ticked: a row of its own for the checkboxes.
                    FieldPanel("territorial_level"),
                    FieldRowPanel([FieldPanel("value_min"), FieldPanel("value_max")]),
                    FieldPanel("sdg_targets"),
                    FieldPanel("sdg_indicators"),
                    FieldPanel("disaggregations"),
                    FieldPanel("categories"),
                    FieldPanel("dimensions"),
                    FieldPanel("source"),
                    FieldPanel("source_url"),
                    FieldPanel("licence"),
                    FieldPanel("sdg_rationale"),
                    FieldPanel("position"),
                ],
                heading=_("Indicator"),
            ),
            ObjectList([*_texts(""), FieldPanel("translation_pending")], heading="Català"),
            ObjectList(_texts("_es"), heading="Español"),
            ObjectList(_texts("_en"), heading="English"),
        ],
        base_form_class=IndicatorForm,
    )


register_snippet(IndicatorViewSet)


class ImportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(PERMISSION)


class CatalogueMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm("databank.change_indicator")


@hooks.register("register_admin_menu_item")
def databank_menu_item():
    menu = Menu(
        items=[
            ImportMenuItem(
                _("Import values"), reverse("databank_admin:index"), icon_name="upload", order=10
            ),
            CatalogueMenuItem(
                _("Indicator catalogue"),
                reverse(Indicator.snippet_viewset.get_url_name("list")),
                icon_name="table",
                order=20,
            ),
        ]
    )
    return SubmenuMenuItem(_("Data bank"), menu, icon_name="table", order=880)
