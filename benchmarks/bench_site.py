"""The site under load: gunicorn with production settings, measured with wrk on loopback.

Builds its own site in a temporary folder (migrate, `load_demo`, a debate with 1,000
comments in deep threads, collectstatic), serves it with gunicorn (2 workers, DEBUG off,
127.0.0.1 only), then runs `wrk -t2 -c32 -d30s --latency` against each page and prints
requests/s, p50, p95 and p99 (from a small Lua `done()` hook), each as a ratio to the
trivial view (/healthz) measured in the same run. The figures are for this machine at
this moment (2 cores, shared; wrk shares them with the server): compare ratios, not
absolute numbers, across machines.

    .venv/bin/python benchmarks/bench_site.py [--duration 30] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BIN = Path(sys.executable).parent
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(folder: Path) -> dict[str, str]:
    dropped = ("DJANGO_", "DATABASE_URL", "CKAN_", "CONCERTEM_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    var = folder / "var"
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        PYTHONDONTWRITEBYTECODE="1",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback
        DJANGO_SECURE_COOKIES="0",
        CONCERTEM_VAR_DIR=str(var),
        CONCERTEM_BUILD_DIR=str(folder / "build"),
        DJANGO_STATIC_ROOT=str(var / "static"),
        DJANGO_MEDIA_ROOT=str(var / "media"),
        CKAN_URL="http://127.0.0.1:9",  # links only: nothing here calls CKAN
        DJANGO_LOG_LEVEL="ERROR",
    )
    var.mkdir(parents=True, exist_ok=True)
    return env


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


def gunicorn_start(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    with log.open("w") as handle:
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--chdir",
                "site",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "60",
            ],
            cwd=REPO,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return process, url
        except OSError:
            pass
        if time.monotonic() > deadline:
            gunicorn_stop(process)
            sys.exit(f"gunicorn did not answer:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)


def gunicorn_stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # its own process group: master and workers
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


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
        f"Site under load: wrk -t2 -c32 -d{duration}s, gunicorn 2 workers, production "
        f"settings, 127.0.0.1 (2 shared cores)"
    )
    # Under saturation (32 connections, 2 workers) the time a worker spends on one
    # request is about 2 / (requests per second); the latencies are mostly queueing.
    header = (
        f"{'page':<26} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'worker ms':>10}  {'req/s vs trivial':>16} {'p50 vs trivial':>15}"
    )
    print(header)
    print("-" * len(header))
    for name, _path, fig in results:
        errors = fig["non2xx"] + fig["socket_errors"]
        print(
            f"{name:<26} {fig['rps']:>8.1f} {fig['p50'] / 1000:>8.1f} {fig['p95'] / 1000:>8.1f} "
            f"{fig['p99'] / 1000:>8.1f} {errors:>7} {2000 / fig['rps']:>10.1f}  "
            f"{base['rps'] / fig['rps']:>15.1f}x "
            f"{fig['p50'] / base['p50']:>14.1f}x"
        )
    print(
        "(worker ms: 2 workers / req/s, the time a worker spends on one request; req/s vs "
        "trivial: how many times fewer requests per second than /healthz; "
        "p50 vs trivial: how many times the median latency)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds per page (30)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary site")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian package `wrk`)")
    folder = Path(tempfile.mkdtemp(prefix="concertem-bench-site-"))
    process = None
    try:
        env = environment(folder)
        site_build(env)
        lua = folder / "percentiles.lua"
        lua.write_text(WRK_LUA, encoding="utf-8")
        step("gunicorn, 2 workers")
        process, url = gunicorn_start(env, folder / "gunicorn.log")
        results = []
        for name, path in PAGES:
            status = warm_up(f"{url}{path}")
            if status != 200:
                sys.exit(f"{path} answered {status}; see {folder / 'gunicorn.log'}")
            step(f"wrk {path} ({args.duration} s)")
            results.append((name, path, wrk_run(f"{url}{path}", lua, args.duration)))
        table_print(results, args.duration)
        failed = [name for name, _p, fig in results if fig["non2xx"] or fig["socket_errors"]]
        if failed:
            print(f"!! errors under load on: {', '.join(failed)}; see {folder / 'gunicorn.log'}")
            return 1
        return 0
    finally:
        if process is not None:
            gunicorn_stop(process)
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
