"""Admin: cooperation actions and programmes as snippets (editors attach documents there)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from concertem.cooperation.models import CooperationAction, Programme


class CooperationActionViewSet(SnippetViewSet):
    model = CooperationAction
    icon = "form"
    menu_label = _("Actions")
    list_display = ["action_id", "title", "entity_code", "programme", "status", "amount_granted"]
    list_filter = ["status", "kind", "programme", "is_demo"]
    search_fields = ["title", "action_id", "entity_code"]


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "folder-open-inverse"
    menu_label = _("Programmes")
    list_display = ["code", "name"]


class CooperationViewSetGroup(SnippetViewSetGroup):
    items = (CooperationActionViewSet, ProgrammeViewSet)
    menu_icon = "form"
    menu_label = _("Cooperation")
    menu_name = "cooperation"


register_snippet(CooperationViewSetGroup)
