"""Debate page: render time and SQL queries for 10 vs 1,000 comments, in one run.

    .venv/bin/python benchmarks/bench_debates.py [--repeat N]

Sets up Django with the test settings on a temporary SQLite database, migrates it, builds
two debates (10 and 1,000 comments in threads three levels deep), and renders each page
through the test client as an anonymous reader and as a logged-in official.
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
    for count in (10, 1000):
        space = DebateIndexPage.objects.get(pk=space.pk)
        debate = DebatePage(title=f"Debate {count}", slug=f"d{count}", question="?")
        space.add_child(instance=debate)
        debate.save_revision().publish()
        debate = DebatePage.objects.get(pk=debate.pk)
        comments_bulk_create(debate=debate, officials=officials, count=count)
        debates[count] = debate
    return debates, officials[0].user


def measure(client, url: str, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: template compilation, caches
    timings = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    return statistics.median(timings) * 1000, queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-debates-") as var_dir:
        django_setup(var_dir)
        from django.test import Client
        from django.test.utils import setup_test_environment

        setup_test_environment()
        debates, official = scenario_build()
        rows = []
        for viewer in ("anonymous", "official"):
            client = Client()
            if viewer == "official":
                client.force_login(official)
            small = measure(client, debates[10].url, args.repeat)
            large = measure(client, debates[1000].url, args.repeat)
            rows.append((viewer, small, large))
        print(f"Debate page render, median of {args.repeat} (20 threads per page, depth 3)")
        print(
            f"{'viewer':<10} {'10 ms':>8} {'1000 ms':>9} {'ratio':>6} "
            f"{'10 q':>5} {'1000 q':>7} {'ratio':>6}"
        )
        for viewer, (t10, q10), (t1000, q1000) in rows:
            print(
                f"{viewer:<10} {t10:>8.1f} {t1000:>9.1f} {t1000 / t10:>6.2f} "
                f"{q10:>5} {q1000:>7} {q1000 / q10:>6.2f}"
            )
        same = all(q10 == q1000 for _v, (_t, q10), (_t2, q1000) in rows)
        print("queries independent of comment count:", "yes" if same else "NO")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
