"""Row-level checking of user-supplied CSV files, shared by the facility and action importers.

Every problem becomes a ``datasets.issues.Issue`` (file, row, column, rule, value, message)
instead of an exception, so that one run reports *all* of a file's problems and the importer
can refuse the whole file (all-or-nothing) with a list the user can work through.

Two halves: a streaming reader (encoding, header and delimiter, one record at a time,
memory bounded by the rows kept) and ``SchemaCells``, which types each cell with
frictionless's readers for the dataset's Table Schema, so the typing rules live in the
schema. Rules no Table Schema can say (an entity that exists, a point near its town,
amounts that add up) stay in the importers as small named checks.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, TextIO, TypeVar

from frictionless import Schema

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
#
# Typing lives in one place: the Table Schema, read by frictionless's own per-field cell
# readers (the ones ``frictionless validate`` uses on the published packages). This module
# only turns frictionless's notes into issues with a stable rule and a message that names
# the value and the constraint. Running frictionless's whole row pipeline instead was
# measured 2.3x slower and loses the streaming reader's checks (encoding, delimiter,
# exact counts, bounded memory), so only the cell readers are borrowed.

# Distinct texts remembered per column (their typed value or their problem).
CELLS_REMEMBERED = 4096
CELLS_TRIED = 256

# A frictionless note (the constraint a cell broke, or "type") -> the issue's rule.
_TYPE_RULES = {
    "number": ("not-a-number", "{text!r} is not a number (use digits and '.', e.g. 1234.50)"),
    "integer": ("not-an-integer", "{text!r} is not a whole number"),
    "date": ("not-a-date", "{text!r} is not a date in the form YYYY-MM-DD"),
    "boolean": ("not-boolean", "{name} is true or false"),
}
# Relabels for one column: ``{(column, note): (rule, message)}``; the message may use
# ``{text}``, ``{name}`` and the field's constraints by name.
Relabels = Mapping[tuple[str, str], tuple[str, str]]


def schema_descriptor(path: Path, **constraints: Mapping[str, Any]) -> dict[str, Any]:
    """The Table Schema at ``path`` with some fields' constraints replaced or added.

    An import file is the published table before the importer fills its defaults (so
    a column such as ``source`` is optional there), and it may be held to a rule that
    depends on the day (an opening year at most five years ahead).
    """
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for field in descriptor["fields"]:
        if field["name"] in constraints:
            merged = {**field.get("constraints", {}), **constraints[field["name"]]}
            field["constraints"] = {
                key: value for key, value in merged.items() if value is not None
            }
    return descriptor


class SchemaCells:
    """Types and constrains a row's cells with frictionless's readers for a Table Schema.

    ``row_type`` returns every field's typed value (None when missing or invalid) and adds
    one issue per invalid cell: file, row, column, the cell as read, a stable rule and a
    message naming the constraint.
    """

    def __init__(self, descriptor: Mapping[str, Any], *, relabels: Relabels | None = None):
        schema = Schema.from_descriptor(dict(descriptor))
        # A string with no constraint reads as itself: its reader is skipped (a third of a
        # facility row's cells), which keeps the import as fast as the hand-written checks.
        self._plain = [
            field.name
            for field in schema.fields
            if field.type == "string" and not field.constraints and field.format == "default"
        ]
        self._fields = [
            # A unique column (an id) never repeats: nothing to remember.
            [
                field.name,
                field,
                _cell_reader(field),
                None if field.constraints.get("unique") else {},
            ]
            for field in schema.fields
            if field.name not in self._plain
        ]
        self._relabels = dict(relabels or {})
        self._rows = 0

    def row_type(self, row: Mapping[str, str], *, line: int, issues: IssueList) -> dict[str, Any]:
        get = row.get
        typed: dict[str, Any] = {name: get(name) or None for name in self._plain}
        self._rows += 1
        for entry in self._fields:
            name, field, reader, seen = entry
            text = get(name, "")
            read = None if seen is None else seen.get(text)
            if read is None:
                read = reader(text)
                # Codes, amounts and dates repeat from row to row: each distinct text is
                # read once, up to a bound. A column of mostly distinct texts (ids, names,
                # coordinates) stops being remembered: looking it up would only cost.
                if seen is not None:
                    if len(seen) < CELLS_REMEMBERED:
                        seen[text] = read
                    if len(seen) == CELLS_TRIED and self._rows < 2 * CELLS_TRIED:
                        entry[3] = None
            if read[1]:
                typed[name] = None
                self._issue_add(field, next(iter(read[1])), text, line=line, issues=issues)
            else:
                typed[name] = read[0]
        return typed

    def _issue_add(self, field: Any, note: str, text: str, *, line: int, issues: IssueList) -> None:
        constraints = field.constraints
        if (field.name, note) in self._relabels:
            rule, message = self._relabels[(field.name, note)]
        elif note == "type":
            rule, message = _TYPE_RULES.get(field.type, ("type-error", "{text!r} is not valid"))
        elif note == "required":
            rule, message = "required", "{name} is required"
        elif note == "enum":
            rule = "not-allowed"
            message = "{text!r} is not one of: " + ", ".join(sorted(map(str, constraints["enum"])))
        elif note in ("minimum", "maximum") and {"minimum", "maximum"} <= constraints.keys():
            rule, message = "out-of-range", "{text} is outside {minimum}–{maximum}"
        elif note == "minimum":
            rule, message = "out-of-range", "{text!r} is below {minimum}"
        elif note == "maximum":
            rule, message = "out-of-range", "{text!r} is above {maximum}"
        elif note == "maxLength":
            rule, message = "too-long", "{name} is longer than {maxLength} characters"
            text = text[:40]
        elif note == "pattern":
            rule, message = "bad-format", "{name}: {text!r} does not have the form {pattern}"
        else:
            rule, message = f"constraint-{note}", "{text!r} breaks the constraint " + note
        issues.add(
            line, field.name, rule, text, message.format(text=text, name=field.name, **constraints)
        )


def _cell_reader(field: Any) -> Callable[[str], tuple[Any, dict[str, str] | None]]:
    """frictionless's reader for ``field``; for numbers, one that also refuses NaN and INF
    (the Table Schema allows them; a register does not)."""
    reader = field.create_cell_reader()
    if field.type not in ("number", "integer"):
        return reader

    def number_read(text: str) -> tuple[Any, dict[str, str] | None]:
        try:
            value, notes = reader(text)
        except ArithmeticError:  # a Decimal NaN compared with a minimum
            return None, {"type": ""}
        if value is not None and not _finite(value):
            return None, {"type": ""}
        return value, notes

    return number_read


def _finite(value: Any) -> bool:
    try:
        return math.isfinite(value)
    except ValueError:  # a signalling Decimal NaN
        return False


_PLAIN_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def amount_check(
    text: str, value: Decimal | None, column: str, line: int, issues: IssueList, *, places: int = 2
) -> Decimal | None:
    """An amount typed by its schema, also held to the register's written form.

    Beyond the Table Schema's ``number``: plain digits and '.', no exponent ("1E+3" would
    be written back as such) and at most ``places`` decimals (euros and cents).
    """
    if value is None:
        return None
    if not _PLAIN_DECIMAL.match(text):
        rule, message = _TYPE_RULES["number"]
        issues.add(line, column, rule, text, message.format(text=text))
        return None
    if value.as_tuple().exponent < -places:  # type: ignore[operator]
        issues.add(
            line, column, "too-many-decimals", text, f"{text!r} has more than {places} decimals"
        )
        return None
    return value
