"""What lives inside CKAN once it runs: its database, the DataStore's permissions, the
sysadmin and its API token, the organisation and the portal's texts."""

from __future__ import annotations

import hashlib
import json
import secrets
import subprocess
from typing import Any

from ckanlocal.base import (
    ADMIN_USER,
    ORG_NAME,
    CkanServerError,
    Echo,
    ServerPaths,
    clean_env,
    echo_default,
    run,
)
from ckanlocal.portal import ORG_TITLE, site_texts
from ckanlocal.postgres import CLUSTER_ID_FILE, DB_DATASTORE, pgdata_of, psql
from ckanlocal.process import api_call


def _ckan_cli(
    paths: ServerPaths, step: str, *args: str, input_text: str | None = None
) -> subprocess.CompletedProcess[str]:
    return run(
        step,
        [str(paths.bin("ckan")), "-c", str(paths.ini), *args],
        log=paths.logs / "ckan-setup.log",
        env=clean_env(paths),
        input_text=input_text,
    )


def ckan_database_ensure(
    paths: ServerPaths, state: dict[str, Any], *, echo: Echo = echo_default
) -> None:
    """db init, DataStore permissions, sysadmin and API token, once per cluster."""
    pgdata = pgdata_of(state)
    cluster_id = (pgdata / CLUSTER_ID_FILE).read_text().strip()
    if state.get("db_ready") == cluster_id and state.get("api_key"):
        return
    echo("ckan db init")
    _ckan_cli(paths, "ckan db init", "db", "init")
    echo("ckan datastore set-permissions")
    sql = _ckan_cli(paths, "ckan datastore set-permissions", "datastore", "set-permissions")
    psql(pgdata, sql.stdout, log=paths.logs / "postgres-setup.log", database=DB_DATASTORE)
    echo(f"sysadmin {ADMIN_USER} and API token")
    password = state["passwords"].setdefault("admin", secrets.token_urlsafe(18))
    _ckan_cli(
        paths,
        "ckan sysadmin add",
        "sysadmin",
        "add",
        ADMIN_USER,
        "--create",
        f"email={ADMIN_USER}@example.invalid",
        f"password={password}",
    )
    state["api_key"] = api_token_create(paths)
    state["db_ready"] = cluster_id


def api_token_create(paths: ServerPaths) -> str:
    result = _ckan_cli(
        paths, "ckan user token add", "user", "token", "add", ADMIN_USER, "concertem", "--quiet"
    )
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    if not lines:
        raise CkanServerError(
            "ckan user token add", "printed no token", paths.logs / "ckan-setup.log"
        )
    return lines[-1]


def organization_ensure(
    paths: ServerPaths, state: dict[str, Any], url: str, *, echo: Echo = echo_default
) -> None:
    for attempt in range(2):
        key = state["api_key"]
        found = api_call(url, "organization_show", {"id": ORG_NAME}, api_key=key)
        if found.get("success"):
            return
        created = api_call(
            url, "organization_create", {"name": ORG_NAME, "title": ORG_TITLE}, api_key=key
        )
        if created.get("success"):
            echo(f"created organisation {ORG_NAME}")
            return
        error = created.get("error", {})
        if error.get("__type") == "Authorization Error" and attempt == 0:
            # state.json outlived its token (e.g. the token was revoked): make a new one.
            state["api_key"] = api_token_create(paths)
            continue
        raise CkanServerError("organization_create", json.dumps(error), paths.logs / "ckan.log")


def site_texts_digest() -> str:
    return hashlib.sha256(json.dumps(site_texts(), sort_keys=True).encode()).hexdigest()


def site_texts_ensure(state: dict[str, Any], url: str, *, echo: Echo = echo_default) -> None:
    """Title, description, about and intro text, through CKAN's runtime configuration:
    ckan.ini holds one line per option and the about text has paragraphs."""
    if state.get("site_texts") == site_texts_digest():
        return
    echo("portal title and about text")
    done = api_call(url, "config_option_update", site_texts(), api_key=state["api_key"])
    if not done.get("success"):
        raise CkanServerError("config_option_update", json.dumps(done.get("error", {})))
    state["site_texts"] = site_texts_digest()
