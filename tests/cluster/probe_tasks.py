"""Tasks for tests/cluster: ``probe_run`` (test_tasks_once.py) waits for a go signal (so
that both workers hold a task at the same moment), then records its number and its
process; ``probe_noop`` (test_consistency.py) does nothing."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def probe_run(number: int, folder: str) -> int:
    go = Path(folder) / "go"
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    with (Path(folder) / "runs.txt").open("a", encoding="utf-8") as handle:
        handle.write(f"{number} {os.getpid()}\n")  # one short append: atomic
    return number


@task()
def probe_noop() -> None:
    """A task that does nothing: what running it writes is the worker's alone."""
