"""Debate spaces, debates, the officials who take part, and the moderation record.

Decidim's shape (space -> debate -> comments) without its concerns-soup: the pages hold
content and dates, the predicates that follow from them (`state`, `accepts_comments`)
live here because they are pure functions of the page, and every rule that involves a
user lives in `rules.py`.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from debates import territory
from debates.blocks import CalendarBlock, DebateStreamBlock

ENTITY_CODE_RE = re.compile(r"^\d{5}$")
ENTITY_SPLIT_RE = re.compile(r"[\s,;]+")


def entity_code_validate(value: str) -> None:
    """An INE code of five digits that the territory's reference data knows."""
    if not ENTITY_CODE_RE.match(value or ""):
        raise ValidationError(
            _("%(code)s is not an entity code: use the INE code of 5 digits, e.g. 08298."),
            params={"code": value},
            code="entity-code-format",
        )
    known = territory.entities_by_code()
    # When the reference data cannot be read at all we accept well-formed codes rather
    # than lock editors out; the page shows the code instead of a name.
    if known and value not in known:
        raise ValidationError(
            _("%(code)s is not a local entity of the province."),
            params={"code": value},
            code="entity-code-unknown",
        )


def entity_codes_parse(raw: str) -> list[str]:
    """Codes from free text (comma, space or newline separated), de-duplicated, in order."""
    codes: list[str] = []
    for token in ENTITY_SPLIT_RE.split(raw or ""):
        if token and token not in codes:
            codes.append(token)
    return codes


def entity_codes_validate(raw: str) -> None:
    errors = []
    for code in entity_codes_parse(raw):
        try:
            entity_code_validate(code)
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)


# ---- Pages ----


class DebateIndexPage(Page):
    """A space of reflection: its purpose, who takes part, the calendar and its debates."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: anyone may read, verified officials may take part")
        RESTRICTED = "restricted", _("Restricted to the invited entities")

    intro = models.TextField(_("purpose"), help_text=_("What this space is for, in a paragraph."))
    participants = RichTextField(
        _("who takes part"), blank=True, features=["bold", "italic", "link", "ul"]
    )
    calendar = StreamField(
        CalendarBlock(),
        verbose_name=_("calendar"),
        blank=True,
        help_text=_(
            "Milestones of the space. Each debate's opening and closing dates are added "
            "from the debate itself: do not type them here."
        ),
    )
    body = StreamField(DebateStreamBlock(), verbose_name=_("body"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    invited_entities = models.TextField(
        _("invited entities"),
        blank=True,
        validators=[entity_codes_validate],
        help_text=_(
            "INE codes of the invited local entities (5 digits), separated by commas or new "
            "lines, e.g. 08279, 08298. In a restricted space only their verified officials "
            "may read and take part."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("participants"),
        MultiFieldPanel(
            [FieldPanel("visibility"), FieldPanel("invited_entities")],
            heading=_("Who may take part"),
        ),
        FieldPanel("calendar"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = ["intro", "visibility"]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["debates.DebatePage"]

    class Meta:
        verbose_name = _("debate space")
        verbose_name_plural = _("debate spaces")

    @property
    def invited_entity_codes(self) -> list[str]:
        return entity_codes_parse(self.invited_entities)

    @property
    def is_restricted(self) -> bool:
        return self.visibility == self.Visibility.RESTRICTED

    def get_context(self, request, *args, **kwargs):
        from debates import rules, selectors

        context = super().get_context(request, *args, **kwargs)
        from debates import lifecycle

        context["debates"] = selectors.space_debates(space=self)
        context["calendar"] = lifecycle.space_calendar(
            space=self, debates=[d for group in context["debates"].values() for d in group]
        )
        context["invited"] = selectors.entities_named(self.invited_entity_codes)
        context["can_read"] = rules.space_read_allowed(user=request.user, space=self)
        return context

    def serve(self, request, *args, **kwargs):
        from debates import rules

        denial = rules.space_read_denial(request=request, space=self)
        if denial is not None:
            return denial
        return super().serve(request, *args, **kwargs)


class DebateState(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class DebatePage(Page):
    """One question put to the local governments, with its context, dates and outcome."""

    question = models.CharField(_("question"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    context = StreamField(DebateStreamBlock(), verbose_name=_("context"), blank=True)
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(
        _("closes"), null=True, blank=True, help_text=_("Leave empty to close it by hand.")
    )
    closed_manually = models.BooleanField(
        _("closed"), default=False, help_text=_("Close now, whatever the closing date says.")
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    conclusions = RichTextField(
        _("conclusions"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul", "h3"],
        help_text=_(
            "Shown once the debate is closed. Moderators can also write them, in Markdown, "
            "when they close the debate from its page."
        ),
    )
    answer = RichTextField(
        _("the Diputació's answer"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul", "h3", "document-link"],
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("question"),
        FieldPanel("summary"),
        FieldPanel("context"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("closed_manually"),
            ],
            heading=_("Dates"),
        ),
        MultiFieldPanel([FieldPanel("conclusions"), FieldPanel("answer")], heading=_("Outcome")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("question"),
        index.SearchField("summary"),
        index.SearchField("context"),
        index.SearchField("conclusions"),
    ]
    api_fields = ["question", "summary", "opens_at", "closes_at", "conclusions", "answer"]

    parent_page_types = ["debates.DebateIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("debate")
        verbose_name_plural = _("debates")

    def clean(self):
        from debates import lifecycle

        super().clean()
        errors = lifecycle.debate_dates_errors(
            opens_at=self.opens_at, closes_at=self.closes_at, closed_manually=self.closed_manually
        )
        if errors:
            raise ValidationError(errors)
        lifecycle.debate_closed_stamp(self)

    # ---- State (pure functions of the dates and the explicit close) ----

    def state_at(self, moment: datetime) -> str:
        if self.closed_manually or (self.closes_at is not None and moment >= self.closes_at):
            return DebateState.CLOSED
        if self.opens_at and moment < self.opens_at:
            return DebateState.UPCOMING
        return DebateState.OPEN

    @property
    def state(self) -> str:
        return self.state_at(timezone.now())

    @property
    def state_label(self) -> str:
        return DebateState(self.state).label

    def accepts_comments(self) -> bool:
        return self.live and self.state == DebateState.OPEN

    def get_context(self, request, *args, **kwargs):
        from debates import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.debate_page_context(debate=self, request=request, **kwargs))
        return context

    def serve(self, request, *args, **kwargs):
        from debates import rules

        denial = rules.space_read_denial(request=request, space=self.get_parent().specific)
        if denial is not None:
            return denial
        response = super().serve(request, *args, **kwargs)
        status = kwargs.get("status")
        if status:
            response.status_code = status
        return response


# ---- People ----


class Official(models.Model):
    """A user who speaks for a local entity; editors invite and verify them."""

    class Role(models.TextChoices):
        MAYOR = "mayor", _("Mayor")
        COUNCILLOR = "councillor", _("Councillor")
        TECHNICIAN = "technician", _("Municipal technician")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="official",
    )
    entity_code = models.CharField(
        _("local entity (INE code)"), max_length=5, validators=[entity_code_validate]
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    position = models.CharField(
        _("position"), max_length=150, blank=True, help_text=_("E.g. Councillor for Finance.")
    )
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("Checked by the Diputació: this person speaks for this entity."),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["entity_code", "user__last_name"]
        indexes = [models.Index(fields=["entity_code"])]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()}, {self.entity_name})"

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def entity_name(self) -> str:
        return territory.entity_name(self.entity_code)


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
    debate = models.ForeignKey(DebatePage, on_delete=models.CASCADE, related_name="comment_details")
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
        DebatePage, primary_key=True, on_delete=models.CASCADE, related_name="+"
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
        DebatePage,
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
    debate = models.ForeignKey(DebatePage, on_delete=models.CASCADE, related_name="follows")
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
