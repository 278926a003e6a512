"""Rich progress bars and summary tables for build, validate and publish.

The pipeline only calls plain callbacks; this module is where they become bars, so the
site's background task can pass its own callback (a log line per event) instead.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from datasets.packaging import BuiltPackage
from datasets.validation import ValidationReport, report_lines
from publishing.plan import UNCHANGED
from publishing.results import PublishEvent, PublishReport


def console_make() -> Console:
    # Logs and CI are not terminals; rich would wrap the tables at 80 columns there.
    return Console(highlight=False, width=None if sys.stdout.isatty() else 140)


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


@contextmanager
def progress_bar(console: Console, label: str, total: int) -> Iterator[tuple[Progress, int]]:
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    with progress:
        task = progress.add_task(label, total=total, detail="")
        yield progress, task


class PublishProgress:
    """A ``Progress`` callback for ``catalog_publish``: one bar over the datasets."""

    def __init__(self, progress: Progress, task: int) -> None:
        self.progress = progress
        self.task = task

    def __call__(self, event: PublishEvent) -> None:
        where = f"{event.dataset}/{event.resource}" if event.resource else event.dataset
        self.progress.update(self.task, detail=f"{where}: {event.message}")
        if event.stage == "done":
            self.progress.advance(self.task)


# ---- Summary tables ----


def build_table(packages: Sequence[BuiltPackage]) -> Table:
    table = Table(title="concertem build")
    for column in ("dataset", "version", "change", "resources", "rows", "bytes"):
        table.add_column(
            column, justify="right" if column in ("resources", "rows", "bytes") else "left"
        )
    for built in packages:
        rows = sum(resource.rows or 0 for resource in built.resources)
        table.add_row(
            built.name,
            built.version,
            built.change,
            str(len(built.resources)),
            str(rows),
            human_bytes(built.bytes),
        )
    return table


def validation_table(report: ValidationReport) -> Table:
    table = Table(title="concertem validate")
    for column in ("dataset", "version", "resources", "rows", "errors", "result"):
        table.add_column(column)
    for package in report.packages:
        errors = sum(1 for issue in package.issues if issue.severity == "error")
        table.add_row(
            package.name,
            package.version,
            str(package.resources),
            str(package.rows),
            str(errors),
            ("[green]valid" + (" (cached)" if package.cached else ""))
            if package.valid
            else "[red]INVALID",
        )
    return table


def issues_print(console: Console, report: ValidationReport, *, limit: int = 50) -> None:
    lines = report_lines(report)
    for line in lines[:limit]:
        console.print(line, markup=False)
    if len(lines) > limit:
        console.print(f"… and {len(lines) - limit} more (see build/reports/validation.json)")


def plan_print(console: Console, report: PublishReport) -> None:
    """The dry-run plan: per dataset and resource, create / update / unchanged / delete."""
    for result in report.datasets:
        plan = result.plan
        if plan is None:
            console.print(f"{result.ckan_name}: {result.status} {result.error or ''}", markup=False)
            continue
        console.print(f"[bold]{result.ckan_name}[/bold] {result.version}: {plan.action}")
        if plan.metadata and plan.action != "create":
            console.print("    metadata: update")
        for step in plan.steps:
            reason = f" ({step.reason})" if step.reason and step.action != UNCHANGED else ""
            size = (
                f" {human_bytes(step.local.bytes)}"
                if step.local and step.action in ("create", "upload")
                else ""
            )
            console.print(f"    {step.name}: {step.action}{reason}{size}", markup=False)


def publish_table(report: PublishReport) -> Table:
    title = "concertem publish" + (" --dry-run (nothing sent)" if report.dry_run else "")
    table = Table(title=title)
    for column in (
        "dataset",
        "version",
        "result",
        "resources",
        "changed",
        "API calls",
        "reads",
        "uploaded",
    ):
        table.add_column(column)
    for result in report.datasets:
        plan = result.plan
        changed = 0 if plan is None else sum(1 for s in plan.steps if s.action != UNCHANGED)
        resources = 0 if plan is None else sum(1 for s in plan.steps if s.action != "delete")
        colour = {"refused": "red", "failed": "red", "skipped": "yellow"}.get(
            result.status, "green"
        )
        uploaded = (
            plan.upload_bytes()
            if (plan is not None and report.dry_run)
            else result.stats.bytes_uploaded
        )
        table.add_row(
            result.ckan_name,
            result.version,
            f"[{colour}]{result.status}",
            str(resources),
            str(changed),
            str(result.stats.calls),
            str(result.stats.reads),
            human_bytes(uploaded) + (" (planned)" if report.dry_run and uploaded else ""),
        )
    stats = report.stats
    table.caption = (
        f"{stats.calls} API calls ({stats.reads} reads, {stats.writes} writes), "
        f"{human_bytes(stats.bytes_uploaded)} uploaded, {human_bytes(stats.bytes_sent)} sent, "
        f"{report.seconds:.1f} s"
    )
    return table
