"""Publishing benchmark against the local CKAN, all figures measured in this one run.

The catalogue is built and validated once (which fills the build and validation caches);
then, into fresh dataset-name prefixes:

  (a)  our first publish (datasets, uploads, DataStore tables);
  (b)  our re-publish with nothing changed, of packages already built and validated (one
       package_search for the whole catalogue, no upload): the CKAN half alone;
  (b') the same re-publish END TO END, as a user types it: ``concertem publish`` in a new
       process on a (pseudo-)terminal (interpreter start, imports, build, validation, CKAN
       reads, reports, progress bar and tables), run several times, median kept. Measured
       twice: with this workspace's environment as it is (PYTHONDONTWRITEBYTECODE=1 here,
       so every run compiles the project's modules) and with bytecode cached, as in any
       installed copy;
  (c)  frictionless's own ``Package.publish`` (its CKAN adapter, ``CkanControl``) of the same
       packages — it has no notion of "unchanged", so it uploads everything again. Measured
       in-process, its imports not counted: a conservative (c).

Headline target (issue 19): (c) / the in-process ``catalog_publish`` >= 20x, with every (b')
reading CKAN once for the whole catalogue and uploading nothing (the in-process run is what the
site's background task does). Also printed: (b') end to end, with the interpreter's start
and imports, and with ``--no-cache`` (what an unchanged re-publish cost before the build and
validation caches).

Run: ``.venv/bin/python benchmarks/bench_publishing.py [--only NAME ...] [--runs N]``
(needs `concertem ckan-server start`).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import re
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ckanapi import NotFound, RemoteCKAN  # noqa: E402
from frictionless import Package, system  # noqa: E402
from frictionless.portals import CkanControl  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from datasets.catalog import catalog_select, catalog_specs  # noqa: E402
from datasets.packaging import catalog_build  # noqa: E402
from datasets.validation import catalog_validate, report_write  # noqa: E402
from publishing.ckan import CkanGateway  # noqa: E402
from publishing.config import CkanConfig  # noqa: E402
from publishing.errors import CkanConfigError  # noqa: E402
from publishing.mapping import tags_clean  # noqa: E402
from publishing.pipeline import Publisher, caches_open, catalog_publish  # noqa: E402
from publishing.progress import human_bytes  # noqa: E402
from publishing.transport import CallStats, CountingSession  # noqa: E402

TARGET_RATIO = 20.0
CONCERTEM = REPO / ".venv" / "bin" / "concertem"
# The caption of `concertem publish`'s table, e.g. "6 API calls (6 reads, 0 writes), 0 B uploaded"
CAPTION = re.compile(
    r"(\d+) API calls \((\d+) reads, (\d+) writes\), ([0-9.]+) (B|KB|MB|GB) uploaded"
)
UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")


def publish_phase(config, built, reports, paths, build_dir):
    """Our publish of already built and validated packages; returns (seconds, stats)."""
    gateway = CkanGateway(config)
    publisher = Publisher(
        config=config,
        gateway=gateway,
        build_dir=build_dir,
        catalogue=[f"{config.dataset_prefix}{package.spec.name}" for package in built],
    )
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


def cli_phase(args: list[str], prefix: str, env: dict[str, str]) -> tuple[float, CallStats]:
    """``concertem publish ARGS`` in a new process on a terminal (a pseudo-terminal, so the
    progress bar and colours are drawn as for a user); wall-clock seconds and calls."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(CONCERTEM), "publish", "--prefix", prefix, *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env=env,
        cwd=REPO,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    returncode = process.wait()
    seconds = time.perf_counter() - started
    os.close(leader)
    output = ANSI.sub("", b"".join(chunks).decode("utf-8", "replace"))
    found = CAPTION.search(" ".join(output.split()))
    if returncode != 0 or found is None:
        raise SystemExit(f"concertem publish failed ({returncode}):\n{output}")
    calls, reads, writes, size, unit = found.groups()
    stats = CallStats(calls=int(calls), reads=int(reads), writes=int(writes))
    stats.bytes_uploaded = round(float(size) * UNITS[unit])
    return seconds, stats


def cli_runs(args: list[str], prefix: str, env: dict[str, str], runs: int):
    """``runs`` timed runs after one untimed (it fills the bytecode cache when there is one)."""
    cli_phase(args, prefix, env)
    timed = [cli_phase(args, prefix, env) for _ in range(runs)]
    return statistics.median(seconds for seconds, _ in timed), timed


def frictionless_phase(config, built, prefix):
    session = CountingSession()
    started = time.perf_counter()
    with system.use_context(http_session=session):
        for package in built:
            fl = Package(str(package.descriptor_path))
            fl.name = f"{prefix}{package.name}"
            # CKAN refuses tags with an apostrophe ("d'atenció"); frictionless passes
            # keywords through as tags, so give it the tags ours sends (mapping.tags_clean).
            fl.keywords = tags_clean(fl.keywords or [])
            fl.publish(
                control=CkanControl(
                    baseurl=config.site, apikey=config.api_key, organization_name=config.owner_org
                )
            )
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
                if not package["name"].startswith(prefix):
                    continue
                # dataset_purge leaves the DataStore tables behind: drop them first.
                for resource in package["resources"]:
                    with contextlib.suppress(NotFound):
                        ckan.action.datastore_delete(resource_id=resource["id"], force=True)
                ckan.action.dataset_purge(id=package["id"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", metavar="NAME", help="only this dataset")
    parser.add_argument("--runs", type=int, default=5, help="runs of (b'); the median is kept")
    options = parser.parse_args()
    console = Console(width=120)
    try:
        base = CkanConfig.from_env()
    except CkanConfigError as error:
        console.print(f"[red]{error}")
        return 1
    try:
        RemoteCKAN(base.site).action.status_show()
    except Exception as error:  # any failure means: not there
        console.print(
            f"[red]CKAN at {base.url} is not answering ({type(error).__name__}): "
            "start the local one with `make ckan-start`, or set CKAN_URL."
        )
        return 1
    tag = uuid.uuid4().hex[:6]
    ours, theirs = f"bench{tag}-", f"benchfl{tag}-"
    config = base.with_(dataset_prefix=ours)
    with tempfile.TemporaryDirectory(prefix="concertem-bench-") as temp:
        build_dir = Path(temp)
        ledger = build_dir / "ledger.json"
        specs = catalog_select(catalog_specs(), options.only)
        build_cache, validation_cache = caches_open(build_dir)
        started = time.perf_counter()
        failures = {}
        built = catalog_build(
            specs=specs,
            out_dir=build_dir / "datapackages",
            ledger_path=ledger,
            cache=build_cache,
            failures=failures,
        )
        for name, error in failures.items():
            console.print(f"left out {name}: {error}", style="yellow", markup=False)
        specs = [spec for spec in specs if spec.name not in failures]
        build_seconds = time.perf_counter() - started
        started = time.perf_counter()
        reports = catalog_validate(packages=built, cache=validation_cache)
        validate_seconds = time.perf_counter() - started
        paths = report_write(report=reports, reports_dir=build_dir / "reports")
        if not reports.valid:
            raise SystemExit(
                f"invalid catalogue: {[p.name for p in reports.packages if not p.valid]}"
            )
        resources = sum(len(p.resources) for p in built)
        total_bytes = sum(p.bytes for p in built)
        console.print(
            f"catalogue: {len(built)} datasets, {resources} data resources, "
            f"{human_bytes(total_bytes)}; build {build_seconds:.1f} s, "
            f"validate {validate_seconds:.1f} s; CKAN {config.site}"
        )
        cli_args = ["--build-dir", str(build_dir), "--ledger", str(ledger)]
        for spec in specs:
            cli_args += ["--only", spec.name]
        try:
            a = publish_phase(config, built, reports, paths, build_dir)
            b = publish_phase(config, built, reports, paths, build_dir)
            assert set(b[2]) == {"unchanged"}, b[2]
            # As typed in this workspace, whose environment may forbid bytecode caches
            # (PYTHONDONTWRITEBYTECODE): then every run compiles the project's modules.
            e2e_seconds, e2e_runs = cli_runs(cli_args, ours, dict(os.environ), options.runs)
            e2e_stats = e2e_runs[0][1]
            # As in any installed copy: bytecode cached (kept apart, in the temp folder).
            compiled = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            compiled["PYTHONPYCACHEPREFIX"] = str(build_dir / "pycache")
            pyc_seconds, pyc_runs = cli_runs(cli_args, ours, compiled, options.runs)
            nocache = cli_phase([*cli_args, "--no-cache"], ours, dict(os.environ))
            inproc_times = []
            for _run in range(options.runs):
                started = time.perf_counter()
                inproc = catalog_publish(
                    config=config, specs=specs, build_dir=build_dir, ledger_path=ledger
                )
                inproc_times.append(time.perf_counter() - started)
            inproc_seconds = statistics.median(inproc_times)
            c = frictionless_phase(base, built, theirs)
        finally:
            purge(base, (ours, theirs))

    rows = [
        ("(a) concertem, first publish", a[0], a[1]),
        ("(b) concertem, re-publish unchanged (CKAN half only)", b[0], b[1]),
        (
            f"(b') concertem publish, unchanged, end to end (median of {options.runs})",
            e2e_seconds,
            e2e_stats,
        ),
        ("(b') same, bytecode cached", pyc_seconds, pyc_runs[0][1]),
        ("(b') same, --no-cache (rebuild + revalidate)", nocache[0], nocache[1]),
        (
            f"(b') same, in-process catalog_publish (site task, median of {options.runs})",
            inproc_seconds,
            inproc.stats,
        ),
        ("(c) frictionless Package.publish", c[0], c[1]),
    ]
    table = Table(title="Publishing the catalogue to the local CKAN (one run)")
    for column in ("scenario", "seconds", "API calls", "reads", "writes", "uploaded"):
        table.add_column(column, justify="left" if column == "scenario" else "right")
    for label, seconds, stats in rows:
        stats = stats if isinstance(stats, CallStats) else CallStats()
        table.add_row(
            label,
            f"{seconds:.2f}",
            str(stats.calls),
            str(stats.reads),
            str(stats.writes),
            human_bytes(stats.bytes_uploaded),
        )
    console.print(table)

    def listed(timed):
        return ", ".join(f"{seconds:.2f}" for seconds, _ in timed)

    console.print(
        f"(b') runs: {listed(e2e_runs)} s; bytecode cached: {listed(pyc_runs)} s; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}"
    )
    # The target (issue 19) is in process, as the site's publish task runs it; end to end
    # adds the interpreter's start and the imports (~0.4 s), printed for what a user waits.
    ratio = c[0] / inproc_seconds if inproc_seconds else float("inf")
    timed = e2e_runs + pyc_runs
    once = all(stats.reads == 1 and stats.writes == 0 for _, stats in timed)
    once = once and inproc.stats.reads == 1 and inproc.stats.writes == 0
    nothing = all(stats.bytes_uploaded == 0 for _, stats in timed)
    ok = ratio >= TARGET_RATIO and once and nothing
    console.print(
        f"(c)/(b') time ratio, in-process: {ratio:.1f}x (target >= {TARGET_RATIO:.0f}x); "
        f"runs {', '.join(f'{s:.3f}' for s in inproc_times)} s; end to end: "
        f"{c[0] / e2e_seconds:.1f}x, bytecode cached: {c[0] / pyc_seconds:.1f}x; "
        f"CKAN half (c)/(b): {c[0] / b[0]:.1f}x. (b') {e2e_stats.reads} reads, "
        f"{e2e_stats.bytes_uploaded} bytes uploaded for {len(built)} datasets "
        f"-> {'[green]OK' if ok else '[red]BELOW TARGET'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
