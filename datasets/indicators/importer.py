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
``report`` (the result), ``entities`` (who a row is about, at every level), ``rows_check``
(the row loop); here the detection that comes before it and the entry points
``indicator_file_check`` (report + rows, for any store) and ``indicator_file_import``
(check, then upsert into the CSV table).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

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
from datasets.indicators.rows_check import rows_check
from datasets.indicators.sample import (
    HEAD_RECORDS,
    HeadSample,
    decimal_choose,
    head_sample,
    header_skip,
)
from datasets.indicators.values import (
    VALUES_PATH,
    ValueRow,
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


# ---- Entry points ----

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
                rows = rows_check(report, layout, reader, decimal, interpret)
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
