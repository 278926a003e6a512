"""pytest plugin: the project's local CKAN server, for ``@pytest.mark.integration`` tests.

Loaded from tests/conftest.py with ``pytest_plugins = ["tests.ckan_fixtures"]``.
The server is started outside pytest (``concertem ckan-server start``; ``make test``
does it), and this plugin only finds it: ``var/ckan/server.json`` (or
``$CONCERTEM_CKAN_HOME/server.json``), checked with ``status_show``.

When it is not running: in CI (``CI`` set) or under ``make test``
(``CONCERTEM_REQUIRE_CKAN`` set) the test FAILS; otherwise it is skipped, and the
session ends with a banner saying how many CKAN tests did not run.
"""

from __future__ import annotations

import json
import os
import time

import pytest

from ckanlocal import server as ckan_server_module
from ckanlocal.base import ServerInfo
from publishing.config import CkanConfig

NOT_RUNNING = "local CKAN not running: run `concertem ckan-server start` or `make test`"
RESTART_GRACE_S = 90
_skipped: list[str] = []


def ckan_required() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("CONCERTEM_REQUIRE_CKAN"))


def ckan_server_find() -> tuple[ServerInfo | None, str]:
    """The running server's info, or None and why not."""
    paths = ckan_server_module.paths_resolve()
    try:
        data = json.loads(paths.server_json.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, f"{paths.server_json} does not exist"
    except ValueError as error:
        return None, f"{paths.server_json} is not JSON: {error}"
    info = ServerInfo.from_dict(data)
    if not info.api_key:
        return None, f"{paths.server_json} has no API key (set-up never finished)"
    # Another test may be restarting the CKAN process (retry tests do): while its
    # databases run, give it the time a restart takes before giving up.
    deadline = time.monotonic() + RESTART_GRACE_S
    while not ckan_server_module.ckan_answers(info.url, timeout=5):
        status = ckan_server_module.server_status()
        if time.monotonic() > deadline or not (
            status.components["postgres"] and status.components["redis"]
        ):
            return None, f"{info.url}/api/3/action/status_show does not answer"
        time.sleep(1)
    return info, ""


@pytest.fixture(scope="session")
def ckan_server() -> ServerInfo:
    info, why = ckan_server_find()
    if info is None:
        if ckan_required():
            pytest.fail(f"{NOT_RUNNING} ({why})", pytrace=False)
        _skipped.append(why)
        pytest.skip(f"{NOT_RUNNING} ({why})")
    return info


def ckan_server_config(server: ServerInfo, prefix: str, **settings) -> CkanConfig:
    """Publishing to the local server under ``prefix`` (so that a test's datasets can be
    found and purged): its URL, key and organisation, with quick retries unless ``settings``
    say otherwise."""
    settings = {"timeout": 60, "retries": 2, "backoff_base": 0.05, "backoff_max": 0.2, **settings}
    return CkanConfig(
        url=server.url,
        api_key=server.api_key,
        owner_org=server.owner_org,
        dataset_prefix=prefix,
        **settings,
    )


@pytest.fixture(scope="session")
def ckan_client(ckan_server: ServerInfo):
    """A ckanapi client holding the sysadmin API token."""
    import ckanapi

    with ckanapi.RemoteCKAN(ckan_server.url, apikey=ckan_server.api_key) as client:
        yield client


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    # A skip line is easy to miss among dots; say it once, loudly, at the end.
    if _skipped:
        terminalreporter.write_sep(
            "!", f"{NOT_RUNNING}: CKAN integration tests were SKIPPED", red=True, bold=True
        )
