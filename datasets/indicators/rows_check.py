"""The importer's row loop: the records of a file, checked one by one, into value rows.

``rows_check`` is the hot loop (a few cache look-ups per row, one ``float()``, one output
tuple; see ``importer``'s module docstring for why it is shaped so); ``importer`` detects the
file's layout, decimal mark and kind of codes, then hands the records to it.
"""

from __future__ import annotations

import math
from typing import Any

from datasets.indicators import cells
from datasets.indicators.interpret import Interpreters
from datasets.indicators.layout import FileLayout
from datasets.indicators.report import ImportReport
from datasets.indicators.sample import entity_column
from datasets.indicators.values import TOTAL, ValueRow, value_text

_UNSEEN = object()


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


def rows_check(
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
