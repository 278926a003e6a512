"""The local CKAN's Redis: caches and job queues only, so nothing is persisted."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import time
from typing import Any

from ckanlocal.base import (
    PORTS_PREFERRED,
    CkanServerError,
    Echo,
    ServerPaths,
    echo_default,
    pid_alive,
    pidfile_read,
    port_pick,
    run,
)


def redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_pid(paths: ServerPaths) -> int | None:
    pid = pidfile_read(paths.redis_dir / "redis.pid")
    return pid if pid_alive(pid, "redis-server") else None


def redis_ensure(
    paths: ServerPaths, state: dict[str, Any], taken: set[int], *, echo: Echo = echo_default
) -> int:
    """Start Redis if it is not answering; returns its port."""
    pidfile = paths.redis_dir / "redis.pid"
    port = state.get("ports", {}).get("redis")
    if port and redis_pid(paths) and redis_ping(port):
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
    run("redis-server", [redis_server, str(conf)], log=paths.logs / "redis-setup.log")
    deadline = time.monotonic() + 15
    while not redis_ping(port):
        if time.monotonic() > deadline:
            raise CkanServerError("redis start", "no PONG after 15 s", paths.logs / "redis.log")
        time.sleep(0.1)
    return port


def redis_stop(paths: ServerPaths, *, echo: Echo = echo_default) -> None:
    pid = redis_pid(paths)
    if not pid:
        return
    echo(f"stopping Redis (pid {pid})")
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
