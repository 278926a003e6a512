"""`concertem allocate`: files, summary, comparison, and clean refusals (exit 2, no traceback)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from publishing.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
SMALL_TERRITORY = [
    "--entities",
    str(DATA / "territory" / "entities.csv"),
    "--variables",
    str(DATA / "territory" / "variables.csv"),
]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_allocate_the_shipped_formula_by_id(tmp_path, capsys):
    assert main(["allocate", "pgi-2024-2027", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "260,000,000.00" in out and "310" in out and "Gini per capita" in out
    rows = _rows(tmp_path / "allocations.csv")
    assert len(rows) == 311
    assert sum(Decimal(row["amount_eur"]) for row in rows) == Decimal("260000000.00")
    barcelona = next(row for row in rows if row["entity_code"] == "08019")
    assert (barcelona["status"], barcelona["amount_eur"]) == ("excluded", "0.00")
    assert {"contribution_population_eur", "contribution_income_eur"} <= set(rows[0])
    explanations = _rows(tmp_path / "allocation_explanations.csv")
    assert len(explanations) == 310 * 3
    assert (tmp_path / "allocations.schema.json").exists()
    assert (tmp_path / "allocation_summary.json").exists()


def test_allocate_with_compare_writes_the_comparison(tmp_path, capsys):
    code = main(
        ["allocate", "pgi-2024-2027", "--compare", "pgi-2024-2027-alt", "--out", str(tmp_path)]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "pgi-2024-2027-alt vs pgi-2024-2027" in out and " gain, " in out
    comparison = _rows(tmp_path / "allocation_comparison.csv")
    assert len(comparison) == 311
    assert sum(Decimal(row["difference_eur"]) for row in comparison) == 0
    assert {row["change"] for row in comparison} == {"gains", "loses", "unchanged"}
    assert len(_rows(tmp_path / "allocations_pgi-2024-2027-alt.csv")) == 311


def test_allocate_a_formula_file_on_a_small_territory(tmp_path, capsys):
    formula = str(DATA / "formulas" / "small.toml")
    assert main(["allocate", formula, *SMALL_TERRITORY, "--out", str(tmp_path)]) == 0
    rows = {row["entity_code"]: row for row in _rows(tmp_path / "allocations.csv")}
    assert rows["08001"]["amount_eur"] == "429267.88"
    assert rows["08019"]["fixed_eur"] == "1000000.00"
    assert "10,000,000.00" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("malformed.toml", "malformed TOML"),
        ("unknown-variable.toml", "unemployment_ratio"),
        ("weights-not-one.toml", "= 0.95"),
        ("negative-budget.toml", "budget.total_eur"),
        ("unknown-entity.toml", "08999"),
        ("missing-input.toml", "entity 08021 (Bellprat)"),
        ("budget-too-small.toml", "does not cover"),
        ("unknown-field.toml", "wieght"),
    ],
)
def test_a_broken_formula_exits_2_with_one_line_on_stderr(name, expected, tmp_path, capsys):
    formula = DATA / "formulas" / name
    code = main(["allocate", str(formula), *SMALL_TERRITORY, "--out", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.startswith("concertem: error: ")
    assert str(formula) in captured.err and expected in captured.err
    assert "Traceback" not in captured.err and captured.err.count("\n") == 1
    assert not (tmp_path / "allocations.csv").exists()


def test_a_missing_formula_exits_2(tmp_path, capsys):
    assert main(["allocate", "no-such-formula", "--out", str(tmp_path)]) == 2
    assert "formula file not found" in capsys.readouterr().err


def test_an_unwritable_output_exits_2(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    formula = str(DATA / "formulas" / "small.toml")
    assert main(["allocate", formula, *SMALL_TERRITORY, "--out", str(blocker)]) == 2
    assert "cannot write" in capsys.readouterr().err
