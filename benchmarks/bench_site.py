"""The site under load: two gunicorn nodes behind HAProxy, production settings, wrk.

Builds its own site in a temporary folder on a throwaway PostgreSQL (migrate,
`load_demo`, a debate with 1,000 comments in deep threads, collectstatic), serves it as
in production (deploy/cluster.py: Redis as the shared cache and page cache, two gunicorn
nodes of 2 workers, HAProxy in front, 127.0.0.1 only), then runs
`wrk -t2 -c32 -d30s --latency` through the balancer against each page and prints
requests/s, p50, p95 and p99 (from a small Lua `done()` hook), each as a ratio to the
trivial view (/healthz) measured in the same run. The figures are for this machine at
this moment (2 cores, shared; wrk shares them with the server): compare ratios, not
absolute numbers, across machines.

    .venv/bin/python benchmarks/bench_site.py [--duration 30] [--keep]

Without a PostgreSQL DATABASE_URL it runs itself again inside scripts/with_postgres.sh.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from deploy import cluster as nodes  # noqa: E402

PYTHON = sys.executable
MANAGE = REPO / "site" / "manage.py"

DEBATE_PATH = "/ca/revisio-formula-2027/bench-1000/"
PAGES = [
    ("trivial view (/healthz)", "/healthz"),
    ("home page", "/ca/"),
    ("debate, 1,000 comments", DEBATE_PATH),
    ("municipality profile", "/ca/municipis/08298/"),
    ("allocation table", "/ca/repartiment/"),
    ("dataset page", "/ca/dades/territory/"),
]

# wrk's Lua hook: one JSON line with the figures the table needs (latency in µs).
WRK_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "non2xx": %d, "socket_errors": %d, '
    .. '"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max))
end
"""

BUILD_DEBATE = f"""
from django.contrib.auth import get_user_model
from debates.demo_content import comments_bulk_create
from debates.models import DebateIndexPage, DebatePage, Official
space = DebateIndexPage.objects.get(slug="revisio-formula-2027", locale__language_code="ca")
debate = DebatePage(title="Debat amb 1.000 contribucions", slug="bench-1000",
                    question="Com es reparteix el fons?")
space.add_child(instance=debate)
debate.save_revision().publish()
debate = DebatePage.objects.get(pk=debate.pk)
officials = list(Official.objects.filter(verified=True).select_related("user"))
print(comments_bulk_create(debate=debate, officials=officials, count=1000), debate.url)
assert debate.url == {DEBATE_PATH!r}, debate.url
"""


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, str(MANAGE), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"manage.py {args[0]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def site_build(env: dict[str, str]) -> None:
    step("migrate")
    manage(env, "migrate", "--no-input", "-v", "0")
    step("load_demo")
    manage(env, "load_demo")
    step("a debate with 1,000 comments in deep threads")
    print("    ", manage(env, "shell", "-c", BUILD_DEBATE).strip().splitlines()[-1])
    step("collectstatic (production storage)")
    manage(env, "collectstatic", "--no-input", "-v", "0")


def warm_up(url: str) -> int:
    """One request first: the status (must be 200) and the per-process data caches."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wrk_run(url: str, lua: Path, duration: int) -> dict:
    done = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c32",
            f"-d{duration}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(lua),
            url,
        ],
        capture_output=True,
        text=True,
        timeout=duration + 120,
        check=False,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        sys.exit(f"wrk gave no figures for {url}:\n{done.stdout}\n{done.stderr}")
    figures = json.loads(line.removeprefix("WRKJSON "))
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def table_print(results: list[tuple[str, str, dict]], duration: int) -> None:
    base = results[0][2]
    print()
    print(
        f"Site under load: wrk -t2 -c32 -d{duration}s through HAProxy, 2 gunicorn nodes x 2 "
        f"workers, Redis page cache, PostgreSQL, production settings, 127.0.0.1 (2 shared cores)"
    )
    # Under saturation (32 connections, 4 workers) the time a worker spends on one
    # request is about 4 / (requests per second); the latencies are mostly queueing.
    header = (
        f"{'page':<26} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'worker ms':>10}  {'req/s vs trivial':>16} {'p50 vs trivial':>15} "
        f"{'req/s / trivial':>15}"
    )
    print(header)
    print("-" * len(header))
    for name, _path, fig in results:
        errors = fig["non2xx"] + fig["socket_errors"]
        print(
            f"{name:<26} {fig['rps']:>8.1f} {fig['p50'] / 1000:>8.1f} {fig['p95'] / 1000:>8.1f} "
            f"{fig['p99'] / 1000:>8.1f} {errors:>7} {4000 / fig['rps']:>10.1f}  "
            f"{base['rps'] / fig['rps']:>15.1f}x "
            f"{fig['p50'] / base['p50']:>14.1f}x "
            f"{fig['rps'] / base['rps']:>14.2f}x"
        )
    print(
        "(worker ms: 4 workers / req/s, the time a worker spends on one request; req/s vs "
        "trivial: how many times fewer requests per second than /healthz; "
        "p50 vs trivial: how many times the median latency; req/s / trivial: the page's "
        "throughput as a share of /healthz's, the target being >= 0.5)"
    )


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds per page (30)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary site")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian package `wrk`)")
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        script = str(REPO / "scripts" / "with_postgres.sh")
        os.execvp("bash", ["bash", script, PYTHON, __file__, *sys.argv[1:]])  # noqa: S606
    folder = Path(tempfile.mkdtemp(prefix="concertem-bench-site-"))
    cluster = None
    try:
        env = nodes.environment(folder, database_url)
        site_build(env)
        lua = folder / "percentiles.lua"
        lua.write_text(WRK_LUA, encoding="utf-8")
        step("Redis, two gunicorn nodes (2 workers each), HAProxy")
        cluster = nodes.cluster_start(folder, database_url, task_worker=False, env=env)
        url = cluster.balancer_url
        print(f"    machine before: {uptime()}", flush=True)
        results = []
        for name, path in PAGES:
            # Both nodes, every worker: the first render and the page cache filled.
            for _ in range(4):
                status = warm_up(f"{url}{path}")
                if status != 200:
                    sys.exit(f"{path} answered {status}; see {folder}/node-*.log")
            step(f"wrk {path} ({args.duration} s)")
            results.append((name, path, wrk_run(f"{url}{path}", lua, args.duration)))
        print(f"    machine after:  {uptime()}", flush=True)
        table_print(results, args.duration)
        failed = [name for name, _p, fig in results if fig["non2xx"] or fig["socket_errors"]]
        if failed:
            print(f"!! errors under load on: {', '.join(failed)}; see {folder}/node-*.log")
            return 1
        return 0
    finally:
        if cluster is not None:
            cluster.stop()
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
