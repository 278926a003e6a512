"""PostgreSQL 15 clusters on loopback ports: the local CKAN's, and the throwaway one
``scripts/with_postgres.sh`` runs the test suite against (``python -m ckanlocal.postgres``).

One way to make, start, query and stop a cluster. As root, the cluster belongs to the
``postgres`` user (initdb refuses to run as root); otherwise to whoever runs it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ckanlocal.base import (
    PORTS_PREFERRED,
    Echo,
    ServerPaths,
    as_postgres_kwargs,
    echo_default,
    pid_alive,
    pidfile_read,
    port_pick,
    run,
)

PG_BIN = Path("/usr/lib/postgresql/15/bin")
# fmt: off
INITDB_OPTIONS = ("-U", "postgres", "-E", "UTF8", "--locale=C", "--auth-local=trust",
                  "--auth-host=scram-sha-256")
# A cluster the suite throws away needs no durability.
THROWAWAY_INITDB = ("-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
THROWAWAY_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")
# fmt: on
DB_CKAN, DB_DATASTORE = "ckan_default", "datastore_default"
ROLE_CKAN, ROLE_DS_WRITE, ROLE_DS_READ = "ckan_default", "datastore_default", "datastore_ro"
CLUSTER_ID_FILE = "concertem_cluster_id"


# ---- Any cluster ----


def cluster_owner_set(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


def cluster_init(pgdata: Path, *, options: Sequence[str], log: Path) -> None:
    """initdb a new cluster in pgdata (a half-made one from an interrupted run is redone)."""
    if pgdata.exists():
        shutil.rmtree(pgdata)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    cluster_owner_set(pgdata.parent)
    pgdata.parent.chmod(0o700)
    run("initdb", [str(PG_BIN / "initdb"), "-D", str(pgdata), *options], log=log, as_postgres=True)
    # A new id per cluster: set-up markers elsewhere (state.json) refer to it.
    (pgdata / CLUSTER_ID_FILE).write_text(uuid.uuid4().hex)
    cluster_owner_set(pgdata / CLUSTER_ID_FILE)


def cluster_start(
    pgdata: Path, port: int, *, log: Path, server_log: Path, settings: Sequence[str] = ()
) -> None:
    """Start the cluster on 127.0.0.1:port, its socket in pgdata, and wait until it is up."""
    options = " ".join(
        [f"-p {port} -k {pgdata} -c listen_addresses=127.0.0.1", *(f"-c {s}" for s in settings)]
    )
    pg_ctl = str(PG_BIN / "pg_ctl")
    run(
        "pg_ctl start",
        [pg_ctl, "-D", str(pgdata), "-l", str(server_log), "-o", options, "-w", "start"],
        log=log,
        as_postgres=True,
    )


def cluster_port(pgdata: Path) -> int | None:
    """The port of the cluster's live postmaster, from postmaster.pid, or None."""
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
        pid, port = int(lines[0]), int(lines[3])
    except (OSError, ValueError, IndexError):
        return None
    return port if pid_alive(pid, "postgres") else None


def cluster_pid(pgdata: Path) -> int | None:
    return pidfile_read(pgdata / "postmaster.pid")


def cluster_stop(pgdata: Path, *, log: Path) -> None:
    if cluster_port(pgdata):
        pg_ctl = str(PG_BIN / "pg_ctl")
        run(
            "pg_ctl stop",
            [pg_ctl, "-D", str(pgdata), "-m", "fast", "-w", "stop"],
            log=log,
            as_postgres=True,
        )


def psql(pgdata: Path, sql: str, *, log: Path, database: str = "postgres") -> str:
    """Run SQL as the ``postgres`` superuser over the cluster's socket; returns its output."""
    # fmt: off
    result = run(
        "psql",
        [str(PG_BIN / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-U", "postgres",
         "-h", str(pgdata), "-p", str(cluster_port(pgdata)), "-d", database],
        log=log,
        input_text=sql,
    )
    # fmt: on
    return result.stdout


@contextlib.contextmanager
def cluster_throwaway(database: str = "concertem") -> Iterator[str]:
    """A fresh cluster with one database, removed afterwards; yields its DATABASE_URL."""
    directory = Path(tempfile.mkdtemp(prefix="concertem-pg."))
    directory.chmod(0o755)
    pgdata, log = directory / "data", directory / "setup.log"
    try:
        cluster_init(pgdata, options=THROWAWAY_INITDB, log=log)
        port = port_pick(None, set())
        cluster_start(
            pgdata, port, log=log, server_log=directory / "log", settings=THROWAWAY_SETTINGS
        )
        psql(pgdata, f"CREATE DATABASE {database};", log=log)
        yield f"postgres://postgres@127.0.0.1:{port}/{database}"
    finally:
        with contextlib.suppress(Exception):
            cluster_stop(pgdata, log=log)
        shutil.rmtree(directory, ignore_errors=True)


# ---- The local CKAN's cluster ----


def pg_root(paths: ServerPaths) -> Path:
    """Where the cluster lives: in the home when postgres can reach it, else elsewhere.

    postgres must traverse every parent directory, and the socket path
    (<dir>/.s.PGSQL.<port>) must fit in 107 bytes.
    """
    local = paths.home / "postgres"
    name = hashlib.sha1(str(paths.home).encode()).hexdigest()[:12]  # noqa: S324 - a name
    outside = Path("/var/lib/concertem-ckan") / name
    for candidate in (local, outside):
        if (candidate / "data" / "PG_VERSION").exists():
            return candidate
    short_enough = len(str(local / "data" / ".s.PGSQL.65535")) < 100
    as_postgres = as_postgres_kwargs()
    reachable = not as_postgres or (
        subprocess.run(["test", "-x", str(paths.home)], check=False, **as_postgres).returncode == 0
    )
    return local if (short_enough and reachable) else outside


def pgdata_of(state: dict[str, Any]) -> Path:
    return Path(state["pg_root"]) / "data"


def postgres_ensure(
    paths: ServerPaths, state: dict[str, Any], taken: set[int], *, echo: Echo = echo_default
) -> int:
    """Initialise the cluster if needed and start it; returns its port."""
    pgdata = pgdata_of(state)
    log = paths.logs / "postgres-setup.log"
    if not (pgdata / "PG_VERSION").exists():
        echo(f"initdb {pgdata}")
        cluster_init(pgdata, options=INITDB_OPTIONS, log=log)
    port = cluster_port(pgdata)
    if port:
        taken.add(port)
        return port
    port = port_pick(state.get("ports", {}).get("postgres") or PORTS_PREFERRED["postgres"], taken)
    taken.add(port)
    echo(f"starting PostgreSQL 15 on 127.0.0.1:{port}")
    cluster_start(pgdata, port, log=log, server_log=pgdata.parent / "postgresql.log")
    return port


def databases_ensure(
    paths: ServerPaths, state: dict[str, Any], *, echo: Echo = echo_default
) -> None:
    """Roles and databases for CKAN and the DataStore (read-write and read-only)."""
    pgdata, log = pgdata_of(state), paths.logs / "postgres-setup.log"
    passwords = state.setdefault("passwords", {})
    statements = []
    for role in (ROLE_CKAN, ROLE_DS_WRITE, ROLE_DS_READ):
        password = passwords.setdefault(role, secrets.token_hex(16))
        statements.append(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
            f"THEN CREATE ROLE {role} LOGIN; END IF; END $$;\n"
            # Always reset: state.json may be newer than the cluster or the reverse.
            f"ALTER ROLE {role} WITH LOGIN PASSWORD '{password}';"
        )
    psql(pgdata, "\n".join(statements), log=log)
    existing = set(psql(pgdata, "SELECT datname FROM pg_database;", log=log).split())
    for database, owner in ((DB_CKAN, ROLE_CKAN), (DB_DATASTORE, ROLE_CKAN)):
        if database not in existing:
            echo(f"creating database {database}")
            psql(
                pgdata,
                f"CREATE DATABASE {database} OWNER {owner} ENCODING 'UTF8' TEMPLATE template0;",
                log=log,
            )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ckanlocal.postgres COMMAND...``: COMMAND with DATABASE_URL set to a
    throwaway cluster, removed when it ends."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        print("usage: python -m ckanlocal.postgres COMMAND [ARG...]", file=sys.stderr)
        return 2
    with cluster_throwaway() as url:
        print(f"==> Throwaway PostgreSQL at {url}", flush=True)
        return subprocess.run(args, env={**os.environ, "DATABASE_URL": url}, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
