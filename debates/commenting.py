"""Writing comments: posting, editing, reacting, reporting and deleting one's own.

Each write checks its rule (debates.rules) first and raises its `DebateActionError`.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_comments.models import CommentFlag
from django_comments_xtd.models import DISLIKEDIT_FLAG, LIKEDIT_FLAG, XtdComment

from debates.following import comment_notifications_enqueue
from debates.markup import comment_html_render, html_plain_text
from debates.models import (
    CommentDetail,
    CommentReport,
    DebateFollow,
    DebatePage,
    DebateState,
    ModerationAction,
    Official,
)
from debates.ratelimit import window_count_incr
from debates.rules import (
    DebateActionError,
    User,
    comment_authorize,
    comment_deleted_refuse,
    comment_edit_authorize,
    comment_hidden_check,
    comment_max_length,
    comment_rate_limit,
    debate_canonical,
    max_thread_level,
    reaction_authorize,
    report_authorize,
)
from debates.signals import comment_deleted, event_announce
from debates.threads_cache import comments_version_bump

logger = logging.getLogger(__name__)


def comment_text_clean(text: str) -> str:
    """The text as it is stored, or a refusal saying why it cannot be."""
    return comment_text_prepare(text)[0]


def comment_text_prepare(text: str) -> tuple[str, str]:
    """(text as stored, its sanitised HTML), or a refusal saying why it cannot be stored.

    Checking that the text is readable takes its HTML: the callers that store the HTML
    take it from here, so a post renders its Markdown once.
    """
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise DebateActionError(_("The comment is empty."), code="comment-empty", status=400)
    if len(text) > comment_max_length():
        raise DebateActionError(
            _("The comment is too long: %(length)s characters, the limit is %(limit)s.")
            % {"length": len(text), "limit": comment_max_length()},
            code="comment-too-long",
            status=400,
        )
    html = comment_html_render(text)
    if not html_plain_text(html):
        # Only markup that the sanitiser removed (e.g. a bare <script>): nothing to read.
        raise DebateActionError(
            _("The comment has no readable text."), code="comment-empty", status=400
        )
    return text, html


def comment_rate_check(*, user: User, now: datetime | None = None) -> None:
    count, seconds = comment_rate_limit()
    now = now or timezone.now()
    recent = XtdComment.objects.filter(
        user=user, submit_date__gte=now - timedelta(seconds=seconds)
    ).count()
    if recent >= count:
        raise DebateActionError(
            _(
                "You have posted %(count)s comments in the last %(seconds)s seconds. Please "
                "wait a moment before posting again."
            )
            % {"count": recent, "seconds": seconds},
            code="rate-limited",
            status=429,
        )


def comment_parent_get(*, debate: DebatePage, parent_id: int | None) -> XtdComment | None:
    if not parent_id:
        return None
    content_type = ContentType.objects.get_for_model(DebatePage)
    parent = (
        XtdComment.objects.filter(pk=parent_id, content_type=content_type, object_pk=str(debate.pk))
        .select_related("detail")
        .first()
    )
    if parent is None:
        raise DebateActionError(
            _("The comment you are replying to is not part of this debate."),
            code="parent-invalid",
            status=400,
        )
    comment_hidden_check(parent)
    if parent.level >= max_thread_level():
        raise DebateActionError(
            _("This thread is as deep as it can go: reply to an earlier comment instead."),
            code="thread-too-deep",
            status=400,
        )
    return parent


def comment_row_build(
    *,
    debate: DebatePage,
    user: AbstractBaseUser,
    text: str,
    submitted_at: datetime,
    parent_id: int = 0,
    followup: bool = False,
    ip_address: str | None = None,
) -> XtdComment:
    """The unsaved comment row: how a debate's comment is addressed and signed, once.

    `comment_create` saves it with xtd's thread computation; `comments_bulk_create` (load
    tests) saves many with the thread fields set by hand.
    """
    return XtdComment(
        content_type=ContentType.objects.get_for_model(DebatePage),
        object_pk=str(debate.pk),
        site_id=settings.SITE_ID,
        user=user,
        user_name=(user.get_full_name() or user.get_username())[:50],
        user_email=user.email or "",
        comment=text,
        submit_date=submitted_at,
        ip_address=ip_address,
        is_public=True,
        followup=followup,
        parent_id=parent_id,
    )


def comment_create(
    *,
    debate: DebatePage,
    official: Official,
    text: str,
    html: str | None = None,
    parent: XtdComment | None = None,
    submitted_at: datetime | None = None,
    followup: bool = False,
    ip_address: str | None = None,
) -> XtdComment:
    """Store a comment with its detail (the author's entity and role then, its HTML), and
    the author's follow when asked: the one place a debate comment is created.

    No rule is checked here: `comment_post` checks them first; the demo content (past
    dates) and the test fixtures call this directly.
    """
    comment = comment_row_build(
        debate=debate,
        user=official.user,
        text=text,
        submitted_at=submitted_at or timezone.now(),
        parent_id=parent.pk if parent else 0,
        followup=followup,
        ip_address=ip_address,
    )
    comment.save()
    CommentDetail.objects.create(
        comment=comment,
        debate=debate,
        entity_code=official.entity_code,
        role=official.role,
        html=comment_html_render(text) if html is None else html,
    )
    if followup:
        DebateFollow.objects.get_or_create(user=official.user, debate=debate)
    return comment


@transaction.atomic
def comment_post(
    *,
    user: User,
    debate: DebatePage,
    text: str,
    parent_id: int | None = None,
    followup: bool = True,
    ip_address: str | None = None,
) -> XtdComment:
    debate = debate_canonical(debate)
    official = comment_authorize(user=user, debate=debate)
    text, html = comment_text_prepare(text)
    parent = comment_parent_get(debate=debate, parent_id=parent_id)
    comment_rate_check(user=user)
    comment = comment_create(
        debate=debate,
        official=official,
        text=text,
        html=html,
        parent=parent,
        followup=followup,
        ip_address=ip_address,
    )
    transaction.on_commit(lambda: comment_notifications_enqueue(comment_id=comment.pk))
    return comment


def comment_edit_rate_check(*, user: User) -> None:
    """Edits get the posting limit (DEBATES_COMMENT_RATE_LIMIT), counted apart.

    Each edit re-renders a comment and invalidates the debate's cached threads for every
    anonymous reader, so a loop of edits is as costly as a flood of posts. Stored edits
    leave no row per edit, so they are counted in the cache: per web worker with the
    default local-memory cache, exact with a shared one.
    """
    count, seconds = comment_rate_limit()
    if window_count_incr(f"debates:edit-rate:{user.pk}", seconds) > count:
        raise DebateActionError(
            _(
                "You have edited comments %(count)s times in the last %(seconds)s seconds. "
                "Please wait a moment before editing again."
            )
            % {"count": count, "seconds": seconds},
            code="rate-limited",
            status=429,
        )


@transaction.atomic
def comment_edit(*, user: User, comment: XtdComment, text: str) -> XtdComment:
    comment_edit_authorize(user=user, comment=comment)
    text, html = comment_text_prepare(text)
    comment_edit_rate_check(user=user)
    comment.comment = text
    comment.save(update_fields=["comment"])
    CommentDetail.objects.filter(comment=comment).update(html=html, edited_at=timezone.now())
    return comment


@transaction.atomic
def comment_like(*, user: User, comment: XtdComment) -> bool:
    """Toggle the user's agreement with a comment; True when it is now on."""
    reaction_authorize(user=user, comment=comment)
    if comment.user_id == user.pk:
        raise DebateActionError(
            _("You cannot show agreement with your own comment."), code="own-comment", status=400
        )
    flag, created = CommentFlag.objects.get_or_create(comment=comment, user=user, flag=LIKEDIT_FLAG)
    if not created:
        flag.delete()
    else:
        CommentFlag.objects.filter(comment=comment, user=user, flag=DISLIKEDIT_FLAG).delete()
    return created


@transaction.atomic
def comment_flag(*, user: User, comment: XtdComment) -> bool:
    """Ask the moderators to review a comment. Idempotent: True when newly flagged."""
    report_authorize(user=user, comment=comment)
    _flag, created = CommentFlag.objects.get_or_create(
        comment=comment, user=user, flag=CommentFlag.SUGGEST_REMOVAL
    )
    return created


def comment_detail_ensure(comment: XtdComment) -> CommentDetail:
    """The detail row of a comment, created for comments posted outside our view."""
    detail = CommentDetail.objects.filter(comment=comment).first()
    if detail is not None:
        return detail
    official = Official.objects.filter(user_id=comment.user_id).first()
    return CommentDetail.objects.create(
        comment=comment,
        debate=DebatePage.objects.get(pk=int(comment.object_pk)),
        entity_code=official.entity_code if official else "",
        role=official.role if official else "",
        html=comment_html_render(comment.comment),
    )


def comment_delete_authorize(*, user: User, comment: XtdComment) -> CommentDetail:
    """Only the author, only while the debate is open, never a comment the moderators
    hid (its text is the evidence of their decision). Blocked authors may still delete:
    removing one's own words is not taking part."""
    if not user.is_authenticated:
        raise DebateActionError(
            _("Log in to delete your comments."), code="login-required", status=403
        )
    if comment.user_id != user.pk:
        raise DebateActionError(_("You can only delete your own comments."), code="not-author")
    detail = comment_detail_ensure(comment)
    comment_deleted_refuse(detail)
    if detail.is_hidden:
        raise DebateActionError(
            _("A comment hidden by the moderators cannot be deleted. Write to the Diputació."),
            code="comment-hidden",
        )
    debate = detail.debate
    if not debate.live or debate.state == DebateState.CLOSED:
        raise DebateActionError(
            _(
                "This debate is closed: its contributions are part of the published record "
                "and can no longer be deleted. Write to the Diputació if you need to."
            ),
            code="debate-closed",
        )
    return detail


@transaction.atomic
def comment_delete(*, user: User, comment: XtdComment) -> CommentDetail:
    """Erase the text of one's own comment and keep its place in the thread.

    Replies stay where they are and readers see that the author deleted it; the text is
    erased (not only hidden) because the author asked for it to go. The open-data export
    leaves the comment out, the moderators' log records the deletion, and the cached
    threads of anonymous readers are replaced (a new comments version).
    """
    detail = comment_delete_authorize(user=user, comment=comment)
    now = timezone.now()
    XtdComment.objects.filter(pk=comment.pk).update(comment="", is_public=False, is_removed=True)
    detail.deleted_at = now
    detail.html = ""
    detail.save(update_fields=["deleted_at", "html"])
    # Digests not yet sent must not carry a comment that no longer exists.
    comment_id = comment.pk
    transaction.on_commit(lambda: event_announce(comment_deleted, comment_id=comment_id))
    ModerationAction.objects.create(
        action=ModerationAction.Action.DELETE_OWN,
        actor=user,
        comment=comment,
        target_user=user,
        debate=detail.debate,
    )
    comments_version_bump(detail.debate_id)
    return detail


REPORT_DETAILS_MAX = 1000


@transaction.atomic
def comment_report(*, user: User, comment: XtdComment, reason: str, details: str = "") -> bool:
    """Flag a comment for the moderators and say why. True when newly reported; a second
    report by the same person updates the reason."""
    if reason not in CommentReport.Reason.values:
        raise DebateActionError(
            _("Choose why you are reporting this comment."), code="reason-required", status=400
        )
    details = (details or "").replace("\r\n", "\n").strip()
    if len(details) > REPORT_DETAILS_MAX:
        raise DebateActionError(
            _("The explanation is too long: at most %(limit)s characters.")
            % {"limit": REPORT_DETAILS_MAX},
            code="details-too-long",
            status=400,
        )
    if reason == CommentReport.Reason.OTHER and not details:
        raise DebateActionError(
            _("Say in a few words what the other reason is."), code="details-required", status=400
        )
    created = comment_flag(user=user, comment=comment)
    flag = CommentFlag.objects.get(comment=comment, user=user, flag=CommentFlag.SUGGEST_REMOVAL)
    CommentReport.objects.update_or_create(
        flag=flag, defaults={"reason": reason, "details": details}
    )
    return created
