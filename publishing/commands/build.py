"""``concertem build``: one Data Package per catalogue dataset under build/datapackages/."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path

from rich.console import Console

from datasets.catalog import build_dir, catalog_select, catalog_specs
from datasets.errors import DatasetError
from datasets.packaging import catalog_build
from publishing.config import CkanConfig
from publishing.dcat import dcat_write
from publishing.errors import CkanConfigError
from publishing.progress import build_table, console_make, progress_bar
from publishing.publisher import caches_open


def common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="only this dataset (repeatable); default: the whole catalogue",
    )
    parser.add_argument(
        "--build-dir", type=Path, default=build_dir(), help="output folder (default: build/)"
    )
    parser.add_argument(
        "--ledger",
        type=Path,
        default=None,
        help="version ledger, one file for every dataset (default: datasets/catalog_versions.json, "
        "with the site's own datasets in $CONCERTEM_BUILD_DIR/site_versions.json)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="rebuild and revalidate everything, ignoring build/cache/ and build/reports/cache/",
    )


def _config_or_none() -> CkanConfig | None:
    # The DCAT file names CKAN URLs when a portal is configured; building never needs one.
    try:
        return CkanConfig.from_env()
    except CkanConfigError:
        return None


def build_run(args: argparse.Namespace) -> int:
    console = console_make()
    specs = catalog_select(catalog_specs(), args.only)
    total = sum(len(spec.resources) for spec in specs)
    with progress_bar(console, "build", total) as (progress, task):

        def step(package: str, resource: str) -> None:
            progress.update(task, detail=f"{package}/{resource}")
            progress.advance(task)

        kwargs = {"ledger_path": args.ledger} if args.ledger else {}
        failures: dict[str, DatasetError] = {}
        built = catalog_build(
            specs=specs,
            out_dir=args.build_dir / "datapackages",
            progress=step,
            cache=None if args.no_cache else caches_open(args.build_dir)[0],
            failures=failures,
            **kwargs,
        )
    dcat = dcat_write(
        specs=specs,
        build_dir=args.build_dir,
        config=_config_or_none(),
        path=args.build_dir / "dcat" / "catalog.jsonld",
    )
    console.print(build_table(built))
    failures_print(console, failures)
    console.print(f"Data Packages in {args.build_dir / 'datapackages'}; DCAT-AP catalogue {dcat}")
    return 1 if failures else 0


def failures_print(console: Console, failures: Mapping[str, DatasetError]) -> None:
    """The datasets that could not be built, each with what to do (the others were built)."""
    for name, error in failures.items():
        console.print(f"{name}: not built ({error.code}): {error}", style="red", markup=False)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "build", help="build one Data Package per dataset (CSV + Table Schema + README)"
    )
    common_arguments(parser)
    parser.set_defaults(handler=build_run)
