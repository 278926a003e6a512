"""The office for attention to municipalities: its service catalogue, its territorial
agents, and the support requests local entities file with it.

A request's state only changes through ``concertem.office.services``
(``concertem.office.rules`` holds the state machine; the writes keep the audit trail and
announce the change); the models hold data and pure predicates. The office's Wagtail page
and its routes are in ``concertem.office.pages`` (imported here so that Django registers it
with the app's models).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.search import index

from concertem.office.pages import OfficePage  # noqa: F401 - registered with the app's models
from concertem.office.storage import PrivateStorage
from debates import territory
from debates.models import entity_codes_parse, entity_codes_validate

LIST_SPLIT_RE = re.compile(r"\s*[,;\n]\s*")


class Area(models.TextChoices):
    URBANISM = "urbanism", _("Urbanism and housing")
    ENVIRONMENT = "environment", _("Environment and energy")
    LEGAL = "legal", _("Legal advice and procurement")
    DIGITAL = "digital", _("E-government and IT")
    FINANCE = "finance", _("Finance and local taxation")
    SOCIAL = "social", _("Social services and equality")
    CULTURE = "culture", _("Culture and libraries")
    SPORTS = "sports", _("Sports")
    ECONOMY = "economy", _("Local economic development")
    MOBILITY = "mobility", _("Mobility and infrastructure")
    SAFETY = "safety", _("Civil protection and safety")


class SupportKind(models.TextChoices):
    TECHNICAL = "technical", _("Technical support")
    ECONOMIC = "economic", _("Economic support")


# ---- The service catalogue ----


class Service(index.Indexed, models.Model):
    """One kind of support the Diputació offers, in ca (required), es and en.

    The three languages are columns rather than Wagtail translations: a request points
    at *the* service, and withdrawing it must withdraw it in every language at once.
    """

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Stable identifier, e.g. URB-01. Cooperation actions refer to it."),
    )
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    kind = models.CharField(
        _("kind of support"),
        max_length=12,
        choices=SupportKind.choices,
        default=SupportKind.TECHNICAL,
    )
    title = models.CharField(_("title (Catalan)"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (Catalan)"))
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    eligible = models.TextField(_("who may ask (Catalan)"))
    eligible_es = models.TextField(_("who may ask (Spanish)"), blank=True)
    eligible_en = models.TextField(_("who may ask (English)"), blank=True)
    conditions = models.TextField(_("conditions (Catalan)"), blank=True)
    conditions_es = models.TextField(_("conditions (Spanish)"), blank=True)
    conditions_en = models.TextField(_("conditions (English)"), blank=True)
    lead_time_days = models.PositiveSmallIntegerField(
        _("typical lead time (days)"), validators=[MinValueValidator(1)]
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Untick to withdraw the service: it stays in the catalogue as withdrawn "
            "and no new request can be filed against it."
        ),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("area"), FieldPanel("kind")]),
        TabbedInterface(
            [
                ObjectList(
                    [
                        FieldPanel("title"),
                        FieldPanel("description"),
                        FieldPanel("eligible"),
                        FieldPanel("conditions"),
                    ],
                    heading="Català",
                ),
                ObjectList(
                    [
                        FieldPanel("title_es"),
                        FieldPanel("description_es"),
                        FieldPanel("eligible_es"),
                        FieldPanel("conditions_es"),
                    ],
                    heading="Español",
                ),
                ObjectList(
                    [
                        FieldPanel("title_en"),
                        FieldPanel("description_en"),
                        FieldPanel("eligible_en"),
                        FieldPanel("conditions_en"),
                    ],
                    heading="English",
                ),
            ]
        ),
        FieldRowPanel([FieldPanel("lead_time_days"), FieldPanel("active"), FieldPanel("is_demo")]),
    ]
    search_fields = [
        index.SearchField("title"),
        index.SearchField("title_es"),
        index.SearchField("title_en"),
        index.SearchField("description"),
        index.SearchField("description_es"),
        index.SearchField("description_en"),
        index.AutocompleteField("title"),
        index.FilterField("area"),
        index.FilterField("active"),
    ]

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("service catalogue")
        ordering = ["area", "code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    def localized(self, field: str) -> str:
        """The field in the active language, falling back to Catalan when untranslated."""
        language = (translation.get_language() or "ca")[:2]
        if language != "ca":
            value = getattr(self, f"{field}_{language}", "")
            if value:
                return value
        return getattr(self, field)

    @property
    def title_local(self) -> str:
        return self.localized("title")

    @property
    def description_local(self) -> str:
        return self.localized("description")

    @property
    def eligible_local(self) -> str:
        return self.localized("eligible")

    @property
    def conditions_local(self) -> str:
        return self.localized("conditions")


# ---- Territorial agents ----


def comarques_parse(raw: str) -> list[str]:
    names: list[str] = []
    for token in LIST_SPLIT_RE.split((raw or "").strip()):
        if token and token not in names:
            names.append(token)
    return names


def comarques_validate(raw: str) -> None:
    known = {entity.comarca for entity in territory.entities_by_code().values() if entity.comarca}
    unknown = [name for name in comarques_parse(raw) if known and name not in known]
    if unknown:
        raise ValidationError(
            _(
                "Unknown comarca: %(names)s. Use the names as the territory data spells them, "
                "e.g. Vallès Occidental."
            ),
            params={"names": ", ".join(unknown)},
            code="comarca-unknown",
        )


class TerritorialAgent(models.Model):
    """A member of the Diputació's staff who follows the requests of a territory.

    The territory is a list of comarques, a list of entities, or both; an entity listed
    explicitly goes to that agent even if another agent covers its comarca.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="office_agent",
    )
    comarques = models.TextField(
        _("comarques"),
        blank=True,
        validators=[comarques_validate],
        help_text=_("Comarques this agent covers, separated by commas or new lines."),
    )
    entity_codes = models.TextField(
        _("local entities"),
        blank=True,
        validators=[entity_codes_validate],
        help_text=_(
            "INE codes (5 digits) of entities this agent covers in addition to (or "
            "instead of) whole comarques, e.g. 08298, 08113."
        ),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    panels = [
        FieldPanel("user"),
        MultiFieldPanel(
            [FieldPanel("comarques"), FieldPanel("entity_codes")], heading=_("Territory")
        ),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("active"), FieldPanel("is_demo")]),
    ]

    class Meta:
        verbose_name = _("territorial agent")
        verbose_name_plural = _("territorial agents")
        ordering = ["user__last_name", "user__username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def comarca_list(self) -> list[str]:
        return comarques_parse(self.comarques)

    @property
    def entity_code_list(self) -> list[str]:
        return entity_codes_parse(self.entity_codes)

    def covers(self, entity_code: str) -> bool:
        if entity_code in self.entity_code_list:
            return True
        entity = territory.entity_get(entity_code)
        return bool(entity and entity.comarca in self.comarca_list)


# ---- Support requests ----


class RequestState(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for the entity")
    RESOLVED = "resolved", _("Resolved")
    DECLINED = "declined", _("Declined")


FINAL_STATES = frozenset({RequestState.RESOLVED, RequestState.DECLINED})


class Outcome(models.TextChoices):
    NONE = "none", _("Advice or answer only")
    GRANT = "grant", _("Became a grant")
    SERVICE = "service", _("Became a technical service")


class SupportRequest(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    entity_code = models.CharField(_("local entity (INE code)"), max_length=5, db_index=True)
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=RequestState.choices,
        default=RequestState.RECEIVED,
        db_index=True,
    )
    agent = models.ForeignKey(
        TerritorialAgent,
        verbose_name=_("territorial agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("filed at"))
    # The first answer from the Diputació's side (a message or a manual state change);
    # automatic routing does not count as an answer.
    first_response_at = models.DateTimeField(_("first answer at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("resolved or declined at"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), db_index=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    resolution = models.TextField(_("resolution or reason"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, blank=True, default=""
    )
    amount = models.DecimalField(
        _("amount (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    cooperation_action = models.ForeignKey(
        "cooperation.CooperationAction",
        verbose_name=_("cooperation action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-created_at", "-id"]
        permissions = [("manage_office", _("Can see and handle every support request"))]

    def __str__(self) -> str:
        return f"{self.reference} · {self.subject}"

    @property
    def entity_name(self) -> str:
        return territory.entity_name(self.entity_code)

    @property
    def comarca(self) -> str:
        entity = territory.entity_get(self.entity_code)
        return entity.comarca if entity else ""

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES


class RequestMessage(models.Model):
    class Side(models.TextChoices):
        ENTITY = "entity", _("Local entity")
        OFFICE = "office", _("Diputació")

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    text = models.TextField(_("message"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.text[:40]}"

    @property
    def author_name(self) -> str:
        if self.author is None:
            return str(_("(deleted user)"))
        return self.author.get_full_name() or self.author.get_username()


class RequestAttachment(models.Model):
    """A file kept in private storage (never under MEDIA_ROOT), served by a checked view."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        RequestMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(storage=PrivateStorage(), upload_to="office/", max_length=255)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class RequestTransition(models.Model):
    """The audit trail: every state change, who made it, when, and why."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(max_length=12, choices=RequestState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=RequestState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request.reference}: {self.from_state or '∅'} → {self.to_state}"
