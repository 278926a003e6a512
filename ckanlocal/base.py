"""What every part of the local CKAN manager shares: its home's paths, its error, the
records it writes (``server.json``), and small process, port and file helpers."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from publishing.config import ckan_home

ORG_NAME = "diputacio-barcelona"
ADMIN_USER = "concertem-admin"
# Preferred ports, used when free so the URL stays the same from run to run.
PORTS_PREFERRED = {"ckan": 5000, "postgres": 5433, "redis": 6380}
# The project's own CKAN extensions, each installed editable into CKAN's venv.
EXTENSIONS_DIR = "ckanserver"
LOCALSEARCH_EXTENSION = "ckanext-concertem_localsearch"
DCAT_EXTENSION = "ckanext-concertem_dcat"
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
    def extensions(self) -> tuple[Path, ...]:
        """Every extension under ``ckanserver/``, in name order."""
        found = (self.repo / EXTENSIONS_DIR).glob("ckanext-*/pyproject.toml")
        return tuple(sorted(project.parent for project in found))

    @property
    def extension(self) -> Path:
        return self.repo / EXTENSIONS_DIR / LOCALSEARCH_EXTENSION

    @property
    def dcat_extension(self) -> Path:
        return self.repo / EXTENSIONS_DIR / DCAT_EXTENSION

    @property
    def licences(self) -> Path:
        return self.home / "licenses.json"

    def bin(self, name: str) -> Path:
        return self.venv / "bin" / name


def echo_default(line: str) -> None:
    print(f"[ckan] {line}", flush=True)


def repo_root() -> Path:
    here = Path(__file__).resolve().parents[1]
    if (here / EXTENSIONS_DIR / LOCALSEARCH_EXTENSION).is_dir():
        return here
    return Path.cwd()  # an installed (non-editable) copy: assume we run from the repo


def paths_resolve(home: str | os.PathLike[str] | None = None) -> ServerPaths:
    chosen = Path(home) if home else ckan_home()
    return ServerPaths(home=chosen.resolve(), repo=repo_root())


# ---- Files ----


def json_read(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def json_write(path: Path, data: Any, *, private: bool = True) -> None:
    """Write then rename, so a reader (a test) never sees half a file."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    text = json.dumps(data, indent=2, sort_keys=isinstance(data, dict), ensure_ascii=False)
    tmp.write_text(text + "\n", encoding="utf-8")
    if private:
        tmp.chmod(0o600)
    tmp.replace(path)


def log_tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# ---- Processes and ports ----


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


def pidfile_read(path: Path) -> int | None:
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


def clean_env(paths: ServerPaths) -> dict[str, str]:
    """The environment of CKAN's commands: its venv must not see the project's interpreter."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")
    }
    env["PATH"] = f"{paths.venv / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}"
    env["PYTHONUNBUFFERED"] = "1"
    env["CKAN_INI"] = str(paths.ini)
    return env


def as_postgres_kwargs() -> dict[str, Any]:
    """initdb and pg_ctl refuse to run as root: as root, run them as ``postgres``."""
    if os.geteuid() != 0:
        return {}
    return {"user": "postgres", "group": "postgres", "extra_groups": [], "cwd": "/"}


def run(
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
    extra = as_postgres_kwargs() if as_postgres else {}
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
def locked(paths: ServerPaths) -> Iterator[None]:
    """One start/stop at a time per home (make, tests and a developer may overlap)."""
    paths.home.mkdir(parents=True, exist_ok=True)
    with paths.lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
