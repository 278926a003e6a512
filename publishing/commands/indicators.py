"""``concertem indicators``: list, show and import territorial indicators.

Thin: argument parsing and printing only; the work is in ``datasets.indicators``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from datasets.indicators.errors import IndicatorImportError
from datasets.indicators.importer import ImportReport, indicator_file_import
from datasets.indicators.mapping import ImportMapping, import_mapping_load
from datasets.indicators.values import VALUES_PATH
from datasets.indicators.views import IndicatorViews, indicator_views_load
from datasets.sdg import LANGUAGES

ISSUES_PRINTED = 50


def _number(value: float | None, decimals: int) -> str:
    if value is None:
        return "(confidential)"
    return f"{value:,.{decimals}f}"


# ---- list ----


def indicators_list(args: argparse.Namespace) -> int:
    lang = args.lang
    views = indicator_views_load(values_path=args.values_file)
    print(
        f"{'code':<26} {'unit':<12} {'direction':<17} {'years':<10} {'rows':>6}  SDG targets  name"
    )
    for indicator in views.catalog:
        years = views.values.years(indicator.code)
        span = f"{years[0]}-{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "-")
        rows = sum(
            len(views.values.year_values(indicator.code, y, d))
            for d in views.values.disaggregations(indicator.code)
            for y in views.values.years(indicator.code, d)
        )
        print(
            f"{indicator.code:<26} {indicator.unit_label(lang):<12} {indicator.direction:<17} "
            f"{span:<10} {rows:>6}  {', '.join(indicator.sdg_targets):<11}  "
            f"{indicator.name(lang)}"
        )
    return 0


# ---- show ----


def indicators_show(args: argparse.Namespace) -> int:
    lang = args.lang
    views = indicator_views_load(values_path=args.values_file)
    indicator = views.catalog.get(args.code)
    print(f"{indicator.code}: {indicator.name(lang)}")
    print(f"  definition:  {indicator.definitions[lang]}")
    print(f"  method:      {indicator.methods[lang]}")
    print(
        f"  unit:        {indicator.unit_label(lang)} ({indicator.direction}, "
        f"{indicator.periodicity}, {indicator.territorial_level})"
    )
    print(f"  source:      {indicator.source} [{indicator.licence}] {indicator.source_url}")
    if indicator.disaggregations:
        print(f"  breakdowns:  {', '.join(indicator.disaggregations)}")
    print("  SDG targets:")
    for target_code in indicator.sdg_targets:
        print(f"    {target_code:<6} {views.sdg.target_get(target_code).name(lang)}")
    for sdg_code in indicator.sdg_indicators:
        print(f"    ~{sdg_code:<5} {views.sdg.indicator_get(sdg_code).name(lang)}")
    if indicator.sdg_rationale:
        print(f"  why:         {indicator.sdg_rationale}")
    years = views.values.years(indicator.code)
    if not years:
        print("  values:      none yet")
    elif args.entity is None:
        latest = years[-1]
        count = len(views.values.year_values(indicator.code, latest))
        print(f"  values:      {years[0]}-{latest}; {count} entities in {latest}")
    if args.entity is not None:
        _entity_print(views, indicator.code, args.entity)
    return 0


def _entity_print(views: IndicatorViews, indicator_code: str, entity_code: str) -> None:
    indicator = views.catalog.get(indicator_code)
    latest = views.latest(entity_code, indicator)
    print(f"  entity {entity_code}:")
    if latest is None:
        print("    no value")
        return
    rank = f"rank {latest.rank} of {latest.peers} in the province" if latest.rank else "unranked"
    median = _number(latest.median, indicator.decimals)
    print(
        f"    latest {latest.year}: {_number(latest.value, indicator.decimals)} "
        f"({latest.status}); {rank}; provincial median {median}"
    )
    for point in views.series(entity_code, indicator_code):
        print(
            f"    {point.year}  {_number(point.value, indicator.decimals):>14}  "
            f"median {_number(point.median, indicator.decimals):>14}  {point.status}"
        )


# ---- import ----


def _report_print(report: ImportReport) -> None:
    print(f"file: {report.file}")
    if report.publisher_code:
        print(f"indicator: {report.indicator_code} (publisher's code {report.publisher_code})")
    if report.delimiter:  # the layout was found: what it was read as
        kind = report.entity_code_kind.upper() or "?"
        decimal = f"decimal {report.decimal!r}, " if report.decimal else ""
        print(
            f"read as: {report.encoding}, delimiter {report.delimiter!r}, {decimal}"
            f"{report.layout} layout, {kind} codes, header on line {report.header_row}"
        )
        print("columns: " + ", ".join(f"{role}={name!r}" for role, name in report.columns.items()))
    elif report.encoding:
        print(f"read as: {report.encoding} (the layout could not be found)")
    if report.unmapped_columns:
        print("not mapped (ignored): " + ", ".join(repr(c) for c in report.unmapped_columns))
    for assumption in report.assumptions:
        print(f"assumed: {assumption}")
    if report.rows_read:
        print(
            f"rows: {report.rows_read} read, {report.observations} observations, "
            f"{report.skipped_no_value} without a value, {report.skipped_notes} note lines, "
            f"{report.skipped_code_only} code-only rows"
        )


# The site's manage.py: without --values-file an import goes into the site's data bank.
SITE_MANAGE = Path(__file__).resolve().parents[2] / "site" / "manage.py"


def _databank_run(arguments: list[str]) -> int:
    """Run the site's ``indicators_import`` command: the data bank is the site's database,
    which this package (no Django) cannot open. It prints the same report as below."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, str(SITE_MANAGE), "indicators_import", *arguments]
    ).returncode


def indicators_undo(args: argparse.Namespace) -> int:
    return _databank_run(["--undo", str(args.import_id)])


def indicators_import(args: argparse.Namespace) -> int:
    if args.values_file is None:
        arguments = [str(args.file), "--indicator", args.indicator, "--province", args.province]
        if args.mapping:
            arguments += ["--mapping", str(args.mapping)]
        if args.dry_run:
            arguments.append("--dry-run")
        return _databank_run(arguments)
    mapping = import_mapping_load(path=args.mapping) if args.mapping else ImportMapping()
    try:
        report = indicator_file_import(
            path=args.file,
            indicator_code=args.indicator,
            mapping=mapping,
            values_path=args.values_file,
            dry_run=args.dry_run,
            province_code=None if args.province == "any" else args.province,
        )
    except IndicatorImportError as error:
        report = error.report
        assert isinstance(report, ImportReport)
        _report_print(report)
        name = Path(report.file).name
        for issue in report.issues[:ISSUES_PRINTED]:
            where = f"{name}:{issue.row}" if issue.row is not None else name
            column = f" column {issue.column!r}:" if issue.column else ""
            print(f"{where}:{column} {issue.rule}: {issue.message}")
        total = sum(report.issue_counts.values())
        if total > ISSUES_PRINTED:
            print(f"... {total - ISSUES_PRINTED} more")
        counts = ", ".join(f"{code}: {n}" for code, n in sorted(report.issue_counts.items()))
        print(f"{total} problem(s) ({counts}); nothing written")
        return 1
    _report_print(report)
    merge = report.merge
    assert merge is not None
    summary = f"{merge.added} added, {merge.replaced} replaced, {merge.unchanged} unchanged"
    if report.dry_run:
        print(f"dry run, nothing written: would have {summary}")
    elif report.written:
        print(f"written to {report.values_path}: {summary}")
    else:
        print(f"nothing to write: {summary}")
    return 0


# ---- wiring ----


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "indicators", help="territorial indicators: list, show, import CSVs"
    )
    parser.set_defaults(handler=lambda _args: parser.print_help() or 0)
    commands = parser.add_subparsers(title="indicator commands", metavar="ACTION")

    def _common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--values-file",
            type=Path,
            default=VALUES_PATH,
            help="values table (default: the committed reference table)",
        )

    listing = commands.add_parser("list", help="the catalogue with SDG targets and coverage")
    listing.add_argument("--lang", choices=LANGUAGES, default="ca")
    _common(listing)
    listing.set_defaults(handler=indicators_list)

    show = commands.add_parser("show", help="one indicator; with --entity its values there")
    show.add_argument("code")
    show.add_argument("--entity", help="INE code of a municipality, e.g. 08019")
    show.add_argument("--lang", choices=LANGUAGES, default="ca")
    _common(show)
    show.set_defaults(handler=indicators_show)

    importing = commands.add_parser(
        "import",
        help="import one indicator from a CSV (all or nothing)",
        description="Import a CSV as statistical offices publish it (long or wide; INE or "
        "Idescat codes; decimal commas; ; or , delimiters; UTF-8 or Latin-1). Every row is "
        "checked; if any fails, the problems are listed and nothing is written.",
    )
    importing.add_argument("file", type=Path)
    importing.add_argument(
        "--indicator",
        required=True,
        help="catalogue code (gini) or the publisher's code the catalogue records (15.1.1)",
    )
    importing.add_argument(
        "--province",
        default="08",
        help="INE code of the data bank's province: entities of another are refused "
        "(default 08, the Diputació de Barcelona; 'any' for no check)",
    )
    importing.add_argument("--mapping", type=Path, help="TOML mapping of columns and formats")
    importing.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    importing.add_argument(
        "--values-file",
        type=Path,
        default=None,
        help="write into this values table instead of the site's data bank (the database, "
        "through `site/manage.py indicators_import`; DATABASE_URL says which)",
    )
    importing.set_defaults(handler=indicators_import)

    undo = commands.add_parser(
        "undo", help="undo an import of the data bank: the values before it come back"
    )
    undo.add_argument("import_id", type=int, help="the import's number (the report gives it)")
    undo.set_defaults(handler=indicators_undo)
