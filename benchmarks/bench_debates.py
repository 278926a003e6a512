"""Debate page: render time and SQL queries for 10, 1,000 and 10,000 comments, in one run.

    .venv/bin/python benchmarks/bench_debates.py [--repeat N]

Sets up Django with the test settings on a temporary SQLite database, migrates it, builds
three debates (10, 1,000 and 10,000 comments in threads three levels deep), and renders
each page through the test client as an anonymous reader and as a logged-in verified
official: cold (the cache cleared before each render: no cached threads, no cached data)
and warm (the render after it), plus the very first render of each page in the process.
The page cache is off (test settings), so an anonymous warm render is the threads cache's.

Exits non-zero when the official's 10,000-comment page takes more than twice the
10-comment page (cold), or when the queries of a viewer differ between the sizes
(issue 19, "Debates at 10,000 comments").
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SIZES = (10, 1000, 10000)
MAX_RATIO = 2.0
sys.path[:0] = [str(REPO), str(REPO / "site")]


def django_setup(var_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "concertem.config.settings.test"
    os.environ["CONCERTEM_VAR_DIR"] = var_dir
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def scenario_build():
    from django.contrib.auth import get_user_model

    from concertem.home.demo_content import home_tree_ensure
    from debates.demo_content import comments_bulk_create
    from debates.models import DebateIndexPage, DebatePage, Official

    homes = home_tree_ensure()
    space = DebateIndexPage(title="Bench", slug="bench", intro="Benchmark space.")
    homes["ca"].add_child(instance=space)
    space.save_revision().publish()
    officials = []
    for code in ("08298", "08279", "08113", "08055"):
        user = get_user_model().objects.create_user(
            username=f"o{code}", password="bench", first_name="Bench", last_name=code
        )
        officials.append(
            Official.objects.create(user=user, entity_code=code, role="mayor", verified=True)
        )
    debates = {}
    for count in (0, *SIZES):
        space = DebateIndexPage.objects.get(pk=space.pk)
        debate = DebatePage(title=f"Debate {count}", slug=f"d{count}", question="?")
        space.add_child(instance=debate)
        debate.save_revision().publish()
        debate = DebatePage.objects.get(pk=debate.pk)
        if count:
            comments_bulk_create(debate=debate, officials=officials, count=count)
        debates[count] = debate
    return debates, officials[0].user


def render_once(client, url: str, *, cold: bool) -> tuple[float, int]:
    """Milliseconds and queries of one render; cold: the cache cleared just before."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    return elapsed * 1000, len(captured)


def measure(client, urls: dict[int, str], repeat: int, *, cold: bool) -> dict:
    """Median ms and queries per size. The sizes take turns in each round, so that a
    change in the machine's load (2 cores shared with other work) falls on all alike."""
    timings: dict[int, list[float]] = {count: [] for count in urls}
    queries: dict[int, int] = {}
    for _ in range(repeat):
        for count, url in urls.items():
            if not cold:
                client.get(url)  # the render before: what the warm one finds cached
            elapsed, queries[count] = render_once(client, url, cold=cold)
            timings[count].append(elapsed)
    return {count: (statistics.median(timings[count]), queries[count]) for count in urls}


def first_render(client, url: str) -> float:
    from django.core.cache import cache

    cache.clear()
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-debates-") as var_dir:
        django_setup(var_dir)
        from django.conf import settings
        from django.test import Client

        from debates.threads import REPLIES_SHOWN, THREADS_PER_WINDOW

        # Not setup_test_environment(): it instruments every template render for the test
        # client (a signal and a copy of the context per {% include %}), which a server
        # does not pay; only the test client's host is allowed here.
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        debates, official = scenario_build()
        rows = {}
        # The process's own first request (template compilation, Wagtail's site lookup)
        # is paid once per worker at start-up, not per debate: an empty debate pays it.
        Client().get(debates[0].url)
        for viewer in ("anonymous", "official"):
            client = Client()
            if viewer == "official":
                client.force_login(official)
            urls = {count: debates[count].url for count in SIZES}
            firsts = {count: first_render(client, url) for count, url in urls.items()}
            colds = measure(client, urls, args.repeat, cold=True)
            warms = measure(client, urls, args.repeat, cold=False)
            for count in SIZES:
                rows[viewer, count] = (firsts[count], colds[count], warms[count])
        print(
            f"Debate page render, median of {args.repeat} (window: {THREADS_PER_WINDOW} "
            f"threads, {REPLIES_SHOWN} replies each; threads of 21 comments, depth 3)"
        )
        print(
            f"{'viewer':<10} {'comments':>8} {'first ms':>9} {'cold ms':>8} {'warm ms':>8} "
            f"{'cold/10':>8} {'cold q':>7} {'warm q':>7}"
        )
        failures = []
        for viewer in ("anonymous", "official"):
            base = rows[viewer, SIZES[0]][1]
            for count in SIZES:
                first, (cold_ms, cold_q), (warm_ms, warm_q) = rows[viewer, count]
                print(
                    f"{viewer:<10} {count:>8} {first:>9.1f} {cold_ms:>8.1f} {warm_ms:>8.1f} "
                    f"{cold_ms / base[0]:>8.2f} {cold_q:>7} {warm_q:>7}"
                )
            queries = {rows[viewer, count][1][1] for count in SIZES}
            if len(queries) > 1:
                failures.append(f"{viewer}: queries differ by size {sorted(queries)}")
        ratio = rows["official", SIZES[-1]][1][0] / rows["official", SIZES[0]][1][0]
        print(f"official {SIZES[-1]}/{SIZES[0]} cold ratio: {ratio:.2f} (limit {MAX_RATIO})")
        if ratio > MAX_RATIO:
            failures.append(f"official ratio {ratio:.2f} > {MAX_RATIO}")
        worst_anonymous = max(rows["anonymous", count][0] for count in SIZES)
        print(f"anonymous first render, worst of the sizes: {worst_anonymous:.1f} ms (limit 300)")
        if worst_anonymous > 300:
            failures.append(f"anonymous first render {worst_anonymous:.1f} ms > 300")
        print(
            "queries independent of comment count:",
            "yes" if not any("queries" in f for f in failures) else "NO",
        )
        for failure in failures:
            print("FAIL:", failure)
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
