"""The record kept around comments: each comment's detail (its debate, its state), the
users moderators blocked, the moderation log, follows, reports and the threads' cache
version. Registered with the app through ``debates.models``, which re-exports them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserBlock(models.Model):
    """A user the moderators stopped from commenting, reacting and flagging."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="debate_block",
    )
    reason = models.TextField(_("reason"))
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blocked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("blocked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("blocked user")
        verbose_name_plural = _("blocked users")

    def __str__(self) -> str:
        return str(self.user)


# ---- Comments: what django-comments-xtd does not keep ----


class CommentDetail(models.Model):
    """Per-comment facts kept beside the xtd comment.

    The entity and role are copied at posting time: an official who later moves to
    another town must not rewrite who said what in a closed debate. `debate` is a real
    foreign key (xtd's `object_pk` is text) so reports and exports join cheaply.
    """

    comment = models.OneToOneField(
        "django_comments_xtd.XtdComment",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="detail",
    )
    debate = models.ForeignKey(
        "debates.DebatePage", on_delete=models.CASCADE, related_name="comment_details"
    )
    entity_code = models.CharField(max_length=5, blank=True)
    role = models.CharField(max_length=20, blank=True)
    # Rendered once when written, not on every page view: a thread of a thousand
    # comments must not run Markdown a thousand times per request.
    html = models.TextField(blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(_("reason shown to readers"), max_length=300, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the author deleted the comment: its text is erased, its place in the
    # thread stays so that the replies keep their context.
    deleted_at = models.DateTimeField(_("deleted by its author at"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment detail")
        indexes = [models.Index(fields=["debate", "entity_code"])]

    def __str__(self) -> str:
        return f"comment {self.comment_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class CommentsVersion(models.Model):
    """A debate's comments version: changes whenever what a reader sees of its comments
    changes (a comment posted, edited, hidden, shown, removed; a reaction).

    It keys the cache of the rendered threads that anonymous readers get (see
    debates/threads_cache.py). It lives in the database, not in the cache, so every web
    worker sees the same number whatever the cache backend; the value is a clock reading
    in nanoseconds rather than a counter so that a database that was reset never repeats
    a number an old cache entry was stored under.
    """

    debate = models.OneToOneField(
        "debates.DebatePage", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    number = models.BigIntegerField()

    class Meta:
        verbose_name = _("comments version")

    def __str__(self) -> str:
        return f"debate {self.debate_id}: {self.number}"


class ModerationAction(models.Model):
    """The audit log: every moderation decision, who took it and why."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hid a comment")
        UNHIDE = "unhide", _("Made a comment visible again")
        DISMISS_FLAGS = "dismiss_flags", _("Dismissed the flags on a comment")
        BLOCK = "block", _("Blocked a user")
        UNBLOCK = "unblock", _("Unblocked a user")
        CLOSE = "close", _("Closed a debate")
        VERIFY = "verify", _("Verified an official")
        DELETE_OWN = "delete_own", _("Deleted their own comment")

    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.ForeignKey(
        "django_comments_xtd.XtdComment",
        verbose_name=_("comment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    debate = models.ForeignKey(
        "debates.DebatePage",
        verbose_name=_("debate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-id"]
        permissions = [("moderate_debates", _("Can moderate debates and their comments"))]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"


# ---- Notifications ----


class DebateFollow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="debate_follows"
    )
    debate = models.ForeignKey(
        "debates.DebatePage", on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "debate"], name="debates_follow_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.debate_id}"


# ---- Reports (flags) with their reason ----


class CommentReport(models.Model):
    """Why someone flagged a comment: django-comments' flag keeps only who and when.

    One row per flag, deleted with it (dismissing the flags dismisses their reasons)."""

    class Reason(models.TextChoices):
        OFFENSIVE = "offensive", _("Offensive or disrespectful")
        PERSONAL_DATA = "personal_data", _("Contains personal data")
        SPAM = "spam", _("Spam or advertising")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Another reason")

    flag = models.OneToOneField(
        "django_comments.CommentFlag",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="report",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    details = models.TextField(_("details"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("report reason")
        verbose_name_plural = _("report reasons")

    def __str__(self) -> str:
        return f"flag {self.flag_id}: {self.reason}"
