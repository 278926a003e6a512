"""Portal pages with 311 and with 8,131 entities: SQL queries and render time, as ratios.

Runs the real pages through Django's test client on a throw-away SQLite database with the
demo pages. "311" is the province of Barcelona (the shipped formula); "8,131" loads every
Spanish municipality into the portal and allocates with a formula scoped to all of Spain
(benchmarks/formulas/pgi-2024-2027-spain.toml). Time is the median of several renders after
one warm-up render (the data is loaded once per process, by design).

    .venv/bin/python benchmarks/bench_portal.py
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "site")]
TMP = Path(tempfile.mkdtemp(prefix="concertem-bench-portal-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "concertem.config.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{TMP / 'bench.sqlite3'}"
os.environ["CKAN_URL"] = "http://127.0.0.1:9"  # no CKAN look-ups during the measurement

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

REPEAT = 5
PAGES = {
    "municipality profile": "/ca/municipis/08298/",
    "municipality index": "/ca/municipis/",
    "allocation table": "/ca/repartiment/",
    "allocation, one entity": "/ca/repartiment/08298/",
    "SDG goal dashboard": "/ca/ods/10/",
}


def measure(client: Client, url: str) -> tuple[int, float, int]:
    response = client.get(url)  # warm-up: in-memory data loaded once per process
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
    return len(queries), statistics.median(times), len(response.content)


def scenario(label: str, *, provinces, formula_id: str) -> dict[str, tuple[int, float, int]]:
    from concertem.common.territory import territory_cache_clear
    from concertem.dataportal import portal_data
    from concertem.dataportal.models import AllocationExplorerPage

    settings.CONCERTEM_PORTAL_PROVINCES = provinces
    territory_cache_clear()
    portal_data._variables_cached.cache_clear()
    AllocationExplorerPage.objects.update(formula_id=formula_id)
    client = Client()
    print(f"  measuring: {label}", flush=True)
    return {name: measure(client, url) for name, url in PAGES.items()}


def main() -> int:
    import datasets.allocation.formula as formula_module
    from concertem.dataportal import portal_data

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    call_command("load_demo_content", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    # The all-Spain formula lives with the benchmarks, not with the shipped formulas.
    formulas = TMP / "formulas"
    shutil.copytree(formula_module.FORMULAS_DIR, formulas)
    shutil.copy(REPO / "benchmarks/formulas/pgi-2024-2027-spain.toml", formulas)
    formula_module.FORMULAS_DIR = formulas
    portal_data.FORMULAS_DIR = formulas

    small = scenario(
        "311 entities (province of Barcelona)", provinces=("08",), formula_id="pgi-2024-2027"
    )
    large = scenario(
        "8,131 entities (all of Spain)", provinces=None, formula_id="pgi-2024-2027-spain"
    )
    print()
    header = (
        f"{'page':<24} {'queries 311':>11} {'queries 8131':>12} {'ms 311':>8} "
        f"{'ms 8131':>8} {'time ratio':>10} {'KB 311':>8} {'KB 8131':>8}"
    )
    print(header)
    print("-" * len(header))
    for name in PAGES:
        q1, t1, b1 = small[name]
        q2, t2, b2 = large[name]
        print(
            f"{name:<24} {q1:>11} {q2:>12} {t1 * 1000:>8.1f} {t2 * 1000:>8.1f} "
            f"{t2 / t1:>9.2f}x {b1 / 1024:>8.0f} {b2 / 1024:>8.0f}"
        )
    print(
        "\nQueries must not grow with the number of entities; the allocation table and the "
        "index list every entity, so their time grows with the rows they render."
    )
    shutil.rmtree(TMP, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
