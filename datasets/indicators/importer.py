"""Import one indicator from a CSV as statistical offices publish it into the tidy values table.

All or nothing: every row is checked first, each problem reported with file, line, column and a
stable code; if any row fails nothing is written. Otherwise the rows are upserted into
``indicator_values.csv`` (same key: replaced; new key: added; nothing else touched).

Speed: the rows are parsed once with the csv module; codes, years, breakdown labels and status
labels repeat across rows, so each distinct text is interpreted once and cached, and the per-row
work is a few dictionary look-ups, one ``float()`` and one output tuple.

Memory: the file is streamed, never held: its encoding is checked by decoding it in chunks, its
layout is found in its first ``HEAD_CHARS`` characters, the decimal mark and the kind of codes
from its first ``HEAD_RECORDS`` records (checked against the rest of the file, so the choice is
the one a look at the whole file gives), and the rows are checked one by one as they are read.
What is kept is the valid rows (the ones to be written), the keys seen, bounded caches and the
first ``ISSUES_KEPT`` issues; so a file of any size costs what it will add to the table.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from datasets.indicators import cells
from datasets.indicators.catalog import Indicator, IndicatorCatalog, indicator_catalog_load
from datasets.indicators.errors import IndicatorImportError
from datasets.indicators.layout import (
    HEAD_CHARS,
    FileLayout,
    LayoutError,
    encoding_detect,
    layout_detect,
)
from datasets.indicators.mapping import ImportMapping
from datasets.indicators.values import (
    TOTAL,
    VALUES_PATH,
    MergeCounts,
    ValueRow,
    value_text,
    values_rows_merge,
    values_rows_read,
    values_rows_write,
)

# Issue details kept in the report; beyond this only the counts per code grow.
ISSUES_KEPT = 1000
# Records after the header read first to choose the decimal mark and the kind of codes.
HEAD_RECORDS = 2000
# Distinct texts remembered per cache (years, labels, codes that are no code at all): a file
# of garbage must not grow them without bound. Codes that resolve are always remembered
# (there are as many as municipalities): choosing the kind of codes counts them.
CACHE_MAX = 100_000
# Text read at a time when scanning the rest of a file for characters.
SCAN_CHARS = 1 << 18
_UNSEEN = object()


@dataclass(frozen=True, slots=True)
class ImportIssue:
    code: str
    row: int | None  # line in the file (1 = first line), None for file-level problems
    column: str | None
    value: str
    message: str


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
            self.issues.append(ImportIssue(code, row, column, value, message))


# ---- Reading the records ----


def _header_skip(reader: Any, header_row: int) -> None:
    """Advance ``reader`` past the header line."""
    for _ in reader:
        if reader.line_num >= header_row:
            break


@dataclass(slots=True)
class _HeadSample:
    """What the first records say about the whole file."""

    marks: dict[int, str]  # value column -> decimal mark its first settling cell gives
    entity_texts: set[str]  # distinct texts of the code column
    complete: bool  # the sample is the whole file
    rest_may_settle: bool  # after the sample, a cell could still settle the decimal mark


def _marks_add(marks: dict[int, str], record: list[str], columns: list[int]) -> None:
    width = len(record)
    for column in columns:
        if column not in marks and width > column:
            mark = cells.decimal_evidence(record[column])
            if mark is not None:
                marks[column] = mark


def _head_sample(path: Path, layout: FileLayout, value_columns: list[int]) -> _HeadSample:
    i_entity = layout.roles["entity_code"]
    sample = _HeadSample(marks={}, entity_texts=set(), complete=True, rest_may_settle=False)
    with path.open(encoding=layout.encoding, newline="") as stream:
        reader = csv.reader(stream, delimiter=layout.delimiter)
        try:
            _header_skip(reader, layout.header_row)
            for count, record in enumerate(reader, 1):
                if len(record) > i_entity:
                    sample.entity_texts.add(record[i_entity])
                _marks_add(sample.marks, record, value_columns)
                if count > HEAD_RECORDS:
                    sample.complete = False
                    break
        except csv.Error:
            return sample  # the row loop reports it
        if not sample.complete:
            sample.rest_may_settle = _may_settle_decimal(stream, layout.delimiter)
    return sample


def _may_settle_decimal(stream: TextIO, delimiter: str) -> bool:
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


def _decimal_choose(
    path: Path, layout: FileLayout, columns: list[int], mapping: ImportMapping, sample: _HeadSample
) -> str:
    """The mark the first settling cell of the first value column gives (of the next column
    if that one has none...), else the delimiter's default: over the whole file, read again
    only when the first records do not settle it and the rest of the file could."""
    if mapping.decimal is not None:
        return mapping.decimal
    marks = sample.marks
    if columns[0] not in marks and not sample.complete and sample.rest_may_settle:
        marks = {}
        with path.open(encoding=layout.encoding, newline="") as stream:
            reader = csv.reader(stream, delimiter=layout.delimiter)
            try:
                _header_skip(reader, layout.header_row)
                for record in reader:
                    _marks_add(marks, record, columns)
                    if columns[0] in marks:
                        break
            except csv.Error:
                pass  # the row loop reports it
    for column in columns:
        if column in marks:
            return marks[column]
    return cells.decimal_default(layout.delimiter)


# ---- Per-cell interpreters with caches ----


class _Interpreters:
    """Caches of text -> meaning for the cells that repeat: codes, years, labels.

    Each holds at most ``CACHE_MAX`` texts, except that every code cell that is a code under
    either kind is kept: ``entity_texts`` gives them to check the kind of codes chosen.
    """

    def __init__(
        self,
        *,
        indicator: Indicator,
        catalog: IndicatorCatalog,
        mapping: ImportMapping,
        resolver: cells.EntityCodeResolver,
        kind: str,
    ) -> None:
        self.indicator = indicator
        self.catalog = catalog
        self.resolver = resolver
        self.kind = kind
        self.other_kind = "idescat" if kind == "ine" else "ine"
        self.sex_labels = {
            cells.label_normalise(k): v for k, v in mapping.labels.get("sex", {}).items()
        }
        self.age_labels = {
            cells.label_normalise(k): v for k, v in mapping.labels.get("age_group", {}).items()
        }
        self.status_labels = {
            cells.label_normalise(k): v for k, v in mapping.labels.get("status", {}).items()
        }
        self.entities: dict[str, str | None] = {}
        self.years: dict[str, tuple[int | None, str | None, str]] = {}
        self.statuses: dict[str, str | None] = {}
        self.breakdowns: dict[tuple[str, ...], tuple[str | None, str | None]] = {}
        self.skipped_codes: set[str] = set()  # codes in rows skipped before being read

    def entity(self, text: str) -> str | None:
        code = self.entities.get(text, _UNSEEN)
        if code is _UNSEEN:
            code = self.resolver.resolve(text, kind=self.kind)
            if (
                code is not None
                or len(self.entities) < CACHE_MAX
                or self.resolver.resolve(text, kind=self.other_kind) is not None
            ):
                self.entities[text] = code
        return code  # type: ignore[return-value]

    def entity_skipped(self, text: str) -> None:
        """A code cell of a row not read further (malformed, a note): it still counts when
        choosing the kind of codes, as every code cell of the file does."""
        if self.resolver.resolve(text, kind="ine") or self.resolver.resolve(text, kind="idescat"):
            self.skipped_codes.add(text)

    def entity_texts(self) -> set[str]:
        """Every distinct code cell that is a code under some kind (the others count for
        neither kind)."""
        return self.entities.keys() | self.skipped_codes

    def year(self, text: str) -> tuple[int | None, str | None, str]:
        found = self.years.get(text)
        if found is None:
            year, problem = cells.year_parse(text)
            found = (year, problem, str(year))
            if len(self.years) < CACHE_MAX:
                self.years[text] = found
        return found

    def status(self, text: str) -> str | None:
        found = self.statuses.get(text, _UNSEEN)
        if found is _UNSEEN:
            label = cells.label_normalise(text)
            found = self.status_labels.get(label) or cells.STATUS_LABELS.get(label)
            if len(self.statuses) < CACHE_MAX:
                self.statuses[text] = found
        return found  # type: ignore[return-value]

    def breakdown(
        self, dims: tuple[str, ...], texts: tuple[str, ...]
    ) -> tuple[str | None, str | None]:
        """(canonical key, None) or (None, problem message)."""
        cache_key = dims + texts
        found = self.breakdowns.get(cache_key)
        if found is None:
            found = self._breakdown_interpret(dims, texts)
            if len(self.breakdowns) < CACHE_MAX:
                self.breakdowns[cache_key] = found
        return found

    def _breakdown_interpret(
        self, dims: tuple[str, ...], texts: tuple[str, ...]
    ) -> tuple[str | None, str | None]:
        parts: dict[str, str] = {}
        for dim, text in zip(dims, texts, strict=True):
            if dim == "disaggregation":
                parsed = cells.disaggregation_key_parse(text)
                if parsed is None:
                    return None, f"not a disaggregation key like 'sex=female': {text!r}"
                parts.update(parsed)
                continue
            label = cells.label_normalise(text)
            if dim == "sex":
                value = self.sex_labels.get(label) or cells.sex_parse(text)
            else:
                value = self.age_labels.get(label) or cells.age_group_parse(text)
            if value is None:
                return None, f"{dim} label {text!r} not understood (add it under [labels.{dim}])"
            parts[dim] = value
        for dim, value in parts.items():
            if value != TOTAL and dim not in self.indicator.disaggregations:
                allowed = ", ".join(self.indicator.disaggregations) or "none"
                return None, (
                    f"indicator {self.indicator.code} is not broken down by {dim} "
                    f"(allowed: {allowed})"
                )
        return cells.disaggregation_key(parts), None


# ---- The row loop ----


def _rows_check(
    report: ImportReport, layout: FileLayout, reader: Any, decimal: str, interpret: _Interpreters
) -> list[ValueRow]:
    """Turn the records ``reader`` gives into value rows, recording every problem.

    The hot loop of the importer: per row, a few cache look-ups (dict.get straight, the
    interpreting method only on a miss), one float(), one key and one output tuple. Records
    are read one at a time and dropped once checked; ``reader.line_num`` is the line of the
    record being checked (its last line, if a quoted cell spans lines).
    """
    indicator = interpret.indicator
    indicator_code = indicator.code
    header = [cell.strip() for cell in layout.header]
    width = len(header)
    roles = layout.roles
    i_entity = roles["entity_code"]
    i_year = roles.get("year", -1)
    i_status = roles.get("status")
    i_indicator = roles.get("indicator_code")
    dims = tuple(sorted(layout.dimensions))
    if "disaggregation" in roles:
        dims = (*dims, "disaggregation")
    dim_columns = tuple(
        roles["disaggregation"] if dim == "disaggregation" else layout.dimensions[dim]
        for dim in dims
    )
    single_dim = dim_columns[0] if len(dim_columns) == 1 else None
    # (value column, fixed year or None): one pair in long files, one per year column in wide
    if layout.year_columns:
        value_columns = [(index, year) for index, year in sorted(layout.year_columns.items())]
    else:
        value_columns = [(roles["value"], None)]
    vmin = indicator.value_min if indicator.value_min is not None else -math.inf
    vmax = indicator.value_max if indicator.value_max is not None else math.inf
    parse_number = cells.number_parse
    point = decimal == "."
    thousands = "," if point else "."
    entity_cache, year_cache = interpret.entities, interpret.years
    status_cache, breakdown_cache = interpret.statuses, interpret.breakdowns
    issue = report.issue_add
    issue_counts = report.issue_counts
    dropped = 0
    seen: dict[tuple[str, str, str], int] = {}
    out: list[ValueRow] = []
    append = out.append
    notes = 0

    count = 0
    for count, record in enumerate(reader, 1):  # noqa: B007 - counted, not used
        if len(record) != width:
            if len(record) > i_entity:
                interpret.entity_skipped(record[i_entity])
            if not any(cell.strip() for cell in record):
                continue  # blank line
            if len(record) < width and not any(c.strip() for c in record[1:]):
                notes += 1  # a footnote under the table ('Font: Idescat.')
                continue
            issue(
                "row-malformed",
                reader.line_num,
                None,
                "",
                f"{len(record)} cells where the header has {width}",
            )
            continue
        ok = True
        raw_code = record[i_entity]
        entity_code = entity_cache.get(raw_code, _UNSEEN)
        if entity_code is _UNSEEN:
            entity_code = interpret.entity(raw_code)
        if entity_code is None:
            if cells.code_clean(raw_code) is None and not any(
                c.strip() for i, c in enumerate(record) if i != i_entity
            ):
                notes += 1
                continue
            issue(
                "unknown-entity",
                reader.line_num,
                header[i_entity],
                raw_code,
                f"{raw_code!r} is not a known {interpret.kind.upper()} municipality code",
            )
            ok = False
        if (
            i_indicator is not None
            and record[i_indicator] != indicator_code
            and (record[i_indicator].strip() != indicator_code)
        ):
            raw_indicator = record[i_indicator].strip()
            code = (
                "unknown-indicator"
                if raw_indicator not in interpret.catalog
                else "indicator-mismatch"
            )
            issue(
                code,
                reader.line_num,
                header[i_indicator],
                raw_indicator,
                f"row is for indicator {raw_indicator!r}, importing {indicator_code!r}",
            )
            ok = False
        if single_dim is not None:
            texts: tuple[str, ...] = (record[single_dim],)
        elif dim_columns:
            texts = tuple(record[i] for i in dim_columns)
        else:
            texts = ()
        if texts:
            found = breakdown_cache.get(dims + texts)
            if found is None:
                found = interpret.breakdown(dims, texts)
            disaggregation, problem = found
            if problem is not None:
                code = (
                    "disaggregation-not-allowed"
                    if "not broken down" in problem
                    else "disaggregation-invalid"
                )
                issue(
                    code,
                    reader.line_num,
                    ",".join(header[i] for i in dim_columns),
                    "|".join(texts),
                    problem,
                )
                ok = False
        else:
            disaggregation = TOTAL
        row_status = "final"
        if i_status is not None:
            raw_status = record[i_status]
            found_status = status_cache.get(raw_status, _UNSEEN)
            if found_status is _UNSEEN:
                found_status = interpret.status(raw_status)
            if found_status is None:
                issue(
                    "status-invalid",
                    reader.line_num,
                    header[i_status],
                    raw_status,
                    f"status {raw_status!r} is not one of final, provisional, estimated, "
                    "confidential (or p, e, c)",
                )
                ok = False
            else:
                row_status = found_status  # type: ignore[assignment]

        for column, fixed_year in value_columns:
            if fixed_year is None:
                raw_year = record[i_year]
                year_info = year_cache.get(raw_year)
                if year_info is None:
                    year_info = interpret.year(raw_year)
                year_text, year_problem = year_info[2], year_info[1]
                if year_problem is not None:
                    issue(
                        year_problem,
                        reader.line_num,
                        header[i_year],
                        raw_year,
                        f"{raw_year!r} is not a year between 1900 and 2100",
                    )
                    ok = False
                    continue
            else:
                year_text = str(fixed_year)
            raw_value = record[column]
            status = row_status
            # Inline fast path for plain numbers; number_parse handles separators and units.
            number = None
            if raw_value and (thousands not in raw_value) and "_" not in raw_value:
                try:
                    number = float(raw_value if point else raw_value.replace(",", "."))
                except ValueError:
                    number = parse_number(raw_value, decimal)
                else:
                    if number - number != 0.0:  # nan and inf
                        number = None
            elif raw_value:
                number = parse_number(raw_value, decimal)
            if number is None:
                text, flag = cells.flagged_split(raw_value.strip())
                if flag is not None:
                    status = flag
                    number = parse_number(text, decimal) if text else None
                if number is None:
                    lowered = text.lower()
                    if lowered in cells.CONFIDENTIAL_MARKERS or (
                        status == "confidential" and not text
                    ):
                        status = "confidential"
                    elif lowered in cells.MISSING_MARKERS:
                        report.skipped_no_value += 1
                        continue
                    else:
                        issue(
                            "non-numeric-value",
                            reader.line_num,
                            header[column],
                            raw_value,
                            f"{raw_value!r} is not a number (decimal mark {decimal!r})",
                        )
                        ok = False
                        continue
            elif number < vmin or number > vmax:
                issue(
                    "value-out-of-range",
                    reader.line_num,
                    header[column],
                    raw_value,
                    f"{number} outside [{vmin}, {vmax}] for {indicator_code}",
                )
                ok = False
                continue
            if not ok:
                continue
            key = (entity_code, year_text, disaggregation)
            first = seen.get(key)  # type: ignore[arg-type]
            if first is not None:
                issue(
                    "duplicate-key",
                    reader.line_num,
                    header[column],
                    raw_value,
                    f"{entity_code} {year_text} {disaggregation} already given on line {first}",
                )
                continue
            seen[key] = reader.line_num  # type: ignore[index]
            if number is None:
                text_value = ""
            elif raw_value.isdigit() and (raw_value[0] != "0" or raw_value == "0"):
                text_value = raw_value  # already canonical: skip formatting the float
            else:
                text_value = value_text(number)
            if issue_counts:  # refused: nothing will be written, the rows are only counted
                dropped += 1 + len(out)
                out.clear()
                continue
            append(
                (
                    indicator_code,
                    entity_code,
                    year_text,
                    disaggregation,  # type: ignore[arg-type]
                    text_value,
                    status,
                )
            )
    report.rows_read = count
    report.observations = len(out) + dropped
    report.skipped_notes = notes
    return out


# ---- Entry point ----


def indicator_file_import(
    *,
    path: Path,
    indicator_code: str,
    mapping: ImportMapping | None = None,
    values_path: Path = VALUES_PATH,
    dry_run: bool = False,
    catalog: IndicatorCatalog | None = None,
    entities: Iterable[tuple[str, str]] | None = None,
) -> ImportReport:
    """Check ``path`` and, unless ``dry_run``, upsert it into ``values_path``.

    ``entities`` is ``(entity_code, idescat_code)`` pairs, by default every entity of the
    territory reference table. Raises ``IndicatorImportError`` (with the report) when any row
    fails; then nothing is written.
    """
    mapping = mapping or ImportMapping()
    report = ImportReport(
        file=str(path), indicator_code=indicator_code, dry_run=dry_run, values_path=str(values_path)
    )
    catalog = catalog or indicator_catalog_load()
    if indicator_code not in catalog:
        report.issue_add(
            "unknown-indicator",
            None,
            "--indicator",
            indicator_code,
            f"{indicator_code!r} is not in the catalogue; known: "
            + ", ".join(i.code for i in catalog),
        )
        raise IndicatorImportError(f"{path}: unknown indicator {indicator_code!r}", report=report)
    indicator = catalog.get(indicator_code)
    try:
        with path.open("rb") as handle:
            encoding = encoding_detect(handle, encoding=mapping.encoding)
        report.encoding = encoding
        with path.open(encoding=encoding, newline="") as stream:
            head = stream.read(HEAD_CHARS)
        layout = layout_detect(head, encoding=encoding, mapping=mapping)
    except LayoutError as error:
        report.issue_add(error.code, error.row, error.column, "", str(error))
        raise IndicatorImportError(f"{path}: {error}", report=report) from None
    except OSError as error:
        report.issue_add("file-unreadable", None, None, "", str(error.strerror))
        raise IndicatorImportError(f"{path}: {error.strerror}", report=report) from None
    report.delimiter, report.header_row, report.layout = (
        layout.delimiter,
        layout.header_row,
        layout.layout,
    )
    report.columns = {role: layout.header[i].strip() for role, i in layout.roles.items()}
    report.columns.update(
        {f"disaggregation:{dim}": layout.header[i].strip() for dim, i in layout.dimensions.items()}
    )
    report.unmapped_columns = list(layout.unmapped)
    report.assumptions = list(layout.assumptions)

    if entities is None:
        entities = _territory_entities()
    resolver = cells.EntityCodeResolver(entities=entities)
    try:
        rows = _rows_read(path, report, layout, mapping, indicator, catalog, resolver)
    except OSError as error:  # the file went away or broke half-way through
        report.issue_add("file-unreadable", None, None, "", str(error.strerror))
        raise IndicatorImportError(f"{path}: {error.strerror}", report=report) from None
    if report.valid and not rows and not report.skipped_no_value:
        report.issue_add(
            "no-rows",
            None,
            None,
            "",
            f"the file has a header (line {layout.header_row}) but no rows of values",
        )
        raise IndicatorImportError(f"{path}: no rows under the header", report=report)
    if not report.valid:
        total = sum(report.issue_counts.values())
        raise IndicatorImportError(f"{path}: {total} problem(s), nothing written", report=report)
    merged, counts = values_rows_merge(values_rows_read(path=values_path), rows)
    report.merge = counts
    if not dry_run and (counts.added or counts.replaced or not values_path.exists()):
        values_rows_write(path=values_path, rows=merged)
        report.written = True
    return report


def _rows_read(
    path: Path,
    report: ImportReport,
    layout: FileLayout,
    mapping: ImportMapping,
    indicator: Indicator,
    catalog: IndicatorCatalog,
    resolver: cells.EntityCodeResolver,
) -> list[ValueRow]:
    """The decimal mark and the kind of codes, then the rows, streamed from ``path``.

    Both are chosen from the first records. The decimal mark is final (``_decimal_choose``
    reads further when those do not settle it). The kind of codes is checked once all the
    rows are read, against every distinct code of the file; in the rare file whose first
    codes are not like the rest, the rows are read again with the right kind.
    """
    value_columns = list(layout.year_columns) or [layout.roles["value"]]
    sample = _head_sample(path, layout, value_columns)
    decimal = _decimal_choose(path, layout, value_columns, mapping, sample)
    report.decimal = decimal
    settled = mapping.entity_code_kind or (
        layout.entity_code_hint if layout.entity_code_hint in ("ine", "idescat") else None
    )
    kind = settled or resolver.kind_detect(sample.entity_texts, hint=layout.entity_code_hint)
    while True:
        report.entity_code_kind = kind
        interpret = _Interpreters(
            indicator=indicator, catalog=catalog, mapping=mapping, resolver=resolver, kind=kind
        )
        with path.open(encoding=layout.encoding, newline="") as stream:
            reader = csv.reader(stream, delimiter=layout.delimiter)
            try:
                _header_skip(reader, layout.header_row)
                rows = _rows_check(report, layout, reader, decimal, interpret)
            except csv.Error as error:  # a cell over the csv module's size limit, say
                report.issue_add(
                    "csv-malformed", reader.line_num, None, "", f"not readable as CSV: {error}"
                )
                return []
        if settled or sample.complete:
            return rows
        whole = resolver.kind_detect(interpret.entity_texts())
        if whole == kind:
            return rows
        kind = settled = whole
        rows = []  # not held while the file is read again
        report.issues.clear()
        report.issue_counts.clear()
        report.skipped_no_value = 0


def _territory_entities() -> list[tuple[str, str]]:
    # Only two columns of the territory table are needed: read them directly rather than
    # building 8,131 Entity objects with their floats on every import.
    from datasets.territory import ENTITIES_PATH

    with ENTITIES_PATH.open(encoding="utf-8", newline="") as stream:
        return [(row["entity_code"], row["idescat_code"]) for row in csv.DictReader(stream)]
