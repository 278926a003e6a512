"""Creating, counting, reading and marking notifications.

Created from the places that already detect the events and compute who hears about
them (debates: `debates.signals`, see receivers.py; office:
`concertem.office.notifications.request_notifications_send`), so the recipients are the same
people the e-mails are for, whatever their e-mail preference.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_comments_xtd.models import XtdComment

from concertem.notifications.models import Notification
from concertem.office.models import RequestState
from concertem.office.selectors import office_page_local
from debates.models import DebatePage
from debates.threads import comment_link

Kind = Notification.Kind
BELL_MAX = 99


# ---- Creating ----


def notifications_create(
    *, recipient_ids: Iterable[int], kind: str, params: dict, url: str = "", event_key: str = ""
) -> int:
    """One notification per recipient (duplicates of the same event are skipped)."""
    rows = [
        Notification(
            recipient_id=user_id, kind=kind, params=params, url=url[:500], event_key=event_key
        )
        for user_id in dict.fromkeys(recipient_ids)
    ]
    if not rows:
        return 0
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=bool(event_key))
    return len(rows)


# ---- Counting (the bell) ----


def unread_count(request: HttpRequest) -> int:
    """The person's unread notifications: one query, once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    cached = getattr(request, "_notifications_unread", None)
    if cached is None:
        cached = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        request._notifications_unread = cached
    return cached


def bell_label(count: int) -> str:
    if count > BELL_MAX:
        return f"{BELL_MAX}+"
    return str(count)


# ---- Marking read ----


def notification_read(*, user, notification_id: int) -> Notification | None:
    """Mark one of the user's notifications read; None when it is not theirs."""
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# ---- Reading: the text and the target, in the reader's language ----


@dataclass(frozen=True)
class NotificationItem:
    notification: Notification
    text: str

    @property
    def pk(self) -> int:
        return self.notification.pk

    @property
    def is_unread(self) -> bool:
        return self.notification.read_at is None


def debate_titles(debate_ids: set[int]) -> dict[int, str]:
    """Titles of these (default-language) debates in the active language (two queries)."""
    if not debate_ids:
        return {}
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    canonical = dict(
        DebatePage.objects.filter(pk__in=debate_ids).values_list("translation_key", "pk")
    )
    titles = {
        canonical[key]: title
        for key, title in DebatePage.objects.filter(
            translation_key__in=canonical, locale__language_code=language
        ).values_list("translation_key", "title")
    }
    return titles


def notification_text(notification: Notification, titles: dict[int, str] | None = None) -> str:
    params = dict(notification.params or {})
    debate_id = params.get("debate_id")
    if titles and debate_id in titles:
        params["debate"] = titles[debate_id]
    kind = notification.kind
    if kind == Kind.COMMENT_REPLY:
        return _("%(actor)s replied to your comment in «%(debate)s».") % _safe(params)
    if kind == Kind.DEBATE_COMMENT:
        if params.get("entity"):
            return _("%(actor)s (%(entity)s) commented in «%(debate)s».") % _safe(params)
        return _("%(actor)s commented in «%(debate)s».") % _safe(params)
    if kind == Kind.DEBATE_CLOSED:
        return _("The debate «%(debate)s» is closed and its conclusions are published.") % _safe(
            params
        )
    if kind == Kind.REQUEST_NEW:
        return _("New support request %(reference)s from %(entity)s: «%(subject)s».") % _safe(
            params
        )
    if kind == Kind.REQUEST_STATE:
        state = params.get("state", "")
        params["state"] = RequestState(state).label if state in RequestState.values else state
        return _("Request %(reference)s «%(subject)s» is now: %(state)s.") % _safe(params)
    if kind == Kind.REQUEST_MESSAGE:
        return _("New message from %(actor)s on request %(reference)s «%(subject)s».") % _safe(
            params
        )
    return str(Notification.Kind(kind).label) if kind in Kind.values else kind


class _safe(dict):
    """Parameters for a message; a missing one reads as empty rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""


def notification_items(notifications: list[Notification]) -> list[NotificationItem]:
    ids = {n.params.get("debate_id") for n in notifications if n.params.get("debate_id")}
    titles = debate_titles({i for i in ids if isinstance(i, int)})
    return [
        NotificationItem(notification=n, text=notification_text(n, titles)) for n in notifications
    ]


def notification_target(notification: Notification) -> str:
    """Where the notification leads, in the active language; its stored link otherwise."""
    params = notification.params or {}
    try:
        if params.get("debate_id"):
            return _debate_target(params) or notification.url or "/"
        if params.get("reference"):
            return _request_target(params["reference"]) or notification.url or "/"
    except Exception:  # a page moved or deleted must not break the bell
        return notification.url or "/"
    return notification.url or "/"


def _debate_target(params: dict) -> str:
    canonical = DebatePage.objects.filter(pk=params["debate_id"]).first()
    if canonical is None:
        return ""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    page = (
        DebatePage.objects.live()
        .filter(translation_key=canonical.translation_key, locale__language_code=language)
        .first()
        or canonical
    )
    url = page.url or ""
    comment = (
        XtdComment.norel_objects.filter(pk=params["comment_id"]).first()
        if params.get("comment_id")
        else None
    )
    if comment is None or not url:
        return url
    return comment_link(url, comment.pk)


def _request_target(reference: str) -> str:
    page = office_page_local()
    if page is None or not page.url:
        return ""
    return page.url + page.reverse_subpage("request_route", args=[reference])
