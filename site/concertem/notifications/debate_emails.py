"""The debates' e-mails: a new comment in a debate one follows, at once or in the daily
digest, as each follower chose. Called by the receivers of `debates.signals`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_comments_xtd.models import XtdComment

from concertem.notifications.emails import (
    absolute_url,
    email_frequency,
    email_send,
    pending_add,
    unsubscribe_url,
)
from concertem.notifications.models import EmailFrequency, EmailSource, PendingEmail
from debates import territory
from debates.markup import comment_plain_text
from debates.models import DebatePage
from debates.rules import debate_space, space_read_allowed
from debates.threads import comment_link
from debates.user_language import user_language


def comment_emails_send(*, comment: XtdComment, debate: DebatePage, follower_ids: list[int]) -> int:
    """Tell these followers (those who may read the debate, chosen by the debates) about a
    new comment: now, in the digest, or not at all. Returns how many e-mails went now."""
    sent = 0
    followers = get_user_model().objects.filter(pk__in=follower_ids, is_active=True)
    for user in followers.order_by("pk"):
        if not user.email or user.pk == comment.user_id:
            continue
        frequency = email_frequency(user, EmailSource.DEBATES)
        if frequency == EmailFrequency.IMMEDIATE:
            comment_email_send(user=user, comments=[comment], debate=debate)
            sent += 1
        elif frequency == EmailFrequency.DAILY:
            pending_add(user=user, source=EmailSource.DEBATES, comment=comment)
    return sent


def comment_digests_send() -> int:
    """Send each person one e-mail with all the comments waiting for them. Returns e-mails sent."""
    sent = 0
    queue = PendingEmail.objects.filter(source=EmailSource.DEBATES)
    for user_id in list(queue.values_list("user_id", flat=True).distinct()):
        with transaction.atomic():
            pending = list(
                queue.filter(user_id=user_id)
                .select_related("user", "comment", "comment__detail__debate")
                .order_by("comment__submit_date")
            )
            if not pending:
                continue
            user = pending[0].user
            # A comment hidden, deleted, or in a space the person may no longer read
            # since it was queued stays out.
            comments = [
                item.comment
                for item in pending
                if item.comment is not None
                and item.comment.is_public
                and hasattr(item.comment, "detail")
                and space_read_allowed(user=user, space=debate_space(item.comment.detail.debate))
            ]
            if comments and user.is_active and user.email:
                comment_email_send(user=user, comments=comments, debate=None)
                sent += 1
            PendingEmail.objects.filter(pk__in=[item.pk for item in pending]).delete()
    return sent


def _debate_in(debate: DebatePage, language: str) -> DebatePage:
    """The debate's translation in ``language`` (the debate itself when there is none)."""
    with translation.override(language):
        return debate.localized


def comment_email_send(
    *, user: AbstractBaseUser, comments: list[XtdComment], debate: DebatePage | None
) -> None:
    """One comment about one debate (``debate``), or the digest of several (no debate)."""
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
                "url": absolute_url(comment_link(shown.url, comment.pk)),
            }
        )
    with translation.override(language):
        unsubscribe_debate = unsubscribe_url(user=user, debate=debate) if debate else ""
        unsubscribe_all = unsubscribe_url(user=user)
        if debate is None:
            subject = _("Concertem: %(count)s new comment(s) in the debates you follow") % {
                "count": len(items)
            }
        else:
            title = _debate_in(debate, language).title
            subject = _("Concertem: new comment in «%(debate)s»") % {"debate": title}
    email_send(
        user=user,
        subject=subject,
        template="debates/email/notification.txt",
        context={
            "items": items,
            "digest": debate is None,
            "debate": debate,
            "unsubscribe_debate": unsubscribe_debate,
            "unsubscribe_all": unsubscribe_all,
        },
        unsubscribe_url=unsubscribe_debate or unsubscribe_all,
    )


def comment_pending_drop(*, comment_id: int) -> None:
    """A comment its author deleted leaves the digests not yet sent."""
    PendingEmail.objects.filter(comment_id=comment_id).delete()
