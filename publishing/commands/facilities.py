"""`concertem facilities import FILE | build | export`: the facility register."""

from __future__ import annotations

import argparse
from pathlib import Path

from datasets.catalog import build_dir
from datasets.facilities.build import main as build_main
from datasets.facilities.errors import FacilityImportError
from datasets.facilities.export import facilities_export
from datasets.facilities.importer import facilities_import
from datasets.issues import issue_format


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "facilities",
        help="facility register: import more facilities, rebuild, export open data",
        description="The facility register (datasets/reference/facilities.csv).",
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION")

    importing = actions.add_parser(
        "import",
        help="add or update facilities from a CSV or GeoJSON file (all or nothing)",
        description=(
            "Check every row (file, row, column, rule); if any row is wrong nothing is "
            "written and the problems are listed. Otherwise upsert by facility_id."
        ),
    )
    importing.add_argument("file", type=Path)
    importing.add_argument("--register", type=Path, help="register CSV (default: reference)")
    importing.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    importing.set_defaults(handler=facilities_import_run)

    build = actions.add_parser("build", help="rebuild the register from datasets/sources/")
    build.add_argument("--check", action="store_true", help="exit 1 if the register is stale")
    build.set_defaults(handler=lambda args: build_main(["--check"] if args.check else []))

    export = actions.add_parser("export", help="write CSV + GeoJSON + Table Schema")
    export.add_argument(
        "--out", type=Path, default=build_dir() / "facilities", help="default build/facilities/"
    )
    export.set_defaults(handler=facilities_export_run)
    parser.set_defaults(handler=lambda args: parser.print_help() or 0)


def facilities_import_run(args: argparse.Namespace) -> int:
    try:
        result = facilities_import(args.file, register_path=args.register, dry_run=args.dry_run)
    except FacilityImportError as error:
        print(f"concertem: {error}")
        for issue in error.issues:
            print(f"  {issue_format(issue)}")
        return 1
    verb = "would import" if args.dry_run else "imported"
    print(
        f"{verb} {result.rows} rows from {result.file}: {result.added} added, "
        f"{result.updated} updated, {result.unchanged} unchanged; register: {result.total}"
    )
    return 0


def facilities_export_run(args: argparse.Namespace) -> int:
    for path in facilities_export(out_dir=args.out):
        print(f"wrote {path}")
    return 0
