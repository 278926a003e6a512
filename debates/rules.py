"""Rules: who may do what in a debate, and the settings they read.

Every refusal is a `DebateActionError` with a stable `code` (tests check codes), an HTTP
status, and a message written for the person refused. Views turn it into a page that says
what happened; nothing here knows about requests except `space_read_denial`. Nothing here
writes: the writes (commenting, moderation, following, officials) call these rules.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_comments_xtd.models import XtdComment

from debates.models import (
    CommentDetail,
    DebateIndexPage,
    DebatePage,
    DebateState,
    Official,
    UserBlock,
)

logger = logging.getLogger(__name__)

User = AbstractBaseUser | AnonymousUser


class DebateActionError(Exception):
    """A refusal the user can understand; `code` is stable, `status` is the HTTP status."""

    def __init__(self, message: str, *, code: str, status: int = 403) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


def comment_max_length() -> int:
    return getattr(settings, "COMMENT_MAX_LENGTH", 3000)


def comment_edit_window() -> timedelta:
    return timedelta(minutes=getattr(settings, "DEBATES_COMMENT_EDIT_MINUTES", 15))


def comment_rate_limit() -> tuple[int, int]:
    """(comments, seconds): at most that many comments per user in that many seconds."""
    count, seconds = getattr(settings, "DEBATES_COMMENT_RATE_LIMIT", (5, 60))
    return int(count), int(seconds)


def max_thread_level() -> int:
    return getattr(settings, "COMMENTS_XTD_MAX_THREAD_LEVEL", 3)


def user_is_moderator(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("debates.moderate_debates"))
    )


def user_is_blocked(user: User) -> bool:
    if not user.is_authenticated:
        return False
    return UserBlock.objects.filter(user=user).exists()


def official_of(user: User) -> Official | None:
    if not user.is_authenticated:
        return None
    # Cached on the user object: one page asks several times per request.
    if not hasattr(user, "_debates_official"):
        user._debates_official = Official.objects.filter(user=user).first()
    return user._debates_official


def debate_canonical(debate: DebatePage) -> DebatePage:
    """The page the comments hang on: the default-language version of the debate.

    A debate translated into Spanish and English is one conversation, not three, so
    every translation shows (and posts to) the same thread.
    """
    if debate.locale.language_code == settings.LANGUAGE_CODE:
        return debate
    source = (
        DebatePage.objects.filter(
            translation_key=debate.translation_key,
            locale__language_code=settings.LANGUAGE_CODE,
        )
        .select_related("locale")
        .first()
    )
    return source or debate


def debate_space(debate: DebatePage) -> DebateIndexPage:
    parent = debate.get_parent()
    return parent.specific if parent is not None else None


def space_read_allowed(*, user: User, space: DebateIndexPage | None) -> bool:
    if space is None or not space.is_restricted:
        return True
    if user_is_moderator(user):
        return True
    official = official_of(user)
    return bool(
        official and official.verified and official.entity_code in space.invited_entity_codes
    )


def restricted_space_paths_denied(user: User) -> list[str]:
    """Tree paths of the restricted spaces this user may not read (their debates are below).

    A space counts as restricted when any translation of it is: an editor who restricts
    the Catalan space and not yet its Spanish copy must not leave the copy readable.
    """
    restricted = list(
        DebateIndexPage.objects.filter(visibility=DebateIndexPage.Visibility.RESTRICTED)
    )
    if not restricted or user_is_moderator(user):
        return []
    denied_keys = {
        space.translation_key
        for space in restricted
        if not space_read_allowed(user=user, space=space)
    }
    if not denied_keys:
        return []
    return list(
        DebateIndexPage.objects.filter(translation_key__in=denied_keys).values_list(
            "path", flat=True
        )
    )


def pages_readable(pages: QuerySet, *, user: User) -> QuerySet:
    """`pages` without the restricted spaces (and their debates) this user may not read.

    For every list of pages that is not the page itself: the pages API, site search.
    """
    denied = restricted_space_paths_denied(user)
    if not denied:
        return pages
    hidden = Q()
    for path in denied:
        hidden |= Q(path__startswith=path)
    return pages.exclude(hidden)


def space_read_denial(
    *, request: HttpRequest, space: DebateIndexPage | None
) -> HttpResponse | None:
    """None when the request may read the space; otherwise the response to send."""
    if space_read_allowed(user=request.user, space=space):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return refusal_response(
        request,
        DebateActionError(
            _(
                "This space is restricted to the verified officials of the local entities "
                "invited to it. If your entity should take part, write to the Diputació."
            ),
            code="space-restricted",
        ),
    )


def refusal_response(request: HttpRequest, error: DebateActionError) -> HttpResponse:
    html = render_to_string("debates/refused.html", {"error": error}, request=request)
    return HttpResponse(html, status=error.status)


def participant_check(*, user: User, space: DebateIndexPage | None) -> Official:
    """The official the user speaks as in this space, or a refusal saying why not."""
    if not user.is_authenticated:
        raise DebateActionError(
            _("Log in as an official of a local entity to take part."),
            code="login-required",
        )
    if user_is_blocked(user):
        raise DebateActionError(
            _(
                "Your account has been blocked by the moderators: you can read the debates "
                "but not take part. Write to the Diputació if you think this is a mistake."
            ),
            code="user-blocked",
        )
    official = official_of(user)
    if official is None:
        raise DebateActionError(
            _(
                "Only officials of local entities take part in the debates. Your account is "
                "not registered as an official."
            ),
            code="not-official",
        )
    if not official.verified:
        raise DebateActionError(
            _(
                "Your account as an official is waiting to be verified by the Diputació. "
                "You will be able to take part once it is."
            ),
            code="official-unverified",
        )
    if (
        space is not None
        and space.is_restricted
        and (official.entity_code not in space.invited_entity_codes)
    ):
        raise DebateActionError(
            _("Only the entities invited to this space take part in its debates."),
            code="entity-not-invited",
        )
    return official


def comment_authorize(*, user: User, debate: DebatePage) -> Official:
    """May this user comment on this debate now? Returns the official they speak as."""
    official = participant_check(user=user, space=debate_space(debate))
    state = debate.state
    if not debate.live or state == DebateState.CLOSED:
        raise DebateActionError(
            _("This debate is closed: it no longer accepts comments."), code="debate-closed"
        )
    if state == DebateState.UPCOMING:
        raise DebateActionError(
            _("This debate has not opened yet. It opens on %(date)s.")
            % {"date": timezone.localtime(debate.opens_at).strftime("%d/%m/%Y %H:%M")},
            code="debate-upcoming",
        )
    return official


def comment_edit_authorize(*, user: User, comment: XtdComment, now: datetime | None = None) -> None:
    if not user.is_authenticated or comment.user_id != user.pk:
        raise DebateActionError(_("You can only edit your own comments."), code="not-author")
    now = now or timezone.now()
    if now - comment.submit_date > comment_edit_window():
        minutes = int(comment_edit_window().total_seconds() // 60)
        raise DebateActionError(
            _("Comments can be edited for %(minutes)s minutes after posting; that time is over.")
            % {"minutes": minutes},
            code="edit-window-passed",
        )
    detail = CommentDetail.objects.filter(comment=comment).first()
    if detail is not None and detail.is_hidden:
        raise DebateActionError(
            _("A comment hidden by the moderators cannot be edited."), code="comment-hidden"
        )
    comment_deleted_refuse(detail)
    comment_authorize(user=user, debate=comment_debate(comment))


def comment_debate(comment: XtdComment) -> DebatePage:
    detail = CommentDetail.objects.filter(comment=comment).select_related("debate").first()
    if detail is not None:
        return detail.debate
    return DebatePage.objects.get(pk=int(comment.object_pk))


def comment_deleted_refuse(detail: CommentDetail | None) -> None:
    if detail is not None and detail.is_deleted:
        raise DebateActionError(
            _("This comment was deleted by its author."), code="comment-deleted", status=400
        )


def comment_hidden_check(comment: XtdComment) -> None:
    """A comment hidden by the moderators (or removed) takes no reaction and no reply: the
    pages offer neither, and no other route may either."""
    detail = CommentDetail.objects.filter(comment_id=comment.pk).first()
    if comment.is_removed or not comment.is_public or (detail is not None and detail.is_hidden):
        raise DebateActionError(
            _("This comment was hidden by the moderators."), code="comment-hidden"
        )


def reaction_authorize(*, user: User, comment: XtdComment, closed_ok: bool = False) -> DebatePage:
    debate = comment_debate(comment)
    participant_check(user=user, space=debate_space(debate))
    comment_hidden_check(comment)
    if not closed_ok and debate.state != DebateState.OPEN:
        raise DebateActionError(
            _("This debate is not open: reactions are closed."), code="debate-closed"
        )
    return debate


def report_authorize(*, user: User, comment: XtdComment) -> DebatePage:
    """Who may report a comment: whoever may react to it, after closing too (a closed
    debate is still published), except its author."""
    debate = reaction_authorize(user=user, comment=comment, closed_ok=True)
    if comment.user_id == user.pk:
        # The page offers no "Report" on one's own comment; no other route may either.
        raise DebateActionError(
            _("You cannot report your own comment."), code="own-comment", status=400
        )
    return debate


def moderator_check(user: User) -> None:
    if not user_is_moderator(user):
        raise DebateActionError(
            _("Only the Diputació's moderators can do this."), code="not-moderator"
        )
