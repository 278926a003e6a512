"""``concertem validate``: frictionless + domain rules; exit 1 on any error.

It builds first (deterministic and quick), so it never checks stale files. A package whose
bytes, rules and references match a previous passing run is not validated again (see
``datasets.validation.ValidationCache``); ``--no-cache`` validates everything.
"""

from __future__ import annotations

import argparse

from datasets.catalog import catalog_select, catalog_specs
from datasets.errors import DatasetError
from datasets.packaging import catalog_build
from datasets.validation import catalog_validate, report_write
from publishing.commands.build import common_arguments, failures_print
from publishing.progress import console_make, issues_print, progress_bar, validation_table
from publishing.publisher import caches_open


def validate_run(args: argparse.Namespace) -> int:
    console = console_make()
    specs = catalog_select(catalog_specs(), args.only)
    kwargs = {"ledger_path": args.ledger} if args.ledger else {}
    build_cache, validation_cache = (
        caches_open(args.build_dir) if not args.no_cache else (None, None)
    )
    with progress_bar(console, "validate", len(specs) * 2) as (progress, task):

        def step(package: str, what: str) -> None:
            progress.update(task, detail=f"{package}: {what}")
            if what == "validate":
                progress.advance(task)

        failures: dict[str, DatasetError] = {}
        built = catalog_build(
            specs=specs,
            out_dir=args.build_dir / "datapackages",
            progress=lambda package, _: None,
            cache=build_cache,
            failures=failures,
            **kwargs,
        )
        progress.advance(task, len(specs))
        report = catalog_validate(packages=built, progress=step, cache=validation_cache)
    paths = report_write(report=report, reports_dir=args.build_dir / "reports")
    issues_print(console, report)
    console.print(validation_table(report))
    failures_print(console, failures)
    console.print(f"JSON report: {paths['']}")
    return 0 if report.valid and not failures else 1


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate", help="validate the Data Packages (frictionless + domain rules)"
    )
    common_arguments(parser)
    parser.set_defaults(handler=validate_run)
