"""Two app processes on one database: an import through one is visible through the other at
once, and so is its undo (each process keys its cache on the data bank's version row).

The database the two servers share is their own, migrated and filled here: a fresh SQLite
file by default; under ``make test-postgres`` (DATABASE_URL names a PostgreSQL database) a
new database made on that same server for the test and dropped after it. Setting
CONCERTEM_TWO_SERVERS_DATABASE_URL to an empty database uses that one instead.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
MANAGE = ROOT / "site" / "manage.py"
PROFILE = "/ca/municipis/08001/"
EDITOR = ("editor", "concertem-editor")
FILE = b"codi_municipi,any,valor_final\n08001,2099,31.4\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, str(MANAGE), *args], env=env, check=True, capture_output=True, timeout=600
    )


@contextmanager
def _shared_database(folder: Path) -> Iterator[str]:
    """The URL of an empty database for the two servers (see the module's docstring)."""
    if explicit := os.environ.get("CONCERTEM_TWO_SERVERS_DATABASE_URL"):
        yield explicit
        return
    main = os.environ.get("DATABASE_URL", "")
    if urlsplit(main).scheme not in ("postgres", "postgresql"):
        yield f"sqlite:///{folder / 'db.sqlite3'}"
        return
    import psycopg

    # Never the database DATABASE_URL names (pytest-django's test database is made from
    # it): one of the test's own on the same server, so the servers run on PostgreSQL.
    name = f"concertem_two_servers_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(main, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(main)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(main, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("two-servers")
    with _shared_database(folder) as url:
        yield from _servers_run(folder, url)


def _servers_run(folder: Path, database_url: str) -> Iterator[tuple[list[str], dict[str, str]]]:
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env.update(
        DJANGO_SETTINGS_MODULE="concertem.config.settings.dev",
        CONCERTEM_BUILD_DIR=str(folder / "build"),
        DJANGO_MEDIA_ROOT=str(folder / "media"),
    )
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "load_demo_content")
    processes, urls = [], []
    for _ in range(2):
        port = _free_port()
        processes.append(
            subprocess.Popen(
                [sys.executable, str(MANAGE), "runserver", "--noreload", f"127.0.0.1:{port}"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            for _ in range(120):
                try:
                    requests.get(f"{url}/healthz", timeout=5)
                    break
                except requests.ConnectionError:
                    time.sleep(0.5)
        yield urls, env
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)


def _admin_session(url: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{url}/admin/login/", timeout=30)
    session.post(
        f"{url}/admin/login/",
        data={
            "username": EDITOR[0],
            "password": EDITOR[1],
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{url}/admin/login/"},
        timeout=30,
    )
    return session


def _post(session: requests.Session, url: str, path: str, **kwargs) -> requests.Response:
    data = {"csrfmiddlewaretoken": session.cookies["csrftoken"], **kwargs.pop("data", {})}
    response = session.post(
        f"{url}{path}", data=data, headers={"Referer": f"{url}{path}"}, timeout=60, **kwargs
    )
    assert response.status_code == 200, response.text[:500]
    return response


def _shows_2099(url: str) -> bool:
    return "2099" in requests.get(f"{url}{PROFILE}", timeout=60).text


def test_the_servers_share_the_database_the_run_is_on(servers):
    """Under PostgreSQL the two servers are on PostgreSQL too (not a SQLite file)."""
    _urls, env = servers
    scheme = urlsplit(env["DATABASE_URL"]).scheme
    expected = urlsplit(
        os.environ.get("CONCERTEM_TWO_SERVERS_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    ).scheme
    assert scheme == (expected if expected in ("postgres", "postgresql") else "sqlite"), scheme


def test_an_import_through_one_server_is_seen_by_the_other_at_once(servers):
    (one, other), _env = servers
    assert not _shows_2099(one) and not _shows_2099(other)  # both caches warm
    session = _admin_session(one)
    page = session.get(f"{one}/admin/databank/", timeout=30).text
    gini = re.search(r'<option value="(\d+)">gini ', page).group(1)
    response = _post(
        session, one, "/admin/databank/", data={"indicator": gini}, files={"file": ("g.csv", FILE)}
    )
    import_path = re.search(r"/admin/databank/imports/\d+/", response.url).group(0)
    _post(session, one, f"{import_path}confirm/")
    assert _shows_2099(other), "the other server still shows the values before the import"
    assert _shows_2099(one)
    other_session = _admin_session(other)
    _post(other_session, other, f"{import_path}undo/")
    assert not _shows_2099(one), "the first server still shows the undone import"
    assert not _shows_2099(other)


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "publishing.cli", "indicators", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_command_line_imports_into_the_database_the_servers_read(servers, tmp_path):
    (one, other), env = servers
    path = tmp_path / "gini_2099.csv"
    path.write_bytes(FILE)
    dry = _cli(env, "import", str(path), "--indicator", "gini", "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "read as: utf-8, delimiter ','" in dry.stdout
    assert "dry run, nothing written: would have 1 added, 0 replaced, 0 unchanged" in dry.stdout
    assert not _shows_2099(one)
    done = _cli(env, "import", str(path), "--indicator", "gini")
    assert done.returncode == 0, done.stdout + done.stderr
    number = re.search(r"stored in the data bank as import #(\d+): 1 added", done.stdout).group(1)
    assert _shows_2099(one) and _shows_2099(other)
    undone = _cli(env, "undo", number)
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert not _shows_2099(one) and not _shows_2099(other)
    broken = tmp_path / "gini_broken.csv"
    broken.write_bytes(b"codi_municipi,any,valor_final\n08001,2099,abc\n")
    refused = _cli(env, "import", str(broken), "--indicator", "gini")
    assert refused.returncode == 1
    assert "gini_broken.csv:2: column 'valor_final': non-numeric-value:" in refused.stdout
    assert "1 problem(s) (non-numeric-value: 1); nothing written" in refused.stdout
