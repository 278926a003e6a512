"""What the debates (debates.signals) and the office (concertem.office.signals) announce, turned
into in-app notifications and e-mails. The sources sit below this app and do not import
it: they announce, this app listens."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django_comments_xtd.models import XtdComment

from concertem.notifications import debate_emails, office_emails, services
from concertem.notifications.models import Notification
from concertem.office import signals as office_signals
from debates import signals, territory
from debates.models import DebateFollow
from debates.rules import debate_space, space_read_allowed

logger = logging.getLogger(__name__)


def _may_read(user_id: int, debate) -> bool:
    """Whether this person may still read the debate's space (restricted spaces)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return user is not None and space_read_allowed(user=user, space=debate_space(debate))


def _entity_name(code: str) -> str:
    return territory.entity_name(code) if code else ""


@receiver(signals.comment_published, dispatch_uid="notifications.comment_published")
def comment_published_notify(sender, comment, debate, follower_ids, **kwargs) -> None:
    """The author of the comment replied to hears of a reply (even without following the
    debate); the other followers hear of a new comment. Never the writer themself."""
    detail = getattr(comment, "detail", None)
    params = {
        "actor": comment.user_name,
        "entity": _entity_name(detail.entity_code if detail else ""),
        "debate_id": debate.pk,
        "debate": debate.title,
        "comment_id": comment.pk,
    }
    url = f"{debate.url}#c{comment.pk}" if debate.url else ""
    parent_author = None
    if comment.parent_id and comment.parent_id != comment.pk:
        parent_author = (
            XtdComment.norel_objects.filter(pk=comment.parent_id)
            .values_list("user_id", flat=True)
            .first()
        )
    key = f"comment:{comment.pk}"
    if parent_author and not _may_read(parent_author, debate):
        parent_author = None  # no longer invited to the space: not told of the reply
    if parent_author and parent_author != comment.user_id:
        services.notifications_create(
            recipient_ids=[parent_author],
            kind=Notification.Kind.COMMENT_REPLY,
            params=params,
            url=url,
            event_key=key,
        )
    others = [
        user_id for user_id in follower_ids if user_id not in (comment.user_id, parent_author)
    ]
    services.notifications_create(
        recipient_ids=others,
        kind=Notification.Kind.DEBATE_COMMENT,
        params=params,
        url=url,
        event_key=key,
    )


@receiver(signals.debate_closed, dispatch_uid="notifications.debate_closed")
def debate_closed_notify(sender, debate, actor, **kwargs) -> None:
    followers = (
        DebateFollow.objects.filter(debate=debate, user__is_active=True)
        .exclude(user_id=getattr(actor, "pk", None))
        .select_related("user")
    )
    space = debate_space(debate)
    services.notifications_create(
        recipient_ids=[
            follow.user_id
            for follow in followers
            if space_read_allowed(user=follow.user, space=space)
        ],
        kind=Notification.Kind.DEBATE_CLOSED,
        params={"debate_id": debate.pk, "debate": debate.title},
        url=debate.url or "",
        event_key=f"closed:{debate.pk}",
    )


@receiver(signals.comment_published, dispatch_uid="notifications.comment_published_email")
def comment_published_email(sender, comment, debate, follower_ids, **kwargs) -> int:
    """The followers' e-mails (at once or queued for the digest), as each chose."""
    return debate_emails.comment_emails_send(
        comment=comment, debate=debate, follower_ids=follower_ids
    )


@receiver(signals.comment_deleted, dispatch_uid="notifications.comment_deleted")
def comment_deleted_unqueue(sender, comment_id, **kwargs) -> None:
    debate_emails.comment_pending_drop(comment_id=comment_id)


@receiver(office_signals.request_changed, dispatch_uid="notifications.request_changed")
def request_changed_notify(sender, request, recipients, actor_id, text, event, **kwargs) -> int:
    """The bell (when the change is an event for it) and the e-mails about one change."""
    if event:
        try:
            request_event_notify(
                request=request, recipients=recipients, actor_id=actor_id, event=event
            )
        except Exception:  # the bell must never stop the e-mails
            logger.exception("notifications: no in-app notification for request %s", request.pk)
    return office_emails.request_emails_send(
        request=request, recipients=recipients, actor_id=actor_id, text=text
    )


@receiver(office_signals.request_idle, dispatch_uid="notifications.request_idle")
def request_idle_remind(sender, request, users, idle_days, **kwargs) -> int:
    return sum(
        office_emails.reminder_send(request=request, user=user, idle_days=idle_days)
        for user in users
    )


def request_event_notify(*, request, recipients, actor_id: int | None, event: dict) -> int:
    """The in-app notification of one change, for the people its e-mails are for."""
    kind = event.get("kind", "")
    if kind not in Notification.Kind.values:
        return 0
    params = {
        "reference": request.reference,
        "subject": request.subject[:120],
        "entity": request.entity_name,
        "state": event.get("state", request.state),
        "actor": event.get("actor", ""),
    }
    return services.notifications_create(
        recipient_ids=[user.pk for user in recipients if user.pk != actor_id],
        kind=kind,
        params=params,
        url=event.get("url", ""),
        event_key=event.get("key", ""),
    )
