"""Publishing from the admin: request a run, execute it in the worker, reap dead runs.

A run is the same pipeline as ``make demo``'s: export what lives in the database
(``manage.py export_open_data``), then build, validate and publish
(``publishing.pipeline.catalog_publish``, no Django). This module records who asked,
what each step said, which rows each resource gained or lost, and how it ended.
"""

from __future__ import annotations

import io
import traceback
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from concertem.dataportal import catalog_data
from concertem.dataportal.models import PublishRun
from concertem.dataportal.publish_changes import packages_snapshot, snapshots_compare
from concertem.pagecache import page_cache_invalidate
from datasets.catalog import build_dir
from publishing.config import CkanConfig
from publishing.pipeline import catalog_publish

# A run whose worker has said nothing for this long is taken as dead: the worker
# was killed or the machine restarted. Marking it failed keeps it from looking
# "running" forever; the next run converges because publishing is idempotent.
STALE_AFTER = timedelta(minutes=10)
HEARTBEAT_EVERY = timedelta(seconds=5)
PERMISSION = "dataportal.publish_datasets"


def publish_run_request(
    *, user, dry_run: bool = False, only: list[str] | None = None
) -> PublishRun:
    if not user.has_perm(PERMISSION):
        raise PermissionDenied("You may not publish the datasets.")
    from concertem.dataportal.tasks import publish_run_task

    run = PublishRun.objects.create(requested_by=user, dry_run=dry_run, only=",".join(only or []))
    # Enqueue after commit: the worker must find the row it is told about.
    transaction.on_commit(lambda: _enqueue(run.pk, publish_run_task))
    return run


def _enqueue(run_id: int, task) -> None:
    result = task.enqueue(run_id)
    PublishRun.objects.filter(pk=run_id).update(task_id=str(result.id))


class _RunLog:
    """Collects the pipeline's progress lines and saves them now and then."""

    def __init__(self, run: PublishRun) -> None:
        self.run = run
        self.lines: list[str] = []
        self.saved_at = timezone.now()

    def __call__(self, event) -> None:
        # The pipeline reports PublishEvent objects; keep one readable line per event.
        if hasattr(event, "stage"):
            where = event.dataset + (f"/{event.resource}" if event.resource else "")
            line = f"[{event.stage}] {where}: {event.message}"
        else:
            line = str(event)
        self.lines.append(line)
        now = timezone.now()
        if now - self.saved_at >= HEARTBEAT_EVERY:
            self.flush(now)

    def flush(self, now=None) -> None:
        now = now or timezone.now()
        PublishRun.objects.filter(pk=self.run.pk).update(
            log="\n".join(self.lines), heartbeat_at=now
        )
        self.saved_at = now


def open_data_export(log: _RunLog) -> None:
    """Write the database-held datasets (comments, survey, actions, office) to build/.

    Without it a run would publish the files of the last export: new comments would
    never reach CKAN (issue 15).
    """
    out = io.StringIO()
    call_command("export_open_data", stdout=out, stderr=out)
    for line in out.getvalue().splitlines():
        if line.strip():
            log(f"[export] {line.strip()}")


def publish_run_execute(*, run_id: int) -> PublishRun:
    publish_runs_reap()
    run = PublishRun.objects.get(pk=run_id)
    if run.finished:
        return run  # a retried task must not publish twice
    now = timezone.now()
    PublishRun.objects.filter(pk=run.pk).update(
        status=PublishRun.Status.RUNNING, started_at=now, heartbeat_at=now
    )
    log = _RunLog(run)
    only = [name for name in run.only.split(",") if name]
    names = only or [spec.name for spec in catalog_data.specs()]
    packages_dir = build_dir() / "datapackages"
    try:
        before = packages_snapshot(packages_dir, names)
        open_data_export(log)
        report = catalog_publish(
            config=CkanConfig.from_env(),
            only=only or None,
            dry_run=run.dry_run,
            progress=log,
        )
    except Exception as error:
        log(f"FAILED: {error}")
        log.flush()
        PublishRun.objects.filter(pk=run.pk).update(
            status=PublishRun.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{error}\n\n{traceback.format_exc(limit=5)}",
        )
    else:
        changes = snapshots_compare(before, packages_snapshot(packages_dir, names))
        for change in changes:
            if change.added or change.removed or change.before is None or change.after is None:
                log(f"[changes] {change.describe()}")
        if not any(change.added or change.removed for change in changes):
            log("[changes] no rows added or removed in any resource")
        log.flush()
        PublishRun.objects.filter(pk=run.pk).update(
            status=PublishRun.Status.SUCCEEDED if report.ok else PublishRun.Status.FAILED,
            finished_at=timezone.now(),
            summary=publish_report_summary(report, changes),
            error="\n".join(
                f"{result.name}: {result.error_code or result.status}: {result.error or ''}"
                for result in report.datasets
                if not result.ok
            ),
        )
    if not run.dry_run:
        # New files under build/ and new CKAN links: the portal pages show them.
        page_cache_invalidate()
    run.refresh_from_db()
    return run


def publish_report_summary(report, changes=()) -> dict:
    """The report as JSON for the admin: one row per dataset (with the rows each of its
    resources gained and lost) and the run's totals."""
    by_dataset: dict[str, list[dict]] = {}
    for change in changes:
        by_dataset.setdefault(change.dataset, []).append(change.as_dict())
    return {
        "dry_run": report.dry_run,
        "seconds": round(report.seconds, 2),
        "api_calls": report.stats.calls,
        "reads": report.stats.reads,
        "bytes_uploaded": report.stats.bytes_uploaded,
        "datasets": [
            {
                "name": result.name,
                "version": result.version,
                "status": result.status,
                "calls": result.stats.calls,
                "bytes_uploaded": result.stats.bytes_uploaded,
                "url": result.dataset_url,
                "error": result.error or "",
                "rows_added": sum(c["added"] for c in by_dataset.get(result.name, [])),
                "rows_removed": sum(c["removed"] for c in by_dataset.get(result.name, [])),
                "changes": by_dataset.get(result.name, []),
            }
            for result in report.datasets
        ],
    }


def publish_runs_reap(*, now=None) -> int:
    """Mark as failed the runs whose worker went silent. Returns how many."""
    now = now or timezone.now()
    stale = PublishRun.objects.filter(
        status__in=[PublishRun.Status.RUNNING], heartbeat_at__lt=now - STALE_AFTER
    )
    return stale.update(
        status=PublishRun.Status.FAILED,
        finished_at=now,
        error="The worker stopped while publishing (killed or restarted). CKAN may hold a "
        "partial update of one dataset: run the publication again and it converges.",
    )
