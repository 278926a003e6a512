"""The tidy values table: indicator x entity x year x disaggregation -> value, with a status.

``datasets/reference/indicator_values.csv``, schema ``datasets/schemas/indicator_values.json``.
Rows are kept as the strings they are written as: merging an import into the table never
re-formats values that were already there, so a re-import of the same data is a no-op diff.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from datasets.indicators.errors import IndicatorValuesFileError
from datasets.table_io import table_write

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
VALUES_PATH = REFERENCE_DIR / "indicator_values.csv"

VALUES_HEADER = ("indicator_code", "entity_code", "year", "disaggregation", "value", "status")
# SDMX's code for "total": the value is not broken down by any dimension.
TOTAL = "_T"
STATUSES = ("final", "provisional", "estimated", "confidential")
YEAR_MIN, YEAR_MAX = 1900, 2100

# (indicator_code, entity_code, year, disaggregation, value, status), all as written in the CSV
ValueRow = tuple[str, str, str, str, str, str]


def value_text(value: float) -> str:
    """Shortest text that reads back as the same float; integers without a trailing ``.0``."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def values_rows_read(*, path: Path = VALUES_PATH) -> list[ValueRow]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader, None)
        if header is None:
            return []
        if tuple(header) != VALUES_HEADER:
            raise IndicatorValuesFileError(
                f"{path}:1: expected header {','.join(VALUES_HEADER)}, got {','.join(header)}",
                path=str(path),
            )
        rows: list[ValueRow] = [tuple(row) for row in reader]  # type: ignore[misc]
    return rows


def values_rows_write(*, path: Path = VALUES_PATH, rows: Iterable[ValueRow]) -> int:
    """Write the table sorted by its primary key, atomically.

    Plain tuple order is primary-key order: years are 4-digit strings (1900-2100), so they
    sort as numbers, and the key is unique, so values are never compared.
    """
    return table_write(path=path, header=VALUES_HEADER, rows=sorted(rows))


@dataclass(frozen=True, slots=True)
class MergeCounts:
    added: int
    replaced: int
    unchanged: int


def values_rows_merge(
    existing: list[ValueRow], incoming: list[ValueRow]
) -> tuple[list[ValueRow], MergeCounts]:
    """Upsert ``incoming`` into ``existing`` by primary key (indicator, entity, year, breakdown).

    An import adds or corrects observations; it never deletes the years or entities a file
    does not mention (a file with only 2023 must not wipe 2015-2022).
    """
    if not existing:
        return list(incoming), MergeCounts(added=len(incoming), replaced=0, unchanged=0)
    merged: dict[tuple[str, str, str, str], ValueRow] = {row[:4]: row for row in existing}
    added = replaced = unchanged = 0
    for row in incoming:
        key = row[:4]
        before = merged.get(key)
        if before is None:
            added += 1
        elif before == row:
            unchanged += 1
            continue
        else:
            replaced += 1
        merged[key] = row
    return list(merged.values()), MergeCounts(added=added, replaced=replaced, unchanged=unchanged)


# ---- In-memory index for the views ----


@dataclass(frozen=True, slots=True)
class Observation:
    value: float | None  # None only when the status is "confidential"
    status: str


@dataclass(frozen=True, slots=True)
class IndicatorValues:
    """Values indexed for the site: (indicator, disaggregation) -> year -> entity -> observation.

    Built once per file version; every view is then dictionary look-ups, not file scans.
    """

    series: dict[tuple[str, str], dict[int, dict[str, Observation]]] = field(default_factory=dict)

    def years(self, indicator_code: str, disaggregation: str = TOTAL) -> list[int]:
        return sorted(self.series.get((indicator_code, disaggregation), {}))

    def year_values(
        self, indicator_code: str, year: int, disaggregation: str = TOTAL
    ) -> dict[str, Observation]:
        return self.series.get((indicator_code, disaggregation), {}).get(year, {})

    def disaggregations(self, indicator_code: str) -> list[str]:
        return sorted(d for (code, d) in self.series if code == indicator_code)

    def __len__(self) -> int:
        return sum(
            len(by_entity) for by_year in self.series.values() for by_entity in by_year.values()
        )


def indicator_values_index(rows: Iterable[ValueRow]) -> IndicatorValues:
    series: dict[tuple[str, str], dict[int, dict[str, Observation]]] = {}
    for indicator_code, entity_code, year, disaggregation, value, status in rows:
        try:
            number = float(value) if value else None
        except ValueError:
            continue  # a category code (categorical indicators): indexed by the views apart
        if number is not None and not math.isfinite(number):
            number = None
        by_year = series.setdefault((indicator_code, disaggregation), {})
        by_year.setdefault(int(year), {})[entity_code] = Observation(value=number, status=status)
    return IndicatorValues(series=series)


@lru_cache(maxsize=4)
def _values_cached(path: Path, mtime_ns: int) -> IndicatorValues:
    return indicator_values_index(values_rows_read(path=path))


def indicator_values_load(*, path: Path = VALUES_PATH) -> IndicatorValues:
    """The indexed values table; re-read only when the file changes."""
    path = path.resolve()
    if not path.exists():
        return IndicatorValues()
    return _values_cached(path, path.stat().st_mtime_ns)
