"""Who hears about a support request, and when a request is idle: the office's rules.

Who hears about a request: the verified officials of its entity, its agent (or, while it
has none, the office's managers), never the person who made the change. The office
announces the change (concertem.office.signals); the notifications app writes the e-mails (each
person chooses immediate e-mails or a daily digest) and the in-app notifications.
Reminders of idle requests always go out at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.utils import timezone

from concertem.office import selectors
from concertem.office.models import FINAL_STATES, RequestState, SupportRequest
from concertem.office.rules import idle_days
from concertem.office.signals import event_announce, request_changed, request_idle
from debates.models import Official


def request_url(request: SupportRequest) -> str:
    page = selectors.office_page()
    if page is None:
        return ""
    path = page.url + page.reverse_subpage("request_route", args=[request.reference])
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{path}"


def entity_officials(entity_code: str) -> list[AbstractBaseUser]:
    officials = Official.objects.filter(
        entity_code=entity_code, verified=True, user__is_active=True
    ).select_related("user")
    return [official.user for official in officials]


def request_recipients(request: SupportRequest) -> list[AbstractBaseUser]:
    users = entity_officials(request.entity_code)
    if request.agent is not None and request.agent.active:
        users.append(request.agent.user)
    else:
        users.extend(selectors.managers_all())
    unique: dict[int, AbstractBaseUser] = {}
    for user in users:
        if user.is_active and user.email:
            unique.setdefault(user.pk, user)
    return list(unique.values())


def request_notifications_send(
    *, request_id: int, actor_id: int | None, text: str, event: dict | None = None
) -> int:
    """Announce one change to everyone concerned; returns how many e-mails went out now.

    ``event`` (what happened, without words) also becomes an in-app notification for the
    same people, written in each reader's language when they read it."""
    request = (
        SupportRequest.objects.select_related("agent__user", "service")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return 0
    recipients = request_recipients(request)
    if event:
        event = {**event, "url": request_url(request)}
    results = event_announce(
        request_changed,
        request=request,
        recipients=recipients,
        actor_id=actor_id,
        text=text,
        event=event,
    )
    return sum(result for result in results if isinstance(result, int))


def idle_requests(*, now: datetime | None = None, days: int | None = None):
    now = now or timezone.now()
    cutoff = now - timedelta(days=days if days is not None else idle_days())
    return (
        SupportRequest.objects.exclude(state__in=FINAL_STATES)
        .filter(last_activity_at__lte=cutoff)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=cutoff))
        .select_related("agent__user")
    )


def idle_requests_remind(*, now: datetime | None = None, days: int | None = None) -> int:
    """Remind whoever holds the ball on each request idle for ``days`` (the setting
    ``OFFICE_IDLE_REMINDER_DAYS`` by default): the entity while the agent waits for it,
    the agent (or the managers) otherwise. At most one reminder per idle period."""
    now = now or timezone.now()
    sent = 0
    for request in idle_requests(now=now, days=days):
        if request.state == RequestState.WAITING:
            users = entity_officials(request.entity_code)
        elif request.agent is not None and request.agent.active:
            users = [request.agent.user]
        else:
            users = selectors.managers_all()
        idle_for = (now - request.last_activity_at).days
        reachable = {user.pk: user for user in users if user.is_active and user.email}
        results = event_announce(
            request_idle, request=request, users=list(reachable.values()), idle_days=idle_for
        )
        sent += sum(result for result in results if isinstance(result, int))
        SupportRequest.objects.filter(pk=request.pk).update(reminded_at=now)
    return sent
