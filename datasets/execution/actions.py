"""Cooperation actions and their execution status, as plain records; the CSV import checks.

An action is one piece of the Diputació's support to a local entity under a programme: a
grant, a technical service from the service catalogue, or an investment. The site keeps
them in its database (so a resolved support request can create one); this module is the
pure part: the record, the file format, and every rule a row must pass.

The import file is UTF-8 (or UTF-16 with BOM), comma-separated, one row per action:

    action_id, entity_code, programme_code, programme_name, kind, title, status,
    amount_granted, amount_justified, amount_paid, progress_pct, requested_on
    [, service_code, granted_on, deadline, milestones, is_demo]

Amounts are euros with ``.`` for decimals and no thousands separator. ``milestones`` is
``YYYY-MM-DD label`` items separated by ``|``. All or nothing: one bad row refuses the file.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from datasets.errors import DatasetError
from datasets.facilities.csvcheck import (
    cell_choice,
    cell_date,
    cell_decimal,
    cell_int,
    csv_records,
    records_keep,
    text_open,
)
from datasets.issues import Issue, IssueList
from datasets.territory import Entity

KINDS: tuple[str, ...] = ("grant", "service", "investment")
STATUSES: tuple[str, ...] = (
    "requested",
    "granted",
    "in_execution",
    "justified",
    "closed",
    "revoked",
)
# Statuses in which money may already have been paid out.
PAYABLE_STATUSES = frozenset({"granted", "in_execution", "justified", "closed"})

REQUIRED: tuple[str, ...] = (
    "action_id",
    "entity_code",
    "programme_code",
    "programme_name",
    "kind",
    "title",
    "status",
    "amount_granted",
    "amount_justified",
    "amount_paid",
    "progress_pct",
    "requested_on",
)
OPTIONAL: tuple[str, ...] = ("service_code", "granted_on", "deadline", "milestones", "is_demo")
FIELDS: tuple[str, ...] = REQUIRED + OPTIONAL

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,59}$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
_MILESTONE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(.+)$")


class ActionImportError(DatasetError):
    """A file could not be imported; ``issues`` holds its problems, with row and column:
    all of them, or the first ones and ``more`` says how many others were counted."""

    code = "action-import-invalid"

    def __init__(self, message: str, *, issues: list[Issue], more: int = 0) -> None:
        super().__init__(message)
        self.issues = issues
        self.more = more


@dataclass(frozen=True, slots=True)
class Milestone:
    on: date
    label: str


@dataclass(frozen=True, slots=True)
class ActionRecord:
    action_id: str
    entity_code: str
    programme_code: str
    programme_name: str
    kind: str
    title: str
    status: str
    amount_granted: Decimal
    amount_justified: Decimal
    amount_paid: Decimal
    progress_pct: int
    requested_on: date
    service_code: str = ""
    granted_on: date | None = None
    deadline: date | None = None
    milestones: tuple[Milestone, ...] = ()
    is_demo: bool = False


# ---- Reading ----


def actions_read(
    path: Path, *, entities: Mapping[str, Entity]
) -> tuple[list[ActionRecord], IssueList]:
    """Parse and check a file; the records are only meaningful if the issues are empty.

    The file is read one row at a time; what is kept is the valid records (to be written)
    and their ids, so memory follows the rows kept, not the size of the file. Issues: the
    first ``ISSUES_KEPT``, and ``issues.total`` counts them all.
    """
    issues = IssueList(path.name)
    with text_open(path, issues=issues) as stream:
        records = (
            csv_records(stream, required=REQUIRED, optional=OPTIONAL, issues=issues)
            if stream is not None
            else None
        )
        if records is None:
            return [], issues
        actions = records_keep(
            records,
            check=lambda line, row: action_check(row, line=line, entities=entities, issues=issues),
            key=lambda action: action.action_id,
            column="action_id",
            issues=issues,
        )
    return actions, issues


def actions_read_or_raise(path: Path, *, entities: Mapping[str, Entity]) -> list[ActionRecord]:
    actions, issues = actions_read(path, entities=entities)
    if issues:
        raise ActionImportError(
            issues.summary("nothing was imported"), issues=list(issues), more=issues.more
        )
    return actions


# ---- Checking one row ----


def action_check(
    row: Mapping[str, str], *, line: int, entities: Mapping[str, Entity], issues: IssueList
) -> ActionRecord | None:
    before = issues.total
    action_id = row["action_id"]
    if not _ID.match(action_id):
        issues.add(
            line,
            "action_id",
            "bad-id",
            action_id,
            "action_id is required: letters, digits, '.', '_', '/' or '-', up to 60",
        )
    entity_code = row["entity_code"]
    if entity_code not in entities:
        issues.add(
            line,
            "entity_code",
            "unknown-entity",
            entity_code,
            f"{entity_code!r} is not the INE code (5 digits) of a known local entity",
        )
    if not _CODE.match(row["programme_code"]):
        issues.add(
            line,
            "programme_code",
            "bad-code",
            row["programme_code"],
            "programme_code is required: letters, digits, '.', '_' or '-'",
        )
    for column, limit in (("programme_name", 200), ("title", 300)):
        if not row[column]:
            issues.add(line, column, "required", "", f"{column} is required")
        elif len(row[column]) > limit:
            issues.add(
                line,
                column,
                "too-long",
                row[column][:40],
                f"{column} is longer than {limit} characters",
            )
    service_code = row.get("service_code", "")
    if service_code and not _CODE.match(service_code):
        issues.add(
            line,
            "service_code",
            "bad-code",
            service_code,
            "service_code: letters, digits, '.', '_' or '-'",
        )
    kind = cell_choice(row["kind"], "kind", line, issues, choices=KINDS)
    status = cell_choice(row["status"], "status", line, issues, choices=STATUSES)
    granted = cell_decimal(row["amount_granted"], "amount_granted", line, issues)
    justified = cell_decimal(row["amount_justified"], "amount_justified", line, issues)
    paid = cell_decimal(row["amount_paid"], "amount_paid", line, issues)
    progress = cell_int(row["progress_pct"], "progress_pct", line, issues, minimum=0, maximum=100)
    requested_on = cell_date(row["requested_on"], "requested_on", line, issues)
    granted_on = (
        cell_date(row["granted_on"], "granted_on", line, issues) if row.get("granted_on") else None
    )
    deadline = cell_date(row["deadline"], "deadline", line, issues) if row.get("deadline") else None
    milestones = _milestones_parse(row.get("milestones", ""), line=line, issues=issues)
    is_demo_text = row.get("is_demo", "").lower()
    if is_demo_text not in ("", "true", "false"):
        issues.add(line, "is_demo", "not-boolean", is_demo_text, "is_demo is true or false")

    # Consistency between columns, checked only when the cells themselves are valid.
    if granted is not None and justified is not None and justified > granted:
        issues.add(
            line,
            "amount_justified",
            "justified-exceeds-granted",
            str(justified),
            f"justified {justified} is more than granted {granted}",
        )
    if granted is not None and paid is not None and paid > granted:
        issues.add(
            line,
            "amount_paid",
            "paid-exceeds-granted",
            str(paid),
            f"paid {paid} is more than granted {granted}",
        )
    if status is not None and paid is not None and paid > 0 and status not in PAYABLE_STATUSES:
        issues.add(
            line,
            "amount_paid",
            "paid-without-grant",
            str(paid),
            f"an action in status {status!r} cannot have payments",
        )
    if status == "closed" and progress is not None and progress != 100:
        issues.add(
            line,
            "progress_pct",
            "closed-not-complete",
            str(progress),
            "a closed action is 100% executed",
        )
    if requested_on and granted_on and granted_on < requested_on:
        issues.add(
            line, "granted_on", "date-order", str(granted_on), "granted_on is before requested_on"
        )

    if issues.total > before:
        return None
    # Codes and names repeat from row to row: one string each (interned) keeps a big
    # import compact.
    return ActionRecord(
        action_id=action_id,
        entity_code=_compact(entity_code),
        programme_code=_compact(row["programme_code"]),
        programme_name=_compact(row["programme_name"]),
        kind=_compact(kind),  # type: ignore[arg-type]
        title=row["title"],
        status=_compact(status),  # type: ignore[arg-type]
        amount_granted=granted,  # type: ignore[arg-type]
        amount_justified=justified,  # type: ignore[arg-type]
        amount_paid=paid,  # type: ignore[arg-type]
        progress_pct=progress,  # type: ignore[arg-type]
        requested_on=requested_on,  # type: ignore[arg-type]
        service_code=_compact(service_code),
        granted_on=granted_on,
        deadline=deadline,
        milestones=milestones,
        is_demo=is_demo_text == "true",
    )


def _milestones_parse(text: str, *, line: int, issues: IssueList) -> tuple[Milestone, ...]:
    milestones = []
    for item in filter(None, (part.strip() for part in text.split("|"))):
        match = _MILESTONE.match(item)
        on = None
        if match:
            try:
                on = date.fromisoformat(match.group(1))
            except ValueError:
                on = None
        if on is None or match is None:
            issues.add(
                line,
                "milestones",
                "bad-milestone",
                item,
                "each milestone is 'YYYY-MM-DD label', separated by '|'",
            )
            continue
        milestones.append(Milestone(on=on, label=match.group(2)[:200]))
    return tuple(sorted(milestones, key=lambda milestone: milestone.on))


def milestones_format(milestones: tuple[Milestone, ...] | list[Milestone]) -> str:
    return "|".join(f"{milestone.on.isoformat()} {milestone.label}" for milestone in milestones)


def _compact(text: str) -> str:
    """One string object for a text that repeats from row to row (codes, names)."""
    return sys.intern(text) if type(text) is str else text  # not a str subclass (an enum)
