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

Modules: ``sample`` (what the first records say), ``interpret`` (cells -> meaning, cached),
``report`` (the result), ``entities`` (who a row is about, at every level); here the row loop
and the entry points ``indicator_file_check`` (report + rows, for any store) and
``indicator_file_import`` (check, then upsert into the CSV table).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from datasets.indicators import cells
from datasets.indicators.catalog import Indicator, IndicatorCatalog, indicator_catalog_load
from datasets.indicators.entities import EntityDirectory, entity_directory_load
from datasets.indicators.errors import IndicatorImportError
from datasets.indicators.interpret import Interpreters
from datasets.indicators.layout import (
    HEAD_CHARS,
    FileLayout,
    LayoutError,
    encoding_detect,
    layout_detect,
)
from datasets.indicators.mapping import ImportMapping
from datasets.indicators.report import ISSUES_KEPT, ImportIssue, ImportReport
from datasets.indicators.sample import (
    HEAD_RECORDS,
    HeadSample,
    decimal_choose,
    entity_column,
    head_sample,
    header_skip,
)
from datasets.indicators.values import (
    TOTAL,
    VALUES_PATH,
    ValueRow,
    value_text,
    values_rows_merge,
    values_rows_read,
    values_rows_write,
)

# Re-exported: callers import the report types and limits from here.
__all__ = [
    "HEAD_RECORDS",
    "ISSUES_KEPT",
    "ImportIssue",
    "ImportReport",
    "indicator_file_check",
    "indicator_file_import",
]
_UNSEEN = object()


# ---- The row loop ----


def _code_only(record: list[str], i_indicator: int | None) -> bool:
    """A row whose only filled cell is the indicator's code (publishers' trailing rows)."""
    if i_indicator is None or len(record) <= i_indicator or not record[i_indicator].strip():
        return False
    return not any(c.strip() for i, c in enumerate(record) if i != i_indicator)


# An unmapped column with more distinct values than this is a note, not a breakdown.
BREAKDOWN_VALUES_MAX = 100


def _breakdown_like(seen_extra: dict[Any, tuple[str, ...]], columns: int) -> list[bool]:
    """Per unmapped column, whether it looks like a breakdown (few distinct values) when a
    first key repeats: then rows differing in it are an undeclared dimension, not a
    duplicate."""
    distinct: list[set[str]] = [set() for _ in range(columns)]
    for texts in seen_extra.values():
        for values, text in zip(distinct, texts, strict=True):
            if len(values) <= BREAKDOWN_VALUES_MAX:
                values.add(text)
    return [len(values) <= BREAKDOWN_VALUES_MAX for values in distinct]


def _rows_check(
    report: ImportReport, layout: FileLayout, reader: Any, decimal: str, interpret: Interpreters
) -> list[ValueRow]:
    """Turn the records ``reader`` gives into value rows, recording every problem.

    The hot loop of the importer: per row, a few cache look-ups (dict.get straight, the
    interpreting method only on a miss), one float(), one key and one output tuple. Records
    are read one at a time and dropped once checked; ``reader.line_num`` is the line of the
    record being checked (its last line, if a quoted cell spans lines).

    A categorical indicator's value cells are mapped to category codes; a count indicator's
    rows are counted per entity x year x breakdown (the file has one row per record).
    """
    indicator = interpret.indicator
    indicator_code = indicator.code
    accepted_codes = {indicator_code, indicator.publisher_code or indicator_code}
    categorical = indicator.is_categorical
    counting = indicator.aggregation == "count"
    header = [cell.strip() for cell in layout.header]
    width = len(header)
    roles = layout.roles
    i_entity = entity_column(layout)
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
    # (value column, fixed year or None): one pair in long files, one per year column in wide;
    # a count file has no value column (-1)
    if counting:
        value_columns = [(-1, None)]
    elif layout.year_columns:
        value_columns = [(index, year) for index, year in sorted(layout.year_columns.items())]
    else:
        value_columns = [(roles["value"], None)]
    # columns nobody maps: compared between rows of one key, to tell an undeclared breakdown
    unmapped = [header.index(name.strip()) for name in layout.unmapped if name.strip() in header]
    seen_extra: dict[tuple[str, str, str], tuple[str, ...]] = {}
    breakdown_like: list[bool] | None = None
    vmin = indicator.value_min if indicator.value_min is not None else -math.inf
    vmax = indicator.value_max if indicator.value_max is not None else math.inf
    parse_number = cells.number_parse
    point = decimal == "."
    thousands = "," if point else "."
    entity_cache, year_cache = interpret.entities, interpret.years
    status_cache, breakdown_cache = interpret.statuses, interpret.breakdowns
    category_cache = interpret.categories
    issue = report.issue_add
    issue_counts = report.issue_counts
    dropped = 0
    seen: dict[tuple[str, str, str], int] = {}
    counted: dict[tuple[str, str, str], list[Any]] = {}
    out: list[ValueRow] = []
    append = out.append
    notes = code_only = 0
    code_only_lines: list[int] = []

    count = 0
    for count, record in enumerate(reader, 1):  # noqa: B007 - counted, not used
        if len(record) != width:
            if len(record) > i_entity:
                interpret.entity_skipped(record[i_entity])
            if not any(cell.strip() for cell in record):
                continue  # blank line
            if _code_only(record, i_indicator):
                code_only += 1
                code_only_lines.append(reader.line_num)
                continue
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
            if _code_only(record, i_indicator):
                code_only += 1
                code_only_lines.append(reader.line_num)
                continue
            if (interpret.kind == "name" or cells.code_clean(raw_code) is None) and not any(
                c.strip() for i, c in enumerate(record) if i != i_entity
            ):
                notes += 1
                continue
            rule, message = interpret.entity_problem(raw_code)
            issue(rule, reader.line_num, header[i_entity], raw_code, message)
            ok = False
        if (
            i_indicator is not None
            and record[i_indicator] not in accepted_codes
            and record[i_indicator].strip() not in accepted_codes
        ):
            raw_indicator = record[i_indicator].strip()
            code = (
                "unknown-indicator"
                if interpret.catalog.find(raw_indicator) is None
                else "indicator-mismatch"
            )
            issue(
                code,
                reader.line_num,
                header[i_indicator],
                raw_indicator,
                f"row is for indicator {raw_indicator!r}, importing {indicator_code!r}"
                + (
                    f" (publisher code {indicator.publisher_code})"
                    if indicator.publisher_code
                    else ""
                ),
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
                    else "dimension-value-unknown"
                    if "is not declared" in problem
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
            if counting:
                if ok:
                    key = (entity_code, year_text, disaggregation)
                    tally = counted.get(key)  # type: ignore[arg-type]
                    if tally is None:
                        counted[key] = [1, row_status]  # type: ignore[index]
                    else:
                        tally[0] += 1
                continue
            raw_value = record[column]
            status = row_status
            if categorical:
                category = category_cache.get(raw_value, _UNSEEN)
                if category is _UNSEEN:
                    category = interpret.category(raw_value)
                if category is None:
                    if raw_value.strip().lower() in cells.MISSING_MARKERS:
                        report.skipped_no_value += 1
                        continue
                    issue(
                        "category-unknown",
                        reader.line_num,
                        header[column],
                        raw_value,
                        interpret.category_message(raw_value),
                    )
                    ok = False
                    continue
                number = None
            else:
                # Inline fast path for plain numbers; number_parse handles separators, units.
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
                if unmapped and breakdown_like is None:
                    breakdown_like = _breakdown_like(seen_extra, len(unmapped))
                varying = [
                    header[i]
                    for i, text, like in zip(
                        unmapped, seen_extra.get(key, ()), breakdown_like or (), strict=False
                    )
                    if like and record[i] != text
                ]
                if varying:
                    issue(
                        "dimension-undeclared",
                        reader.line_num,
                        ",".join(varying),
                        "|".join(record[header.index(name)] for name in varying),
                        f"{entity_code} {year_text} {disaggregation} already given on line "
                        f"{first}, with another {', '.join(repr(v) for v in varying)}: a "
                        f"breakdown {indicator_code} does not declare (declare it under "
                        "[[indicator.dimensions]] in the catalogue)",
                    )
                else:
                    issue(
                        "duplicate-key",
                        reader.line_num,
                        header[column],
                        raw_value,
                        f"{entity_code} {year_text} {disaggregation} already given on line {first}",
                    )
                continue
            if unmapped:
                seen_extra[key] = tuple(record[i] for i in unmapped)  # type: ignore[index]
            seen[key] = reader.line_num  # type: ignore[index]
            if categorical:
                text_value = category  # type: ignore[assignment]
            elif number is None:
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
    if counted:
        report.assumptions.append(
            f"{indicator_code} counts records: {count} rows counted into {len(counted)} values "
            "(one per entity, year and breakdown)"
        )
        if not issue_counts:
            out.extend(
                (indicator_code, e, y, d, str(tally[0]), tally[1])
                for (e, y, d), tally in counted.items()
            )
        else:
            dropped += len(counted)
    if code_only:
        lines = (
            f"line {code_only_lines[0]}"
            if code_only == 1
            else f"lines {code_only_lines[0]}-{code_only_lines[-1]}"
        )
        report.assumptions.append(
            f"{code_only} row(s) with only the indicator's code and no entity, year or value "
            f"ignored ({lines})"
        )
    report.rows_read = count
    report.observations = len(out) + dropped
    report.skipped_notes = notes
    report.skipped_code_only = code_only
    return out


# ---- Entry point ----

# The data bank's province: the Diputació de Barcelona's (see the CLI's --province).
PROVINCE_CODE = "08"


def _refuse(
    report: ImportReport, code: str, row: int | None, column: str | None, value: str, message: str
) -> IndicatorImportError:
    report.issue_add(code, row, column, value, message)
    return IndicatorImportError(f"{report.file}: {message}", report=report)


def indicator_file_import(
    *,
    path: Path,
    indicator_code: str,
    mapping: ImportMapping | None = None,
    values_path: Path = VALUES_PATH,
    dry_run: bool = False,
    catalog: IndicatorCatalog | None = None,
    entities: Iterable[tuple[str, str]] | None = None,
    province_code: str | None = PROVINCE_CODE,
) -> ImportReport:
    """Check ``path`` (``indicator_file_check``) and, unless ``dry_run``, upsert its rows
    into ``values_path``; ``report.merge`` says what was (or would be) added and replaced."""
    report, rows = indicator_file_check(
        path=path,
        indicator_code=indicator_code,
        mapping=mapping,
        catalog=catalog,
        entities=entities,
        province_code=province_code,
    )
    report.dry_run, report.values_path = dry_run, str(values_path)
    merged, counts = values_rows_merge(values_rows_read(path=values_path), rows)
    report.merge = counts
    if not dry_run and (counts.added or counts.replaced or not values_path.exists()):
        values_rows_write(path=values_path, rows=merged)
        report.written = True
    return report


def indicator_file_check(
    *,
    path: Path,
    indicator_code: str,
    mapping: ImportMapping | None = None,
    catalog: IndicatorCatalog | None = None,
    entities: Iterable[tuple[str, str]] | None = None,
    province_code: str | None = PROVINCE_CODE,
) -> tuple[ImportReport, list[ValueRow]]:
    """Parse and check ``path``: the report (detection, assumptions, counts) and the value
    rows it holds, for any store (the CSV table, the data bank's database). Touches no file.

    ``indicator_code`` is the catalogue code or the publisher's code ('15.1.1').
    ``entities`` is ``(entity_code, idescat_code)`` pairs, by default every entity of the
    territory reference table (all levels). ``province_code``: the data bank's province;
    an entity of another is refused (None: any province). Raises ``IndicatorImportError``
    (with the report) when any row fails; then nothing is written.
    """
    mapping = mapping or ImportMapping()
    report = ImportReport(
        file=str(path), indicator_code=indicator_code, province_code=province_code
    )
    catalog = catalog or indicator_catalog_load()
    indicator = catalog.find(indicator_code)
    if indicator is None:
        raise _refuse(
            report,
            "unknown-indicator",
            None,
            "--indicator",
            indicator_code,
            f"{indicator_code!r} is neither a catalogue code nor a publisher's code; known: "
            + ", ".join(
                i.code + (f" ({i.publisher_code})" if i.publisher_code else "") for i in catalog
            ),
        )
    report.indicator_code = indicator.code
    report.publisher_code = indicator.publisher_code or ""
    try:
        with path.open("rb") as handle:
            if not handle.read(1 << 16).strip(b" \t\r\n\xef\xbb\xbf"):
                raise _refuse(
                    report, "file-empty", None, None, "", "empty file: no header and no rows"
                )
            handle.seek(0)
            encoding = encoding_detect(handle, encoding=mapping.encoding)
        report.encoding = encoding
        with path.open(encoding=encoding, newline="") as stream:
            head = stream.read(HEAD_CHARS)
        if not head.strip().lstrip("\ufeff"):
            raise _refuse(report, "file-empty", None, None, "", "empty file: no header and no rows")
        layout = layout_detect(head, encoding=encoding, mapping=mapping, indicator=indicator)
    except LayoutError as error:
        raise _refuse(report, error.code, error.row, error.column, "", str(error)) from None
    except OSError as error:
        raise _refuse(report, "file-unreadable", None, None, "", str(error.strerror)) from None
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

    directory = entity_directory_load()
    resolver = cells.EntityCodeResolver(
        entities=entities if entities is not None else directory.pairs()
    )
    try:
        rows = _rows_read(path, report, layout, mapping, indicator, catalog, resolver, directory)
    except OSError as error:  # the file went away or broke half-way through
        raise _refuse(report, "file-unreadable", None, None, "", str(error.strerror)) from None
    if report.valid and not rows and not report.skipped_no_value:
        raise _refuse(
            report,
            "no-rows",
            None,
            None,
            "",
            f"the file has a header (line {layout.header_row}) but no rows of values",
        )
    if not report.valid:
        total = sum(report.issue_counts.values())
        raise IndicatorImportError(f"{path}: {total} problem(s), nothing written", report=report)
    return report, rows


def _indicator_check(
    report: ImportReport,
    layout: FileLayout,
    indicator: Indicator,
    catalog: IndicatorCatalog,
    sample: HeadSample,
) -> bool:
    """Whether the file's indicator-code column names ``indicator``: decided once, on the
    first code, so the wrong file is one file-level problem, not one per row."""
    if sample.indicator_first is None:
        return True
    line, text = sample.indicator_first
    if text in (indicator.code, indicator.publisher_code):
        return True
    other = catalog.find(text)
    known = f", which is catalogue indicator {other.code}" if other is not None else ""
    expected = indicator.publisher_code or indicator.code
    report.issue_add(
        "indicator-mismatch",
        line,
        layout.header[layout.roles["indicator_code"]].strip(),
        text,
        f"the file is for indicator {text!r}{known}; importing {indicator.code} whose code "
        f"in files is {expected!r}: wrong file or wrong --indicator (nothing read further)",
    )
    return False


def _rows_read(
    path: Path,
    report: ImportReport,
    layout: FileLayout,
    mapping: ImportMapping,
    indicator: Indicator,
    catalog: IndicatorCatalog,
    resolver: cells.EntityCodeResolver,
    directory: EntityDirectory,
) -> list[ValueRow]:
    """The decimal mark and the kind of codes, then the rows, streamed from ``path``.

    Both are chosen from the first records. The decimal mark is final (``decimal_choose``
    reads further when those do not settle it). The kind of codes is checked once all the
    rows are read, against every distinct code of the file; in the rare file whose first
    codes are not like the rest, the rows are read again with the right kind.
    """
    value_columns = list(layout.year_columns) or (
        [layout.roles["value"]] if "value" in layout.roles else []
    )
    sample = head_sample(path, layout, value_columns)
    if not _indicator_check(report, layout, indicator, catalog, sample):
        return []
    if value_columns and not indicator.is_categorical:
        decimal, defaulted = decimal_choose(path, layout, value_columns, mapping, sample)
        if defaulted and sample.ambiguous is not None:
            report.assumptions.append(
                f"decimal mark {decimal!r}: no value settles it and {sample.ambiguous!r} reads "
                f"either way; taken from the delimiter {layout.delimiter!r} (set [file] "
                "decimal in a mapping if wrong)"
            )
    else:
        decimal = cells.decimal_default(layout.delimiter)
    report.decimal = decimal
    settled = mapping.entity_code_kind or (
        layout.entity_code_hint
        if layout.entity_code_hint in ("ine", "idescat", "name", "comarca")
        else None
    )
    kind = settled or resolver.kind_detect(sample.entity_texts, hint=layout.entity_code_hint)
    while True:
        report.entity_code_kind = kind
        interpret = Interpreters(
            indicator=indicator,
            catalog=catalog,
            mapping=mapping,
            resolver=resolver,
            kind=kind,
            directory=directory,
            province_code=report.province_code,
        )
        assumptions = list(report.assumptions)
        with path.open(encoding=layout.encoding, newline="") as stream:
            reader = csv.reader(stream, delimiter=layout.delimiter)
            try:
                header_skip(reader, layout.header_row)
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
        report.assumptions = assumptions
