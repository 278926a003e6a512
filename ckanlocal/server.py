"""Start, stop and report on the whole local CKAN: PostgreSQL, Redis and CKAN.

``server_start`` runs every step in order, each idempotent; ``server.json`` in the home
is what clients (tests, ``publishing.config``) read.
"""

from __future__ import annotations

import os
import time
from typing import Any

from ckanlocal.base import (
    ORG_NAME,
    PORTS_PREFERRED,
    CkanServerError,
    Echo,
    ServerInfo,
    ServerPaths,
    ServerStatus,
    echo_default,
    json_read,
    json_write,
    locked,
    paths_resolve,
    pid_alive,
    port_pick,
)
from ckanlocal.ckandb import (
    ckan_database_ensure,
    organization_ensure,
    site_texts_digest,
    site_texts_ensure,
)
from ckanlocal.config import extensions_digest, ini_current, ini_digest, ini_ensure
from ckanlocal.install import system_packages_ensure, venv_current, venv_ensure
from ckanlocal.postgres import (
    cluster_pid,
    cluster_port,
    cluster_stop,
    databases_ensure,
    pg_root,
    pgdata_of,
    postgres_ensure,
)
from ckanlocal.process import ckan_answers, ckan_pid, ckan_process_start, ckan_process_stop
from ckanlocal.redis import redis_ensure, redis_pid, redis_ping, redis_stop

__all__ = [
    "CkanServerError",
    "ServerInfo",
    "ServerStatus",
    "ckan_answers",
    "ckan_process_start",
    "ckan_process_stop",
    "paths_resolve",
    "server_restart_ckan_only",
    "server_start",
    "server_status",
    "server_stop",
]


def _server_info(paths: ServerPaths, state: dict[str, Any]) -> ServerInfo:
    ports = dict(state.get("ports", {}))
    pids: dict[str, int] = {}
    if "pg_root" in state:
        pg_pid = cluster_pid(pgdata_of(state))
        if pg_pid and pid_alive(pg_pid, "postgres"):
            pids["postgres"] = pg_pid
    if pid := redis_pid(paths):
        pids["redis"] = pid
    if pid := ckan_pid(paths):
        pids["ckan"] = pid
    return ServerInfo(
        url=f"http://127.0.0.1:{ports.get('ckan', 0)}",
        api_key=state.get("api_key", ""),
        owner_org=ORG_NAME,
        ports=ports,
        pids=pids,
        home=str(paths.home),
        storage_path=str(paths.storage),
        ckan_ini=str(paths.ini),
        log_dir=str(paths.logs),
    )


def server_json_update(paths: ServerPaths) -> ServerInfo:
    info = _server_info(paths, json_read(paths.state_json))
    if paths.home.exists():
        json_write(paths.server_json, info.to_dict())
    return info


def server_start(
    *, home: str | os.PathLike[str] | None = None, echo: Echo = echo_default
) -> ServerInfo:
    """Set up (first time) and start PostgreSQL, Redis and CKAN; report if already up."""
    paths = paths_resolve(home)
    started = time.monotonic()
    extensions = extensions_digest(paths)  # once: every later check reuses it
    with locked(paths):
        state = json_read(paths.state_json)
        complete = (
            state.get("api_key")
            and state.get("org_ready") == state.get("db_ready")
            and venv_current(paths)
            and ini_current(paths, state, extensions=extensions)
            and state.get("site_texts") == site_texts_digest()
        )
        if complete and _status_components(paths, state)["api"]:
            info = server_json_update(paths)
            echo(f"already running at {info.url}")
            return info
        for directory in (paths.logs, paths.storage, paths.redis_dir):
            directory.mkdir(parents=True, exist_ok=True)
        system_packages_ensure(echo=echo)
        if venv_ensure(paths, echo=echo) and ckan_pid(paths):
            ckan_process_stop(paths=paths, echo=echo)  # it runs the old packages
        if "pg_root" not in state:
            state["pg_root"] = str(pg_root(paths))
        taken: set[int] = set()
        ports = dict(state.get("ports", {}))
        ports["postgres"] = postgres_ensure(paths, state, taken, echo=echo)
        ports["redis"] = redis_ensure(paths, state, taken, echo=echo)
        if ckan_pid(paths) and ports.get("ckan"):
            taken.add(ports["ckan"])  # a CKAN still running keeps its port
        else:
            ports["ckan"] = port_pick(ports.get("ckan") or PORTS_PREFERRED["ckan"], taken)
        state["ports"] = ports
        databases_ensure(paths, state, echo=echo)
        json_write(paths.state_json, state)  # keep the passwords even if a later step fails
        digest = ini_digest(paths, state, ports, extensions=extensions)
        if ckan_pid(paths) and state.get("ini_digest") != digest:
            ckan_process_stop(paths=paths, echo=echo)  # it runs with an out-of-date ckan.ini
        ini_ensure(paths, state, ports, extensions=extensions, echo=echo)
        json_write(paths.state_json, state)
        ckan_database_ensure(paths, state, echo=echo)
        json_write(paths.state_json, state)
        ckan_process_start(paths=paths, echo=echo, port=ports["ckan"])
        url = f"http://127.0.0.1:{ports['ckan']}"
        organization_ensure(paths, state, url, echo=echo)
        state["org_ready"] = state["db_ready"]
        site_texts_ensure(state, url, echo=echo)
        json_write(paths.state_json, state)
        info = server_json_update(paths)
    echo(f"ready at {info.url} (org {ORG_NAME}) in {time.monotonic() - started:.1f} s")
    return info


def server_stop(*, home: str | os.PathLike[str] | None = None, echo: Echo = echo_default) -> None:
    """Stop CKAN, Redis and PostgreSQL, by the pids they recorded."""
    paths = paths_resolve(home)
    if not paths.home.exists():
        return
    with locked(paths):
        state = json_read(paths.state_json)
        ckan_process_stop(paths=paths, echo=echo)
        redis_stop(paths, echo=echo)
        if "pg_root" in state and cluster_port(pgdata_of(state)):
            echo("stopping PostgreSQL (pg_ctl stop -m fast)")
            cluster_stop(pgdata_of(state), log=paths.logs / "postgres-setup.log")
        server_json_update(paths)
    echo("stopped")


def server_restart_ckan_only(
    *, home: str | os.PathLike[str] | None = None, force: bool = False, echo: Echo = echo_default
) -> ServerInfo:
    """Stop and start the CKAN web process alone; data and port are kept."""
    paths = paths_resolve(home)
    with locked(paths):
        ckan_process_stop(paths=paths, force=force, echo=echo)
        ckan_process_start(paths=paths, echo=echo)
        return server_json_update(paths)


def _status_components(paths: ServerPaths, state: dict[str, Any]) -> dict[str, bool]:
    postgres = bool("pg_root" in state and cluster_port(pgdata_of(state)))
    redis_port = state.get("ports", {}).get("redis")
    redis = bool(redis_port and redis_pid(paths) and redis_ping(redis_port))
    ckan = ckan_pid(paths) is not None
    ckan_port = state.get("ports", {}).get("ckan")
    api = bool(ckan and ckan_port and ckan_answers(f"http://127.0.0.1:{ckan_port}"))
    return {"postgres": postgres, "redis": redis, "ckan": ckan, "api": api}


def server_status(*, home: str | os.PathLike[str] | None = None) -> ServerStatus:
    paths = paths_resolve(home)
    state = json_read(paths.state_json)
    if not state:
        return ServerStatus(
            running=False,
            components={"postgres": False, "redis": False, "ckan": False, "api": False},
            info=None,
            message=f"never set up in {paths.home}: run `concertem ckan-server start`",
        )
    components = _status_components(paths, state)
    running = all(components.values())
    down = [name for name, up in components.items() if not up]
    message = "running" if running else "not running: " + ", ".join(down) + " down"
    return ServerStatus(
        running=running, components=components, info=_server_info(paths, state), message=message
    )
