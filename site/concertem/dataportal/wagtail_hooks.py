from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from concertem.dataportal import admin_urls
from concertem.dataportal.formula_drafts import FormulaDraftForm
from concertem.dataportal.models import FormulaDraft
from concertem.dataportal.publish_services import PERMISSION


@hooks.register("register_admin_urls")
def publish_admin_urls():
    return [
        path("publish/", include(admin_urls, namespace="dataportal_admin")),
        path(
            "formula-drafts/",
            include((admin_urls.drafts_urlpatterns, "dataportal_drafts")),
        ),
    ]


class PublishMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def publish_menu_item():
    return PublishMenuItem(
        _("Publish open data"),
        reverse("dataportal_admin:publish-index"),
        icon_name="upload",
        order=900,
    )


class DraftsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("dataportal.change_formuladraft")


@hooks.register("register_admin_menu_item")
def drafts_menu_item():
    return DraftsMenuItem(
        _("Formula drafts"), reverse("dataportal_drafts:index"), icon_name="calculator", order=890
    )


class FormulaDraftViewSet(SnippetViewSet):
    model = FormulaDraft
    icon = "calculator"
    add_to_admin_menu = False
    list_display = ["title", "base_formula", "updated_at"]
    # A new draft starts from the current formula's text (FormulaDraftForm).
    edit_handler = ObjectList(
        [FieldPanel("title"), FieldPanel("base_formula"), FieldPanel("text"), FieldPanel("notes")],
        base_form_class=FormulaDraftForm,
    )


register_snippet(FormulaDraftViewSet)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def draft_to_preview(request, instance):
    # After saving a draft, show its effect straight away.
    if isinstance(instance, FormulaDraft):
        if instance.created_by_id is None:
            FormulaDraft.objects.filter(pk=instance.pk).update(created_by=request.user)
        return redirect("dataportal_drafts:preview", draft_id=instance.pk)
    return None
