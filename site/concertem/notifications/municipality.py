"""What the "my municipality" page (an official) and the "my territory" page (a
territorial agent) gather, each read through the selectors of the part it comes from.

A handful of queries whatever the numbers: comment counts grouped in the database,
debates and their translations in bulk, the office's and cooperation's own selectors,
and the allocations from the in-memory formula results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import translation

from concertem.cooperation import selectors as cooperation
from concertem.cooperation.models import ActionStatus, CooperationIndexPage
from concertem.dataportal import portal_data
from concertem.dataportal.models import AllocationExplorerPage, MunicipalityIndexPage
from concertem.office import selectors as office_selectors
from concertem.office.models import FINAL_STATES
from datasets.allocation.compute import STATUS_EXCLUDED
from datasets.errors import DatasetError
from debates import rules, territory
from debates.models import CommentDetail, DebateIndexPage, DebatePage, DebateState, Official

OPEN_REQUESTS_SHOWN = 10


def _language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE)[:2]


def _page_of_type(model) -> Any:
    """The live page of this type in the active language, else in any language."""
    pages = model.objects.live().select_related("locale")
    return pages.filter(locale__language_code=_language()).first() or pages.first()


def _localised(pages: list[DebatePage]) -> dict[Any, DebatePage]:
    return {
        page.translation_key: page
        for page in DebatePage.objects.live().filter(
            translation_key__in=[page.translation_key for page in pages],
            locale__language_code=_language(),
        )
    }


# ---- Debates ----


@dataclass
class DebateRow:
    page: DebatePage
    state: str
    entity_comments: int
    can_take_part: bool


def entity_debates(*, user, entity_code: str) -> dict[str, list[DebateRow]]:
    """{"open": open debates the user may take part in, "taken_part": every debate the
    entity commented in (open or closed) that the user may read}."""
    counts = dict(
        CommentDetail.objects.filter(
            entity_code=entity_code, hidden_at__isnull=True, deleted_at__isnull=True
        )
        .values("debate_id")
        .annotate(n=Count("pk"))
        .values_list("debate_id", "n")
    )
    canonical = list(
        DebatePage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("-opens_at")
    )
    localised = _localised(canonical)
    # The spaces in one query, and who may take part decided once per space (the rest
    # of the rule, the debate's state, is a pure function of the page).
    spaces = {
        space.path: space
        for space in DebateIndexPage.objects.filter(
            path__in=[page.path[: -DebatePage.steplen] for page in canonical]
        )
    }
    may_take_part: dict[Any, bool] = {}
    open_rows, taken_part = [], []
    for page in canonical:
        state = page.state
        space = spaces.get(page.path[: -DebatePage.steplen])
        if not rules.space_read_allowed(user=user, space=space):
            continue
        key = space.pk if space else None
        if state == DebateState.OPEN and key not in may_take_part:
            try:
                rules.participant_check(user=user, space=space)
                may_take_part[key] = True
            except rules.DebateActionError:
                may_take_part[key] = False
        can_take_part = state == DebateState.OPEN and may_take_part.get(key, False)
        row = DebateRow(
            page=localised.get(page.translation_key, page),
            state=state,
            entity_comments=counts.get(page.pk, 0),
            can_take_part=can_take_part,
        )
        if can_take_part:
            open_rows.append(row)
        if row.entity_comments:
            taken_part.append(row)
    return {"open": open_rows, "taken_part": taken_part}


# ---- Office ----


def office_context(*, user) -> dict[str, Any]:
    actor = office_selectors.actor_of(user)
    page = office_selectors.office_page_local()
    requests = office_selectors.requests_visible(actor)
    # The open ones first; then, to fill the list, the latest closed ones.
    shown = OPEN_REQUESTS_SHOWN
    open_requests = list(
        requests.exclude(state__in=FINAL_STATES).order_by("-last_activity_at")[:shown]
    )
    if len(open_requests) < shown:
        open_requests += list(
            requests.filter(state__in=FINAL_STATES).order_by("-last_activity_at")[
                : shown - len(open_requests)
            ]
        )

    def url_of(reference: str) -> str:
        return page.url + page.reverse_subpage("request_route", args=[reference]) if page else ""

    return {
        "office": page,
        "office_url": page.url if page else "",
        "requests_url": (page.url + page.reverse_subpage("requests_route")) if page else "",
        "new_request_url": (page.url + page.reverse_subpage("request_new_route"))
        if page and actor.entity_code
        else "",
        "open_requests": [{"request": r, "url": url_of(r.reference)} for r in open_requests],
        "open_count": requests.exclude(state__in=FINAL_STATES).count(),
        "closed_count": requests.filter(state__in=FINAL_STATES).count(),
        "url_of": url_of,
    }


# ---- Cooperation ----


def cooperation_context(*, user, entity_code: str) -> dict[str, Any]:
    actions = list(cooperation.entity_actions(entity_code))
    page = _page_of_type(CooperationIndexPage)
    private_url = ""
    if page is not None and page.url and cooperation.can_view_private(user, entity_code):
        private_url = page.url + page.reverse_subpage("private_route", args=[entity_code])
    labels = dict(ActionStatus.choices)
    return {
        "actions": [{"action": action, "status": labels.get(action.status)} for action in actions],
        "actions_total": cooperation.summary_of(actions).total if actions else None,
        "actions_url": cooperation.entity_page_url(entity_code) or "",
        "actions_private_url": private_url,
    }


# ---- Allocations ----


@dataclass
class AllocationRow:
    formula_id: str
    title: str
    version: str
    amount: Decimal | None
    per_capita: Decimal | None
    rank: int | None
    count: int
    excluded: bool
    url: str
    contributions: list[dict[str, Any]] = field(default_factory=list)


def allocations_context(*, entity_code: str) -> list[AllocationRow]:
    """The entity's amount under every published formula, each linking to the
    step-by-step calculation of the explorer page that shows that formula."""
    language = _language()
    explorers = list(AllocationExplorerPage.objects.live().select_related("locale"))

    def explorer_for(formula_id: str):
        same = [page for page in explorers if page.formula_id == formula_id]
        for candidates in (same, explorers):
            for page in candidates:
                if page.locale.language_code == language:
                    return page
            if candidates:
                return candidates[0]
        return None

    rows = []
    for formula_id in portal_data.formula_ids():
        try:
            allocation = portal_data.allocation(formula_id)
        except (DatasetError, FileNotFoundError):
            continue  # a draft formula being edited must not break the page
        row = allocation.by_code.get(entity_code)
        if row is None:
            continue
        explorer = explorer_for(formula_id)
        excluded = row.status == STATUS_EXCLUDED
        rows.append(
            AllocationRow(
                formula_id=formula_id,
                title=allocation.formula.title_in(language),
                version=str(allocation.formula.version),
                amount=None if excluded else row.amount_eur,
                per_capita=allocation.per_capita.get(entity_code),
                rank=row.rank,
                count=allocation.summary.count,
                excluded=excluded,
                url=f"{explorer.url}{entity_code}/" if explorer and explorer.url else "",
            )
        )
    return rows


# ---- The entity itself ----


def entity_context(entity_code: str) -> dict[str, Any]:
    entity = territory.entity_get(entity_code)
    profiles = _page_of_type(MunicipalityIndexPage)
    return {
        "entity_code": entity_code,
        "entity_name": territory.entity_name(entity_code),
        "comarca": entity.comarca if entity else "",
        "population": entity.population if entity else None,
        "profile_url": f"{profiles.url}{entity_code}/" if profiles and profiles.url else "",
    }


def municipality_context(*, user, official: Official) -> dict[str, Any]:
    code = official.entity_code
    return {
        "official": official,
        **entity_context(code),
        "debates": entity_debates(user=user, entity_code=code),
        **office_context(user=user),
        **cooperation_context(user=user, entity_code=code),
        "allocations": allocations_context(entity_code=code),
    }


# ---- A territorial agent's territory ----


def territory_context(*, user) -> dict[str, Any]:
    actor = office_selectors.actor_of(user)
    agent = actor.agent
    codes = office_selectors.agent_entity_codes(agent)
    open_by_entity = dict(
        office_selectors.requests_visible(actor)
        .exclude(state__in=FINAL_STATES)
        .values("entity_code")
        .annotate(n=Count("pk"))
        .values_list("entity_code", "n")
    )
    known = territory.entities_by_code()
    entities = sorted(
        (
            {
                "code": code,
                "name": known[code].name if code in known else code,
                "comarca": known[code].comarca if code in known else "",
                "open": open_by_entity.get(code, 0),
            }
            for code in codes
        ),
        key=lambda item: (-item["open"], item["name"]),
    )
    queue = list(
        office_selectors.requests_visible(actor)
        .exclude(state__in=FINAL_STATES)
        .order_by("last_activity_at")[:OPEN_REQUESTS_SHOWN]
    )
    profiles = _page_of_type(MunicipalityIndexPage)
    office_links = office_context(user=user)
    url_of = office_links["url_of"]
    return {
        "agent": agent,
        "entities": entities,
        "comarques": agent.comarca_list,
        "queue": [{"request": r, "url": url_of(r.reference)} for r in queue],
        "profiles_url": profiles.url if profiles else "",
        "office_url": office_links["office_url"],
        "requests_url": office_links["requests_url"],
        "open_count": office_links["open_count"],
    }
