"""`concertem allocate FORMULA [--compare OTHER] [--out DIR]`: compute, explain, compare."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.table import Table

from datasets.allocation.compare import AllocationComparison, allocation_compare
from datasets.allocation.compute import AllocationResult, allocation_compute
from datasets.allocation.formula import formula_load, formula_path_resolve
from datasets.allocation.inputs import allocation_inputs_load
from datasets.allocation.output import allocation_write
from datasets.allocation.summary import allocation_summarise
from datasets.catalog import build_dir
from publishing.cli import CommandError

TOP = 10


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "allocate",
        help="compute an allocation formula, explain it, compare it with another",
        description=(
            "Apply a formula (a TOML file, or the id of one in datasets/formulas/) to the "
            "territory and write allocations.csv, allocation_explanations.csv, the Table "
            "Schema and a summary to --out."
        ),
    )
    parser.add_argument("formula", help="formula file, or id of a shipped formula")
    parser.add_argument("--compare", metavar="OTHER", help="second formula to compare with")
    parser.add_argument(
        "--out", type=Path, default=build_dir() / "allocation", help="default build/allocation/"
    )
    parser.add_argument("--entities", type=Path, help="entities.csv to use (default: reference)")
    parser.add_argument("--variables", type=Path, help="variables.csv to use (default: reference)")
    parser.set_defaults(handler=allocate_run)


def allocate_run(args: argparse.Namespace) -> int:
    base = _result_compute(args.formula, args)
    comparison = None
    if args.compare:
        comparison = allocation_compare(base, _result_compute(args.compare, args))
    try:
        written = allocation_write(base, out_dir=args.out, comparison=comparison)
    except OSError as error:
        raise CommandError(f"cannot write to {args.out}: {error.strerror}") from error

    console = Console(file=sys.stdout, width=max(100, Console().width))
    results = [base] + ([comparison.other] if comparison else [])
    console.print(_summary_table(results))
    if comparison:
        console.print(_comparison_table(comparison))
    for path in written:
        console.print(f"wrote {path}", highlight=False)
    return 0


def _result_compute(name: str, args: argparse.Namespace) -> AllocationResult:
    formula = formula_load(formula_path_resolve(name))
    entities, variables = allocation_inputs_load(
        formula, entities_path=args.entities, variables_path=args.variables
    )
    return allocation_compute(formula, entities=entities, variables=variables)


def _euros(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _summary_table(results: list[AllocationResult]) -> Table:
    table = Table(title="Allocation summary", title_justify="left")
    table.add_column("")
    for result in results:
        table.add_column(f"{result.formula.id} v{result.formula.version}", justify="right")
    summaries = [allocation_summarise(result) for result in results]
    lines = [
        ("total (EUR)", lambda s: _euros(s.total_eur)),
        ("entities by formula", lambda s: str(s.count)),
        ("handled apart", lambda s: str(s.excluded)),
        ("min (EUR)", lambda s: _euros(s.minimum_eur)),
        ("median (EUR)", lambda s: _euros(s.median_eur)),
        ("max (EUR)", lambda s: _euros(s.maximum_eur)),
        ("Gini per capita", lambda s: str(s.gini_per_capita)),
    ]
    for label, render in lines:
        table.add_row(label, *(render(summary) for summary in summaries))
    return table


def _comparison_table(comparison: AllocationComparison) -> Table:
    winners, losers = comparison.winners, comparison.losers
    table = Table(
        title=(
            f"{comparison.other.formula.id} vs {comparison.base.formula.id}: "
            f"{len(winners)} gain, {len(losers)} lose, {_euros(comparison.moved_eur)} EUR move"
        ),
        title_justify="left",
    )
    for column in ("entity", "name", "base (EUR)", "other (EUR)", "difference (EUR)", "%"):
        table.add_column(column, justify="left" if column in ("entity", "name") else "right")
    for row in winners[:TOP] + losers[:TOP]:
        table.add_row(
            row.entity_code,
            row.name,
            _euros(row.base_eur),
            _euros(row.other_eur),
            f"{row.difference_eur:+,.2f}",
            "—" if row.difference_pct is None else f"{row.difference_pct:+}",
        )
    return table
