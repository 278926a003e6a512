"""What a publishing run reports: its progress events and each dataset's result.

Plain records shared by the ``Publisher`` (which fills them), the run over the catalogue,
the DCAT writer, the CLI's progress bars and the site's task log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from datasets.validation import PackageReport, ValidationReport
from publishing.plan import DatasetPlan
from publishing.transport import CallStats


@dataclass(frozen=True)
class PublishEvent:
    """What the pipeline is doing, for progress bars and the site's task log."""

    stage: str  # build | validate | plan | publish | done
    dataset: str
    message: str
    resource: str | None = None


Progress = Callable[[PublishEvent], None]


@dataclass
class DatasetResult:
    name: str
    ckan_name: str
    version: str = ""
    change: str = ""  # the build's version change: initial | major | minor | patch | unchanged
    status: str = "pending"  # created | updated | unchanged | planned | refused | failed | skipped
    plan: DatasetPlan | None = None
    validation: PackageReport | None = None
    error: str | None = None
    error_code: str | None = None
    stats: CallStats = field(default_factory=CallStats)
    dataset_url: str = ""
    resource_urls: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status not in ("refused", "failed", "skipped")


@dataclass
class PublishReport:
    datasets: list[DatasetResult]
    stats: CallStats
    seconds: float
    dry_run: bool
    validation: ValidationReport
    dcat_path: Path | None = None

    @property
    def ok(self) -> bool:
        return all(result.ok for result in self.datasets)

    @property
    def bytes_uploaded(self) -> int:
        return self.stats.bytes_uploaded
