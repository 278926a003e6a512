"""What the first records of an indicator file say about all of it: the kind of entity codes,
the decimal mark (read further only when those records do not settle it and the rest could),
the first indicator-code cell, a value cell that reads with either decimal mark.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from datasets.indicators import cells
from datasets.indicators.layout import FileLayout
from datasets.indicators.mapping import ImportMapping

# Records after the header read first to choose the decimal mark and the kind of codes.
HEAD_RECORDS = 2000
# Text read at a time when scanning the rest of a file for characters.
SCAN_CHARS = 1 << 18


def header_skip(reader: Any, header_row: int) -> None:
    """Advance ``reader`` past the header line."""
    for _ in reader:
        if reader.line_num >= header_row:
            break


@dataclass(slots=True)
class HeadSample:
    """What the first records say about the whole file."""

    marks: dict[int, str]  # value column -> decimal mark its first settling cell gives
    entity_texts: set[str]  # distinct texts of the code column
    complete: bool  # the sample is the whole file
    rest_may_settle: bool  # after the sample, a cell could still settle the decimal mark
    indicator_first: tuple[int, str] | None = None  # (line, text) of the first indicator cell
    ambiguous: str | None = None  # a value cell that reads with either decimal mark


def marks_add(marks: dict[int, str], record: list[str], columns: list[int]) -> None:
    width = len(record)
    for column in columns:
        if column not in marks and width > column:
            mark = cells.decimal_evidence(record[column])
            if mark is not None:
                marks[column] = mark


def entity_column(layout: FileLayout) -> int:
    roles = layout.roles
    return roles["entity_code"] if "entity_code" in roles else roles["entity_name"]


def head_sample(path: Path, layout: FileLayout, value_columns: list[int]) -> HeadSample:
    i_entity = entity_column(layout)
    i_indicator = layout.roles.get("indicator_code", -1)
    sample = HeadSample(marks={}, entity_texts=set(), complete=True, rest_may_settle=False)
    with path.open(encoding=layout.encoding, newline="") as stream:
        reader = csv.reader(stream, delimiter=layout.delimiter)
        try:
            header_skip(reader, layout.header_row)
            for count, record in enumerate(reader, 1):
                width = len(record)
                if width > i_entity:
                    sample.entity_texts.add(record[i_entity])
                if (
                    sample.indicator_first is None
                    and width > i_indicator >= 0
                    and record[i_indicator].strip()
                ):
                    sample.indicator_first = (reader.line_num, record[i_indicator].strip())
                marks_add(sample.marks, record, value_columns)
                if sample.ambiguous is None:
                    sample.ambiguous = next(
                        (
                            record[c]
                            for c in value_columns
                            if width > c and cells.decimal_ambiguous(record[c])
                        ),
                        None,
                    )
                if count > HEAD_RECORDS:
                    sample.complete = False
                    break
        except csv.Error:
            return sample  # the row loop reports it
        if not sample.complete:
            sample.rest_may_settle = may_settle_decimal(stream, layout.delimiter)
    return sample


def may_settle_decimal(stream: TextIO, delimiter: str) -> bool:
    """Whether the rest of ``stream`` has a character a cell needs to settle the decimal
    mark: a '.', or a ',' inside a cell (under a ',' delimiter: a quoted one)."""
    comma = quote = False
    while chunk := stream.read(SCAN_CHARS):
        if "." in chunk:
            return True
        comma = comma or "," in chunk
        quote = quote or '"' in chunk
        if comma and (delimiter != "," or quote):
            return True
    return False


def decimal_choose(
    path: Path, layout: FileLayout, columns: list[int], mapping: ImportMapping, sample: HeadSample
) -> tuple[str, bool]:
    """The mark the first settling cell of the first value column gives (of the next column
    if that one has none...), else the delimiter's default: over the whole file, read again
    only when the first records do not settle it and the rest of the file could."""
    if mapping.decimal is not None:
        return mapping.decimal, False
    marks = sample.marks
    if columns[0] not in marks and not sample.complete and sample.rest_may_settle:
        marks = {}
        with path.open(encoding=layout.encoding, newline="") as stream:
            reader = csv.reader(stream, delimiter=layout.delimiter)
            try:
                header_skip(reader, layout.header_row)
                for record in reader:
                    marks_add(marks, record, columns)
                    if columns[0] in marks:
                        break
            except csv.Error:
                pass  # the row loop reports it
    for column in columns:
        if column in marks:
            return marks[column], False
    return cells.decimal_default(layout.delimiter), True
