"""The result of checking an indicator file: what was detected and assumed, the counts, and
every problem as the house's one ``Issue`` (``datasets.issues``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from datasets.indicators.values import MergeCounts
from datasets.issues import Issue

# Issue details kept in the report; beyond this only the counts per code grow.
ISSUES_KEPT = 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportIssue(Issue):
    """The house's one ``Issue`` (file, row, column, value, rule, message): ``row`` is the
    line in the file (1 = first line), None for file-level problems."""

    @property
    def code(self) -> str:
        """The rule, under the name this report gave it before ``datasets.issues``."""
        return self.rule


@dataclass(slots=True)
class ImportReport:
    file: str
    indicator_code: str
    encoding: str = ""
    delimiter: str = ""
    decimal: str = ""
    layout: str = ""
    entity_code_kind: str = ""
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    unmapped_columns: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    rows_read: int = 0
    observations: int = 0
    skipped_no_value: int = 0
    skipped_notes: int = 0
    skipped_code_only: int = 0  # rows with nothing but the indicator's code (trailing rows)
    publisher_code: str = ""
    province_code: str | None = None
    issues: list[ImportIssue] = field(default_factory=list)
    issue_counts: Counter[str] = field(default_factory=Counter)
    dry_run: bool = False
    written: bool = False
    merge: MergeCounts | None = None
    values_path: str = ""

    @property
    def valid(self) -> bool:
        return not self.issue_counts

    def issue_add(
        self, code: str, row: int | None, column: str | None, value: str, message: str
    ) -> None:
        self.issue_counts[code] += 1
        if len(self.issues) < ISSUES_KEPT:
            self.issues.append(
                ImportIssue(
                    rule=code, message=message, file=self.file, row=row, column=column, value=value
                )
            )
