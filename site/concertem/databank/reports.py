"""An import report as stored (JSON), as text (the command line) and as CSV (every problem)."""

from __future__ import annotations

import csv
import io
from typing import Any

from datasets.indicators.importer import ImportReport

ISSUES_PRINTED = 50
ISSUE_HEADER = ("file", "row", "column", "value", "code", "message")


def report_dict(report: ImportReport) -> dict[str, Any]:
    return {
        "file": report.file,
        "indicator_code": report.indicator_code,
        "encoding": report.encoding,
        "delimiter": report.delimiter,
        "decimal": report.decimal,
        "layout": report.layout,
        "entity_code_kind": report.entity_code_kind,
        "header_row": report.header_row,
        "columns": dict(report.columns),
        "unmapped_columns": list(report.unmapped_columns),
        "assumptions": list(report.assumptions),
        "rows_read": report.rows_read,
        "observations": report.observations,
        "skipped_no_value": report.skipped_no_value,
        "skipped_notes": report.skipped_notes,
        "issues": [
            {
                "code": issue.code,
                "row": issue.row,
                "column": issue.column,
                "value": issue.value,
                "message": issue.message,
            }
            for issue in report.issues
        ],
        "issue_counts": dict(sorted(report.issue_counts.items())),
    }


def report_lines(report: dict[str, Any]) -> list[str]:
    """The report as ``concertem indicators import`` prints it."""
    lines = [f"file: {report['file']}"]
    if report.get("encoding") and report.get("layout"):
        kind = (report.get("entity_code_kind") or "").upper() or "?"
        lines.append(
            f"read as: {report['encoding']}, delimiter {report['delimiter']!r}, decimal "
            f"{report['decimal']!r}, {report['layout']} layout, {kind} codes, header on line "
            f"{report['header_row']}"
        )
        lines.append(
            "columns: " + ", ".join(f"{role}={name!r}" for role, name in report["columns"].items())
        )
    if report.get("unmapped_columns"):
        lines.append(
            "not mapped (ignored): " + ", ".join(repr(c) for c in report["unmapped_columns"])
        )
    lines += [f"assumed: {assumption}" for assumption in report.get("assumptions", ())]
    if report.get("rows_read"):
        lines.append(
            f"rows: {report['rows_read']} read, {report['observations']} observations, "
            f"{report['skipped_no_value']} without a value, {report['skipped_notes']} note lines"
        )
    return lines


def report_problem_lines(report: dict[str, Any]) -> list[str]:
    name = report["file"].rsplit("/", 1)[-1]
    lines = []
    for issue in report["issues"][:ISSUES_PRINTED]:
        where = f"{name}:{issue['row']}" if issue["row"] is not None else name
        column = f" column {issue['column']!r}:" if issue["column"] else ""
        lines.append(f"{where}:{column} {issue['code']}: {issue['message']}")
    total = sum(report["issue_counts"].values())
    if total > ISSUES_PRINTED:
        lines.append(f"... {total - ISSUES_PRINTED} more")
    counts = ", ".join(f"{code}: {n}" for code, n in report["issue_counts"].items())
    lines.append(f"{total} problem(s) ({counts}); nothing written")
    return lines


def report_issues_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ISSUE_HEADER)
    for issue in report.get("issues", ()):
        writer.writerow(
            (
                report["file"],
                "" if issue["row"] is None else issue["row"],
                issue["column"] or "",
                issue["value"],
                issue["code"],
                issue["message"],
            )
        )
    return out.getvalue()
