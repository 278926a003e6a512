"""Faults: the database gone or locked during requests, and a worker killed mid-publish.

(a) gunicorn with production settings, its database an unreachable PostgreSQL or a SQLite
    file another process holds an exclusive lock on: every page is a clean 503 (trilingual,
    Retry-After, no traceback, no settings), and the site recovers when the lock goes.
(b) a real `manage.py db_worker` publishing to the real local CKAN, SIGKILLed mid-run: the
    run is never left looking alive: the reaper marks it failed with a reason, and a new
    run converges (CKAN then holds exactly the built files).
(c) CKAN killed and restarted mid-publish is tests/publishing/test_publish_integration.py
    (test_ckan_killed_mid_publish_*): not repeated here.
"""

from __future__ import annotations

import hashlib
import json
import signal
import sqlite3
import subprocess
import textwrap
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.db import OperationalError
from django.test import RequestFactory

from tests.hardening.conftest import (
    PYTHON,
    REPO_DIR,
    clean_env,
    gunicorn_serve,
    harden_only,
    manage,
    process_group_stop,
    production_env,
)

HTTPS = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front of gunicorn says
PAGES = ["/ca/", "/es/", "/ca/dades/", "/ca/revisio-formula-2027/", "/ca/accounts/login/"]
SECRET_DB_PASSWORD = "s3cret-db-password"


def _assert_clean_503(response, *, secrets: tuple[str, ...]) -> None:
    body = response.text
    where = f"{response.request.method} {response.url}"
    assert response.status_code == 503, f"{where}: {response.status_code}\n{body[:500]}"
    assert int(response.headers["Retry-After"]) > 0, where
    assert response.headers["Cache-Control"] == "no-store", where
    if response.headers["Content-Type"].startswith("application/json"):
        assert response.json() == {"status": "unavailable", "error": "database-unavailable"}
    else:
        for text in ("Servei no disponible", "Servicio no disponible", "Service unavailable"):
            assert text in body, where
    for leak in (
        "Traceback",
        "OperationalError",
        "django.db",
        'File "',
        "DATABASES",
        "SECRET_KEY",
        "settings",
        "127.0.0.1:9",
        "sqlite3",
        *secrets,
    ):
        assert leak not in body, f"{where}: {leak!r} in the 503"
    # The headers every response carries still come with this one.
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _get(server, path, **kwargs):
    return requests.get(
        f"{server.url}{path}", headers=HTTPS, timeout=30, allow_redirects=False, **kwargs
    )


def test_unreachable_postgresql_gives_a_clean_503(tmp_path):
    env = production_env(
        var_dir=tmp_path,
        DJANGO_BEHIND_TLS_PROXY="1",
        # Port 9 (discard) on loopback: nothing listens, the connection is refused.
        DATABASE_URL=f"postgres://concertem:{SECRET_DB_PASSWORD}@127.0.0.1:9/concertem",
    )
    with gunicorn_serve(env=env, log=tmp_path / "gunicorn.log") as server:
        for path in [*PAGES, "/healthz", "/api/v2/pages/"]:
            _assert_clean_503(
                _get(server, path), secrets=(env["DJANGO_SECRET_KEY"], SECRET_DB_PASSWORD)
            )
        posted = requests.post(
            f"{server.url}/debates/1/comment/",
            headers=HTTPS,
            timeout=30,
            data={"comment": "x"},
            allow_redirects=False,
        )
        # No CSRF cookie: refused before the database is needed, and not a 500 either.
        assert posted.status_code in (403, 503), posted.status_code
        log = server.log_text()
    # The operator sees what happened, in the server's log.
    assert "Database unavailable while serving GET /ca/" in log
    assert "Internal Server Error" not in log


def test_locked_sqlite_gives_a_clean_503_and_recovers(tmp_path):
    database = tmp_path / "locked.sqlite3"
    sqlite3.connect(database).close()
    env = production_env(
        var_dir=tmp_path,
        DJANGO_BEHIND_TLS_PROXY="1",
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SQLITE_TIMEOUT="1",
    )
    with gunicorn_serve(env=env, log=tmp_path / "gunicorn.log") as server:
        assert _get(server, "/healthz").status_code == 200
        # Another process (a backup, a migration) holds the whole file.
        holder = sqlite3.connect(database, isolation_level=None)
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("CREATE TABLE IF NOT EXISTS hold (x)")
        try:
            for path in ["/ca/", "/healthz", "/ca/dades/"]:
                started = time.monotonic()
                _assert_clean_503(_get(server, path), secrets=(env["DJANGO_SECRET_KEY"],))
                # Bounded by the lock timeout, not the 20 s default or a hung worker.
                assert time.monotonic() - started < 10
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert _get(server, "/healthz").status_code == 200  # recovered, no restart needed
        log = server.log_text()
    assert "database is locked" in log


def test_a_database_error_raised_by_a_middleware_is_a_503_too():
    """Django turns an exception inside a middleware into the 500 page before the
    middleware around it sees it; the 503 must win there too (e.g. a session save)."""
    from django.core.handlers.exception import convert_exception_to_response

    from concertem.config.middleware import DatabaseUnavailableMiddleware

    def inner_middleware(request):
        raise OperationalError("could not connect to server: Connection refused")

    handler = DatabaseUnavailableMiddleware(convert_exception_to_response(inner_middleware))
    response = handler(RequestFactory().get("/ca/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"Connection refused" not in response.content
    assert b"Service unavailable" in response.content


# ---- (b) A worker killed mid-publish ----

WORKER_SHIM = textwrap.dedent(
    """
    # A real `manage.py db_worker`, with the pipeline's build folder and version ledger
    # moved out of the repository (the defaults are the repository's build/ and
    # datasets/catalog_versions.json, which other people are using).
    import functools, os, sys
    from pathlib import Path
    repo = Path({repo!r})
    sys.path[:0] = [str(repo / "site"), str(repo)]
    import publishing.pipeline as pipeline
    pipeline.catalog_publish = functools.partial(
        pipeline.catalog_publish,
        build_dir=Path(os.environ["HARDEN_BUILD_DIR"]),
        ledger_path=Path(os.environ["HARDEN_LEDGER"]),
    )
    from django.core.management import execute_from_command_line
    execute_from_command_line(["manage.py", *sys.argv[1:]])
    """
)
DATASETS = ["territory", "socioeconomic-variables", "territorial-indicators"]


def _shell(env, code: str) -> str:
    done = manage("shell", "-c", textwrap.dedent(code), env=env, timeout=300)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    return done.stdout.strip()


def _run_state(env, run_id: int) -> dict:
    return json.loads(
        _shell(
            env,
            f"""
            import json
            from concertem.dataportal.models import PublishRun
            run = PublishRun.objects.get(pk={run_id})
            print(json.dumps({{"status": run.status, "error": run.error, "log": run.log,
                               "summary": run.summary}}))
            """,
        ).splitlines()[-1]
    )


def _run_request(env) -> int:
    return int(
        _shell(
            env,
            f"""
            from django.contrib.auth.models import Group, User
            from django.db import transaction
            from concertem.dataportal.publish_services import publish_run_request
            user, _ = User.objects.get_or_create(username="publisher")
            user.groups.add(Group.objects.get(name="Editors"))
            user = User.objects.get(pk=user.pk)
            with transaction.atomic():
                run = publish_run_request(user=user, only={DATASETS!r})
            print(run.pk)
            """,
        ).splitlines()[-1]
    )


def _worker_start(env, folder: Path) -> subprocess.Popen:
    shim = folder / "worker_shim.py"
    shim.write_text(WORKER_SHIM.format(repo=str(REPO_DIR)), encoding="utf-8")
    log = (folder / f"worker-{time.monotonic_ns()}.log").open("w")
    return subprocess.Popen(
        [
            PYTHON,
            str(shim),
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "--no-reload",
        ],
        cwd=REPO_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@pytest.mark.integration
@pytest.mark.slow
@harden_only
def test_worker_killed_mid_publish_is_reaped_and_a_rerun_converges(
    tmp_path, production_site, ckan_server, ckan_client
):
    prefix = f"hk{uuid.uuid4().hex[:8]}-"
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    (var_dir / "db.sqlite3").write_bytes((production_site["var_dir"] / "db.sqlite3").read_bytes())
    ledger = tmp_path / "catalog_versions.json"
    ledger.write_bytes((REPO_DIR / "datasets" / "catalog_versions.json").read_bytes())
    env = clean_env(
        DJANGO_SETTINGS_MODULE="concertem.config.settings.dev",
        DJANGO_DEBUG="0",
        CONCERTEM_VAR_DIR=str(var_dir),
        CONCERTEM_BUILD_DIR=str(tmp_path / "build"),
        HARDEN_BUILD_DIR=str(tmp_path / "build"),
        HARDEN_LEDGER=str(ledger),
        CKAN_URL=ckan_server.url,
        CKAN_API_KEY=ckan_server.api_key,
        CKAN_OWNER_ORG=ckan_server.owner_org,
        CKAN_DATASET_PREFIX=prefix,
    )
    first_name = f"{prefix}{DATASETS[0]}"
    try:
        run_id = _run_request(env)
        worker = _worker_start(env, tmp_path)
        try:
            # Kill as soon as CKAN holds part of the publication and the run is unfinished.
            deadline = time.monotonic() + 240
            while True:
                assert worker.poll() is None, "the worker died by itself"
                assert time.monotonic() < deadline, "the publication never reached CKAN"
                found = ckan_client.action.package_search(
                    q=f"name:{first_name}", include_private=True
                )["count"]
                if found:
                    break
                time.sleep(0.1)
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        finally:
            process_group_stop(worker)
        killed = _run_state(env, run_id)
        assert killed["status"] == "running", killed  # nobody said it ended: it looks alive

        # The reaper, as the admin's publish screen calls it, once STALE_AFTER has passed.
        reaped = _shell(
            env,
            """
            from django.utils import timezone
            from concertem.dataportal.publish_services import STALE_AFTER, publish_runs_reap
            print(publish_runs_reap(now=timezone.now() + STALE_AFTER))
            """,
        ).splitlines()[-1]
        assert reaped == "1"
        failed = _run_state(env, run_id)
        assert failed["status"] == "failed"
        assert "worker stopped" in failed["error"]
        assert "run the publication again" in failed["error"]

        # A new run, a new worker: it converges.
        rerun_id = _run_request(env)
        worker = _worker_start(env, tmp_path)
        try:
            deadline = time.monotonic() + 600
            while (state := _run_state(env, rerun_id))["status"] in ("queued", "running"):
                assert worker.poll() is None, "the second worker died"
                assert time.monotonic() < deadline, "the re-run did not finish"
                time.sleep(2)
        finally:
            process_group_stop(worker)
        assert state["status"] == "succeeded", state
        for dataset in DATASETS:
            package = ckan_client.action.package_show(id=f"{prefix}{dataset}")
            built = {
                path.name: hashlib.sha256(path.read_bytes()).hexdigest()
                for path in (tmp_path / "build" / "datapackages" / dataset).rglob("*.csv")
            }
            assert built, dataset
            for resource in package["resources"]:
                name = Path(resource["url"]).name
                if name in built:
                    body = requests.get(
                        resource["url"], timeout=30, headers={"Authorization": ckan_server.api_key}
                    ).content
                    assert hashlib.sha256(body).hexdigest() == built[name], (dataset, name)
    finally:
        found = ckan_client.action.package_search(
            q=f"name:{prefix}*", rows=100, include_private=True
        )
        for package in found["results"]:
            if package["name"].startswith(prefix):
                ckan_client.action.dataset_purge(id=package["id"])
