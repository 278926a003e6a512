"""Following debates, and announcing a new comment to the followers who may read it.

The e-mails and in-app notifications are the site's (the notifications app listens to
debates.signals): the debates app sits below the site and does not import it.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django_comments_xtd.models import XtdComment

from debates.models import CommentDetail, DebateFollow, DebatePage
from debates.rules import (
    DebateActionError,
    User,
    debate_canonical,
    debate_space,
    space_read_allowed,
)
from debates.signals import comment_published, event_announce

logger = logging.getLogger(__name__)


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


def comment_notifications_enqueue(*, comment_id: int) -> None:
    from debates.tasks import comment_notifications_task  # tasks imports this module

    try:
        comment_notifications_task.enqueue(comment_id=comment_id)
    except Exception:  # a notification must never undo or fail a posted comment
        logger.exception("debates: could not enqueue notifications for comment %s", comment_id)


def comment_followers_notify(*, comment_id: int) -> list[int]:
    """Announce a new comment to the debate's followers who may read it (the site turns
    that into e-mails and in-app notifications). Returns the ids announced to."""
    comment = XtdComment.objects.filter(pk=comment_id).select_related("user").first()
    if comment is None or not comment.is_public:
        return []
    detail = CommentDetail.objects.filter(comment=comment).select_related("debate").first()
    if detail is None:
        return []
    follows = (
        DebateFollow.objects.filter(debate=detail.debate)
        .exclude(user_id=comment.user_id)
        .select_related("user")
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
    return [follow.user_id for follow in readers]


def comment_published_announce(*, comment: XtdComment, debate: DebatePage, follows) -> None:
    """Tell the site that a comment went out to these followers (the same people the
    e-mails above are for, whatever their e-mail preference)."""
    event_announce(
        comment_published,
        comment=comment,
        debate=debate,
        follower_ids=[follow.user_id for follow in follows],
    )
