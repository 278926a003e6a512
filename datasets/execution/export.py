"""Cooperation actions as open data: two tidy CSVs and their Table Schemas in ``build/<name>/``.

``cooperation_actions.csv`` has one row per action; ``cooperation_action_milestones.csv`` one
row per milestone. Documents are never exported: they are private to the entity.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from datasets.catalog.exports import COOPERATION_ACTIONS
from datasets.catalog.paths import schema_path
from datasets.execution.actions import ActionRecord
from datasets.table_io import table_write

ACTIONS_SCHEMA = schema_path("cooperation_actions")
MILESTONES_SCHEMA = schema_path("cooperation_action_milestones")

ACTION_COLUMNS: tuple[str, ...] = (
    "action_id",
    "entity_code",
    "programme_code",
    "programme_name",
    "kind",
    "service_code",
    "title",
    "status",
    "amount_granted",
    "amount_justified",
    "amount_paid",
    "progress_pct",
    "requested_on",
    "granted_on",
    "deadline",
    "is_demo",
)
MILESTONE_COLUMNS: tuple[str, ...] = ("action_id", "date", "label")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def action_csv_row(action: ActionRecord) -> list[str]:
    return [_text(getattr(action, column)) for column in ACTION_COLUMNS]


def actions_export(actions: Iterable[ActionRecord], *, out_dir: Path | None = None) -> list[Path]:
    """The export the catalogue reads back (``COOPERATION_ACTIONS``): CSVs and schemas."""
    out_dir = out_dir or COOPERATION_ACTIONS.folder_path()
    actions_csv, milestones_csv = COOPERATION_ACTIONS.csv_files
    rows = sorted(actions, key=lambda action: action.action_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    actions_path = out_dir / actions_csv
    table_write(
        path=actions_path,
        header=ACTION_COLUMNS,
        rows=(action_csv_row(action) for action in rows),
    )
    milestones_path = out_dir / milestones_csv
    table_write(
        path=milestones_path,
        header=MILESTONE_COLUMNS,
        rows=(
            [action.action_id, milestone.on.isoformat(), milestone.label]
            for action in rows
            for milestone in action.milestones
        ),
    )
    written = [actions_path, milestones_path]
    for schema, name in zip(
        (ACTIONS_SCHEMA, MILESTONES_SCHEMA), COOPERATION_ACTIONS.schema_files, strict=True
    ):
        target = out_dir / name
        shutil.copyfile(schema, target)
        written.append(target)
    return written
