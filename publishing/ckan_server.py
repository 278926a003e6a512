"""Concertem's own local CKAN 2.12 server, for the integration tests and the demo.

One call, ``server_start()``, brings up a real CKAN with everything it needs, all on
127.0.0.1 and all under one directory (``var/ckan/`` in the repo, or
``$CONCERTEM_CKAN_HOME``):

- ``venv/``      CKAN's own virtualenv (CKAN pins its requirements exactly, so it
                 never shares the project's .venv), plus gunicorn, ckanext-dcat,
                 ckanext-scheming and the plugins in ``ckanserver/``;
- ``postgres/``  a PostgreSQL 15 cluster run by the ``postgres`` user (CKAN's
                 database and the DataStore's);
- ``redis/``     a Redis server;
- ``storage/``   uploaded resource files (``ckan.storage_path``);
- ``ckan.ini``, ``licenses.json`` (see ckan_portal.py), ``wsgi.py``, ``logs/``,
  ``state.json`` (passwords, setup markers),
  ``server.json`` (url, api key, organisation, ports, pids: what tests read).

Solr is not available here, so CKAN runs with ``concertem_localsearch``, which
answers package search from PostgreSQL; production CKAN uses Solr.

Every step is idempotent: a second ``server_start()`` only reports, a stopped server
restarts in seconds, and a cold set-up (pip install included) takes about two
minutes. Standard library only, so it runs from any interpreter.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from publishing.ckan_portal import (
    CATALOG,
    ORG_TITLE,
    SITE_DESCRIPTION,
    SITE_TITLE,
    licences_register,
    site_texts,
    site_url,
)

CKAN_VERSION = "2.12.0"
GUNICORN_VERSION = "23.0.0"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
ORG_NAME = "diputacio-barcelona"
ADMIN_USER = "concertem-admin"
SITE_ID = "concertem-local"
# Preferred ports, used when free so the URL stays the same from run to run.
PORTS_PREFERRED = {"ckan": 5000, "postgres": 5433, "redis": 6380}
DB_CKAN, DB_DATASTORE = "ckan_default", "datastore_default"
ROLE_CKAN, ROLE_DS_WRITE, ROLE_DS_READ = "ckan_default", "datastore_default", "datastore_ro"
# ckanext-dcat serves the catalogue as DCAT-AP 3 (/catalog.ttl, /dataset/<id>.rdf);
# ckanext-scheming gives it the structured fields that profile maps; concertem_dcat
# (ckanserver/) holds that schema, the texts in three languages (what ckanext-fluent
# does; its only PyPI release, 1.0.0, still imports Pylons) and the catalogue-level
# properties ckanext-dcat leaves out. datatables_view ships with CKAN.
CKAN_EXTENSION_PINS = ("ckanext-dcat==2.4.4", "ckanext-scheming==3.1.0")
CKAN_PLUGINS = (
    "activity datastore datatables_view scheming_datasets dcat concertem_dcat concertem_localsearch"
)
DCAT_PROFILES = "euro_dcat_ap_3 concertem_dcat_ap_3"
# Two processes of four threads on two cores; uploads and datastore_create of big
# tables can take minutes, hence the long timeout.
# fmt: off
GUNICORN_OPTIONS = ("--workers", "2", "--worker-class", "gthread", "--threads", "4",
                    "--timeout", "300", "--graceful-timeout", "10")
INITDB_OPTIONS = ("-U", "postgres", "-E", "UTF8", "--locale=C", "--auth-local=trust",
                  "--auth-host=scram-sha-256")
# fmt: on
START_TIMEOUT_S = 180.0
EXTENSION_DIR = "ckanserver/ckanext-concertem_localsearch"
DCAT_EXTENSION_DIR = "ckanserver/ckanext-concertem_dcat"
Echo = Callable[[str], None]


class CkanServerError(RuntimeError):
    """A step of the local server failed; says which, and where its log is."""

    def __init__(self, step: str, message: str, log_path: Path | None = None) -> None:
        self.step = step
        self.log_path = log_path
        where = f" (log: {log_path})" if log_path else ""
        super().__init__(f"local CKAN: {step} failed: {message}{where}")


@dataclass(frozen=True)
class ServerInfo:
    url: str
    api_key: str
    owner_org: str
    ports: dict[str, int]
    pids: dict[str, int]
    home: str
    admin_user: str = ADMIN_USER
    storage_path: str = ""
    ckan_ini: str = ""
    log_dir: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ServerInfo:
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in data.items() if key in known})


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    components: dict[str, bool]  # postgres, redis, ckan (process), api (status_show answers)
    info: ServerInfo | None
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "running": self.running,
            "components": self.components,
            "info": self.info.to_dict() if self.info else None,
            "message": self.message,
        }


@dataclass(frozen=True)
class ServerPaths:
    home: Path
    repo: Path
    venv: Path = field(init=False)
    redis_dir: Path = field(init=False)
    storage: Path = field(init=False)
    logs: Path = field(init=False)
    ini: Path = field(init=False)
    wsgi: Path = field(init=False)
    ckan_pidfile: Path = field(init=False)
    server_json: Path = field(init=False)
    state_json: Path = field(init=False)
    lock: Path = field(init=False)

    def __post_init__(self) -> None:
        derived = {
            "venv": "venv",
            "redis_dir": "redis",
            "storage": "storage",
            "logs": "logs",
            "ini": "ckan.ini",
            "wsgi": "wsgi.py",
            "ckan_pidfile": "ckan.pid",
            "server_json": "server.json",
            "state_json": "state.json",
            "lock": ".lock",
        }
        for name, relative in derived.items():
            object.__setattr__(self, name, self.home / relative)

    @property
    def extension(self) -> Path:
        return self.repo / EXTENSION_DIR

    @property
    def dcat_extension(self) -> Path:
        return self.repo / DCAT_EXTENSION_DIR

    @property
    def licences(self) -> Path:
        return self.home / "licenses.json"

    def bin(self, name: str) -> Path:
        return self.venv / "bin" / name


def _echo(line: str) -> None:
    print(f"[ckan] {line}", flush=True)


def repo_root() -> Path:
    here = Path(__file__).resolve().parents[1]
    if (here / EXTENSION_DIR).is_dir():
        return here
    return Path.cwd()  # an installed (non-editable) copy: assume we run from the repo


def paths_resolve(home: str | os.PathLike[str] | None = None) -> ServerPaths:
    repo = repo_root()
    chosen = home or os.environ.get("CONCERTEM_CKAN_HOME") or repo / "var" / "ckan"
    return ServerPaths(home=Path(chosen).resolve(), repo=repo)


# ---- Small helpers ----


def _json_read(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def _json_write(path: Path, data: dict[str, Any]) -> None:
    # Write then rename, so a reader (a test) never sees half a file.
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)


def pid_alive(pid: int | None, needle: str | None = None) -> bool:
    """True if pid runs (a zombie does not count) and, if given, its command line
    contains needle, so a pid recycled by another program after a reboot is not ours."""
    if not pid or pid <= 0:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return False
    state = stat.rsplit(")", 1)[-1].split()[0]
    if state in ("Z", "X"):
        return False
    return needle is None or needle in cmdline


def _pidfile_read(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # The servers set SO_REUSEADDR too, so a port in TIME_WAIT counts as free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def port_pick(preferred: int | None, taken: set[int]) -> int:
    """The preferred port when free, else one the kernel hands out."""
    if preferred and preferred not in taken and port_free(preferred):
        return preferred
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in taken:
            return port
    raise CkanServerError("port choice", "no free TCP port on 127.0.0.1")


def _clean_env(paths: ServerPaths) -> dict[str, str]:
    # CKAN's venv must not see the project's interpreter settings.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")
    }
    env["PATH"] = f"{paths.venv / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}"
    env["PYTHONUNBUFFERED"] = "1"
    env["CKAN_INI"] = str(paths.ini)
    return env


def _run(
    step: str,
    cmd: Sequence[str],
    *,
    log: Path,
    env: dict[str, str] | None = None,
    as_postgres: bool = False,
    input_text: str | None = None,
    timeout: float = 900,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run a command, append its output to log, raise CkanServerError on failure."""
    log.parent.mkdir(parents=True, exist_ok=True)
    extra: dict[str, Any] = {}
    if as_postgres:
        # initdb and pg_ctl refuse to run as root.
        extra = {"user": "postgres", "group": "postgres", "extra_groups": [], "cwd": "/"}
    try:
        result = subprocess.run(
            list(cmd),
            env=env,
            input=input_text,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **extra,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"\n$ {' '.join(cmd)}\n{error}\n")
        raise CkanServerError(step, str(error), log) from error
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"\n$ {' '.join(cmd)}\n{result.stdout}{result.stderr}")
        handle.write(f"[exit {result.returncode}]\n")
    if check and result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise CkanServerError(step, f"exit {result.returncode}: " + " | ".join(tail), log)
    return result


@contextlib.contextmanager
def _locked(paths: ServerPaths) -> Iterator[None]:
    # One start/stop at a time per home (make, tests and a developer may overlap).
    paths.home.mkdir(parents=True, exist_ok=True)
    with paths.lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ---- System packages ----


def system_packages_ensure(*, echo: Echo = _echo) -> None:
    """apt-get install what is missing: a fresh machine (CI) has none of it by hand."""
    wanted: list[str] = []
    if not (PG_BIN / "initdb").exists():
        wanted.append("postgresql-15")
    if not shutil.which("redis-server") and not Path("/usr/bin/redis-server").exists():
        wanted.append("redis-server")
    if not shutil.which("pg_config"):
        wanted.append("libpq-dev")  # psycopg2 (pinned by CKAN) builds against it
    if not ctypes.util.find_library("magic"):
        wanted.append("libmagic1")  # python-magic, used by CKAN's uploader
    if not wanted:
        return
    if os.geteuid() != 0:
        raise CkanServerError(
            "system packages", f"missing {' '.join(wanted)}; install them (apt-get) as root"
        )
    echo(f"apt-get install {' '.join(wanted)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log = Path("/tmp/concertem-ckan-apt.log")  # noqa: S108 - the home may not exist yet
    lock_wait = ["-o", "DPkg::Lock::Timeout=600"]  # another apt-get (make system-deps) may run
    install = ["apt-get", *lock_wait, "install", "-y", "--no-install-recommends", *wanted]
    if _run("apt-get install", install, log=log, env=env, check=False).returncode != 0:
        # A fresh machine has empty package lists; update once and try again.
        _run("apt-get update", ["apt-get", *lock_wait, "update"], log=log, env=env)
        _run("apt-get install", install, log=log, env=env)


# ---- CKAN virtualenv ----


def _venv_fingerprint(paths: ServerPaths) -> dict[str, str]:
    return {
        "ckan": CKAN_VERSION,
        "gunicorn": GUNICORN_VERSION,
        "extension": str(paths.extension),
        "dcat_extension": str(paths.dcat_extension),
        "extensions": " ".join(CKAN_EXTENSION_PINS),
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
    }


def _venv_current(paths: ServerPaths) -> bool:
    marker = paths.venv / ".concertem-installed.json"
    return _json_read(marker) == _venv_fingerprint(paths) and paths.bin("ckan").exists()


def venv_ensure(paths: ServerPaths, *, echo: Echo = _echo) -> bool:
    """Install CKAN, its extensions and ours into CKAN's venv; True if anything was done."""
    if _venv_current(paths):
        return False
    marker = paths.venv / ".concertem-installed.json"
    wanted = _venv_fingerprint(paths)
    log = paths.logs / "pip.log"
    started = time.monotonic()
    if not paths.bin("python").exists():
        echo(f"creating CKAN virtualenv in {paths.venv}")
        _run("venv", [sys.executable, "-m", "venv", str(paths.venv)], log=log)
    env = _clean_env(paths)
    pip = [str(paths.bin("python")), "-m", "pip", "--disable-pip-version-check"]
    echo(f"pip install ckan[requirements]=={CKAN_VERSION} (about a minute; log {log})")
    _run(
        "pip install ckan",
        [
            *pip,
            "install",
            f"ckan[requirements]=={CKAN_VERSION}",
            f"gunicorn=={GUNICORN_VERSION}",
            "wheel",
        ],
        log=log,
        env=env,
    )
    echo(f"pip install {' '.join(CKAN_EXTENSION_PINS)}")
    # Constrained by CKAN's own pins, so an extension's requirement never moves them.
    constraints = paths.venv / "ckan-constraints.txt"
    frozen = _run("pip freeze", [*pip, "freeze", "--exclude-editable"], log=log, env=env)
    constraints.write_text(frozen.stdout)
    _run(
        "pip install ckanext-dcat",
        [*pip, "install", "-c", str(constraints), *CKAN_EXTENSION_PINS],
        log=log,
        env=env,
    )
    for extension in (paths.extension, paths.dcat_extension):
        echo(f"pip install -e {extension.name}")
        # --no-build-isolation: the venv's own setuptools builds it, no extra download.
        _run(
            "pip install extension",
            [*pip, "install", "--no-deps", "--no-build-isolation", "-e", str(extension)],
            log=log,
            env=env,
        )
    _json_write(marker, wanted)
    echo(f"CKAN virtualenv ready in {time.monotonic() - started:.0f} s")
    return True


# ---- PostgreSQL ----


def _pg_root(paths: ServerPaths) -> Path:
    """Where the cluster lives: in the home when postgres can reach it, else elsewhere.

    postgres must traverse every parent directory, and the socket path
    (<dir>/.s.PGSQL.<port>) must fit in 107 bytes.
    """
    local = paths.home / "postgres"
    outside = (
        Path("/var/lib/concertem-ckan")
        / hashlib.sha1(  # noqa: S324 - a name, not security
            str(paths.home).encode()
        ).hexdigest()[:12]
    )
    for candidate in (local, outside):
        if (candidate / "data" / "PG_VERSION").exists():
            return candidate
    short_enough = len(str(local / "data" / ".s.PGSQL.65535")) < 100
    reachable = (
        subprocess.run(
            ["test", "-x", str(paths.home)],
            user="postgres",
            group="postgres",
            extra_groups=[],
            cwd="/",
            check=False,
        ).returncode
        == 0
    )
    return local if (short_enough and reachable) else outside


def _pg_dirs(state: dict[str, Any]) -> tuple[Path, Path]:
    root = Path(state["pg_root"])
    return root, root / "data"


def _pg_running_port(pgdata: Path) -> int | None:
    """The port of the cluster's live postmaster, from postmaster.pid, or None."""
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
        pid, port = int(lines[0]), int(lines[3])
    except (OSError, ValueError, IndexError):
        return None
    return port if pid_alive(pid, "postgres") else None


def _pg_pid(pgdata: Path) -> int | None:
    return _pidfile_read(pgdata / "postmaster.pid")


def postgres_ensure(
    paths: ServerPaths, state: dict[str, Any], taken: set[int], *, echo: Echo = _echo
) -> int:
    """Initialise the cluster if needed and start it; returns its port."""
    root, pgdata = _pg_dirs(state)
    log = paths.logs / "postgres-setup.log"
    if not (pgdata / "PG_VERSION").exists():
        echo(f"initdb {pgdata}")
        if pgdata.exists():
            shutil.rmtree(pgdata)  # a half-made cluster from an interrupted run
        root.mkdir(parents=True, exist_ok=True)
        shutil.chown(root, "postgres", "postgres")
        root.chmod(0o700)
        _run(
            "initdb",
            [str(PG_BIN / "initdb"), "-D", str(pgdata), *INITDB_OPTIONS],
            log=log,
            as_postgres=True,
        )
        # A new id per cluster: the database set-up markers in state.json refer to it.
        (pgdata / "concertem_cluster_id").write_text(uuid.uuid4().hex)
        shutil.chown(pgdata / "concertem_cluster_id", "postgres", "postgres")
    port = _pg_running_port(pgdata)
    if port:
        taken.add(port)
        return port
    port = port_pick(state.get("ports", {}).get("postgres") or PORTS_PREFERRED["postgres"], taken)
    taken.add(port)
    echo(f"starting PostgreSQL 15 on 127.0.0.1:{port}")
    options = f"-p {port} -k {pgdata} -c listen_addresses=127.0.0.1"
    pg_ctl, pg_log = str(PG_BIN / "pg_ctl"), root / "postgresql.log"
    _run(
        "pg_ctl start",
        [pg_ctl, "-D", str(pgdata), "-l", str(pg_log), "-o", options, "-w", "start"],
        log=log,
        as_postgres=True,
    )
    return port


def _psql(
    paths: ServerPaths, state: dict[str, Any], sql: str, *, database: str = "postgres"
) -> str:
    _, pgdata = _pg_dirs(state)
    port = _pg_running_port(pgdata)
    # fmt: off
    result = _run(
        "psql",
        [str(PG_BIN / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-U", "postgres",
         "-h", str(pgdata), "-p", str(port), "-d", database],
        log=paths.logs / "postgres-setup.log",
        input_text=sql,
    )
    # fmt: on
    return result.stdout


def databases_ensure(paths: ServerPaths, state: dict[str, Any], *, echo: Echo = _echo) -> None:
    """Roles and databases for CKAN and the DataStore (read-write and read-only)."""
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
    _psql(paths, state, "\n".join(statements))
    existing = set(_psql(paths, state, "SELECT datname FROM pg_database;").split())
    for database, owner in ((DB_CKAN, ROLE_CKAN), (DB_DATASTORE, ROLE_CKAN)):
        if database not in existing:
            echo(f"creating database {database}")
            _psql(
                paths,
                state,
                f"CREATE DATABASE {database} OWNER {owner} ENCODING 'UTF8' TEMPLATE template0;",
            )


# ---- Redis ----


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_ensure(
    paths: ServerPaths, state: dict[str, Any], taken: set[int], *, echo: Echo = _echo
) -> int:
    pidfile = paths.redis_dir / "redis.pid"
    port = state.get("ports", {}).get("redis")
    if port and pid_alive(_pidfile_read(pidfile), "redis-server") and _redis_ping(port):
        taken.add(port)
        return port
    port = port_pick(port or PORTS_PREFERRED["redis"], taken)
    taken.add(port)
    paths.redis_dir.mkdir(parents=True, exist_ok=True)
    conf = paths.redis_dir / "redis.conf"
    # No persistence: CKAN keeps only caches and job queues in Redis.
    conf.write_text(
        "\n".join(
            [
                "bind 127.0.0.1",
                f"port {port}",
                "protected-mode yes",
                "daemonize yes",
                f"pidfile {pidfile}",
                f"dir {paths.redis_dir}",
                f"logfile {paths.logs / 'redis.log'}",
                'save ""',
                "appendonly no",
                "",
            ]
        )
    )
    echo(f"starting Redis on 127.0.0.1:{port}")
    redis_server = shutil.which("redis-server") or "/usr/bin/redis-server"
    _run("redis-server", [redis_server, str(conf)], log=paths.logs / "redis-setup.log")
    deadline = time.monotonic() + 15
    while not _redis_ping(port):
        if time.monotonic() > deadline:
            raise CkanServerError("redis start", "no PONG after 15 s", paths.logs / "redis.log")
        time.sleep(0.1)
    return port


# ---- ckan.ini ----


def ini_settings(
    paths: ServerPaths, state: dict[str, Any], ports: dict[str, int]
) -> dict[str, str]:
    """The ckan.ini options we own; everything else keeps `ckan generate config`'s default."""
    pw = state["passwords"]
    pg = f"127.0.0.1:{ports['postgres']}"
    return {
        "sqlalchemy.url": f"postgresql://{ROLE_CKAN}:{pw[ROLE_CKAN]}@{pg}/{DB_CKAN}",
        "ckan.datastore.write_url": (
            f"postgresql://{ROLE_DS_WRITE}:{pw[ROLE_DS_WRITE]}@{pg}/{DB_DATASTORE}"
        ),
        "ckan.datastore.read_url": (
            f"postgresql://{ROLE_DS_READ}:{pw[ROLE_DS_READ]}@{pg}/{DB_DATASTORE}"
        ),
        "ckan.site_url": f"http://127.0.0.1:{ports['ckan']}",
        "ckan.site_id": SITE_ID,
        "ckan.site_title": SITE_TITLE,
        "ckan.site_description": SITE_DESCRIPTION,
        "ckan.locale_default": "ca",
        "ckan.locales_offered": "ca es en",
        "licenses_group_url": f"file://{paths.licences}",
        # Required by CKAN but unused: concertem_localsearch replaces Solr. Port 9
        # (discard) refuses at once, so the start-up schema check fails fast.
        "solr_url": "http://127.0.0.1:9/solr/unused-see-concertem_localsearch",
        "ckan.redis.url": f"redis://127.0.0.1:{ports['redis']}/0",
        "ckan.plugins": CKAN_PLUGINS,
        # Tables get CKAN's DataTables view (the pipeline also makes it once the
        # DataStore is loaded: a default view is only made when the resource is created).
        "ckan.views.default_views": "datatables_view",
        "scheming.dataset_schemas": "ckanext.concertem_dcat:schemas/dataset.yaml",
        "scheming.presets": ("ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml"),
        "ckanext.dcat.rdf.profiles": DCAT_PROFILES,
        "ckanext.concertem_dcat.catalog": json.dumps(
            {**CATALOG, "homepage": site_url()}, ensure_ascii=False, sort_keys=True
        ),
        # Every distribution states its licence (DCAT-AP recommends it).
        "ckanext.dcat.resource.inherit.license": "true",
        "ckanext.dcat.enable_content_negotiation": "false",
        "ckan.storage_path": str(paths.storage),
        "ckan.max_resource_size": "100",
        "ckan.auth.create_user_via_api": "false",
        "ckan.datastore.sqlsearch.enabled": "false",
    }


def _json_write_list(path: Path, data: list[dict[str, Any]]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def _extensions_digest(paths: ServerPaths) -> str:
    digest = hashlib.sha256()
    for root in (paths.extension, paths.dcat_extension):
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".yaml", ".html", ".toml"):
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def ini_digest(paths: ServerPaths, state: dict[str, Any], ports: dict[str, int]) -> str:
    """What the running CKAN was configured with: ckan.ini's options and the licence list."""
    material = {
        "ini": ini_settings(paths, state, ports),
        "licences": licences_register(),
        # The extensions are installed editable: a changed schema, profile or template
        # takes a restart, not a reinstall.
        "extensions": _extensions_digest(paths),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def _ini_current(paths: ServerPaths, state: dict[str, Any]) -> bool:
    try:
        return state.get("ini_digest") == ini_digest(paths, state, state["ports"])
    except KeyError:  # set-up never got as far as ports and passwords
        return False


def ini_ensure(
    paths: ServerPaths, state: dict[str, Any], ports: dict[str, int], *, echo: Echo = _echo
) -> None:
    settings = ini_settings(paths, state, ports)
    digest = ini_digest(paths, state, ports)
    if paths.ini.exists() and paths.licences.exists() and state.get("ini_digest") == digest:
        return
    env = _clean_env(paths)
    log = paths.logs / "ckan-setup.log"
    _json_write_list(paths.licences, licences_register())
    if not paths.ini.exists():
        echo(f"ckan generate config {paths.ini}")
        _run(
            "ckan generate config",
            [str(paths.bin("ckan")), "generate", "config", str(paths.ini)],
            log=log,
            env=env,
        )
    echo("ckan config-tool (ports, databases, plugins)")
    _run(
        "ckan config-tool",
        [
            str(paths.bin("ckan")),
            "config-tool",
            str(paths.ini),
            *(f"{key}={value}" for key, value in settings.items()),
        ],
        log=log,
        env=env,
    )
    paths.ini.chmod(0o600)
    paths.wsgi.write_text(
        "# Generated by publishing/ckan_server.py: gunicorn's entry point for CKAN.\n"
        "from logging.config import fileConfig\n\n"
        "from ckan.cli import CKANConfigLoader\n"
        "from ckan.config.middleware import make_app\n\n"
        f"CONFIG_PATH = {str(paths.ini)!r}\n"
        "fileConfig(CONFIG_PATH)\n"
        "application = make_app(CKANConfigLoader(CONFIG_PATH).get_config())\n"
    )
    state["ini_digest"] = digest


# ---- CKAN database, admin, token ----


def _ckan_cli(
    paths: ServerPaths, step: str, *args: str, input_text: str | None = None
) -> subprocess.CompletedProcess[str]:
    return _run(
        step,
        [str(paths.bin("ckan")), "-c", str(paths.ini), *args],
        log=paths.logs / "ckan-setup.log",
        env=_clean_env(paths),
        input_text=input_text,
    )


def ckan_database_ensure(paths: ServerPaths, state: dict[str, Any], *, echo: Echo = _echo) -> None:
    """db init, DataStore permissions, sysadmin and API token, once per cluster."""
    _, pgdata = _pg_dirs(state)
    cluster_id = (pgdata / "concertem_cluster_id").read_text().strip()
    if state.get("db_ready") == cluster_id and state.get("api_key"):
        return
    echo("ckan db init")
    _ckan_cli(paths, "ckan db init", "db", "init")
    echo("ckan datastore set-permissions")
    sql = _ckan_cli(paths, "ckan datastore set-permissions", "datastore", "set-permissions")
    _psql(paths, state, sql.stdout, database=DB_DATASTORE)
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
    state["api_key"] = _api_token_create(paths)
    state["db_ready"] = cluster_id


def _api_token_create(paths: ServerPaths) -> str:
    result = _ckan_cli(
        paths, "ckan user token add", "user", "token", "add", ADMIN_USER, "concertem", "--quiet"
    )
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    if not lines:
        raise CkanServerError(
            "ckan user token add", "printed no token", paths.logs / "ckan-setup.log"
        )
    return lines[-1]


# ---- CKAN web process ----


def _api_call(
    url: str,
    action: str,
    data: dict[str, Any] | None = None,
    *,
    api_key: str | None = None,
    timeout: float = 10,
) -> dict[str, Any]:
    """POST (or GET without data) an action; returns CKAN's JSON envelope, errors included."""
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(  # noqa: S310 - always our own http://127.0.0.1 URL
        f"{url}/api/3/action/{action}", data=body, method="POST" if body else "GET"
    )
    request.add_header("Content-Type", "application/json")
    if api_key:
        request.add_header("Authorization", api_key)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            return json.loads(error.read())
        except ValueError:
            return {"success": False, "error": {"message": f"HTTP {error.code}"}}


def ckan_answers(url: str, *, timeout: float = 3) -> bool:
    try:
        return bool(_api_call(url, "status_show", timeout=timeout).get("success"))
    except (OSError, ValueError):
        return False


def _ckan_pid(paths: ServerPaths) -> int | None:
    pid = _pidfile_read(paths.ckan_pidfile)
    return pid if pid_alive(pid, "gunicorn") else None


def _log_tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def ckan_process_start(
    *, paths: ServerPaths | None = None, echo: Echo = _echo, port: int | None = None
) -> int:
    """Start the CKAN web process (gunicorn) if it is not running; returns its pid.

    Needs PostgreSQL and Redis up (server_start does that). Keeps the recorded port,
    so clients holding the URL reach the restarted process.
    """
    paths = paths or paths_resolve()
    state = _json_read(paths.state_json)
    port = port or state.get("ports", {}).get("ckan")
    if not port or not paths.ini.exists():
        raise CkanServerError("ckan start", "the server was never set up: run server_start()")
    url = f"http://127.0.0.1:{port}"
    pid = _ckan_pid(paths)
    if pid and ckan_answers(url):
        return pid
    if pid:  # alive but not answering: maybe still booting
        if _ckan_wait(url, pid, paths, timeout=60, raise_on_fail=False):
            return pid
        ckan_process_stop(paths=paths, force=True, echo=echo)
    deadline = time.monotonic() + 20
    while not port_free(port):  # the old process may still be letting go of it
        if time.monotonic() > deadline:
            raise CkanServerError("ckan start", f"port {port} is taken by another program")
        time.sleep(0.2)
    echo(f"starting CKAN {CKAN_VERSION} (gunicorn) on {url}")
    error_log = paths.logs / "ckan.log"
    paths.ckan_pidfile.unlink(missing_ok=True)
    # fmt: off
    _run(
        "gunicorn",
        [str(paths.bin("gunicorn")), "--daemon", *GUNICORN_OPTIONS,
         "--pid", str(paths.ckan_pidfile), "--bind", f"127.0.0.1:{port}",
         "--error-logfile", str(error_log), "--capture-output",
         "--access-logfile", str(paths.logs / "ckan-access.log"),
         "--chdir", str(paths.home), "wsgi:application"],
        log=paths.logs / "ckan-setup.log",
        env=_clean_env(paths),
    )
    # fmt: on
    deadline = time.monotonic() + 15
    while not (pid := _ckan_pid(paths)):
        if time.monotonic() > deadline:
            raise CkanServerError(
                "ckan start", "gunicorn wrote no pid file:\n" + _log_tail(error_log), error_log
            )
        time.sleep(0.1)
    _ckan_wait(url, pid, paths, timeout=START_TIMEOUT_S)
    return pid


def _ckan_wait(
    url: str, pid: int, paths: ServerPaths, *, timeout: float, raise_on_fail: bool = True
) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ckan_answers(url, timeout=2):
            return True
        if not pid_alive(pid, "gunicorn"):
            break
        time.sleep(0.3)
    if not raise_on_fail:
        return False
    error_log = paths.logs / "ckan.log"
    raise CkanServerError(
        "ckan start",
        f"{url}/api/3/action/status_show did not answer:\n{_log_tail(error_log)}",
        error_log,
    )


def ckan_process_stop(
    *, paths: ServerPaths | None = None, force: bool = False, echo: Echo = _echo
) -> None:
    """Stop the CKAN web process only (PostgreSQL and Redis keep running).

    force=True kills the gunicorn master and its workers at once (SIGKILL), as a
    crash would; otherwise gunicorn shuts its workers down gracefully.
    """
    paths = paths or paths_resolve()
    pid = _ckan_pid(paths)
    if not pid:
        return
    echo(f"stopping CKAN (pid {pid}{', SIGKILL' if force else ''})")
    # Workers are found by parent pid before the master goes: once it is gone they
    # are re-parented and could keep serving the port.
    workers = _children(pid)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL if force else signal.SIGTERM)
    if force:
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while any(pid_alive(p, "gunicorn") for p in (pid, *workers)):
        if time.monotonic() > deadline:
            for leftover in (pid, *workers):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(leftover, signal.SIGKILL)
        time.sleep(0.1)
    paths.ckan_pidfile.unlink(missing_ok=True)
    _server_json_update(paths)


def _children(pid: int) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[-1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(proc.name))
    return found


def server_restart_ckan_only(*, force: bool = False, echo: Echo = _echo) -> ServerInfo:
    """Stop and start the CKAN web process alone; data and port are kept."""
    paths = paths_resolve()
    with _locked(paths):
        ckan_process_stop(paths=paths, force=force, echo=echo)
        ckan_process_start(paths=paths, echo=echo)
        return _server_json_update(paths)


# ---- Organisation ----


def organization_ensure(
    paths: ServerPaths, state: dict[str, Any], url: str, *, echo: Echo = _echo
) -> None:
    for attempt in range(2):
        key = state["api_key"]
        found = _api_call(url, "organization_show", {"id": ORG_NAME}, api_key=key)
        if found.get("success"):
            return
        created = _api_call(
            url, "organization_create", {"name": ORG_NAME, "title": ORG_TITLE}, api_key=key
        )
        if created.get("success"):
            echo(f"created organisation {ORG_NAME}")
            return
        error = created.get("error", {})
        if error.get("__type") == "Authorization Error" and attempt == 0:
            # state.json outlived its token (e.g. the token was revoked): make a new one.
            state["api_key"] = _api_token_create(paths)
            continue
        raise CkanServerError("organization_create", json.dumps(error), paths.logs / "ckan.log")


# ---- The portal's own texts ----


def _site_texts_digest() -> str:
    return hashlib.sha256(json.dumps(site_texts(), sort_keys=True).encode()).hexdigest()


def site_texts_ensure(state: dict[str, Any], url: str, *, echo: Echo = _echo) -> None:
    """Title, description, about and intro text, through CKAN's runtime configuration:
    ckan.ini holds one line per option and the about text has paragraphs."""
    if state.get("site_texts") == _site_texts_digest():
        return
    echo("portal title and about text")
    done = _api_call(url, "config_option_update", site_texts(), api_key=state["api_key"])
    if not done.get("success"):
        raise CkanServerError("config_option_update", json.dumps(done.get("error", {})))
    state["site_texts"] = _site_texts_digest()


# ---- server.json ----


def _server_info(paths: ServerPaths, state: dict[str, Any]) -> ServerInfo:
    ports = dict(state.get("ports", {}))
    pids: dict[str, int] = {}
    if "pg_root" in state:
        pg_pid = _pg_pid(_pg_dirs(state)[1])
        if pid_alive(pg_pid, "postgres") and pg_pid:
            pids["postgres"] = pg_pid
    redis_pid = _pidfile_read(paths.redis_dir / "redis.pid")
    if redis_pid and pid_alive(redis_pid, "redis-server"):
        pids["redis"] = redis_pid
    ckan_pid = _ckan_pid(paths)
    if ckan_pid:
        pids["ckan"] = ckan_pid
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


def _server_json_update(paths: ServerPaths) -> ServerInfo:
    info = _server_info(paths, _json_read(paths.state_json))
    if paths.home.exists():
        _json_write(paths.server_json, info.to_dict())
    return info


# ---- Public API ----


def server_start(*, home: str | os.PathLike[str] | None = None, echo: Echo = _echo) -> ServerInfo:
    """Set up (first time) and start PostgreSQL, Redis and CKAN; report if already up."""
    paths = paths_resolve(home)
    started = time.monotonic()
    with _locked(paths):
        state = _json_read(paths.state_json)
        complete = (
            state.get("api_key")
            and state.get("org_ready") == state.get("db_ready")
            and _venv_current(paths)
            and _ini_current(paths, state)
            and state.get("site_texts") == _site_texts_digest()
        )
        if complete and _status_components(paths, state)["api"]:
            info = _server_json_update(paths)
            echo(f"already running at {info.url}")
            return info
        for directory in (paths.logs, paths.storage, paths.redis_dir):
            directory.mkdir(parents=True, exist_ok=True)
        system_packages_ensure(echo=echo)
        if venv_ensure(paths, echo=echo) and _ckan_pid(paths):
            ckan_process_stop(paths=paths, echo=echo)  # it runs the old packages
        if "pg_root" not in state:
            state["pg_root"] = str(_pg_root(paths))
        taken: set[int] = set()
        ports = dict(state.get("ports", {}))
        ports["postgres"] = postgres_ensure(paths, state, taken, echo=echo)
        ports["redis"] = redis_ensure(paths, state, taken, echo=echo)
        if _ckan_pid(paths) and ports.get("ckan"):
            taken.add(ports["ckan"])  # a CKAN still running keeps its port
        else:
            ports["ckan"] = port_pick(ports.get("ckan") or PORTS_PREFERRED["ckan"], taken)
        state["ports"] = ports
        databases_ensure(paths, state, echo=echo)
        _json_write(paths.state_json, state)  # keep the passwords even if a later step fails
        if _ckan_pid(paths) and state.get("ini_digest") != ini_digest(paths, state, ports):
            ckan_process_stop(paths=paths, echo=echo)  # it runs with an out-of-date ckan.ini
        ini_ensure(paths, state, ports, echo=echo)
        _json_write(paths.state_json, state)
        ckan_database_ensure(paths, state, echo=echo)
        _json_write(paths.state_json, state)
        ckan_process_start(paths=paths, echo=echo, port=ports["ckan"])
        url = f"http://127.0.0.1:{ports['ckan']}"
        organization_ensure(paths, state, url, echo=echo)
        state["org_ready"] = state["db_ready"]
        site_texts_ensure(state, url, echo=echo)
        _json_write(paths.state_json, state)
        info = _server_json_update(paths)
    echo(f"ready at {info.url} (org {ORG_NAME}) in {time.monotonic() - started:.1f} s")
    return info


def server_stop(*, home: str | os.PathLike[str] | None = None, echo: Echo = _echo) -> None:
    """Stop CKAN, Redis and PostgreSQL, by the pids they recorded."""
    paths = paths_resolve(home)
    if not paths.home.exists():
        return
    with _locked(paths):
        state = _json_read(paths.state_json)
        ckan_process_stop(paths=paths, echo=echo)
        redis_pid = _pidfile_read(paths.redis_dir / "redis.pid")
        if pid_alive(redis_pid, "redis-server") and redis_pid:
            echo(f"stopping Redis (pid {redis_pid})")
            os.kill(redis_pid, signal.SIGTERM)
            deadline = time.monotonic() + 15
            while pid_alive(redis_pid) and time.monotonic() < deadline:
                time.sleep(0.1)
        if "pg_root" in state:
            pgdata = _pg_dirs(state)[1]
            if _pg_running_port(pgdata):
                echo("stopping PostgreSQL (pg_ctl stop -m fast)")
                _run(
                    "pg_ctl stop",
                    [str(PG_BIN / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"],
                    log=paths.logs / "postgres-setup.log",
                    as_postgres=True,
                )
        _server_json_update(paths)
    echo("stopped")


def _status_components(paths: ServerPaths, state: dict[str, Any]) -> dict[str, bool]:
    postgres = bool("pg_root" in state and _pg_running_port(_pg_dirs(state)[1]))
    redis_port = state.get("ports", {}).get("redis")
    redis = bool(
        redis_port
        and pid_alive(_pidfile_read(paths.redis_dir / "redis.pid"), "redis-server")
        and _redis_ping(redis_port)
    )
    ckan = _ckan_pid(paths) is not None
    ckan_port = state.get("ports", {}).get("ckan")
    api = bool(ckan and ckan_port and ckan_answers(f"http://127.0.0.1:{ckan_port}"))
    return {"postgres": postgres, "redis": redis, "ckan": ckan, "api": api}


def server_status(*, home: str | os.PathLike[str] | None = None) -> ServerStatus:
    paths = paths_resolve(home)
    state = _json_read(paths.state_json)
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
