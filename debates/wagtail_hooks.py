"""Wagtail admin wiring: officials (invite, verify), blocked users, the moderation queue,
the moderation log and the participation reports."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from debates import officials, reports, rules
from debates.models import DebatePage, ModerationAction, Official, UserBlock


class OfficialViewSet(SnippetViewSet):
    model = Official
    icon = "user"
    menu_label = _("Officials")
    list_display = ["__str__", "entity_code", "role", "verified", "created_at"]
    list_filter = ["verified", "role"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "entity_code"]
    panels = [
        FieldPanel("user"),
        FieldPanel("entity_code"),
        FieldPanel("role"),
        FieldPanel("position"),
        FieldPanel("verified"),
    ]


class UserBlockViewSet(SnippetViewSet):
    model = UserBlock
    icon = "warning"
    menu_label = _("Blocked users")
    list_display = ["user", "reason", "blocked_by", "created_at"]
    panels = [FieldPanel("user"), FieldPanel("reason")]


class DebatesViewSetGroup(SnippetViewSetGroup):
    items = (OfficialViewSet, UserBlockViewSet)
    menu_icon = "group"
    menu_label = _("Debate participants")
    menu_name = "debate-participants"


register_snippet(DebatesViewSetGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def official_admin_saved(request: HttpRequest, instance) -> None:
    """Record who invited, verified or blocked, whichever admin form was used."""
    if isinstance(instance, Official):
        if instance.invited_by_id is None:
            Official.objects.filter(pk=instance.pk).update(invited_by=request.user)
        if instance.verified and instance.verified_at is None:
            officials.official_verify(official=instance, verifier=request.user)
    elif isinstance(instance, UserBlock) and instance.blocked_by_id is None:
        UserBlock.objects.filter(pk=instance.pk).update(blocked_by=request.user)
        ModerationAction.objects.create(
            action=ModerationAction.Action.BLOCK,
            actor=request.user,
            target_user=instance.user,
            reason=instance.reason,
        )


@hooks.register("after_delete_snippet")
def user_block_admin_deleted(request: HttpRequest, instances) -> None:
    for instance in instances:
        if isinstance(instance, UserBlock):
            ModerationAction.objects.create(
                action=ModerationAction.Action.UNBLOCK,
                actor=request.user,
                target_user_id=instance.user_id,
            )


# ---- Moderation views ----


def _moderator_required(request: HttpRequest) -> None:
    if not rules.user_is_moderator(request.user):
        raise PermissionDenied


def queue_view(request: HttpRequest) -> HttpResponse:
    _moderator_required(request)
    return render(
        request,
        "debates/admin/queue.html",
        {"items": reports.moderation_queue(), "next": request.path},
    )


def log_view(request: HttpRequest) -> HttpResponse:
    _moderator_required(request)
    actions = ModerationAction.objects.select_related("actor", "target_user", "debate")
    action = request.GET.get("action")
    if action in ModerationAction.Action.values:
        actions = actions.filter(action=action)
    page = Paginator(actions, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "debates/admin/log.html",
        {"page": page, "actions": ModerationAction.Action.choices, "current": action},
    )


def reports_view(request: HttpRequest) -> HttpResponse:
    _moderator_required(request)
    debates = DebatePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by(
        "-opens_at"
    )
    return render(request, "debates/admin/reports.html", {"debates": debates})


def report_view(request: HttpRequest, debate_id: int) -> HttpResponse:
    _moderator_required(request)
    debate = get_object_or_404(DebatePage, pk=debate_id)
    report = reports.participation_report(debate=debate)
    bars = [
        (day, count, int(count * 100 / report.max_per_day) if report.max_per_day else 0)
        for day, count in report.by_day
    ]
    return render(
        request,
        "debates/admin/report.html",
        {"report": report, "bars": bars, "now": timezone.now()},
    )


admin_urls = [
    path("queue/", queue_view, name="queue"),
    path("log/", log_view, name="log"),
    path("reports/", reports_view, name="reports"),
    path("reports/<int:debate_id>/", report_view, name="report"),
]


@hooks.register("register_admin_urls")
def debates_admin_urls():
    return [path("debates/", include((admin_urls, "debates_admin"), namespace="debates_admin"))]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return rules.user_is_moderator(request.user)


@hooks.register("register_admin_menu_item")
def debates_moderation_menu_item():
    return ModeratorMenuItem(
        _("Debate moderation"), reverse("debates_admin:queue"), icon_name="warning", order=250
    )
