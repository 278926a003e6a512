"""Citizen-satisfaction surveys: the survey (a page editors build), its answers, its guards.

Answers are anonymous by construction: a response stores the municipality, the language,
the *date* (no time: a timestamp next to server logs could re-identify) and the answers —
never an IP address, a user or a session. The per-survey fingerprint that stops double
submissions lives in its own table with no link to the response it came with.
"""

from __future__ import annotations

import re
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page
from wagtail.search import index

from concertem.common.territory import entities_by_code

ENTITY_CODE_RE = re.compile(r"^\d{5}$")


def entity_codes_parse(raw: str) -> list[str]:
    """Codes separated by commas, spaces or new lines, in order, without repeats."""
    seen: list[str] = []
    for code in re.split(r"[\s,;]+", raw or ""):
        if code and code not in seen:
            seen.append(code)
    return seen


def entity_codes_validate(raw: str) -> None:
    known = entities_by_code()
    wrong = [
        code
        for code in entity_codes_parse(raw)
        if not ENTITY_CODE_RE.match(code) or (known and code not in known)
    ]
    if wrong:
        raise ValidationError(
            _("Not INE codes of municipalities of the province: %(codes)s"),
            params={"codes": ", ".join(wrong)},
            code="entity-codes",
        )


def salt_new() -> str:
    return secrets.token_hex(16)


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale 0–10")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


class SurveyPage(RoutablePageMixin, Page):
    """One survey edition (e.g. 2025), open in some municipalities between two dates."""

    intro = models.TextField(_("introduction"), blank=True)
    thanks_text = models.TextField(
        _("thank-you text"), blank=True, help_text=_("Shown after an answer is recorded.")
    )
    series = models.SlugField(
        _("series"),
        max_length=60,
        default="municipal-services",
        help_text=_(
            "Editions of the same survey share a series and question keys, so that results "
            "compare across years."
        ),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    entity_codes = models.TextField(
        _("municipalities"),
        validators=[entity_codes_validate],
        help_text=_(
            "INE codes (5 digits) of the municipalities where the survey is open, "
            "separated by commas or spaces."
        ),
    )
    # Salts the per-survey fingerprint: fingerprints cannot be matched across surveys.
    # Copied to the translations, which share the survey's answers.
    fingerprint_salt = models.CharField(max_length=64, default=salt_new, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("series"),
                FieldPanel("year"),
                FieldPanel("opens_at"),
                FieldPanel("closes_at"),
                FieldPanel("entity_codes"),
            ],
            heading=_("Edition and opening"),
        ),
        InlinePanel("questions", label=_("Questions"), min_num=1),
        FieldPanel("thanks_text"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("survey page")

    def clean(self) -> None:
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The survey must close after it opens.")})

    # ---- Predicates ----

    @property
    def survey_key(self) -> uuid.UUID:
        """The same for every translation: answers in ca, es and en count together."""
        return self.translation_key

    @property
    def open_entity_codes(self) -> list[str]:
        return entity_codes_parse(self.entity_codes)

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.opens_at <= moment < self.closes_at

    def accepts_answers_for(self, entity_code: str, moment=None) -> bool:
        return self.is_open(moment) and entity_code in self.open_entity_codes

    # ---- Routes (thin: concertem.surveys.views calls the services and selectors) ----
    # The views module imports this one, so it is imported inside each route.

    @path("")
    def index_route(self, request):
        from concertem.surveys import views

        return views.survey_index(request, self)

    @path("answer/<str:entity_code>/")
    def answer_route(self, request, entity_code: str):
        from concertem.surveys import views

        return views.survey_answer(request, self, entity_code)

    @path("thanks/")
    def thanks_route(self, request):
        from concertem.surveys import views

        return views.survey_thanks(request, self)

    @path("results/")
    def results_route(self, request):
        from concertem.surveys import views

        return views.survey_results(request, self)

    @path("results/<str:entity_code>/")
    def entity_results_route(self, request, entity_code: str):
        from concertem.surveys import views

        return views.survey_entity_results(request, self, entity_code)

    @path("data/aggregates/")
    def aggregates_route(self, request):
        from concertem.surveys import views

        return views.survey_aggregates_csv(request, self)

    @path("data/microdata/")
    def microdata_route(self, request):
        from concertem.surveys import views

        return views.survey_microdata_csv(request, self)


class SurveyQuestion(Orderable):
    page = ParentalKey(SurveyPage, related_name="questions", on_delete=models.CASCADE)
    key = models.SlugField(
        _("key"),
        max_length=40,
        help_text=_(
            "Stable identifier, the same in every language and year (e.g. "
            "cleanliness). Used in the open data."
        ),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    choices = models.TextField(
        _("choices"),
        blank=True,
        help_text=_(
            "Single and multiple choice: one option per line. Keep the same order "
            "in every language: answers are stored by position."
        ),
    )
    low_label = models.CharField(_("label for 0"), max_length=60, blank=True)
    high_label = models.CharField(_("label for 10"), max_length=60, blank=True)
    required = models.BooleanField(_("required"), default=True)

    panels = [
        FieldPanel("key"),
        FieldPanel("kind"),
        FieldPanel("text"),
        FieldPanel("help_text"),
        FieldPanel("choices"),
        FieldPanel("low_label"),
        FieldPanel("high_label"),
        FieldPanel("required"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        super().clean()
        if (
            self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
            and len(self.choice_labels) < 2
        ):
            raise ValidationError({"choices": _("Give at least two options, one per line.")})

    @property
    def choice_labels(self) -> list[str]:
        return [line.strip() for line in (self.choices or "").splitlines() if line.strip()]


class SurveyResponse(models.Model):
    survey_key = models.UUIDField(_("survey"), db_index=True)
    series = models.SlugField(max_length=60)
    year = models.PositiveSmallIntegerField()
    entity_code = models.CharField(_("municipality"), max_length=5)
    language = models.CharField(max_length=8)
    submitted_on = models.DateField(default=timezone.localdate)
    # Random, so that sorting the microdata by it reveals nothing about submission order.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    is_demo = models.BooleanField(
        _("demo answer"), default=False, help_text=_("Generated for the demo, not a real opinion.")
    )
    # The release (batch) that published this response; empty until one does. Results and
    # microdata only ever show released responses (see concertem.surveys.releases).
    released_in = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("survey response")
        indexes = [models.Index(fields=["survey_key", "entity_code"])]

    def __str__(self) -> str:
        return f"{self.series} {self.year} · {self.entity_code} · {self.public_id}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, related_name="answers", on_delete=models.CASCADE)
    question_key = models.SlugField(max_length=40)
    number = models.SmallIntegerField(null=True, blank=True)  # 0–10, or 1-based option
    options = models.CharField(max_length=200, blank=True)  # multiple: "1,3"
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("survey answer")
        indexes = [models.Index(fields=["question_key"])]

    def __str__(self) -> str:
        return f"{self.question_key}: {self.number if self.number is not None else self.options}"


class SurveyFingerprint(models.Model):
    """A salted hash per survey and device; no time and no link to the response."""

    survey_key = models.UUIDField()
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey_key", "digest"], name="survey_fingerprint_once")
        ]

    def __str__(self) -> str:
        return self.digest[:12]


class SurveyAddressMark(models.Model):
    """How many answers a survey got from one network address (a keyed hash of it).

    Kept apart from the responses and without time, like the fingerprints.
    """

    survey_key = models.UUIDField()
    digest = models.CharField(max_length=64)
    answers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey_key", "digest"], name="survey_address_once")
        ]

    def __str__(self) -> str:
        return f"{self.digest[:12]} × {self.answers}"


class SurveyRelease(models.Model):
    """One published batch of a survey's responses: results never change between two."""

    survey_key = models.UUIDField(db_index=True)
    number = models.PositiveIntegerField()
    respondents = models.PositiveIntegerField()
    released_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey_key", "number"], name="survey_release_once")
        ]
        ordering = ["survey_key", "number"]

    def __str__(self) -> str:
        return f"{self.survey_key} #{self.number} ({self.respondents})"
