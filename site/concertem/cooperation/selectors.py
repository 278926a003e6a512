"""Reads of cooperation actions: public totals, one entity's actions, who sees private data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import get_language

from concertem.common.territory import entities_by_code
from concertem.cooperation.models import ActionStatus, CooperationAction, CooperationIndexPage
from datasets.execution.actions import ActionRecord, Milestone
from datasets.execution.summary import ActionSummary, actions_summarise

STATUS_ORDER: tuple[str, ...] = tuple(ActionStatus.values)


def actions_all() -> QuerySet[CooperationAction]:
    return CooperationAction.objects.select_related("programme")


def action_record(action: CooperationAction, *, with_milestones: bool = False) -> ActionRecord:
    milestones = (
        tuple(Milestone(on=m.date, label=m.label) for m in action.milestones.all())
        if with_milestones
        else ()
    )
    return ActionRecord(
        action_id=action.action_id,
        entity_code=action.entity_code,
        programme_code=action.programme.code,
        programme_name=action.programme.name,
        kind=action.kind,
        title=action.title,
        status=action.status,
        amount_granted=action.amount_granted,
        amount_justified=action.amount_justified,
        amount_paid=action.amount_paid,
        progress_pct=action.progress_pct,
        requested_on=action.requested_on,
        service_code=action.service_code,
        granted_on=action.granted_on,
        deadline=action.deadline,
        milestones=milestones,
        is_demo=action.is_demo,
    )


def summary_of(actions: Iterable[CooperationAction]) -> ActionSummary:
    entities = entities_by_code()

    def comarca_of(code: str) -> str:
        entity = entities.get(code)
        return entity.comarca if entity else ""

    # Shown on pages: the programme's name in the reader's language (the export keeps the data's).
    return actions_summarise(
        [
            replace(action_record(action), programme_name=action.programme.display_name)
            for action in actions
        ],
        comarca_of=comarca_of,
        status_order=STATUS_ORDER,
    )


def entity_actions(entity_code: str) -> QuerySet[CooperationAction]:
    return (
        actions_all()
        .filter(entity_code=entity_code)
        .prefetch_related("milestones")
        .order_by("-requested_on", "action_id")
    )


def records_for_export() -> list[ActionRecord]:
    return [
        action_record(action, with_milestones=True)
        for action in actions_all().prefetch_related("milestones")
    ]


def official_entity_code(user: AbstractBaseUser | AnonymousUser) -> str | None:
    """The entity a verified official speaks for (debates.Official), or None.

    Read through the reverse relation so that this app does not depend on the debates
    app's internals beyond ``user.official.entity_code`` and ``verified``.
    """
    if not user.is_authenticated:
        return None
    official = getattr(user, "official", None)
    if official is None or not getattr(official, "verified", False):
        return None
    return official.entity_code


def can_view_private(user: AbstractBaseUser | AnonymousUser, entity_code: str) -> bool:
    """Officials of that entity; and Diputació staff who manage actions in the admin."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.has_perm("cooperation.change_cooperationaction"):
        return True
    return official_entity_code(user) == entity_code


def entity_page_url(entity_code: str, *, language_code: str | None = None) -> str | None:
    """The public per-entity page (for links from municipality profiles), or None.

    Uses the live cooperation page in the given (default: current) language.
    """
    language = (language_code or get_language() or "ca").split("-")[0]
    page = (
        CooperationIndexPage.objects.live().filter(locale__language_code=language).first()
        or CooperationIndexPage.objects.live().first()
    )
    if page is None or page.url is None:
        return None
    return page.url + page.reverse_subpage("entity_route", args=[entity_code])
