"""E-mails of the office: one per change, a daily digest, and reminders of idle requests.

Who hears about a request: the verified officials of its entity, its agent (or, while it
has none, the office's managers), never the person who made the change. Each chooses
immediate e-mails or a daily digest; reminders always go out at once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from debates.models import Official
from debates.user_language import user_language
from office import selectors
from office.models import (
    FINAL_STATES,
    NotificationPreference,
    PendingNotification,
    RequestState,
    SupportRequest,
)

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{path}"


def request_url(request: SupportRequest) -> str:
    page = selectors.office_page()
    if page is None:
        return ""
    return absolute_url(page.url + page.reverse_subpage("request_route", args=[request.reference]))


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


def frequency_of(user: AbstractBaseUser) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.frequency if preference else NotificationPreference.Frequency.IMMEDIATE


def request_notifications_send(
    *, request_id: int, actor_id: int | None, text: str, event: dict | None = None
) -> int:
    """Tell everyone concerned about one change; returns how many e-mails went out now.

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
        _inapp_notify(request=request, recipients=recipients, actor_id=actor_id, event=event)
    sent = 0
    for user in recipients:
        if user.pk == actor_id:
            continue
        if frequency_of(user) == NotificationPreference.Frequency.DAILY:
            PendingNotification.objects.create(user=user, request=request, text=text)
            continue
        _email_send(
            user=user,
            subject=_subject_of(request, user_language(user)),
            template="office/email/change.txt",
            context={"request": request, "items": [text], "url": request_url(request)},
        )
        sent += 1
    return sent


def _subject_of(request: SupportRequest, language: str) -> str:
    with translation.override(language):
        return _("[%(reference)s] %(state)s · %(subject)s") % {
            "reference": request.reference,
            "state": RequestState(request.state).label,
            "subject": request.subject[:80],
        }


def office_digests_send() -> int:
    """One e-mail per user with every change waiting for them; returns e-mails sent."""
    sent = 0
    for user_id in list(PendingNotification.objects.values_list("user_id", flat=True).distinct()):
        with transaction.atomic():
            pending = list(
                PendingNotification.objects.filter(user_id=user_id)
                .select_related("user", "request")
                .order_by("created_at", "id")
            )
            if not pending:
                continue
            user = pending[0].user
            groups: dict[int, dict] = {}
            for item in pending:
                group = groups.setdefault(
                    item.request_id,
                    {"request": item.request, "items": [], "url": request_url(item.request)},
                )
                group["items"].append(item.text)
            if user.is_active and user.email:
                with translation.override(user_language(user)):
                    subject = _("Concertem: %(count)s support request(s) changed") % {
                        "count": len(groups)
                    }
                _email_send(
                    user=user,
                    subject=subject,
                    template="office/email/digest.txt",
                    context={"groups": list(groups.values())},
                )
                sent += 1
            PendingNotification.objects.filter(pk__in=[item.pk for item in pending]).delete()
    return sent


def idle_requests(*, now: datetime | None = None, days: int | None = None):
    from office.rules import idle_days

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
        for user in {user.pk: user for user in users if user.is_active and user.email}.values():
            with translation.override(user_language(user)):
                subject = _("Reminder: %(reference)s has had no activity for %(days)s days") % {
                    "reference": request.reference,
                    "days": idle_for,
                }
            _email_send(
                user=user,
                subject=subject,
                template="office/email/reminder.txt",
                context={"request": request, "days": idle_for, "url": request_url(request)},
            )
            sent += 1
        SupportRequest.objects.filter(pk=request.pk).update(reminded_at=now)
    return sent


def _email_send(*, user: AbstractBaseUser, subject: str, template: str, context: dict) -> None:
    context = {
        **context,
        "user": user,
        "preferences_url": absolute_url(reverse("office:notifications")),
    }
    # In the language the person reads the site in (kept by the locale middleware).
    with translation.override(user_language(user)):
        body = render_to_string(template, context)
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )
    try:
        message.send()
    except Exception:  # one unreachable mailbox must not stop the others
        logger.exception("office: could not send %r to user %s", subject, user.pk)


def _inapp_notify(*, request: SupportRequest, recipients: list, actor_id: int | None, event: dict):
    from notifications.receivers import request_event_notify

    try:
        request_event_notify(
            request=request,
            recipients=recipients,
            actor_id=actor_id,
            event={**event, "url": request_url(request)},
        )
    except Exception:  # the bell must never stop the e-mails
        logger.exception("office: could not write in-app notifications for %s", request.pk)
