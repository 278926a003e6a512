"""What a publication run changed, resource by resource: rows added and removed.

The built Data Packages (``build/datapackages/<dataset>/``) are read before and after
the run; comparing the two multisets of rows says what an editor wants to know ("3
rows added to contributions") in words the CKAN plan ("resource updated") does not.
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

Snapshot = dict[str, Counter]  # "dataset/resource.csv" -> row digests and their counts


def _rows_digest(path: Path) -> Counter:
    rows: Counter = Counter()
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader, None)  # the header is not a row of data
        for row in reader:
            # A digest rather than the row: a table of a million cells stays small here.
            rows[hashlib.blake2b("\x1f".join(row).encode(), digest_size=12).digest()] += 1
    return rows


def packages_snapshot(packages_dir: Path, datasets: list[str]) -> Snapshot:
    """The rows of every CSV resource of the named datasets' built packages."""
    snapshot: Snapshot = {}
    for name in datasets:
        directory = packages_dir / name
        if not directory.is_dir():
            continue
        for path in sorted(directory.rglob("*.csv")):
            snapshot[f"{name}/{path.relative_to(directory).as_posix()}"] = _rows_digest(path)
    return snapshot


@dataclass(frozen=True)
class ResourceChange:
    resource: str  # "dataset/path.csv"
    before: int | None  # rows before the run; None when the resource is new
    after: int | None  # rows after; None when the resource is gone
    added: int
    removed: int

    @property
    def dataset(self) -> str:
        return self.resource.split("/", 1)[0]

    def describe(self) -> str:
        if self.before is None:
            return f"{self.resource}: new resource, {self.after} rows"
        if self.after is None:
            return f"{self.resource}: resource removed ({self.before} rows)"
        if not self.added and not self.removed:
            return f"{self.resource}: rows unchanged ({self.after})"
        return (
            f"{self.resource}: {self.added} rows added, {self.removed} rows removed "
            f"({self.before} -> {self.after})"
        )

    def as_dict(self) -> dict:
        return {
            "resource": self.resource,
            "before": self.before,
            "after": self.after,
            "added": self.added,
            "removed": self.removed,
        }


def snapshots_compare(before: Snapshot, after: Snapshot) -> list[ResourceChange]:
    changes = []
    for resource in sorted(set(before) | set(after)):
        old, new = before.get(resource), after.get(resource)
        changes.append(
            ResourceChange(
                resource=resource,
                before=None if old is None else sum(old.values()),
                after=None if new is None else sum(new.values()),
                added=sum(((new or Counter()) - (old or Counter())).values()),
                removed=sum(((old or Counter()) - (new or Counter())).values()),
            )
        )
    return changes
