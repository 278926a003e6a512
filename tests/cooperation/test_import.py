"""Cooperation actions from CSV: every rule, row-level errors, all or nothing."""

from __future__ import annotations

import gc
import io
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from datasets.execution.actions import ActionImportError, actions_read, actions_read_or_raise
from datasets.execution.demo import DEMO_PATH, actions_demo_rows
from datasets.execution.export import actions_export
from datasets.execution.summary import actions_summarise
from datasets.issues import ISSUES_KEPT
from datasets.territory import entities_index, entities_load

ENTITIES = entities_index(entities_load())
HEADER = (
    "action_id,entity_code,programme_code,programme_name,kind,title,status,amount_granted,"
    "amount_justified,amount_paid,progress_pct,requested_on,granted_on,milestones\n"
)
GOOD = (
    "A-1,08187,PGI-2024,Programa d'inversions,investment,Piscina,in_execution,100000.00,"
    "40000.00,30000.00,45,2024-03-01,2024-05-01,2024-03-01 Sol·licitud|2024-05-01 Resolució\n"
    "A-2,08279,CS-2025,Catàleg de serveis,service,Auditoria energètica,granted,12000.50,0,0,5,"
    "2025-01-10,2025-02-01,\n"
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def test_a_good_file_reads_into_records(tmp_path):
    actions = actions_read_or_raise(write(tmp_path, "ok.csv", HEADER + GOOD), entities=ENTITIES)
    assert [action.action_id for action in actions] == ["A-1", "A-2"]
    assert actions[0].amount_paid == Decimal("30000.00")
    assert [m.label for m in actions[0].milestones] == ["Sol·licitud", "Resolució"]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("latin1.csv", (HEADER + GOOD).encode("latin-1"), [(2, None, "encoding")]),
        ("semicolons.csv", (HEADER + GOOD).replace(",", ";"), [(1, None, "delimiter")]),
        ("no_header.csv", GOOD, [(1, None, "missing-header")]),
        (
            "duplicate.csv",
            HEADER + GOOD + GOOD.splitlines()[0] + "\n",
            [(4, "action_id", "duplicate-id")],
        ),
        (
            "unknown_entity.csv",
            HEADER + GOOD.replace("A-2,08279", "A-2,08999"),
            [(3, "entity_code", "unknown-entity")],
        ),
        (
            "non_numeric.csv",
            HEADER + GOOD.replace("100000.00", "100000 EUR"),
            [(2, "amount_granted", "not-a-number")],
        ),
        (
            "paid_over_granted.csv",
            HEADER + GOOD.replace("30000.00", "130000.00"),
            [(2, "amount_paid", "paid-exceeds-granted")],
        ),
        (
            "justified_over_granted.csv",
            HEADER + GOOD.replace("40000.00", "140000.00"),
            [(2, "amount_justified", "justified-exceeds-granted")],
        ),
        (
            "bad_status.csv",
            HEADER + GOOD.replace("in_execution", "ongoing"),
            [(2, "status", "not-allowed")],
        ),
        (
            "bad_progress.csv",
            HEADER + GOOD.replace(",45,", ",145,"),
            [(2, "progress_pct", "out-of-range")],
        ),
        (
            "bad_date.csv",
            HEADER + GOOD.replace("2025-01-10", "10/01/2025"),
            [(3, "requested_on", "not-a-date")],
        ),
        (
            "bad_milestone.csv",
            HEADER + GOOD.replace("2024-03-01 Sol", "març Sol"),
            [(2, "milestones", "bad-milestone")],
        ),
    ],
)
def test_broken_twins_report_file_row_column_rule(tmp_path, name, content, expected):
    with pytest.raises(ActionImportError) as caught:
        actions_read_or_raise(write(tmp_path, name, content), entities=ENTITIES)
    assert [(i.row, i.column, i.rule) for i in caught.value.issues] == expected
    assert {issue.file for issue in caught.value.issues} == {name}


def test_all_problems_of_a_file_are_reported_at_once(tmp_path):
    bad = HEADER + GOOD.replace("30000.00", "130000.00").replace("A-2,08279", "A-2,08999")
    _actions, issues = actions_read(write(tmp_path, "two.csv", bad), entities=ENTITIES)
    assert [issue.rule for issue in issues] == ["paid-exceeds-granted", "unknown-entity"]


def test_demo_file_is_consistent_labelled_and_up_to_date():
    actions = actions_read_or_raise(DEMO_PATH, entities=ENTITIES)
    assert len(actions) == 76
    assert len({action.entity_code for action in actions}) == 30
    assert all(action.is_demo for action in actions)
    assert all(a.amount_paid <= a.amount_justified <= a.amount_granted for a in actions)
    assert [row["action_id"] for row in actions_demo_rows()] == [a.action_id for a in actions]


def test_summary_totals_add_up():
    actions = actions_read_or_raise(DEMO_PATH, entities=ENTITIES)
    summary = actions_summarise(actions, comarca_of=lambda code: ENTITIES[code].comarca)
    assert summary.total.count == 76
    assert sum(item.granted for item in summary.by_programme) == summary.total.granted
    assert sum(item.paid for item in summary.by_comarca) == summary.total.paid
    assert sum(item.count for item in summary.by_status) == 76


def test_export_writes_csvs_and_schemas_that_validate(tmp_path):
    from frictionless import Resource, Schema

    actions = actions_read_or_raise(DEMO_PATH, entities=ENTITIES)
    written = actions_export(actions, out_dir=tmp_path)
    assert [path.name for path in written] == [
        "cooperation_actions.csv",
        "cooperation_action_milestones.csv",
        "cooperation_actions.schema.json",
        "cooperation_action_milestones.schema.json",
    ]
    schema = Schema.from_descriptor(str(tmp_path / "cooperation_actions.schema.json"))
    schema.foreign_keys = []  # the entities resource is not in this folder
    report = Resource(
        path="cooperation_actions.csv", basepath=str(tmp_path), schema=schema
    ).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])


# ---- Big files: streamed, problems capped ----


def _big_file(path: Path, *, megabytes: float, ids: int) -> int:
    """Rows whose ids go round ``ids`` values (so all after the first round are duplicates),
    with long titles (few rows: tracemalloc is slow per allocation, and memory is about
    bytes). Returns the number of rows."""
    rows = size = 0
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        size += handle.write(HEADER)
        while size < megabytes * 1024 * 1024:
            title = f"Obra {rows}: " + "rehabilitació de la coberta " * 10
            size += handle.write(
                f"B-{rows % ids},08187,PGI-2024,Programa,investment,{title},granted,1000.00,0,0,5,"
                "2024-03-01,2024-05-01,\n"
            )
            rows += 1
    return rows


def test_a_big_file_is_streamed_in_bounded_memory(tmp_path):
    path = tmp_path / "big.csv"
    rows = _big_file(path, megabytes=5, ids=200)
    found: list[object] = []
    gc.collect()
    tracemalloc.start()
    try:
        found.append(actions_read(path, entities=ENTITIES))
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    size = path.stat().st_size
    assert peak < 0.5 * size, f"{peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"
    actions, issues = found[0]
    assert actions == []  # refused: nothing kept to write
    assert issues.total == rows - 200  # every duplicate counted
    assert len(issues) == ISSUES_KEPT


def test_the_first_problems_are_listed_and_the_others_counted(tmp_path):
    rows = _big_file(tmp_path / "many.csv", megabytes=0.5, ids=10)
    with pytest.raises(ActionImportError) as caught:
        actions_read_or_raise(tmp_path / "many.csv", entities=ENTITIES)
    error = caught.value
    assert (len(error.issues), error.more) == (ISSUES_KEPT, rows - 10 - ISSUES_KEPT)
    assert str(error) == (
        f"many.csv: {rows - 10} problem(s); nothing was imported (the first {ISSUES_KEPT} are "
        f"listed, and {error.more} more)"
    )


@pytest.mark.django_db
def test_the_command_says_how_many_more_problems_there_are(tmp_path):
    rows = _big_file(tmp_path / "many.csv", megabytes=0.5, ids=10)
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_cooperation_actions",
            str(tmp_path / "many.csv"),
            "--dry-run",
            stdout=io.StringIO(),
            stderr=errors,
        )
    lines = errors.getvalue().splitlines()
    assert lines[0] == "many.csv:12 [action_id]: duplicate-id: 'B-0' already on row 2"
    assert lines[-1] == f"many.csv: ... and {rows - 10 - ISSUES_KEPT} more"
    assert len(lines) == ISSUES_KEPT + 1
