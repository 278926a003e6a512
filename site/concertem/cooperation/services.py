"""Writes of cooperation actions: create one from elsewhere, import a CSV (all or nothing).

The rules are those of ``datasets.execution.actions`` (amounts, statuses, dates, entity
codes): the import, the admin form and ``action_create_from`` cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from concertem.common.territory import entities_by_code
from concertem.cooperation.models import ActionMilestone, CooperationAction, Programme
from datasets.execution.actions import (
    ActionImportError,
    ActionRecord,
    action_check,
    actions_read_or_raise,
)
from datasets.issues import Issue, IssueList


def _row_of(
    action: CooperationAction, *, programme_code: str, programme_name: str, milestones: str = ""
) -> dict[str, str]:
    def text(value: object) -> str:
        return "" if value is None else str(value)

    return {
        "action_id": action.action_id,
        "entity_code": action.entity_code,
        "programme_code": programme_code,
        "programme_name": programme_name,
        "kind": action.kind,
        "title": action.title,
        "status": action.status,
        "amount_granted": f"{Decimal(action.amount_granted or 0):.2f}",
        "amount_justified": f"{Decimal(action.amount_justified or 0):.2f}",
        "amount_paid": f"{Decimal(action.amount_paid or 0):.2f}",
        "progress_pct": text(action.progress_pct),
        "requested_on": text(action.requested_on),
        "service_code": action.service_code,
        "granted_on": text(action.granted_on),
        "deadline": text(action.deadline),
        "milestones": milestones,
        "is_demo": "true" if action.is_demo else "false",
    }


def action_issues(action: CooperationAction) -> list[Issue]:
    """The import's row rules applied to a model instance (for the admin form)."""
    issues = IssueList("admin")
    programme = getattr(action, "programme", None) if action.programme_id else None
    row = _row_of(
        action,
        programme_code=programme.code if programme else "admin",
        programme_name=programme.name if programme else "admin",
    )
    action_check(row, line=0, entities=entities_by_code(), issues=issues)
    return list(issues)


@transaction.atomic
def action_create_from(
    *,
    entity_code: str,
    programme_code: str,
    programme_name: str,
    kind: str,
    title: str,
    amount_granted: Decimal,
    status: str = "granted",
    service_code: str = "",
    requested_on: date | None = None,
    granted_on: date | None = None,
    deadline: date | None = None,
    source: str = "request",
    source_reference: str = "",
    action_id: str = "",
) -> CooperationAction:
    """Create an action from another workflow (e.g. a support request resolved into a grant).

    Raises ``ActionImportError`` (with row-style issues) when the data break a rule.
    """
    today = timezone.localdate()
    requested_on = requested_on or today
    if status != "requested" and granted_on is None:
        granted_on = today
    if not action_id:
        count = CooperationAction.objects.filter(
            entity_code=entity_code, programme__code=programme_code
        ).count()
        action_id = f"{programme_code}-{entity_code}-{count + 1:03d}"
        while CooperationAction.objects.filter(action_id=action_id).exists():
            count += 1
            action_id = f"{programme_code}-{entity_code}-{count + 1:03d}"
    draft = CooperationAction(
        action_id=action_id,
        entity_code=entity_code,
        kind=kind,
        title=title,
        status=status,
        amount_granted=amount_granted,
        service_code=service_code,
        requested_on=requested_on,
        granted_on=granted_on,
        deadline=deadline,
    )
    issues = IssueList(source)
    record = action_check(
        _row_of(draft, programme_code=programme_code, programme_name=programme_name),
        line=0,
        entities=entities_by_code(),
        issues=issues,
    )
    if record is None:
        raise ActionImportError(f"{action_id}: {len(issues)} problem(s)", issues=list(issues))
    if CooperationAction.objects.filter(action_id=action_id).exists():
        raise ActionImportError(
            f"{action_id} already exists",
            issues=[
                Issue(
                    file=source,
                    column="action_id",
                    rule="duplicate-id",
                    value=action_id,
                    message="already exists",
                )
            ],
        )
    programme, _created = Programme.objects.get_or_create(
        code=programme_code, defaults={"name": programme_name}
    )
    draft.programme = programme
    draft.source = source
    draft.source_reference = source_reference
    draft.save()
    return draft


@dataclass(frozen=True)
class ActionImportResult:
    file: str
    rows: int
    created: int
    updated: int
    programmes_created: int


def actions_import(path: Path, *, dry_run: bool = False) -> ActionImportResult:
    """Check the whole file, then upsert by ``action_id`` in one transaction (or not at all)."""
    records = actions_read_or_raise(path, entities=entities_by_code())
    if dry_run:
        ids = [record.action_id for record in records]
        existing: set[str] = set()
        for start in range(0, len(ids), 500):  # SQLite caps the parameters of one query
            existing.update(
                CooperationAction.objects.filter(
                    action_id__in=ids[start : start + 500]
                ).values_list("action_id", flat=True)
            )
        return ActionImportResult(
            path.name, len(records), len(records) - len(existing), len(existing), 0
        )
    created = updated = programmes_created = 0
    with transaction.atomic():
        programmes: dict[str, Programme] = {}
        for record in records:
            if record.programme_code not in programmes:
                programme, was_created = Programme.objects.update_or_create(
                    code=record.programme_code, defaults={"name": record.programme_name}
                )
                programmes[record.programme_code] = programme
                programmes_created += was_created
            action, was_created = CooperationAction.objects.update_or_create(
                action_id=record.action_id,
                defaults=_defaults_of(
                    record, programmes[record.programme_code], source=f"import:{path.name}"
                ),
            )
            created += was_created
            updated += not was_created
            action.milestones.all().delete()
            ActionMilestone.objects.bulk_create(
                ActionMilestone(
                    action=action, date=milestone.on, label=milestone.label, sort_order=position
                )
                for position, milestone in enumerate(record.milestones)
            )
    return ActionImportResult(path.name, len(records), created, updated, programmes_created)


def _defaults_of(record: ActionRecord, programme: Programme, *, source: str) -> dict[str, object]:
    return {
        "entity_code": record.entity_code,
        "programme": programme,
        "kind": record.kind,
        "service_code": record.service_code,
        "title": record.title,
        "status": record.status,
        "amount_granted": record.amount_granted,
        "amount_justified": record.amount_justified,
        "amount_paid": record.amount_paid,
        "progress_pct": record.progress_pct,
        "requested_on": record.requested_on,
        "granted_on": record.granted_on,
        "deadline": record.deadline,
        "is_demo": record.is_demo,
        "source": source,
    }
