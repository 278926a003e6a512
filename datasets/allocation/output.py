"""Write an allocation (and optionally a comparison) as CSV + Table Schema + summary JSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from datasets.allocation.compare import AllocationComparison
from datasets.allocation.compute import AllocationResult
from datasets.allocation.summary import allocation_summarise
from datasets.allocation.tables import (
    allocation_comparison_rows,
    allocation_explanation_rows,
    allocation_fields,
    allocation_result_rows,
    allocation_schema_build,
    schema_load,
)

ALLOCATIONS_CSV = "allocations.csv"
ALLOCATIONS_SCHEMA = "allocations.schema.json"
EXPLANATIONS_CSV = "allocation_explanations.csv"
COMPARISON_CSV = "allocation_comparison.csv"
SUMMARY_JSON = "allocation_summary.json"


def allocation_write(
    result: AllocationResult,
    *,
    out_dir: Path,
    comparison: AllocationComparison | None = None,
) -> list[Path]:
    """Write the files into ``out_dir``; return their paths.

    With a comparison, the other formula's allocation is also written, as
    ``allocations_<other-id>.csv``, so both sides of the comparison are on disk.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [
        _csv_write(
            out_dir / ALLOCATIONS_CSV,
            allocation_fields(result.formula),
            allocation_result_rows(result),
        ),
        _json_write(out_dir / ALLOCATIONS_SCHEMA, allocation_schema_build(result.formula)),
        _csv_write(
            out_dir / EXPLANATIONS_CSV,
            _schema_fields("allocation_explanations"),
            allocation_explanation_rows(result),
        ),
    ]
    summaries = [allocation_summarise(result).as_dict()]
    if comparison is not None:
        other = comparison.other
        written.append(
            _csv_write(
                out_dir / f"allocations_{other.formula.id}.csv",
                allocation_fields(other.formula),
                allocation_result_rows(other),
            )
        )
        written.append(
            _csv_write(
                out_dir / COMPARISON_CSV,
                _schema_fields("allocation_comparison"),
                allocation_comparison_rows(comparison),
            )
        )
        summaries.append(allocation_summarise(other).as_dict())
    written.append(_json_write(out_dir / SUMMARY_JSON, {"summaries": summaries}))
    return written


def cell_format(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _schema_fields(name: str) -> list[str]:
    return [field["name"] for field in schema_load(name)["fields"]]


def _csv_write(path: Path, fields: Sequence[str], rows: Iterable[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(fields)
        for row in rows:
            writer.writerow([cell_format(row[name]) for name in fields])
    return path


def _json_write(path: Path, data: Any) -> Path:
    text = json.dumps(data, ensure_ascii=False, indent=2, default=cell_format)
    path.write_text(text + "\n", encoding="utf-8")
    return path
