"""Build ``datasets/reference/facilities.csv`` from the raw sources: ``python -m
datasets.facilities.build [--check]``.

Each source record goes through the same checks as an imported row (known entity,
coordinates near the municipality, …); a record that fails is left out and counted, never
silently "fixed". ``--check`` exits 1 when the committed table differs from a fresh build.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from datasets.facilities.importer import facility_check
from datasets.facilities.register import (
    FACILITY_FIELDS,
    REGISTER_PATH,
    Facility,
    facilities_write,
    facility_row,
)
from datasets.facilities.sources import SourceStats, bcn_read, pools_read
from datasets.issues import IssueList
from datasets.territory import entities_index, entities_load


@dataclass(frozen=True)
class FacilityBuild:
    facilities: list[Facility]
    stats: list[SourceStats]
    rejected: list[str]


def facilities_build() -> FacilityBuild:
    entities = entities_index(entities_load(province_code=None))
    facilities: list[Facility] = []
    all_stats: list[SourceStats] = []
    rejected: list[str] = []
    for reader in (pools_read, bcn_read):
        found, stats = reader(entities=entities)
        for facility in found:
            issues = IssueList(stats.source)
            row = dict(zip(FACILITY_FIELDS, facility_row(facility), strict=True))
            if facility_check(row, line=0, entities=entities, issues=issues) is None:
                stats.dropped["failed the register checks"] += 1
                stats.facilities -= 1
                rejected += [
                    f"{facility.facility_id}: {issue.rule}: {issue.message}" for issue in issues
                ]
                continue
            facilities.append(facility)
        all_stats.append(stats)
    return FacilityBuild(facilities=facilities, stats=all_stats, rejected=rejected)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m datasets.facilities.build")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the committed facilities.csv is stale"
    )
    args = parser.parse_args(argv)
    build = facilities_build()
    for stats in build.stats:
        print("\n".join(stats.as_lines()))
    for line in build.rejected:
        print(f"  rejected {line}")
    if args.check:
        with tempfile.TemporaryDirectory() as folder:
            fresh = Path(folder) / "facilities.csv"
            facilities_write(build.facilities, path=fresh)
            same = REGISTER_PATH.exists() and fresh.read_bytes() == REGISTER_PATH.read_bytes()
        print("facilities.csv is up to date" if same else "facilities.csv is STALE")
        return 0 if same else 1
    count = facilities_write(build.facilities)
    print(f"wrote {REGISTER_PATH} ({count} facilities)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
