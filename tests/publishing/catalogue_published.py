"""Session fixture: the whole real catalogue published to the running local CKAN.

The four datasets the site produces are exported first by the site itself (``load_demo``
then ``export_open_data``, in a throwaway SQLite database and build folder), so every
dataset of the catalogue is on CKAN, under a prefix of its own, as `make demo` would put
it there. Purged at the end of the session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from datasets.catalog import catalog_specs
from datasets.versioning import LEDGER_PATH
from publishing.pipeline import PublishReport, catalog_publish
from tests.ckan_fixtures import ckan_server_config

REPO = Path(__file__).resolve().parents[2]
SITE_COMMANDS = (["migrate", "--no-input", "-v", "0"], ["load_demo"], ["export_open_data"])


def _site_exports(work: Path) -> Path:
    build = work / "build"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "concertem.config.settings.dev",
        "DATABASE_URL": f"sqlite:///{work / 'site.sqlite3'}",
        "CONCERTEM_BUILD_DIR": str(build),
    }
    for command in SITE_COMMANDS:
        done = subprocess.run(
            [sys.executable, str(REPO / "site" / "manage.py"), *command],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, f"manage.py {command[0]}: {done.stderr[-2000:]}"
    return build


@pytest.fixture(scope="session")
def published_catalogue(ckan_server, ckan_client, tmp_path_factory):
    """(report, config) of publishing every dataset of the catalogue to the local CKAN."""
    work = tmp_path_factory.mktemp("catalogue")
    build = _site_exports(work)
    ledger = work / "catalog_versions.json"
    shutil.copy(LEDGER_PATH, ledger)
    config = ckan_server_config(
        ckan_server, f"cat{uuid.uuid4().hex[:6]}-", timeout=120, backoff_base=0.1, backoff_max=1.0
    )
    # The specs read the site's exports from CONCERTEM_BUILD_DIR, as the CLI does.
    previous = os.environ.get("CONCERTEM_BUILD_DIR")
    os.environ["CONCERTEM_BUILD_DIR"] = str(build)
    try:
        report: PublishReport = catalog_publish(
            config=config, specs=catalog_specs(), build_dir=build, ledger_path=ledger
        )
    finally:
        if previous is None:
            os.environ.pop("CONCERTEM_BUILD_DIR", None)
        else:
            os.environ["CONCERTEM_BUILD_DIR"] = previous
    yield report, config
    found = ckan_client.action.package_search(
        q=f"name:{config.dataset_prefix}*", rows=100, include_private=True
    )
    for package in found["results"]:
        if package["name"].startswith(config.dataset_prefix):
            ckan_client.action.dataset_purge(id=package["id"])
