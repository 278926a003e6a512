"""Admin: the service catalogue and the territorial agents as snippets, and a menu link
to the requests (handled on the public office page, where the state machine lives)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from concertem.office.models import Service, TerritorialAgent


class ServiceViewSet(SnippetViewSet):
    model = Service
    icon = "list-ul"
    menu_label = _("Service catalogue")
    list_display = ["code", "title", "area", "kind", "lead_time_days", "active"]
    list_filter = ["area", "kind", "active", "is_demo"]
    search_fields = ["code", "title", "title_es", "title_en", "description"]


class TerritorialAgentViewSet(SnippetViewSet):
    model = TerritorialAgent
    icon = "user"
    menu_label = _("Territorial agents")
    list_display = ["display_name", "comarques", "entity_codes", "active"]
    list_filter = ["active"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "comarques"]


class OfficeViewSetGroup(SnippetViewSetGroup):
    items = (ServiceViewSet, TerritorialAgentViewSet)
    menu_icon = "help"
    menu_label = _("Office for municipalities")
    menu_name = "office"


register_snippet(OfficeViewSetGroup)


class RequestsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm("office.manage_office")


@hooks.register("register_admin_menu_item")
def requests_menu_item() -> MenuItem:
    # A redirect rather than the page's URL: menu items are built once per process, and
    # the office page may be created (or moved) after that.
    return RequestsMenuItem(
        _("Support requests"), reverse("office:requests"), icon_name="mail", order=260
    )
