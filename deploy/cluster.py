"""Start and stop the pieces of a two-node cluster on loopback: Redis, gunicorn nodes
sharing one database and one directory for media and private files, the db_worker,
and HAProxy balancing over the nodes. Used by `make cluster-demo` (deploy/demo.py),
tests/cluster/ and the site bench; PostgreSQL comes from scripts/with_postgres.sh.
"""

from __future__ import annotations

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
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MANAGE = REPO / "site" / "manage.py"
HOST = "127.0.0.1"


@dataclass
class Cluster:
    folder: Path
    env: dict[str, str]
    processes: list[subprocess.Popen] = field(default_factory=list)
    node_urls: list[str] = field(default_factory=list)
    balancer_url: str = ""
    redis_url: str = ""

    def stop(self) -> None:
        for process in reversed(self.processes):
            process_stop(process)
        self.processes.clear()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def environment(folder: Path, database_url: str, **extra: str) -> dict[str, str]:
    """The production settings every node shares: one secret key (a session made on one
    node is read on the other), one database, one cache, one folder for media, private
    files and the built data."""
    dropped = ("DJANGO_", "DATABASE_URL", "CKAN_", "CONCERTEM_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    shared = folder / "shared"
    env.update(
        DJANGO_SETTINGS_MODULE="concertem.config.settings.production",
        PYTHONDONTWRITEBYTECODE="1",
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback
        DJANGO_SECURE_COOKIES="0",
        CONCERTEM_VAR_DIR=str(shared / "var"),
        CONCERTEM_BUILD_DIR=str(shared / "build"),
        DJANGO_STATIC_ROOT=str(shared / "static"),
        DJANGO_MEDIA_ROOT=str(shared / "media"),
        OFFICE_PRIVATE_ROOT=str(shared / "private"),
        CKAN_URL="http://127.0.0.1:9",  # links only
        DJANGO_LOG_LEVEL="ERROR",
    )
    env.update(extra)
    (shared / "var").mkdir(parents=True, exist_ok=True)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(MANAGE), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"manage.py {args[0]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        )
    return done.stdout


def _spawn(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as handle:
        return subprocess.Popen(
            argv,
            cwd=REPO,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with its children
        )


def process_stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


def http_wait(url: str, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)


def redis_start(cluster: Cluster) -> str:
    import redis

    server = shutil.which("redis-server")
    if server is None:
        raise RuntimeError("redis-server is not installed (scripts/system_deps.sh)")
    port = free_port()
    log = cluster.folder / "redis.log"
    argv = [server, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"]
    argv += ["--dir", str(cluster.folder)]
    cluster.processes.append(_spawn(argv, cluster.env, log))
    url = f"redis://{HOST}:{port}/0"
    deadline = time.monotonic() + 20
    while True:
        try:
            redis.Redis.from_url(url, socket_timeout=1).ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start:\n{log.read_text()}") from None
            time.sleep(0.1)
    cluster.redis_url = url
    cluster.env["DJANGO_CACHE_URL"] = url
    return url


def nodes_start(cluster: Cluster, count: int = 2, workers: int = 2) -> list[str]:
    started = []
    for number in range(count):
        port = free_port()
        log = cluster.folder / f"node-{number + 1}.log"
        argv = [str(BIN / "gunicorn"), "--chdir", "site", "concertem.config.wsgi"]
        argv += ["--bind", f"{HOST}:{port}", "--workers", str(workers), "--timeout", "60"]
        # The balancer's address is the client of every request: trust its headers.
        argv += ["--forwarded-allow-ips", HOST]
        process = _spawn(argv, cluster.env, log)
        cluster.processes.append(process)
        started.append((f"http://{HOST}:{port}", process, log))
    for url, process, log in started:
        http_wait(f"{url}/healthz", process, log)
        cluster.node_urls.append(url)
    return cluster.node_urls


def worker_start(cluster: Cluster, name: str = "worker") -> subprocess.Popen:
    argv = [sys.executable, str(MANAGE), "db_worker", "--queue-name", "*", "--no-reload"]
    process = _spawn(argv, cluster.env, cluster.folder / f"{name}.log")
    cluster.processes.append(process)
    return process


def balancer_start(cluster: Cluster) -> str:
    return balancer_start_on(cluster, free_port())


def balancer_start_on(cluster: Cluster, port: int) -> str:
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        raise RuntimeError("haproxy is not installed (scripts/system_deps.sh)")
    servers = "\n".join(
        f"    server node{number + 1} {url.removeprefix('http://')} check inter 2s"
        for number, url in enumerate(cluster.node_urls)
    )
    template = (Path(__file__).parent / "haproxy.cfg.template").read_text(encoding="utf-8")
    config = cluster.folder / "haproxy.cfg"
    config.write_text(
        template.format(
            host=HOST, port=port, servers=servers, pidfile=cluster.folder / "haproxy.pid"
        ),
        encoding="utf-8",
    )
    check = subprocess.run([haproxy, "-c", "-q", "-f", str(config)], capture_output=True)
    if check.returncode != 0:
        raise RuntimeError(f"haproxy refused {config}:\n{check.stderr.decode()}")
    log = cluster.folder / "haproxy.log"
    process = _spawn([haproxy, "-db", "-f", str(config)], cluster.env, log)
    cluster.processes.append(process)
    cluster.balancer_url = f"http://{HOST}:{port}"
    http_wait(f"{cluster.balancer_url}/healthz", process, log)
    return cluster.balancer_url


def cluster_start(
    folder: Path,
    database_url: str,
    *,
    workers: int = 2,
    task_worker: bool = True,
    env: dict[str, str] | None = None,
) -> Cluster:
    """Redis, two nodes, the balancer (and a db_worker): the database must be migrated
    (with ``env``, the environment it was migrated with: same secret, same folders)."""
    cluster = Cluster(folder=folder, env=env or environment(folder, database_url))
    try:
        redis_start(cluster)
        nodes_start(cluster, workers=workers)
        if task_worker:
            worker_start(cluster)
        balancer_start(cluster)
    except BaseException:
        cluster.stop()
        raise
    return cluster
