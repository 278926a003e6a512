"""Row-level checking of user-supplied CSV files, shared by the facility and action importers.

Every problem becomes a ``RowIssue`` (file, row, column, rule, value, message) instead of an
exception, so that one run reports *all* of a file's problems and the importer can refuse the
whole file (all-or-nothing) with a list the user can work through. ``rule`` is a stable slug
that tests and scripts match on; ``message`` is for people.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

# Kept per report; beyond this the importer still counts but stops listing.
ISSUES_KEPT = 500


@dataclass(frozen=True, slots=True)
class RowIssue:
    file: str
    row: int | None  # line in the file, 1 = header; None = the file as a whole
    column: str | None
    rule: str
    value: str
    message: str

    def as_line(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column:
            where += f" [{self.column}]"
        return f"{where}: {self.rule}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "rule": self.rule,
            "value": self.value,
            "message": self.message,
        }


class IssueList(list):
    """A list of ``RowIssue`` with a helper that fills in the file name."""

    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file

    def add(self, row: int | None, column: str | None, rule: str, value: object,
            message: str) -> None:
        if len(self) < ISSUES_KEPT:
            self.append(RowIssue(self.file, row, column, rule, str(value), message))


# ---- Decoding ----


def text_decode(raw: bytes, *, issues: IssueList) -> str | None:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused.

    Guessing Latin-1 would "work" on any byte string and silently turn accents into
    mojibake in the register, so an undecodable file is an error that names the line.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            issues.add(None, None, "encoding", "", f"not valid UTF-16: {error.reason}")
            return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        issues.add(line, None, "encoding", raw[error.start:error.start + 4].hex(" "),
                   f"byte {raw[error.start]:#04x} at byte {error.start} is not UTF-8; "
                   "save the file as UTF-8")
        return None


def file_read_bytes(path: Path, *, issues: IssueList) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        issues.add(None, None, "file-not-found", str(path), "file not found")
    except OSError as error:
        issues.add(None, None, "file-unreadable", str(path), error.strerror or str(error))
    return None


# ---- Records ----


def csv_records_read(
    text: str, *, required: Sequence[str], optional: Collection[str] = (), issues: IssueList
) -> list[tuple[int, dict[str, str]]] | None:
    """``(line, row)`` pairs of a comma-separated file whose header names ``required``.

    Returns None (with issues) when the header is wrong: a file read with the wrong
    delimiter or without a header would otherwise yield one nonsense error per cell.
    """
    if not text.strip():
        issues.add(None, None, "empty-file", "", "the file is empty")
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().lstrip("\ufeff") for name in next(reader)]
    missing = [name for name in required if name not in header]
    if missing:
        first = text.splitlines()[0]
        for delimiter in (";", "\t", "|"):
            if delimiter in first and all(name in first for name in required[:2]):
                issues.add(1, None, "delimiter", repr(delimiter),
                           f"the file is separated by {delimiter!r}; expected commas")
                return None
        if not any(name in header for name in required):
            issues.add(1, None, "missing-header", first[:80],
                       "the first line is not a header; expected columns: "
                       + ", ".join(required))
            return None
        for name in missing:
            issues.add(1, name, "missing-column", "", f"required column {name!r} is missing")
        return None
    known = set(required) | set(optional)
    for name in header:
        if name not in known:
            issues.add(1, name, "unknown-column", name,
                       f"column {name!r} is not part of the format (typo?)")
    duplicated = {name for name in header if header.count(name) > 1}
    for name in sorted(duplicated):
        issues.add(1, name, "duplicate-column", name, f"column {name!r} appears twice")
    if issues:
        return None
    records: list[tuple[int, dict[str, str]]] = []
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            issues.add(line, None, "field-count", str(len(record)),
                       f"{len(record)} fields, the header has {len(header)}")
            continue
        records.append((line, {name: cell.strip() for name, cell in zip(header, record,
                                                                           strict=True)}))
    if not records and not issues:
        issues.add(None, None, "no-rows", "", "the file has a header but no rows")
    return records


# ---- Cells ----

_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def cell_required(row: dict[str, str], column: str, line: int, issues: IssueList) -> str | None:
    value = row.get(column, "")
    if not value:
        issues.add(line, column, "required", "", f"{column} is required")
        return None
    return value


def cell_decimal(value: str, column: str, line: int, issues: IssueList, *,
                 minimum: Decimal | None = Decimal(0), places: int = 2) -> Decimal | None:
    """A plain decimal with ``.`` as separator: ``1234.50``; no thousands separators."""
    if not _DECIMAL.match(value):
        issues.add(line, column, "not-a-number", value,
                   f"{value!r} is not a number (use digits and '.', e.g. 1234.50)")
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the regex already rules it out
        issues.add(line, column, "not-a-number", value, f"{value!r} is not a number")
        return None
    if number.as_tuple().exponent < -places:  # type: ignore[operator]
        issues.add(line, column, "too-many-decimals", value,
                   f"{value!r} has more than {places} decimals")
        return None
    if minimum is not None and number < minimum:
        issues.add(line, column, "out-of-range", value, f"{value!r} is below {minimum}")
        return None
    return number


def cell_int(value: str, column: str, line: int, issues: IssueList, *,
             minimum: int, maximum: int) -> int | None:
    if not re.fullmatch(r"-?\d+", value):
        issues.add(line, column, "not-an-integer", value, f"{value!r} is not a whole number")
        return None
    number = int(value)
    if not minimum <= number <= maximum:
        issues.add(line, column, "out-of-range", value,
                   f"{number} is outside {minimum}–{maximum}")
        return None
    return number


def cell_date(value: str, column: str, line: int, issues: IssueList) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        issues.add(line, column, "not-a-date", value,
                   f"{value!r} is not a date in the form YYYY-MM-DD")
        return None


def cell_choice(value: str, column: str, line: int, issues: IssueList, *,
                choices: Collection[str]) -> str | None:
    if value not in choices:
        issues.add(line, column, "not-allowed", value,
                   f"{value!r} is not one of: " + ", ".join(sorted(choices)))
        return None
    return value


def cell_float(value: str, column: str, line: int, issues: IssueList) -> float | None:
    try:
        number = float(value)
    except ValueError:
        issues.add(line, column, "not-a-number", value, f"{value!r} is not a number")
        return None
    if not math.isfinite(number):
        issues.add(line, column, "not-a-number", value, f"{value!r} is not a finite number")
        return None
    return number
