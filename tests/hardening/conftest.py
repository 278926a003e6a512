"""Shared pieces of the hardening suite: the long-run switch, gunicorn on loopback with
production settings, a migrated throwaway SQLite database and collected static files.

Long tests run only with CONCERTEM_HARDEN=1 (scripts/harden.sh sets it); without it
they are skipped with a reason that says how to run them.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PYTHON = sys.executable
MANAGE = REPO_DIR / "site" / "manage.py"
HARDEN = os.environ.get("CONCERTEM_HARDEN") == "1"
HARDEN_REASON = "long hardening run: set CONCERTEM_HARDEN=1 (bash scripts/harden.sh does)"

harden_only = pytest.mark.skipif(not HARDEN, reason=HARDEN_REASON)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: a long hardening test (runs with CONCERTEM_HARDEN=1, harden.sh)"
    )


def report(line: str) -> None:
    """A figure or finding for the run's summary: printed (seen with -s), and appended to
    $CONCERTEM_HARDEN_REPORT when set (scripts/harden.sh prints that file at the end)."""
    print(line)
    target = os.environ.get("CONCERTEM_HARDEN_REPORT")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(line.rstrip("\n") + "\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of this process without the project's own settings, plus `extra`:
    a child server sees only what the test means it to see."""
    dropped = ("DJANGO_", "DATABASE_URL", "CKAN_", "CONCERTEM_", "PYTEST_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def production_env(*, var_dir: Path, **extra: str) -> dict[str, str]:
    """Production settings as an operator would set them, on loopback."""
    settings = {
        "DJANGO_SETTINGS_MODULE": "concertem.config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONCERTEM_VAR_DIR": str(var_dir),
        "CONCERTEM_BUILD_DIR": str(var_dir / "build"),
        "DJANGO_STATIC_ROOT": str(var_dir / "static"),
        "DJANGO_MEDIA_ROOT": str(var_dir / "media"),
    }
    return clean_env(**{**settings, **extra})


def manage(*args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, str(MANAGE), *args],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# ---- Source maps the vendored scripts name but the repository lacks ----
# collectstatic with the production storage refuses them (a finding reported by
# test_deployment.py). Servers started here get the maps from node_modules (or an empty
# map) through an extra static folder, so the rest of production can still be tested.
EMPTY_MAP = {"version": 3, "sources": [], "names": [], "mappings": ""}


def missing_source_maps() -> list[Path]:
    static = REPO_DIR / "site" / "static"
    missing = []
    for path in static.rglob("*.js"):
        tail = path.read_bytes()[-300:].decode("utf-8", "replace")
        if "sourceMappingURL=" in tail:
            name = tail.rsplit("sourceMappingURL=", 1)[1].split()[0]
            if not (path.parent / name).exists():
                missing.append((path.parent / name).relative_to(static))
    return missing


def static_patch_settings(folder: Path) -> str:
    """Write a settings module adding the missing maps; returns its module name."""
    extra = folder / "extra-static"
    for relative in missing_source_maps():
        target = extra / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        candidates = list((REPO_DIR / "node_modules").glob(f"*/dist/{relative.name}"))
        if candidates:
            shutil.copyfile(candidates[0], target)
        else:
            target.write_text(json.dumps(EMPTY_MAP), encoding="utf-8")
    (folder / "hardening_production.py").write_text(
        "from concertem.config.settings.production import *  # noqa: F403\n"
        "from concertem.config.settings.production import STATICFILES_DIRS\n\n"
        f"STATICFILES_DIRS = [*STATICFILES_DIRS, {str(extra)!r}]\n",
        encoding="utf-8",
    )
    return "hardening_production"


# ---- gunicorn ----


@dataclass
class Server:
    url: str
    port: int
    process: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def gunicorn_serve(
    *, env: dict[str, str], log: Path, workers: int = 1, start_timeout: float = 90
) -> Iterator[Server]:
    port = free_port()
    command = [
        str(VENV_BIN / "gunicorn"),
        "--chdir",
        "site",
        "concertem.config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--graceful-timeout",
        "5",
    ]
    with log.open("w", encoding="utf-8") as handle:
        process = subprocess.Popen(
            command,
            cwd=REPO_DIR,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: stopped with its workers, by its id
        )
    server = Server(url=f"http://127.0.0.1:{port}", port=port, process=process, log=log)
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{server.log_text()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not listen:\n{server.log_text()}") from None
                time.sleep(0.2)
        yield server
    finally:
        process_group_stop(process)


def process_group_stop(process: subprocess.Popen, *, grace: float = 10) -> None:
    """Stop a process started here with start_new_session=True, and its children."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)
    except ProcessLookupError:
        pass


# ---- A migrated database and collected static files, once per session ----


@pytest.fixture(scope="session")
def production_site(tmp_path_factory) -> dict:
    """A throwaway var/ (SQLite migrated, static collected with the production storage)
    and the settings module to serve it with. Copy the database to change it."""
    folder = tmp_path_factory.mktemp("production-site")
    var_dir = folder / "var"
    var_dir.mkdir()
    module = static_patch_settings(folder)
    env = production_env(var_dir=var_dir, DJANGO_SETTINGS_MODULE=module, PYTHONPATH=str(folder))
    for args in (("migrate", "--no-input", "-v", "0"), ("collectstatic", "--no-input", "-v", "0")):
        done = manage(*args, env=env)
        if done.returncode != 0:
            pytest.fail(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return {"folder": folder, "var_dir": var_dir, "settings": module, "pythonpath": str(folder)}
