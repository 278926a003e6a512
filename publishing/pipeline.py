"""build -> validate -> (refuse if invalid) -> map -> plan -> apply, per dataset.

``dataset_publish`` is the gate: it builds the package, validates it, and returns a
``refused`` result without a single CKAN call when the package is invalid. Otherwise CKAN's
answer tells what it has; ``plan.dataset_plan`` compares digests locally; only the
differences are sent. A run over several datasets reads them all with one ``package_search``
(at the first valid package); one dataset, or a name that search did not return, is read
with ``package_show``. ``catalog_publish`` runs it over the catalogue and is the entry
point for the CLI and for the site's background task.

Re-publishing unchanged data is meant to cost one read for the catalogue and little else, so the
local half is cached too (``build/cache/``, ``build/reports/cache/``): a package whose inputs
have not changed is not rebuilt, and one whose bytes, rules and references match a previous
passing validation is not validated again. Anything else is built and validated in full.

The one-dataset work is ``publishing.publisher.Publisher``; the records a run reports are in
``publishing.results``. This module runs them over one dataset or the catalogue.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from datasets.catalog import (
    CatalogSourceMissingError,
    DatasetSpec,
    catalog_select,
    catalog_specs,
)
from datasets.catalog import build_dir as catalog_build_dir
from datasets.errors import DatasetError
from datasets.validation import References, ValidationReport, report_write
from datasets.versioning import LEDGER_PATH, VersionLedger
from publishing.ckan import CkanGateway, Gateway
from publishing.config import CkanConfig
from publishing.dcat import dcat_write
from publishing.errors import (
    CkanNotAuthorizedError,
    CkanOrganizationError,
    CkanUnavailableError,
    PublishError,
)

# The run's parts live in their own modules; their names stay importable from here, the
# pipeline's entry point (the site, the benchmarks and the tests import them from here).
from publishing.publisher import TABLE_VIEW, Publisher, caches_open
from publishing.results import DatasetResult, Progress, PublishEvent, PublishReport

__all__ = [
    "TABLE_VIEW",
    "DatasetResult",
    "Progress",
    "PublishEvent",
    "PublishReport",
    "Publisher",
    "caches_open",
    "catalog_publish",
    "dataset_publish",
]

# Errors that concern CKAN as a whole: after one, the other datasets are not attempted.
FATAL_ERRORS = (CkanUnavailableError, CkanNotAuthorizedError, CkanOrganizationError)


def dataset_publish(
    *,
    spec: DatasetSpec,
    config: CkanConfig,
    gateway: Gateway | None = None,
    build_dir: Path | None = None,
    ledger: VersionLedger | None = None,
    references: References | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    cache: bool = True,
) -> DatasetResult:
    """Build, validate and (if valid) publish one dataset; see ``Publisher``."""
    build_dir = build_dir or catalog_build_dir()
    ledger = ledger or VersionLedger(LEDGER_PATH)
    publisher = Publisher(
        config=config,
        gateway=gateway or CkanGateway(config),
        build_dir=build_dir,
        ledger=ledger,
        references=references,
        dry_run=dry_run,
        progress=progress,
        cache=cache,
    )
    try:
        result = publisher.dataset_publish(spec)
    finally:
        ledger.save()
        publisher.caches_save()
    if result.validation is not None:
        report_write(
            report=ValidationReport(packages=(result.validation,)),
            reports_dir=build_dir / "reports",
        )
    return result


# ---- The catalogue ----


def catalog_publish(
    *,
    config: CkanConfig,
    only: Iterable[str] | None = None,
    progress: Progress | None = None,
    dry_run: bool = False,
    build_dir: Path | None = None,
    specs: Sequence[DatasetSpec] | None = None,
    gateway: Gateway | None = None,
    references: References | None = None,
    ledger_path: Path = LEDGER_PATH,
    cache: bool = True,
) -> PublishReport:
    """Publish the catalogue (or the datasets named in ``only``) to the CKAN of ``config``.

    Never raises for one dataset's failure: each ends up in the report with a status and,
    when it failed, the error's stable code and message. After an error that concerns CKAN
    as a whole (down, wrong key, no organisation) the remaining datasets are ``skipped``; so
    is a dataset whose source, exported by the site, is not there yet (the message says how
    to produce it). A ``skipped`` dataset makes the report not ``ok``.
    ``cache=False`` rebuilds and revalidates everything (``concertem publish --no-cache``).
    """
    started = time.monotonic()
    build_dir = build_dir or catalog_build_dir()
    selected = catalog_select(specs if specs is not None else catalog_specs(), only)
    own_gateway = gateway is None
    gateway = gateway or CkanGateway(config)
    ledger = VersionLedger(ledger_path)
    publisher = Publisher(
        config=config,
        gateway=gateway,
        build_dir=build_dir,
        ledger=ledger,
        references=references,
        dry_run=dry_run,
        progress=progress,
        cache=cache,
        catalogue=[f"{config.dataset_prefix}{spec.name}" for spec in selected],
    )
    results: list[DatasetResult] = []
    fatal: PublishError | None = None
    try:
        for spec in selected:
            if fatal is not None:
                results.append(
                    DatasetResult(
                        name=spec.name,
                        ckan_name=f"{config.dataset_prefix}{spec.name}",
                        status="skipped",
                        error=str(fatal),
                        error_code=fatal.code,
                    )
                )
                continue
            try:
                result = publisher.dataset_publish(spec)
            except PublishError as error:
                result = DatasetResult(
                    name=spec.name,
                    ckan_name=f"{config.dataset_prefix}{spec.name}",
                    status="failed",
                    error=str(error),
                    error_code=error.code,
                )
                if isinstance(error, FATAL_ERRORS):
                    fatal = error
                if progress is not None:
                    progress(PublishEvent("done", spec.name, f"failed: {error.code}"))
            except DatasetError as error:
                # This dataset cannot be built (a site export not produced yet, a broken
                # formula): it is reported, nothing of it is sent, and the others go on.
                missing = isinstance(error, CatalogSourceMissingError)
                result = DatasetResult(
                    name=spec.name,
                    ckan_name=f"{config.dataset_prefix}{spec.name}",
                    status="skipped" if missing else "failed",
                    error=str(error),
                    error_code=error.code,
                )
                if progress is not None:
                    progress(PublishEvent("done", spec.name, f"{result.status}: {error.code}"))
            results.append(result)
    finally:
        ledger.save()
        publisher.caches_save()
        if own_gateway and isinstance(gateway, CkanGateway):
            gateway.close()
    validation = ValidationReport(
        packages=tuple(r.validation for r in results if r.validation is not None)
    )
    report_write(report=validation, reports_dir=build_dir / "reports")
    dcat_path = dcat_write(
        results=results,
        specs=selected,
        config=config,
        path=build_dir / "dcat" / "catalog.jsonld",
        build_dir=build_dir,
    )
    return PublishReport(
        datasets=results,
        stats=gateway.stats.snapshot(),
        seconds=time.monotonic() - started,
        dry_run=dry_run,
        validation=validation,
        dcat_path=dcat_path,
    )
