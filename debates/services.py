"""Writes and rules: who may do what in a debate, and doing it.

Every refusal is a `DebateActionError` with a stable `code` (tests check codes), an HTTP
status, and a message written for the person refused. Views turn it into a page that says
what happened; nothing here knows about requests except `space_read_denial`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_comments.models import CommentFlag
from django_comments_xtd.models import DISLIKEDIT_FLAG, LIKEDIT_FLAG, XtdComment

from debates import territory
from debates.markup import comment_html_render, comment_plain_text, html_plain_text
from debates.models import (
    CommentDetail,
    DebateFollow,
    DebateIndexPage,
    DebatePage,
    DebateState,
    ModerationAction,
    NotificationPreference,
    Official,
    PendingNotification,
    UserBlock,
)
from debates.ratelimit import window_count_incr
from debates.user_language import user_language

logger = logging.getLogger(__name__)

User = AbstractBaseUser | AnonymousUser
UNSUBSCRIBE_SALT = "debates.unsubscribe"


class DebateActionError(Exception):
    """A refusal the user can understand; `code` is stable, `status` is the HTTP status."""

    def __init__(self, message: str, *, code: str, status: int = 403) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


# ---- Settings (read at call time so tests can override them) ----


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


# ---- Who is who ----


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


# ---- Reading ----


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
        from django.contrib.auth.views import redirect_to_login

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


# ---- Taking part ----


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


def comment_can_edit(*, user: User, comment: XtdComment, now: datetime | None = None) -> bool:
    try:
        comment_edit_authorize(user=user, comment=comment, now=now)
    except DebateActionError:
        return False
    return True


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
    comment = XtdComment(
        content_type=ContentType.objects.get_for_model(DebatePage),
        object_pk=str(debate.pk),
        site_id=settings.SITE_ID,
        user=user,
        user_name=(user.get_full_name() or user.get_username())[:50],
        user_email=user.email or "",
        comment=text,
        submit_date=timezone.now(),
        ip_address=ip_address,
        is_public=True,
        followup=followup,
        parent_id=parent.pk if parent else 0,
    )
    comment.save()
    CommentDetail.objects.create(
        comment=comment,
        debate=debate,
        entity_code=official.entity_code,
        role=official.role,
        html=html,
    )
    if followup:
        DebateFollow.objects.get_or_create(user=user, debate=debate)
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


# ---- Reactions and flags ----


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


@transaction.atomic
def comment_flag(*, user: User, comment: XtdComment) -> bool:
    """Ask the moderators to review a comment. Idempotent: True when newly flagged."""
    report_authorize(user=user, comment=comment)
    _flag, created = CommentFlag.objects.get_or_create(
        comment=comment, user=user, flag=CommentFlag.SUGGEST_REMOVAL
    )
    return created


# ---- Moderation ----


def moderator_check(user: User) -> None:
    if not user_is_moderator(user):
        raise DebateActionError(
            _("Only the Diputació's moderators can do this."), code="not-moderator"
        )


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
    from debates import lifecycle

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


# ---- Officials ----


@transaction.atomic
def official_register(
    *,
    user: AbstractBaseUser,
    entity_code: str,
    role: str,
    invited_by: AbstractBaseUser | None = None,
    position: str = "",
    verified: bool = False,
) -> Official:
    official, _created = Official.objects.get_or_create(
        user=user,
        defaults={
            "entity_code": entity_code,
            "role": role,
            "invited_by": invited_by,
            "position": position,
        },
    )
    official.entity_code = entity_code
    official.role = role
    official.position = position
    official.full_clean()
    official.save()
    if verified and not official.verified:
        official_verify(official=official, verifier=invited_by)
    return official


@transaction.atomic
def official_verify(*, official: Official, verifier: AbstractBaseUser | None) -> Official:
    official.verified = True
    official.verified_at = timezone.now()
    official.verified_by = verifier
    official.save(update_fields=["verified", "verified_at", "verified_by", "updated_at"])
    ModerationAction.objects.create(
        action=ModerationAction.Action.VERIFY,
        actor=verifier,
        target_user=official.user,
        reason=f"{official.get_role_display()}, {official.entity_name}",
    )
    return official


# ---- Following and notifications ----


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
    from debates.tasks import comment_notifications_task

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
    from django.contrib.auth import get_user_model

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


# ---- Deleting one's own comment ----


def comment_deleted_refuse(detail: CommentDetail | None) -> None:
    if detail is not None and detail.is_deleted:
        raise DebateActionError(
            _("This comment was deleted by its author."), code="comment-deleted", status=400
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
    from debates.threads_cache import comments_version_bump

    detail = comment_delete_authorize(user=user, comment=comment)
    now = timezone.now()
    XtdComment.objects.filter(pk=comment.pk).update(comment="", is_public=False, is_removed=True)
    detail.deleted_at = now
    detail.html = ""
    detail.save(update_fields=["deleted_at", "html"])
    # Digests not yet sent must not carry a comment that no longer exists.
    PendingNotification.objects.filter(comment=comment).delete()
    ModerationAction.objects.create(
        action=ModerationAction.Action.DELETE_OWN,
        actor=user,
        comment=comment,
        target_user=user,
        debate=detail.debate,
    )
    comments_version_bump(detail.debate_id)
    return detail


# ---- Reporting a comment, with a reason ----


REPORT_DETAILS_MAX = 1000


@transaction.atomic
def comment_report(*, user: User, comment: XtdComment, reason: str, details: str = "") -> bool:
    """Flag a comment for the moderators and say why. True when newly reported; a second
    report by the same person updates the reason."""
    from debates.models import CommentReport

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


# ---- Events for the rest of the site (in-app notifications) ----


def comment_published_announce(*, comment: XtdComment, debate: DebatePage, follows) -> None:
    """Tell the site that a comment went out to these followers (the same people the
    e-mails above are for, whatever their e-mail preference)."""
    from debates.signals import comment_published, event_announce

    event_announce(
        comment_published,
        comment=comment,
        debate=debate,
        follower_ids=[follow.user_id for follow in follows],
    )


def debate_closed_announce_later(*, debate: DebatePage, actor: User) -> None:
    from debates.signals import debate_closed, event_announce

    transaction.on_commit(lambda: event_announce(debate_closed, debate=debate, actor=actor))
