"""The text of a value block (``ValueBlock``, ``ReplacedBlock``): one line per value,
``entity<TAB>year<TAB>breakdown<TAB>value<TAB>status``, zlib-compressed; and which import wrote
each value, as runs ``[[import_id, n], ...]`` in the lines' order.

No model here: the migration that moved the values into blocks encodes with these functions
too, so they must not depend on the models' current state.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from itertools import repeat

FIELD, LINE = "\t", "\n"
FIELDS = 5  # entity, year, breakdown, value, status
# zlib's fastest level: 4x smaller than the text, for a fifth of the time level 6 takes.
LEVEL = 1


class BlockError(ValueError):
    """A field held the block's separators: the importer never lets one through."""


def rows_encode(rows: Sequence[Sequence[str]], start: int) -> bytes:
    """The rows' fields from ``start`` on (``FIELDS`` of them) as a compressed block."""
    return lines_encode([FIELD.join(row[start:]) for row in rows])


def lines_encode(lines: list[str]) -> bytes:
    """Lines of ``FIELDS`` tab-separated fields, sorted by key, as a compressed block."""
    text = LINE.join(lines)
    # A tab or a newline inside a value would shift every field after it: counted on the
    # whole text (one pass in C) instead of field by field.
    if lines and (
        text.count(LINE) != len(lines) - 1 or text.count(FIELD) != (FIELDS - 1) * len(lines)
    ):
        raise BlockError("a value holds a tab or a line break")
    return zlib.compress(text.encode(), LEVEL)


def lines_decode(blob: bytes | memoryview, count: int) -> list[str]:
    return zlib.decompress(blob).decode().split(LINE) if count else []


def rows_decode(blob: bytes | memoryview, count: int) -> list[list[str]]:
    return [line.split(FIELD) for line in lines_decode(blob, count)]


def line_key(line: str) -> str:
    """The key part of a line (entity, year, breakdown), as text."""
    return line.rsplit(FIELD, 2)[0]


def sources_runs(sources: Iterable[int | None]) -> list[list[int | None]]:
    runs: list[list[int | None]] = []
    for source in sources:
        if runs and runs[-1][0] == source:
            runs[-1][1] += 1  # type: ignore[operator]
        else:
            runs.append([source, 1])
    return runs


def sources_count(runs: list[list[int | None]], source: int | None) -> int:
    """How many values ``source`` wrote, from the runs alone."""
    return sum(length for held, length in runs if held == source)  # type: ignore[misc]


def sources_expand(runs: list[list[int | None]]) -> list[int | None]:
    expanded: list[int | None] = []
    for source, length in runs:
        expanded.extend(repeat(source, length))  # type: ignore[arg-type]
    return expanded
