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

from datasets.catalog.paths import schema_path
from datasets.errors import DatasetError
from datasets.facilities.csvcheck import (
    SchemaCells,
    amount_check,
    csv_records,
    records_keep,
    schema_descriptor,
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

_CODE = "[A-Za-z0-9][A-Za-z0-9._-]{0,39}"
_BAD_ID = ("bad-id", "action_id is required: letters, digits, '.', '_', '/' or '-', up to 60")
_UNKNOWN_ENTITY = (
    "unknown-entity",
    "{text!r} is not the INE code (5 digits) of a known local entity",
)
# The import's rule names, kept stable for the people and scripts that match on them.
RELABELS = {
    ("action_id", "required"): _BAD_ID,
    ("action_id", "pattern"): _BAD_ID,
    ("entity_code", "pattern"): _UNKNOWN_ENTITY,
    ("programme_code", "required"): (
        "bad-code",
        "programme_code is required: letters, digits, '.', '_' or '-'",
    ),
    ("programme_code", "pattern"): (
        "bad-code",
        "programme_code is required: letters, digits, '.', '_' or '-'",
    ),
    ("service_code", "pattern"): ("bad-code", "service_code: letters, digits, '.', '_' or '-'"),
}
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
    cells = action_cells()
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
            check=lambda line, row: action_check(
                row, line=line, entities=entities, issues=issues, cells=cells
            ),
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


def action_cells() -> SchemaCells:
    """The published actions' Table Schema as an import file is checked against it.

    ``is_demo`` defaults to false on import; codes, names and titles are held to what
    the site's database columns take.
    """
    descriptor = schema_descriptor(
        schema_path("cooperation_actions"),
        is_demo={"required": None},
        programme_code={"pattern": _CODE},
        service_code={"pattern": _CODE},
        programme_name={"maxLength": 200},
        title={"maxLength": 300},
    )
    return SchemaCells(descriptor, relabels=RELABELS)


def action_check(
    row: Mapping[str, str],
    *,
    line: int,
    entities: Mapping[str, Entity],
    issues: IssueList,
    cells: SchemaCells | None = None,
) -> ActionRecord | None:
    """The row's cells typed by the actions' Table Schema, then the domain rules."""
    before = issues.total
    typed = (cells or action_cells()).row_type(row, line=line, issues=issues)
    entity_code = typed["entity_code"]
    if entity_code is not None and entity_code not in entities:
        rule, message = _UNKNOWN_ENTITY
        issues.add(line, "entity_code", rule, entity_code, message.format(text=entity_code))
    granted, justified, paid = (
        amount_check(row[column], typed[column], column, line, issues)
        for column in ("amount_granted", "amount_justified", "amount_paid")
    )
    milestones = _milestones_parse(row.get("milestones", ""), line=line, issues=issues)
    status, progress = typed["status"], typed["progress_pct"]
    requested_on, granted_on = typed["requested_on"], typed["granted_on"]

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
        action_id=typed["action_id"],
        entity_code=_compact(entity_code),
        programme_code=_compact(typed["programme_code"]),
        programme_name=_compact(typed["programme_name"]),
        kind=_compact(typed["kind"]),
        title=typed["title"],
        status=_compact(status),  # type: ignore[arg-type]
        amount_granted=granted,  # type: ignore[arg-type]
        amount_justified=justified,  # type: ignore[arg-type]
        amount_paid=paid,  # type: ignore[arg-type]
        progress_pct=progress,  # type: ignore[arg-type]
        requested_on=requested_on,  # type: ignore[arg-type]
        service_code=_compact(row.get("service_code", "")),
        granted_on=granted_on,
        deadline=typed["deadline"],
        milestones=milestones,
        is_demo=bool(typed["is_demo"]),
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
