"""One problem found in data, the same type for every checker.

The package validator (``datasets.validation``), the CSV importers (facilities, cooperation
actions) and the indicator importer all report problems as ``Issue``: where (package, file,
row, column), what (the offending value), which rule (a stable slug that tests, scripts and
the validation report match on) and a message for people. Checkers never raise on bad data;
they return issues, so one run lists *all* of a file's problems and the caller refuses the
whole file (all-or-nothing) with a list the user can work through.

``issue_format`` is the one human-readable form, ``FILE:ROW [column]: rule: message``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

# Kept per report by default; beyond this a list still counts issues but stops keeping them.
ISSUES_KEPT = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class Issue:
    rule: str  # frictionless error type ("primary-key") or domain rule ("unknown-entity")
    message: str  # for people, in the user's language when the checker has one
    file: str = ""  # relative to the package directory, or the uploaded file's name
    row: int | None = None  # the line in the file, 1 = the header; None = the file as a whole
    column: str | None = None
    value: str = ""  # the offending cell as read ("" when the problem is not one cell)
    severity: Severity = "error"
    package: str = ""  # the Data Package's name, for problems found in built packages


def issue_format(issue: Issue) -> str:
    """``[package/]file[:row][ [column]]: rule: message``, one line per issue."""
    where = f"{issue.package}/{issue.file}" if issue.package else issue.file
    if issue.row is not None:
        where += f":{issue.row}"
    if issue.column:
        where += f" [{issue.column}]"
    return f"{where}: {issue.rule}: {issue.message}"


class IssueList(list[Issue]):
    """Issues found in one file, keeping the first ``kept`` and counting all (``total``).

    A file with a problem on each of its million rows so costs a few hundred issues of
    memory, and the report still says how many there were.
    """

    def __init__(self, file: str, *, kept: int = ISSUES_KEPT) -> None:
        super().__init__()
        self.file = file
        self.kept = kept
        self.total = 0

    def add(
        self, row: int | None, column: str | None, rule: str, value: object, message: str
    ) -> None:
        self.issue_add(
            Issue(
                file=self.file, row=row, column=column, rule=rule, value=str(value), message=message
            )
        )

    def issue_add(self, issue: Issue) -> None:
        self.total += 1
        if len(self) < self.kept:
            self.append(issue)

    @property
    def more(self) -> int:
        """Issues counted but not kept."""
        return self.total - len(self)

    def summary(self, what: str) -> str:
        """``FILE: N problem(s); WHAT`` and, when not all are listed, how many are not."""
        line = f"{self.file}: {self.total} problem(s); {what}"
        if self.more:
            line += f" (the first {len(self)} are listed, and {self.more} more)"
        return line
