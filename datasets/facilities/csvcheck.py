"""Row-level checking of user-supplied CSV files, shared by the facility and action importers.

Every problem becomes a ``datasets.issues.Issue`` (file, row, column, rule, value, message)
instead of an exception, so that one run reports *all* of a file's problems and the importer
can refuse the whole file (all-or-nothing) with a list the user can work through.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, TextIO, TypeVar

from datasets.issues import IssueList
from datasets.table_io import decode_check

T = TypeVar("T")

# ---- Decoding ----

# Characters read from the start of a file to look at it (blank? JSON? its first line).
HEAD_CHARS = 65536


@contextmanager
def text_open(path: Path, *, issues: IssueList) -> Iterator[TextIO | None]:
    """The file as a text stream, or None (with an issue) if it cannot be read as text.

    UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused. Guessing
    Latin-1 would "work" on any byte string and silently turn accents into mojibake in the
    register, so an undecodable file is an error that names the line. The encoding is
    checked by decoding the whole file in chunks first (constant memory, and a bad byte at
    the end refuses the file before any row is looked at); the rows are then read from
    the stream one at a time.
    """
    handle = _binary_open(path, issues=issues)
    if handle is None:
        yield None
        return
    with handle:
        encoding = _encoding_check(handle, path=path, issues=issues)
        if encoding is None:
            yield None
            return
        stream = io.TextIOWrapper(handle, encoding=encoding, newline="")
        try:
            yield stream
        finally:
            stream.detach()  # ``with handle`` closes the file


def _binary_open(path: Path, *, issues: IssueList) -> BinaryIO | None:
    try:
        return path.open("rb")
    except FileNotFoundError:
        issues.add(None, None, "file-not-found", str(path), "file not found")
    except OSError as error:
        issues.add(None, None, "file-unreadable", str(path), error.strerror or str(error))
    return None


def _encoding_check(handle: BinaryIO, *, path: Path, issues: IssueList) -> str | None:
    try:
        utf16 = handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        encoding = "utf-16" if utf16 else "utf-8-sig"
        failure = decode_check(handle, encoding)
    except OSError as error:  # a directory, a device that fails half-way
        issues.add(None, None, "file-unreadable", str(path), error.strerror or str(error))
        return None
    if failure is None:
        return encoding
    if utf16:
        issues.add(None, None, "encoding", "", f"not valid UTF-16: {failure.reason}")
    else:
        issues.add(
            failure.line,
            None,
            "encoding",
            failure.bad_bytes.hex(" "),
            f"byte {failure.bad_bytes[0]:#04x} at byte {failure.position} is not "
            "UTF-8; save the file as UTF-8",
        )
    return None


def text_first_visible(stream: TextIO) -> str:
    """The first character that is not white space ('' for a blank file); rewinds."""
    found = ""
    while chunk := stream.read(HEAD_CHARS):
        stripped = chunk.lstrip()
        if stripped:
            found = stripped[0]
            break
    stream.seek(0)
    return found


# ---- Records ----


def csv_records(
    stream: TextIO,
    *,
    required: Sequence[str],
    optional: Collection[str] = (),
    issues: IssueList,
) -> Iterator[tuple[int, dict[str, str]]] | None:
    """``(line, row)`` pairs of a comma-separated file whose header names ``required``,
    read from ``stream`` one record at a time.

    Returns None (with issues) when the header is wrong: a file read with the wrong
    delimiter or without a header would otherwise yield one nonsense error per cell.
    """
    if not text_first_visible(stream):
        issues.add(None, None, "empty-file", "", "the file is empty")
        return None
    head = stream.read(HEAD_CHARS)
    stream.seek(0)
    reader = csv.reader(stream)
    try:
        header = [name.strip().lstrip("\ufeff") for name in next(reader)]
    except csv.Error as error:
        issues.add(1, None, "malformed-csv", "", f"not readable as CSV: {error}")
        return None
    missing = [name for name in required if name not in header]
    if missing:
        first = head.splitlines()[0]
        for delimiter in (";", "\t", "|"):
            if delimiter in first and all(name in first for name in required[:2]):
                issues.add(
                    1,
                    None,
                    "delimiter",
                    repr(delimiter),
                    f"the file is separated by {delimiter!r}; expected commas",
                )
                return None
        if not any(name in header for name in required):
            issues.add(
                1,
                None,
                "missing-header",
                first[:80],
                "the first line is not a header; expected columns: " + ", ".join(required),
            )
            return None
        for name in missing:
            issues.add(1, name, "missing-column", "", f"required column {name!r} is missing")
        return None
    known = set(required) | set(optional)
    for name in header:
        if name not in known:
            issues.add(
                1,
                name,
                "unknown-column",
                name,
                f"column {name!r} is not part of the format (typo?)",
            )
    duplicated = {name for name in header if header.count(name) > 1}
    for name in sorted(duplicated):
        issues.add(1, name, "duplicate-column", name, f"column {name!r} appears twice")
    if issues:
        return None
    return _csv_rows(reader, header, issues)


def _csv_rows(
    reader: Any, header: list[str], issues: IssueList
) -> Iterator[tuple[int, dict[str, str]]]:
    width = len(header)
    found = False
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            found = True
            if len(record) != width:
                issues.add(
                    reader.line_num,
                    None,
                    "field-count",
                    str(len(record)),
                    f"{len(record)} fields, the header has {width}",
                )
                continue
            yield (
                reader.line_num,
                {name: cell.strip() for name, cell in zip(header, record, strict=True)},
            )
    except csv.Error as error:  # a cell over the csv module's size limit, say
        issues.add(reader.line_num, None, "malformed-csv", "", f"not readable as CSV: {error}")
        return
    if not found:
        issues.add(None, None, "no-rows", "", "the file has a header but no rows")


def records_keep(
    records: Iterable[tuple[int, dict[str, str]]],
    *,
    check: Callable[[int, dict[str, str]], T | None],
    key: Callable[[T], str],
    column: str,
    issues: IssueList,
) -> list[T]:
    """Check every record; keep the valid ones, a repeated ``key`` being an issue.

    All or nothing: once any issue is counted the kept records are dropped (nothing will
    be written) and only their ids are remembered, so memory follows the valid rows.
    """
    kept: list[T] = []
    first_seen: dict[str, int] = {}
    for line, row in records:
        item = check(line, row)
        if item is None:
            pass
        elif (earlier := first_seen.get(key(item))) is not None:
            issues.add(
                line, column, "duplicate-id", key(item), f"{key(item)!r} already on row {earlier}"
            )
        else:
            first_seen[key(item)] = line
            kept.append(item)
        if issues.total and kept:
            kept.clear()
    return kept


# ---- Cells ----

_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


# Amounts and dates repeat from row to row ('0.00', a call's closing date): one immutable
# object per distinct text keeps the rows of a big import compact (and is faster to get).
@lru_cache(maxsize=4096)
def _decimal(text: str) -> Decimal:
    return Decimal(text)


@lru_cache(maxsize=4096)
def _date(text: str) -> date:
    return date.fromisoformat(text)


def cell_decimal(
    value: str,
    column: str,
    line: int,
    issues: IssueList,
    *,
    minimum: Decimal | None = Decimal(0),
    places: int = 2,
) -> Decimal | None:
    """A plain decimal with ``.`` as separator: ``1234.50``; no thousands separators."""
    if not _DECIMAL.match(value):
        issues.add(
            line,
            column,
            "not-a-number",
            value,
            f"{value!r} is not a number (use digits and '.', e.g. 1234.50)",
        )
        return None
    try:
        number = _decimal(value)
    except InvalidOperation:  # pragma: no cover - the regex already rules it out
        issues.add(line, column, "not-a-number", value, f"{value!r} is not a number")
        return None
    if number.as_tuple().exponent < -places:  # type: ignore[operator]
        issues.add(
            line, column, "too-many-decimals", value, f"{value!r} has more than {places} decimals"
        )
        return None
    if minimum is not None and number < minimum:
        issues.add(line, column, "out-of-range", value, f"{value!r} is below {minimum}")
        return None
    return number


def cell_int(
    value: str, column: str, line: int, issues: IssueList, *, minimum: int, maximum: int
) -> int | None:
    if not re.fullmatch(r"-?\d+", value):
        issues.add(line, column, "not-an-integer", value, f"{value!r} is not a whole number")
        return None
    number = int(value)
    if not minimum <= number <= maximum:
        issues.add(line, column, "out-of-range", value, f"{number} is outside {minimum}–{maximum}")
        return None
    return number


def cell_date(value: str, column: str, line: int, issues: IssueList) -> date | None:
    try:
        return _date(value)
    except ValueError:
        issues.add(
            line, column, "not-a-date", value, f"{value!r} is not a date in the form YYYY-MM-DD"
        )
        return None


def cell_choice(
    value: str, column: str, line: int, issues: IssueList, *, choices: Collection[str]
) -> str | None:
    if value not in choices:
        issues.add(
            line,
            column,
            "not-allowed",
            value,
            f"{value!r} is not one of: " + ", ".join(sorted(choices)),
        )
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
