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


# The record around comments lives in its own module; imported here so that Django registers
# it with the app and callers keep importing every model from ``debates.models``.
from debates.comment_models import (  # noqa: E402
    CommentDetail,
    CommentReport,
    CommentsVersion,
    DebateFollow,
    ModerationAction,
    UserBlock,
)

__all__ = [
    "CommentDetail",
    "CommentReport",
    "CommentsVersion",
    "DebateFollow",
    "DebateIndexPage",
    "DebatePage",
    "DebateState",
    "ModerationAction",
    "Official",
    "UserBlock",
]
