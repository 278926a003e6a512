"""``concertem publish [--dry-run] [--only NAME]``: build, validate, push to CKAN."""

from __future__ import annotations

import argparse

from publishing.commands.build import common_arguments
from publishing.config import CkanConfig
from publishing.pipeline import catalog_publish
from publishing.progress import (
    PublishProgress,
    console_make,
    issues_print,
    plan_print,
    progress_bar,
    publish_table,
)


def publish_run(args: argparse.Namespace) -> int:
    console = console_make()
    config = CkanConfig.from_env()
    if args.prefix is not None:
        config = config.with_(dataset_prefix=args.prefix)
    from datasets.catalog import catalog_select, catalog_specs

    specs = catalog_select(catalog_specs(), args.only)
    kwargs = {"ledger_path": args.ledger} if args.ledger else {}
    console.print(f"CKAN {config.site} (organisation {config.owner_org}; from {config.origin})")
    with progress_bar(console, "publish", len(specs)) as (progress, task):
        report = catalog_publish(
            config=config,
            specs=specs,
            dry_run=args.dry_run,
            build_dir=args.build_dir,
            progress=PublishProgress(progress, task),
            cache=not args.no_cache,
            **kwargs,
        )
    if not report.validation.valid:
        issues_print(console, report.validation)
    if args.dry_run:
        plan_print(console, report)
    for result in report.datasets:
        if result.error and result.status != "refused":
            console.print(f"[red]{result.ckan_name}: {result.error}", markup=True)
    console.print(publish_table(report))
    if report.dcat_path:
        console.print(f"DCAT-AP catalogue: {report.dcat_path}")
    return 0 if report.ok else 1


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "publish", help="build, validate and publish the datasets to CKAN (idempotent)"
    )
    common_arguments(parser)
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print the plan (create / update / unchanged); send no write",
    )
    parser.add_argument(
        "--prefix", default=None, help="dataset name prefix (default: $CKAN_DATASET_PREFIX or none)"
    )
    parser.set_defaults(handler=publish_run)
