"""The allocation formula over all 8,131 Spanish municipalities: compute vs reading its inputs.

    python benchmarks/bench_allocation.py [--repeat 5]

In the same run, repeated and taking the median of each step:

1. read the formula's input table: ``allocation_inputs_load`` (every entity, plus the
   series the formula reads out of ``variables.csv``), exactly what ``concertem allocate``
   does before computing;
2. compute: ``allocation_compute`` (Decimal, exact to the cent, with explanations);
3. for scale, write the CSVs (``allocation_write``) and read the whole ``variables.csv``.

Prints the times and the ratio compute / read, which should stay a small factor.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_DIR))

from datasets.allocation.compute import allocation_compute  # noqa: E402
from datasets.allocation.formula import formula_load  # noqa: E402
from datasets.allocation.inputs import allocation_inputs_load  # noqa: E402
from datasets.allocation.output import allocation_write  # noqa: E402
from datasets.territory import variables_load  # noqa: E402

FORMULA = REPO_DIR / "benchmarks" / "formulas" / "pgi-2024-2027-spain.toml"


def timed(step: Callable[[], object], *, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    formula = formula_load(FORMULA)
    read_s, inputs = timed(lambda: allocation_inputs_load(formula), repeat=args.repeat)
    entities, variables = inputs
    compute_s, result = timed(
        lambda: allocation_compute(formula, entities=entities, variables=variables),
        repeat=args.repeat,
    )
    with tempfile.TemporaryDirectory() as out:
        write_s, _ = timed(lambda: allocation_write(result, out_dir=Path(out)), repeat=args.repeat)
    full_read_s, _ = timed(variables_load, repeat=max(1, args.repeat // 2))

    count = sum(1 for row in result.rows if row.status == "formula")
    assert result.total_eur == formula.total_eur, "amounts must add up to the budget"
    print(f"formula {formula.id}: {count:,} entities shared {result.total_eur:,} EUR exactly")
    print(f"median of {args.repeat} runs")
    print(f"{'step':<44}{'seconds':>10}{'x read':>10}")
    lines = [
        ("read inputs (entities + formula series)", read_s),
        ("compute (Decimal, explanations)", compute_s),
        ("write CSVs + schema + summary", write_s),
        ("read the whole variables.csv (for scale)", full_read_s),
    ]
    for label, seconds in lines:
        print(f"{label:<44}{seconds:>10.3f}{seconds / read_s:>10.2f}")
    print(f"ratio compute / read = {compute_s / read_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
