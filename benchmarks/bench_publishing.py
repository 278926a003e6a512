"""Publishing benchmark against the local CKAN, all figures measured in this one run.

The whole catalogue is built and validated once; then, into fresh dataset-name prefixes:

  (a) our first publish (datasets, uploads, DataStore tables);
  (b) our re-publish with nothing changed (one package_show per dataset, no upload);
  (c) frictionless's own ``Package.publish`` (its CKAN adapter, ``CkanControl``) of the
      same packages — it has no notion of "unchanged", so it uploads everything again.

Target: (b) at least 20x faster than (c), with zero bytes uploaded. The end-to-end re-run
(build + validate + publish) is printed too, for honesty: building and validating are
local work that (c) does not do at all.

Run: ``.venv/bin/python benchmarks/bench_publishing.py`` (needs `concertem ckan-server start`).
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ckanapi import RemoteCKAN  # noqa: E402
from frictionless import Package, system  # noqa: E402
from frictionless.portals import CkanControl  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from datasets.catalog import catalog_specs  # noqa: E402
from datasets.packaging import catalog_build  # noqa: E402
from datasets.validation import ValidationReport, catalog_validate, report_write  # noqa: E402
from publishing.ckan import CkanGateway  # noqa: E402
from publishing.config import CkanConfig  # noqa: E402
from publishing.errors import CkanConfigError  # noqa: E402
from publishing.pipeline import Publisher, catalog_publish  # noqa: E402
from publishing.progress import human_bytes  # noqa: E402
from publishing.transport import CallStats, CountingSession  # noqa: E402

TARGET_RATIO = 20.0


def publish_phase(config, built, reports, paths, build_dir):
    """Our publish of already built and validated packages; returns (seconds, stats)."""
    gateway = CkanGateway(config)
    publisher = Publisher(config=config, gateway=gateway, build_dir=build_dir)
    started = time.perf_counter()
    results = [
        publisher.built_publish(built=package, report=report, report_path=paths[package.name])
        for package, report in zip(built, reports.packages, strict=True)
    ]
    seconds = time.perf_counter() - started
    gateway.close()
    failed = [r for r in results if not r.ok]
    if failed:
        raise SystemExit(f"publish failed: {[(r.name, r.error) for r in failed]}")
    return seconds, gateway.stats.snapshot(), [r.status for r in results]


def frictionless_phase(config, built, prefix):
    session = CountingSession()
    started = time.perf_counter()
    with system.use_context(http_session=session):
        for package in built:
            fl = Package(str(package.descriptor_path))
            fl.name = f"{prefix}{package.name}"
            fl.publish(control=CkanControl(baseurl=config.site, apikey=config.api_key,
                                           organization_name=config.owner_org))
    seconds = time.perf_counter() - started
    stats = session.stats
    # frictionless sends files inside multipart bodies; count their payload like ours.
    stats.bytes_uploaded = sum(resource.bytes for p in built for resource in p.resources) + sum(
        p.descriptor_path.stat().st_size for p in built
    )
    return seconds, stats.snapshot()


def purge(config, prefixes):
    with RemoteCKAN(config.site, apikey=config.api_key) as ckan:
        for prefix in prefixes:
            found = ckan.action.package_search(q=f"name:{prefix}*", rows=1000, include_private=True)
            for package in found["results"]:
                if package["name"].startswith(prefix):
                    ckan.action.dataset_purge(id=package["id"])


def main() -> int:
    console = Console(width=120)
    try:
        base = CkanConfig.from_env()
    except CkanConfigError as error:
        console.print(f"[red]{error}")
        return 1
    tag = uuid.uuid4().hex[:6]
    ours, theirs = f"bench{tag}-", f"benchfl{tag}-"
    config = base.with_(dataset_prefix=ours)
    with tempfile.TemporaryDirectory(prefix="concertem-bench-") as temp:
        build_dir = Path(temp)
        ledger = build_dir / "ledger.json"
        specs = catalog_specs()
        started = time.perf_counter()
        built = catalog_build(specs=specs, out_dir=build_dir / "datapackages", ledger_path=ledger)
        build_seconds = time.perf_counter() - started
        started = time.perf_counter()
        reports = catalog_validate(packages=built)
        validate_seconds = time.perf_counter() - started
        paths = report_write(report=reports, reports_dir=build_dir / "reports")
        assert isinstance(reports, ValidationReport) and reports.valid
        resources = sum(len(p.resources) for p in built)
        total_bytes = sum(p.bytes for p in built)
        console.print(
            f"catalogue: {len(built)} datasets, {resources} data resources, "
            f"{human_bytes(total_bytes)}; build {build_seconds:.1f} s, "
            f"validate {validate_seconds:.1f} s; CKAN {config.site}"
        )
        try:
            a = publish_phase(config, built, reports, paths, build_dir)
            b = publish_phase(config, built, reports, paths, build_dir)
            assert set(b[2]) == {"unchanged"}, b[2]
            started = time.perf_counter()
            e2e = catalog_publish(config=config, specs=specs, build_dir=build_dir,
                                  ledger_path=ledger)
            e2e_seconds = time.perf_counter() - started
            c = frictionless_phase(base, built, theirs)
        finally:
            purge(base, (ours, theirs))

    rows = [
        ("(a) concertem, first publish", a[0], a[1]),
        ("(b) concertem, re-publish unchanged", b[0], b[1]),
        ("(c) frictionless Package.publish", c[0], c[1]),
        ("(b') concertem re-run end to end (build+validate+publish)", e2e_seconds, e2e.stats),
    ]
    table = Table(title="Publishing the catalogue to the local CKAN (one run)")
    for column in ("scenario", "seconds", "API calls", "reads", "writes", "uploaded"):
        table.add_column(column, justify="left" if column == "scenario" else "right")
    for label, seconds, stats in rows:
        stats = stats if isinstance(stats, CallStats) else CallStats()
        table.add_row(label, f"{seconds:.2f}", str(stats.calls), str(stats.reads),
                      str(stats.writes), human_bytes(stats.bytes_uploaded))
    console.print(table)
    ratio = c[0] / b[0] if b[0] else float("inf")
    ok = ratio >= TARGET_RATIO and b[1].bytes_uploaded == 0
    console.print(
        f"(c)/(b) time ratio: {ratio:.1f}x (target >= {TARGET_RATIO:.0f}x); "
        f"(b) uploaded {b[1].bytes_uploaded} bytes with {b[1].calls} calls "
        f"for {len(built)} datasets -> {'[green]OK' if ok else '[red]BELOW TARGET'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
