"""Import one indicator from a CSV as statistical offices publish it into the tidy values table.

All or nothing: every row is checked first, each problem reported with file, line, column and a
stable code; if any row fails nothing is written. Otherwise the rows are upserted into
``indicator_values.csv`` (same key: replaced; new key: added; nothing else touched).

Speed: the file is parsed once with the csv module; codes, years, breakdown labels and status
labels repeat across rows, so each distinct text is interpreted once and cached, and the per-row
work is a few dictionary look-ups, one ``float()`` and one output tuple.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from datasets.indicators import cells
from datasets.indicators.catalog import Indicator, IndicatorCatalog, indicator_catalog_load
from datasets.indicators.errors import IndicatorImportError
from datasets.indicators.layout import FileLayout, LayoutError, layout_detect, text_decode
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

    def issue_add(self, code: str, row: int | None, column: str | None, value: str,
                  message: str) -> None:
        self.issue_counts[code] += 1
        if len(self.issues) < ISSUES_KEPT:
            self.issues.append(ImportIssue(code, row, column, value, message))


# ---- Reading the records ----


class _LineNumbers:
    """Line in the file of the i-th record after the header.

    Only needed when a row fails, so it is arithmetic unless a quoted cell spans lines, in
    which case the real line of every record was recorded while parsing.
    """

    def __init__(self, first: int, lines: list[int] | None = None) -> None:
        self.first = first
        self.lines = lines

    def __call__(self, index: int) -> int:
        return self.lines[index] if self.lines is not None else self.first + index


def _records_read(text: str, layout: FileLayout) -> tuple[list[list[str]], _LineNumbers]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter)
    for _ in reader:
        if reader.line_num >= layout.header_row:
            break
    records = list(reader)  # C speed; line numbers are worked out afterwards
    if reader.line_num == layout.header_row + len(records):
        return records, _LineNumbers(layout.header_row + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter)
    lines: list[int] = []
    records = []
    for record in reader:
        if reader.line_num > layout.header_row:
            records.append(record)
            lines.append(reader.line_num)
    return records, _LineNumbers(layout.header_row + 1, lines)


def _decimal_choose(records: list[list[str]], columns: Iterable[int], mapping: ImportMapping,
                    delimiter: str) -> str:
    if mapping.decimal is not None:
        return mapping.decimal
    samples: list[str] = []
    for index in columns:
        samples.extend(record[index] for record in records if len(record) > index)
    blob = "\x1f".join(samples)
    if "," not in blob and "." not in blob:
        return "," if delimiter == ";" else "."  # integers only: either mark reads them
    return cells.decimal_detect(samples, delimiter=delimiter)


# ---- Per-cell interpreters with caches ----


class _Interpreters:
    """Caches of text -> meaning for the cells that repeat: codes, years, labels."""

    def __init__(self, *, indicator: Indicator, catalog: IndicatorCatalog, mapping: ImportMapping,
                 resolver: cells.EntityCodeResolver, kind: str) -> None:
        self.indicator = indicator
        self.catalog = catalog
        self.resolver = resolver
        self.kind = kind
        self.sex_labels = {cells.label_normalise(k): v for k, v in
                           mapping.labels.get("sex", {}).items()}
        self.age_labels = {cells.label_normalise(k): v for k, v in
                           mapping.labels.get("age_group", {}).items()}
        self.status_labels = {cells.label_normalise(k): v for k, v in
                              mapping.labels.get("status", {}).items()}
        self.entities: dict[str, str | None] = {}
        self.years: dict[str, tuple[int | None, str | None, str]] = {}
        self.statuses: dict[str, str | None] = {}
        self.breakdowns: dict[tuple[str, ...], tuple[str | None, str | None]] = {}

    def entity(self, text: str) -> str | None:
        code = self.entities.get(text, _UNSEEN)
        if code is _UNSEEN:
            code = self.resolver.resolve(text, kind=self.kind)
            self.entities[text] = code
        return code  # type: ignore[return-value]

    def year(self, text: str) -> tuple[int | None, str | None, str]:
        found = self.years.get(text)
        if found is None:
            year, problem = cells.year_parse(text)
            found = (year, problem, str(year))
            self.years[text] = found
        return found

    def status(self, text: str) -> str | None:
        found = self.statuses.get(text, _UNSEEN)
        if found is _UNSEEN:
            label = cells.label_normalise(text)
            found = self.status_labels.get(label) or cells.STATUS_LABELS.get(label)
            self.statuses[text] = found
        return found  # type: ignore[return-value]

    def breakdown(self, dims: tuple[str, ...], texts: tuple[str, ...]
                  ) -> tuple[str | None, str | None]:
        """(canonical key, None) or (None, problem message)."""
        cache_key = dims + texts
        found = self.breakdowns.get(cache_key)
        if found is None:
            found = self._breakdown_interpret(dims, texts)
            self.breakdowns[cache_key] = found
        return found

    def _breakdown_interpret(self, dims: tuple[str, ...], texts: tuple[str, ...]
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
                return None, (f"indicator {self.indicator.code} is not broken down by {dim} "
                              f"(allowed: {allowed})")
        return cells.disaggregation_key(parts), None


# ---- The row loop ----


def _rows_check(report: ImportReport, layout: FileLayout, records: list[list[str]],
                line_of: _LineNumbers, decimal: str, interpret: _Interpreters
                ) -> list[ValueRow]:
    """Turn records into value rows, recording every problem.

    The hot loop of the importer: per row, a few cache look-ups (dict.get straight, the
    interpreting method only on a miss), one float(), one key and one output tuple.
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
    seen: dict[tuple[str, str, str], int] = {}
    out: list[ValueRow] = []
    append = out.append
    notes = 0

    for index, record in enumerate(records):
        if len(record) != width:
            if not any(cell.strip() for cell in record):
                continue  # blank line
            if len(record) < width and not any(c.strip() for c in record[1:]):
                notes += 1  # a footnote under the table ('Font: Idescat.')
                continue
            issue("row-malformed", line_of(index), None, "",
                  f"{len(record)} cells where the header has {width}")
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
            issue("unknown-entity", line_of(index), header[i_entity], raw_code,
                  f"{raw_code!r} is not a known {interpret.kind.upper()} municipality code")
            ok = False
        if i_indicator is not None and record[i_indicator] != indicator_code and (
            record[i_indicator].strip() != indicator_code
        ):
            raw_indicator = record[i_indicator].strip()
            code = ("unknown-indicator" if raw_indicator not in interpret.catalog
                    else "indicator-mismatch")
            issue(code, line_of(index), header[i_indicator], raw_indicator,
                  f"row is for indicator {raw_indicator!r}, importing {indicator_code!r}")
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
                code = ("disaggregation-not-allowed" if "not broken down" in problem
                        else "disaggregation-invalid")
                issue(code, line_of(index), ",".join(header[i] for i in dim_columns),
                      "|".join(texts), problem)
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
                issue("status-invalid", line_of(index), header[i_status], raw_status,
                      f"status {raw_status!r} is not one of final, provisional, estimated, "
                      "confidential (or p, e, c)")
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
                    issue(year_problem, line_of(index), header[i_year], raw_year,
                          f"{raw_year!r} is not a year between 1900 and 2100")
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
                        issue("non-numeric-value", line_of(index), header[column], raw_value,
                              f"{raw_value!r} is not a number (decimal mark {decimal!r})")
                        ok = False
                        continue
            elif number < vmin or number > vmax:
                issue("value-out-of-range", line_of(index), header[column], raw_value,
                      f"{number} outside [{vmin}, {vmax}] for {indicator_code}")
                ok = False
                continue
            if not ok:
                continue
            key = (entity_code, year_text, disaggregation)
            first = seen.get(key)  # type: ignore[arg-type]
            if first is not None:
                issue("duplicate-key", line_of(index), header[column], raw_value,
                      f"{entity_code} {year_text} {disaggregation} already given on line "
                      f"{line_of(first)}")
                continue
            seen[key] = index  # type: ignore[index]
            if number is None:
                text_value = ""
            elif raw_value.isdigit() and (raw_value[0] != "0" or raw_value == "0"):
                text_value = raw_value  # already canonical: skip formatting the float
            else:
                text_value = value_text(number)
            append((indicator_code, entity_code, year_text, disaggregation,  # type: ignore[arg-type]
                    text_value, status))
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
    report = ImportReport(file=str(path), indicator_code=indicator_code, dry_run=dry_run,
                          values_path=str(values_path))
    catalog = catalog or indicator_catalog_load()
    if indicator_code not in catalog:
        report.issue_add("unknown-indicator", None, "--indicator", indicator_code,
                         f"{indicator_code!r} is not in the catalogue; known: "
                         + ", ".join(i.code for i in catalog))
        raise IndicatorImportError(f"{path}: unknown indicator {indicator_code!r}", report=report)
    indicator = catalog.get(indicator_code)
    try:
        text, encoding = text_decode(path.read_bytes(), encoding=mapping.encoding)
        report.encoding = encoding
        layout = layout_detect(text, encoding=encoding, mapping=mapping)
    except LayoutError as error:
        report.issue_add(error.code, error.row, error.column, "", str(error))
        raise IndicatorImportError(f"{path}: {error}", report=report) from None
    except OSError as error:
        report.issue_add("file-unreadable", None, None, "", str(error.strerror))
        raise IndicatorImportError(f"{path}: {error.strerror}", report=report) from None
    report.delimiter, report.header_row, report.layout = (
        layout.delimiter, layout.header_row, layout.layout
    )
    report.columns = {role: layout.header[i].strip() for role, i in layout.roles.items()}
    report.columns.update(
        {f"disaggregation:{dim}": layout.header[i].strip() for dim, i in layout.dimensions.items()}
    )
    report.unmapped_columns = list(layout.unmapped)
    report.assumptions = list(layout.assumptions)

    records, line_of = _records_read(text, layout)
    report.rows_read = len(records)
    value_columns = list(layout.year_columns) or [layout.roles["value"]]
    decimal = _decimal_choose(records, value_columns, mapping, layout.delimiter)
    report.decimal = decimal

    if entities is None:
        entities = _territory_entities()
    resolver = cells.EntityCodeResolver(entities=entities)
    i_entity = layout.roles["entity_code"]
    kind = mapping.entity_code_kind or resolver.kind_detect(
        {r[i_entity] for r in records if len(r) > i_entity}, hint=layout.entity_code_hint
    )
    report.entity_code_kind = kind
    interpret = _Interpreters(indicator=indicator, catalog=catalog, mapping=mapping,
                              resolver=resolver, kind=kind)
    rows = _rows_check(report, layout, records, line_of, decimal, interpret)
    report.observations = len(rows)
    if not report.valid:
        total = sum(report.issue_counts.values())
        raise IndicatorImportError(
            f"{path}: {total} problem(s), nothing written", report=report
        )
    merged, counts = values_rows_merge(values_rows_read(path=values_path), rows)
    report.merge = counts
    if not dry_run and (counts.added or counts.replaced or not values_path.exists()):
        values_rows_write(path=values_path, rows=merged)
        report.written = True
    return report


def _territory_entities() -> list[tuple[str, str]]:
    # Only two columns of the territory table are needed: read them directly rather than
    # building 8,131 Entity objects with their floats on every import.
    from datasets.territory import ENTITIES_PATH

    with ENTITIES_PATH.open(encoding="utf-8", newline="") as stream:
        return [(row["entity_code"], row["idescat_code"]) for row in csv.DictReader(stream)]
