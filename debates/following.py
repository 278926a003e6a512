"""Following debates and the e-mails that followers receive."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_comments_xtd.models import XtdComment

from debates import territory
from debates.markup import comment_plain_text
from debates.models import (
    CommentDetail,
    DebateFollow,
    DebatePage,
    NotificationPreference,
    PendingNotification,
)
from debates.rules import (
    DebateActionError,
    User,
    debate_canonical,
    debate_space,
    space_read_allowed,
)
from debates.signals import comment_published, event_announce
from debates.user_language import user_language

logger = logging.getLogger(__name__)


UNSUBSCRIBE_SALT = "debates.unsubscribe"


def debate_follow_set(*, user: User, debate: DebatePage, follow: bool) -> bool:
    if not user.is_authenticated:
        raise DebateActionError(_("Log in to follow a debate."), code="login-required")
    debate = debate_canonical(debate)
    if follow and not space_read_allowed(user=user, space=debate_space(debate)):
        # Following sends the comments by e-mail: only to those who may read them.
        raise DebateActionError(
            _("Only the entities invited to this space take part in its debates."),
            code="entity-not-invited",
        )
    if follow:
        DebateFollow.objects.get_or_create(user=user, debate=debate)
    else:
        DebateFollow.objects.filter(user=user, debate=debate).delete()
    return follow


def notification_frequency(user: AbstractBaseUser) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.frequency if preference else NotificationPreference.Frequency.DAILY


def notification_frequency_set(*, user: AbstractBaseUser, frequency: str) -> None:
    if frequency not in NotificationPreference.Frequency.values:
        raise DebateActionError(_("Unknown frequency."), code="frequency-invalid", status=400)
    NotificationPreference.objects.update_or_create(user=user, defaults={"frequency": frequency})


def comment_notifications_enqueue(*, comment_id: int) -> None:
    from debates.tasks import comment_notifications_task  # tasks imports this module

    try:
        comment_notifications_task.enqueue(comment_id=comment_id)
    except Exception:  # a notification must never undo or fail a posted comment
        logger.exception("debates: could not enqueue notifications for comment %s", comment_id)


def comment_notifications_send(*, comment_id: int) -> int:
    """Tell the debate's followers about a new comment: now, in the digest, or not at all.

    Returns how many e-mails were sent immediately.
    """
    comment = XtdComment.objects.filter(pk=comment_id).select_related("user").first()
    if comment is None or not comment.is_public:
        return 0
    detail = CommentDetail.objects.filter(comment=comment).select_related("debate").first()
    if detail is None:
        return 0
    follows = (
        DebateFollow.objects.filter(debate=detail.debate)
        .exclude(user_id=comment.user_id)
        .select_related("user", "user__debate_notifications")
    )
    space = debate_space(detail.debate)
    # Only those who may still read the space hear of it, by e-mail or in the site: a
    # follower no longer invited would learn the title, the author and the text.
    readers = [
        follow
        for follow in follows
        if follow.user.is_active and space_read_allowed(user=follow.user, space=space)
    ]
    comment_published_announce(comment=comment, debate=detail.debate, follows=readers)
    sent = 0
    for follow in readers:
        recipient = follow.user
        if not recipient.email:
            continue
        preference = getattr(recipient, "debate_notifications", None)
        frequency = preference.frequency if preference else NotificationPreference.Frequency.DAILY
        if frequency == NotificationPreference.Frequency.IMMEDIATE:
            notification_email_send(user=recipient, comments=[comment], debate=detail.debate)
            sent += 1
        elif frequency == NotificationPreference.Frequency.DAILY:
            PendingNotification.objects.get_or_create(user=recipient, comment=comment)
    return sent


def comment_digests_send() -> int:
    """Send each user one e-mail with all the comments waiting for them. Returns e-mails sent."""
    sent = 0
    user_ids = PendingNotification.objects.values_list("user_id", flat=True).distinct()
    for user_id in list(user_ids):
        with transaction.atomic():
            pending = list(
                PendingNotification.objects.filter(user_id=user_id)
                .select_related("user", "comment", "comment__detail__debate")
                .order_by("comment__submit_date")
            )
            if not pending:
                continue
            user = pending[0].user
            comments = [
                item.comment
                for item in pending
                if item.comment.is_public
                and hasattr(item.comment, "detail")
                and space_read_allowed(
                    user=pending[0].user, space=debate_space(item.comment.detail.debate)
                )
            ]
            if comments and user.is_active and user.email:
                notification_email_send(user=user, comments=comments, debate=None)
                sent += 1
            PendingNotification.objects.filter(pk__in=[item.pk for item in pending]).delete()
    return sent


def unsubscribe_token_make(*, user: AbstractBaseUser, debate: DebatePage | None = None) -> str:
    return signing.dumps({"u": user.pk, "d": debate.pk if debate else 0}, salt=UNSUBSCRIBE_SALT)


@dataclass(frozen=True)
class UnsubscribeRequest:
    user: AbstractBaseUser
    debate: DebatePage | None


def unsubscribe_token_days() -> int:
    """How long an unsubscribe link in an e-mail keeps working."""
    return int(getattr(settings, "DEBATES_UNSUBSCRIBE_DAYS", 60))


def unsubscribe_token_read(token: str) -> UnsubscribeRequest:
    days = unsubscribe_token_days()
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=days * 24 * 3600)
    except signing.SignatureExpired as error:
        raise DebateActionError(
            _(
                "This unsubscribe link has expired (links work for %(days)s days). Log in and "
                "choose which e-mails you receive from your account."
            )
            % {"days": days},
            code="unsubscribe-expired",
            status=400,
        ) from error
    except signing.BadSignature:
        data = None
    try:
        if data is None:
            raise signing.BadSignature("unsubscribe token")
        user = get_user_model().objects.get(pk=data["u"])
        debate = DebatePage.objects.filter(pk=data["d"]).first() if data.get("d") else None
    except (signing.BadSignature, KeyError, TypeError, ValueError, ObjectDoesNotExist) as error:
        raise DebateActionError(
            _("This unsubscribe link is not valid. Manage your e-mails from your account."),
            code="unsubscribe-invalid",
            status=400,
        ) from error
    return UnsubscribeRequest(user=user, debate=debate)


def notifications_unsubscribe(*, request: UnsubscribeRequest) -> None:
    if request.debate is not None:
        DebateFollow.objects.filter(user=request.user, debate=request.debate).delete()
    else:
        notification_frequency_set(
            user=request.user, frequency=NotificationPreference.Frequency.NEVER
        )


def absolute_url(path: str) -> str:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{path}"


def _debate_in(debate: DebatePage, language: str) -> DebatePage:
    """The debate's translation in ``language`` (the debate itself when there is none)."""
    with translation.override(language):
        return debate.localized


def notification_email_send(
    *, user: AbstractBaseUser, comments: list[XtdComment], debate: DebatePage | None
) -> None:
    language = user_language(user)
    items = []
    for comment in comments:
        detail = comment.detail
        shown = _debate_in(detail.debate, language)
        items.append(
            {
                "author": comment.user_name,
                "entity": territory.entity_name(detail.entity_code) if detail.entity_code else "",
                "debate": shown.title,
                "text": comment_plain_text(comment.comment)[:600],
                "url": absolute_url(f"{shown.url}#c{comment.pk}"),
            }
        )
    unsubscribe_debate = (
        absolute_url(
            reverse("debates:unsubscribe", args=[unsubscribe_token_make(user=user, debate=debate)])
        )
        if debate
        else ""
    )
    unsubscribe_all = absolute_url(
        reverse("debates:unsubscribe", args=[unsubscribe_token_make(user=user)])
    )
    context = {
        "user": user,
        "items": items,
        "digest": debate is None,
        "debate": debate,
        "unsubscribe_debate": unsubscribe_debate,
        "unsubscribe_all": unsubscribe_all,
        "preferences_url": absolute_url(reverse("debates:notifications")),
    }
    # In the language the person reads the site in (kept by the locale middleware).
    with translation.override(language):
        if debate is None:
            subject = _("Concertem: %(count)s new comment(s) in the debates you follow") % {
                "count": len(items)
            }
        else:
            title = _debate_in(debate, language).title
            subject = _("Concertem: new comment in «%(debate)s»") % {"debate": title}
        body = render_to_string("debates/email/notification.txt", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_debate or unsubscribe_all}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()


def comment_published_announce(*, comment: XtdComment, debate: DebatePage, follows) -> None:
    """Tell the site that a comment went out to these followers (the same people the
    e-mails above are for, whatever their e-mail preference)."""
    event_announce(
        comment_published,
        comment=comment,
        debate=debate,
        follower_ids=[follow.user_id for follow in follows],
    )
