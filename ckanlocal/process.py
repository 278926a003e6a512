"""The CKAN web process (gunicorn) and CKAN's action API as the manager uses it.

The manager talks to its own CKAN with the standard library (it also runs where ckanapi
is not installed); the product's code talks to any CKAN through ``publishing.ckan``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from ckanlocal.base import (
    CkanServerError,
    Echo,
    ServerPaths,
    clean_env,
    echo_default,
    json_read,
    log_tail,
    paths_resolve,
    pid_alive,
    pidfile_read,
    port_free,
    run,
)
from ckanlocal.install import CKAN_VERSION

# Two processes of four threads on two cores; uploads and datastore_create of big
# tables can take minutes, hence the long timeout.
# fmt: off
GUNICORN_OPTIONS = ("--workers", "2", "--worker-class", "gthread", "--threads", "4",
                    "--timeout", "300", "--graceful-timeout", "10")
# fmt: on
START_TIMEOUT_S = 180.0


def api_call(
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
        return bool(api_call(url, "status_show", timeout=timeout).get("success"))
    except (OSError, ValueError):
        return False


def ckan_pid(paths: ServerPaths) -> int | None:
    pid = pidfile_read(paths.ckan_pidfile)
    return pid if pid_alive(pid, "gunicorn") else None


def ckan_process_start(
    *, paths: ServerPaths | None = None, echo: Echo = echo_default, port: int | None = None
) -> int:
    """Start the CKAN web process (gunicorn) if it is not running; returns its pid.

    Needs PostgreSQL and Redis up (server_start does that). Keeps the recorded port,
    so clients holding the URL reach the restarted process.
    """
    paths = paths or paths_resolve()
    state = json_read(paths.state_json)
    port = port or state.get("ports", {}).get("ckan")
    if not port or not paths.ini.exists():
        raise CkanServerError("ckan start", "the server was never set up: run server_start()")
    url = f"http://127.0.0.1:{port}"
    pid = ckan_pid(paths)
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
    run(
        "gunicorn",
        [str(paths.bin("gunicorn")), "--daemon", *GUNICORN_OPTIONS,
         "--pid", str(paths.ckan_pidfile), "--bind", f"127.0.0.1:{port}",
         "--error-logfile", str(error_log), "--capture-output",
         "--access-logfile", str(paths.logs / "ckan-access.log"),
         "--chdir", str(paths.home), "wsgi:application"],
        log=paths.logs / "ckan-setup.log",
        env=clean_env(paths),
    )
    # fmt: on
    deadline = time.monotonic() + 15
    while not (pid := ckan_pid(paths)):
        if time.monotonic() > deadline:
            raise CkanServerError(
                "ckan start", "gunicorn wrote no pid file:\n" + log_tail(error_log), error_log
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
        f"{url}/api/3/action/status_show did not answer:\n{log_tail(error_log)}",
        error_log,
    )


def ckan_process_stop(
    *, paths: ServerPaths | None = None, force: bool = False, echo: Echo = echo_default
) -> None:
    """Stop the CKAN web process only (PostgreSQL and Redis keep running).

    force=True kills the gunicorn master and its workers at once (SIGKILL), as a
    crash would; otherwise gunicorn shuts its workers down gracefully. The caller
    rewrites server.json (``server.server_json_update``).
    """
    paths = paths or paths_resolve()
    pid = ckan_pid(paths)
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
