"""Background tasks with several workers (one per node) on PostgreSQL run once each.

django-tasks-db's worker takes a task inside a transaction with
``SELECT ... FOR UPDATE SKIP LOCKED`` on the ready tasks (``DBTaskResultQuerySet.
get_locked``) and marks it RUNNING (``claim``) before committing: a second worker skips
the locked row and, once committed, no longer sees it as ready.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from deploy import cluster as nodes

pytestmark = pytest.mark.cluster

COUNT = 30
STATUS_COUNT = (
    "SELECT count(*) FROM django_tasks_database_dbtaskresult "
    "WHERE status = %s AND task_path LIKE '%%probe_run'"
)


def _count(database_url: str, status: str) -> int:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        return connection.execute(STATUS_COUNT, (status,)).fetchone()[0]


def _statuses(database_url: str) -> list:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        query = (
            "SELECT status, args_kwargs, worker_ids FROM django_tasks_database_dbtaskresult "
            "WHERE task_path LIKE '%probe_run'"
        )
        return connection.execute(query).fetchall()


def test_two_workers_run_each_task_once(cluster, tmp_path):
    database_url = cluster.env["DATABASE_URL"]
    enqueue = (
        "from tests.cluster.probe_tasks import probe_run\n"
        f"for number in range({COUNT}): probe_run.enqueue(number, {str(tmp_path)!r})\n"
    )
    nodes.manage(cluster.env, "shell", "-c", enqueue)
    workers = [nodes.worker_start(cluster, name=f"probe-worker-{n}") for n in (1, 2)]
    try:
        # Hold the go signal until at least two workers are each running a task at once.
        deadline = time.monotonic() + 60
        while _count(database_url, "RUNNING") < 2:
            assert time.monotonic() < deadline, "the workers never ran two tasks at once"
            time.sleep(0.1)
        (tmp_path / "go").touch()
        deadline = time.monotonic() + 90
        while _count(database_url, "SUCCESSFUL") < COUNT:
            assert time.monotonic() < deadline, "the tasks did not all finish"
            time.sleep(0.2)
    finally:
        for worker in workers:
            nodes.process_stop(worker)
    runs = [line.split() for line in (tmp_path / "runs.txt").read_text().splitlines()]
    per_task = Counter(number for number, _pid in runs)
    assert set(per_task) == {str(n) for n in range(COUNT)}, (runs, _statuses(database_url))
    assert set(per_task.values()) == {1}, per_task  # none twice
    assert len({pid for _number, pid in runs}) >= 2  # shared out between workers
