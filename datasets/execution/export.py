"""Cooperation actions as open data: two tidy CSVs and their Table Schemas in ``build/<name>/``.

``cooperation_actions.csv`` has one row per action; ``cooperation_action_milestones.csv`` one
row per milestone. Documents are never exported: they are private to the entity.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from datasets.execution.actions import ActionRecord
from datasets.table_io import table_write

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas"
ACTIONS_SCHEMA = SCHEMA_DIR / "cooperation_actions.json"
MILESTONES_SCHEMA = SCHEMA_DIR / "cooperation_action_milestones.json"
DEFAULT_OUT = Path("build/cooperation_actions")

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


def actions_export(actions: Iterable[ActionRecord], *, out_dir: Path = DEFAULT_OUT) -> list[Path]:
    rows = sorted(actions, key=lambda action: action.action_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    actions_path = out_dir / "cooperation_actions.csv"
    table_write(
        path=actions_path,
        header=ACTION_COLUMNS,
        rows=(action_csv_row(action) for action in rows),
    )
    milestones_path = out_dir / "cooperation_action_milestones.csv"
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
    for schema in (ACTIONS_SCHEMA, MILESTONES_SCHEMA):
        target = out_dir / schema.name.replace(".json", ".schema.json")
        shutil.copyfile(schema, target)
        written.append(target)
    return written
