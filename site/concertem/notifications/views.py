"""HTTP for the officials' corner: the notifications list and the my-municipality /
my-territory pages. Thin: the work is in services.py and municipality.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from concertem.notifications import municipality, services
from concertem.notifications.models import Notification
from concertem.office.selectors import actor_of

PER_PAGE = 30


# ---- Notifications ----


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page_obj": page,
            "items": services.notification_items(list(page.object_list)),
            "unread": services.unread_count(request),
        },
    )


@login_required
@require_GET
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Follow a notification: it is read, and the person lands on what it is about."""
    notification = services.notification_read(user=request.user, notification_id=notification_id)
    if notification is None:
        raise Http404  # someone else's: nobody learns it exists
    return HttpResponseRedirect(services.notification_target(notification))


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    if services.notification_read(user=request.user, notification_id=notification_id) is None:
        raise Http404
    messages.success(request, _("The notification is marked as read."))
    return HttpResponseRedirect(reverse("notifications:list"))


@login_required
@require_POST
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(user=request.user)
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return HttpResponseRedirect(reverse("notifications:list"))


# ---- My municipality, my territory ----


def _roles(user):
    actor = actor_of(user)
    official = actor.official if actor.official and actor.official.verified else None
    return actor, official


def _not_for_you(request: HttpRequest, actor) -> HttpResponse:
    """Someone who is neither a verified official nor an agent: say what the page is for
    and where to go instead (403: the role is missing, nothing is broken)."""
    response = render(
        request,
        "notifications/not_official.html",
        {"unverified": actor.official is not None and not actor.official.verified},
    )
    response.status_code = 403
    return response


@login_required
@require_GET
def my_municipality(request: HttpRequest) -> HttpResponse:
    actor, official = _roles(request.user)
    if official is None:
        if actor.agent is not None:
            return HttpResponseRedirect(reverse("notifications:my-territory"))
        return _not_for_you(request, actor)
    context = municipality.municipality_context(user=request.user, official=official)
    context["is_agent"] = actor.agent is not None
    return render(request, "notifications/my_municipality.html", context)


@login_required
@require_GET
def my_territory(request: HttpRequest) -> HttpResponse:
    actor, official = _roles(request.user)
    if actor.agent is None:
        if official is not None:
            return HttpResponseRedirect(reverse("notifications:my-municipality"))
        return _not_for_you(request, actor)
    context = municipality.territory_context(user=request.user)
    context["is_official"] = official is not None
    return render(request, "notifications/my_territory.html", context)
