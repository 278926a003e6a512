"""The moderators' writes: hiding comments, dismissing reports, blocking users, closing
debates. Each is recorded in the moderation log (ModerationAction).
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_comments.models import CommentFlag
from django_comments_xtd.models import XtdComment

from debates import lifecycle
from debates.commenting import comment_detail_ensure
from debates.models import (
    CommentDetail,
    DebatePage,
    ModerationAction,
    UserBlock,
)
from debates.rules import (
    DebateActionError,
    User,
    debate_canonical,
    moderator_check,
    user_is_moderator,
)
from debates.signals import debate_closed, event_announce

logger = logging.getLogger(__name__)


@transaction.atomic
def comment_hide(*, moderator: User, comment: XtdComment, reason: str) -> CommentDetail:
    """Hide a comment's text, keep its place and its replies, and say why in public."""
    moderator_check(moderator)
    reason = (reason or "").strip()
    if not reason:
        raise DebateActionError(
            _("Give the reason readers will see in place of the comment."),
            code="reason-required",
            status=400,
        )
    detail = comment_detail_ensure(comment)
    detail.hidden_reason = reason[:300]
    detail.hidden_at = timezone.now()
    detail.hidden_by = moderator
    detail.save(update_fields=["hidden_reason", "hidden_at", "hidden_by"])
    XtdComment.objects.filter(pk=comment.pk).update(is_public=False)
    ModerationAction.objects.create(
        action=ModerationAction.Action.HIDE,
        actor=moderator,
        comment=comment,
        target_user_id=comment.user_id,
        debate=detail.debate,
        reason=detail.hidden_reason,
    )
    return detail


@transaction.atomic
def comment_unhide(*, moderator: User, comment: XtdComment, reason: str = "") -> CommentDetail:
    moderator_check(moderator)
    detail = comment_detail_ensure(comment)
    detail.hidden_reason = ""
    detail.hidden_at = None
    detail.hidden_by = None
    detail.save(update_fields=["hidden_reason", "hidden_at", "hidden_by"])
    XtdComment.objects.filter(pk=comment.pk).update(is_public=True)
    ModerationAction.objects.create(
        action=ModerationAction.Action.UNHIDE,
        actor=moderator,
        comment=comment,
        target_user_id=comment.user_id,
        debate=detail.debate,
        reason=reason,
    )
    return detail


@transaction.atomic
def comment_flags_dismiss(*, moderator: User, comment: XtdComment, reason: str = "") -> int:
    moderator_check(moderator)
    count, _deleted = CommentFlag.objects.filter(
        comment=comment, flag=CommentFlag.SUGGEST_REMOVAL
    ).delete()
    ModerationAction.objects.create(
        action=ModerationAction.Action.DISMISS_FLAGS,
        actor=moderator,
        comment=comment,
        target_user_id=comment.user_id,
        debate=comment_detail_ensure(comment).debate,
        reason=reason or _("%(count)s flag(s) dismissed") % {"count": count},
    )
    return count


@transaction.atomic
def user_block(*, moderator: User, user: AbstractBaseUser, reason: str) -> UserBlock:
    moderator_check(moderator)
    reason = (reason or "").strip()
    if not reason:
        raise DebateActionError(
            _("Say why the user is blocked; the reason is kept in the moderation log."),
            code="reason-required",
            status=400,
        )
    if user.pk == moderator.pk or user_is_moderator(user):
        raise DebateActionError(
            _("Moderators cannot be blocked from here."), code="cannot-block", status=400
        )
    block, _created = UserBlock.objects.update_or_create(
        user=user, defaults={"reason": reason, "blocked_by": moderator}
    )
    ModerationAction.objects.create(
        action=ModerationAction.Action.BLOCK, actor=moderator, target_user=user, reason=reason
    )
    return block


@transaction.atomic
def user_unblock(*, moderator: User, user: AbstractBaseUser, reason: str = "") -> None:
    moderator_check(moderator)
    UserBlock.objects.filter(user=user).delete()
    ModerationAction.objects.create(
        action=ModerationAction.Action.UNBLOCK, actor=moderator, target_user=user, reason=reason
    )


@transaction.atomic
def debate_close(
    *, debate: DebatePage, user: User, conclusions: str = "", answer: str = ""
) -> DebatePage:
    """Close a debate (every translation of it) and publish its conclusions and answer."""
    moderator_check(user)
    now = timezone.now()
    refusal = lifecycle.debate_close_refusal(debate, now=now)
    if refusal:
        raise DebateActionError(refusal, code="debate-not-open-yet", status=400)
    conclusions = (conclusions or "").strip()
    answer = (answer or "").strip()
    # Aliases (the synced page tree's copies) follow their source when it is published.
    translations = DebatePage.objects.filter(
        translation_key=debate.translation_key, alias_of__isnull=True
    )
    for page in translations:
        page.closed_manually = True
        page.closed_at = page.closed_at or now
        # The conclusions are written in the language of the page they were typed on;
        # translations without their own text get it too, to be translated later.
        if conclusions and (page.pk == debate.pk or not page.conclusions):
            page.conclusions = lifecycle.conclusions_html(conclusions)
        if answer and (page.pk == debate.pk or not page.answer):
            page.answer = lifecycle.conclusions_html(answer)
        revision = page.save_revision(user=user, log_action=True)
        if page.live:
            # Closing is a moderation right (checked above), not a page-publishing one:
            # an editor who may moderate debates may close them without Wagtail's
            # publish permission on the page.
            revision.publish(user=user, skip_permission_checks=True)
    ModerationAction.objects.create(
        action=ModerationAction.Action.CLOSE,
        actor=user,
        debate=debate_canonical(debate),
        reason=conclusions[:2000],
    )
    debate_closed_announce_later(debate=debate_canonical(debate), actor=user)
    return DebatePage.objects.get(pk=debate.pk)


def debate_closed_announce_later(*, debate: DebatePage, actor: User) -> None:
    transaction.on_commit(lambda: event_announce(debate_closed, debate=debate, actor=actor))
