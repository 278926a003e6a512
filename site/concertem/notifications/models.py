"""One in-app notification for one person.

The text is not stored: the kind and its parameters are, and the text is written when
it is read, in the reader's language (the same person may read the site in Catalan
today and in English tomorrow). `url` is the target in the default language, kept for
when the localised target cannot be found any more.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        COMMENT_REPLY = "comment_reply", _("A reply to your comment")
        DEBATE_COMMENT = "debate_comment", _("A new comment in a debate you follow")
        DEBATE_CLOSED = "debate_closed", _("A debate you follow was closed")
        REQUEST_NEW = "request_new", _("A new support request")
        REQUEST_STATE = "request_state", _("A support request changed state")
        REQUEST_MESSAGE = "request_message", _("A new message on a support request")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # What happened, once: a retried background task must not notify twice.
    event_key = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bell's count: unread rows of one person, read from the index alone.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread"
            ),
            models.Index(fields=["recipient", "-created_at"], name="notif_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"],
                condition=~Q(event_key=""),
                name="notif_event_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.kind} {self.params}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


# ---- E-mail: one preference per person and source, one queue for the daily digests ----


class EmailSource(models.TextChoices):
    """Who writes the e-mails: each source has its own preference and its own digest."""

    DEBATES = "debates", _("Debates")
    OFFICE = "office", _("Support requests")


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("One e-mail for each change")
    DAILY = "daily", _("A daily digest")
    NEVER = "never", _("No e-mails")


# Without a row: a daily digest of the debates (one message a day is what keeps people
# subscribed), and every change to a support request at once (someone is waiting).
FREQUENCY_DEFAULTS = {
    EmailSource.DEBATES: EmailFrequency.DAILY,
    EmailSource.OFFICE: EmailFrequency.IMMEDIATE,
}


class EmailPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    source = models.CharField(_("source"), max_length=20, choices=EmailSource.choices)
    frequency = models.CharField(
        _("e-mail notifications"), max_length=20, choices=EmailFrequency.choices
    )

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "source"], name="notif_email_pref_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.source}: {self.frequency}"


class PendingEmail(models.Model):
    """Something waiting for its reader's next daily digest of that source: a new comment
    in a followed debate, or a change (its text) to a support request."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=20, choices=EmailSource.choices)
    comment = models.ForeignKey(
        "django_comments_xtd.XtdComment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    request = models.ForeignKey(
        "office.SupportRequest", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.TextField(blank=True)
    # A default, not auto_now_add: the rows copied from the older queues keep their time.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "comment"],
                condition=Q(comment__isnull=False),
                name="notif_pending_comment_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.source}: {self.comment_id or self.text[:40]}"
