"""Reads: who is asking, what they may see, the catalogue, and the metrics' facts."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from concertem.office.metrics import MetricRow, RequestFact, metrics_compute
from concertem.office.models import (
    Area,
    OfficePage,
    RequestState,
    Service,
    SupportRequest,
    TerritorialAgent,
)
from debates import territory
from debates.models import Official

User = AbstractBaseUser | AnonymousUser
MANAGE_PERMISSION = "office.manage_office"


# ---- Who is asking ----


@dataclass(frozen=True)
class Actor:
    """The roles one user holds in the office, read once per request."""

    user: User
    official: Official | None
    agent: TerritorialAgent | None
    is_manager: bool

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user.is_authenticated)

    @property
    def entity_code(self) -> str | None:
        """The entity a *verified* official speaks for."""
        if self.official is not None and self.official.verified:
            return self.official.entity_code
        return None

    @property
    def is_staff_side(self) -> bool:
        return self.is_manager or self.agent is not None


def actor_of(user: User) -> Actor:
    if not user.is_authenticated or not user.is_active:
        return Actor(user=user, official=None, agent=None, is_manager=False)
    cached = getattr(user, "_office_actor", None)
    if cached is not None:
        return cached
    official = Official.objects.filter(user=user).first()
    agent = TerritorialAgent.objects.filter(user=user, active=True).first()
    is_manager = bool(user.is_superuser or user.has_perm(MANAGE_PERMISSION))
    actor = Actor(user=user, official=official, agent=agent, is_manager=is_manager)
    user._office_actor = actor
    return actor


def managers_all() -> list[AbstractBaseUser]:
    """Active users who handle every request (the permission, directly or by group)."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(
                user_permissions__codename="manage_office",
                user_permissions__content_type__app_label="office",
            )
            | Q(
                groups__permissions__codename="manage_office",
                groups__permissions__content_type__app_label="office",
            )
        )
    )
    return list(users.distinct())


# ---- Territory ----


def agent_for_entity(entity_code: str) -> TerritorialAgent | None:
    """The active agent responsible for an entity: an explicit entity list wins over a
    comarca; among equals, the one with the fewest open requests (then the oldest)."""
    agents = list(TerritorialAgent.objects.filter(active=True).select_related("user"))
    explicit = [agent for agent in agents if entity_code in agent.entity_code_list]
    candidates = explicit or [agent for agent in agents if agent.covers(entity_code)]
    if not candidates:
        return None

    def load(agent: TerritorialAgent) -> tuple[int, int]:
        open_count = agent.requests.exclude(
            state__in=[RequestState.RESOLVED, RequestState.DECLINED]
        ).count()
        return (open_count, agent.pk)

    return min(candidates, key=load)


def agent_entity_codes(agent: TerritorialAgent) -> set[str]:
    codes = set(agent.entity_code_list)
    comarques = set(agent.comarca_list)
    if comarques:
        codes |= {
            code
            for code, entity in territory.entities_by_code().items()
            if entity.comarca in comarques
        }
    return codes


# ---- Requests ----


def requests_visible(actor: Actor) -> QuerySet[SupportRequest]:
    """Managers: all. Agents: assigned to them or in their territory. Verified officials:
    their entity's. Anyone else: none."""
    base = SupportRequest.objects.select_related("service", "agent__user")
    if actor.is_manager:
        return base
    condition = Q(pk__in=[])
    if actor.agent is not None:
        condition |= Q(agent=actor.agent) | Q(entity_code__in=agent_entity_codes(actor.agent))
    if actor.entity_code:
        condition |= Q(entity_code=actor.entity_code)
    return base.filter(condition)


def request_by_reference(reference: str) -> SupportRequest | None:
    return (
        SupportRequest.objects.select_related(
            "service", "agent__user", "filed_by", "cooperation_action"
        )
        .filter(reference=reference)
        .first()
    )


def request_thread(request: SupportRequest) -> list[dict]:
    """Messages and state changes in one time line, oldest first."""
    items: list[dict] = []
    for message in request.messages.select_related("author").prefetch_related("attachments"):
        items.append({"kind": "message", "at": message.created_at, "item": message})
    for transition in request.transitions.select_related("actor"):
        items.append({"kind": "transition", "at": transition.created_at, "item": transition})
    items.sort(key=lambda entry: (entry["at"], 0 if entry["kind"] == "transition" else 1))
    return items


# ---- The catalogue ----


def services_search(
    *, query: str = "", area: str = "", include_withdrawn: bool = False
) -> QuerySet[Service]:
    services = Service.objects.all()
    if not include_withdrawn:
        services = services.filter(active=True)
    if area in Area.values:
        services = services.filter(area=area)
    for word in query.split()[:8]:
        condition = Q()
        for field in (
            "code",
            "title",
            "title_es",
            "title_en",
            "description",
            "description_es",
            "description_en",
            "eligible",
            "eligible_es",
            "eligible_en",
        ):
            condition |= Q(**{f"{field}__icontains": word})
        services = services.filter(condition)
    return services.order_by("area", "code")


def office_page() -> OfficePage | None:
    """The office page in the default language (for links in e-mails)."""
    pages = OfficePage.objects.live().select_related("locale")
    return pages.filter(locale__language_code=settings.LANGUAGE_CODE).first() or pages.first()


# ---- Metrics ----


def request_facts() -> list[RequestFact]:
    entities = territory.entities_by_code()
    facts = []
    for row in SupportRequest.objects.values(
        "entity_code", "area", "state", "created_at", "first_response_at", "closed_at"
    ):
        entity = entities.get(row["entity_code"])
        facts.append(
            RequestFact(
                area=row["area"],
                comarca=entity.comarca if entity else "",
                state=row["state"],
                created_at=row["created_at"],
                first_response_at=row["first_response_at"],
                closed_at=row["closed_at"],
            )
        )
    return facts


def metrics_rows(*, language: str | None = None) -> list[MetricRow]:
    """The published metrics; labels in ``language`` (the site's default for open data)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        labels = {code: str(label) for code, label in Area.choices}

        return metrics_compute(
            request_facts(),
            as_of=timezone.localdate(),
            area_labels=labels,
            all_label=gettext("All requests"),
            comarca_minimum=int(getattr(settings, "OFFICE_METRICS_MIN_REQUESTS", 5)),
            other_label=gettext("Other comarques (fewer than %(n)s requests each)")
            % {"n": int(getattr(settings, "OFFICE_METRICS_MIN_REQUESTS", 5))},
        )


def office_page_local() -> OfficePage | None:
    """The office page in the active language, else in the default one."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    page = OfficePage.objects.live().filter(locale__language_code=language).first()
    return page or office_page()
