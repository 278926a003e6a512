"""Per-area summary of a hardening run: tried / held / failed, from pytest's JUnit XML.

An area is a test file (named below; others by their file name). "Tried" counts every test
case that ran, "held" those that passed, "failed" failures and errors; skipped cases are
shown apart, since a skip (no CKAN, no Chromium) proves nothing either way.

    python scripts/harden_summary.py var/harden/junit.xml
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET  # our own pytest output, not untrusted input
from collections import defaultdict
from pathlib import Path

AREAS = {
    "tests.hardening.test_hostile_input": "hostile input (bad parameters, ids, search)",
    "tests.hardening.test_hostile_comments": "hostile comments (XSS corpus)",
    "tests.hardening.test_permissions": "permissions across apps",
    "tests.hardening.test_faults": "faults (database, disk, CKAN)",
    "tests.hardening.test_bad_data": "bad data files",
    "tests.hardening.test_deployment": "deployment",
    "tests.site.test_login_throttling": "login throttling, no Basic auth",
    "tests.site.test_private_cache": "Cache-Control: private",
    "tests.site.test_salts_and_tokens": "salts, keys and expiring tokens",
    "tests.cooperation.test_private_files": "private files (never under /media/)",
    "tests.surveys.test_one_answer_and_releases": "survey: one answer, batched releases",
    "tests.office.test_privacy": "office: references, metrics, public titles",
}


def area_of(classname: str) -> str:
    """The area of a JUnit classname (``tests.x.test_y`` or ``tests.x.test_y.TestClass``)."""
    for prefix, name in AREAS.items():
        if classname == prefix or classname.startswith(prefix + "."):
            return name
    parts = classname.split(".")
    return next((part for part in parts if part.startswith("test_")), classname)


def summary_rows(junit: Path) -> list[tuple[str, int, int, int, int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for case in ET.parse(junit).getroot().iter("testcase"):  # noqa: S314
        row = counts[area_of(case.get("classname", ""))]
        if case.find("skipped") is not None:
            row[3] += 1
            continue
        row[0] += 1
        if case.find("failure") is not None or case.find("error") is not None:
            row[2] += 1
        else:
            row[1] += 1
    return [(area, *values) for area, values in sorted(counts.items())]


def main(argv: list[str]) -> int:
    rows = summary_rows(Path(argv[1]))
    width = max([len("area"), *(len(row[0]) for row in rows)])
    print(f"{'area':<{width}}  {'tried':>5}  {'held':>5}  {'failed':>6}  {'skipped':>7}")
    for area, tried, held, failed, skipped in rows:
        print(f"{area:<{width}}  {tried:>5}  {held:>5}  {failed:>6}  {skipped:>7}")
    totals = [sum(row[index] for row in rows) for index in range(1, 5)]
    print(f"{'total':<{width}}  {totals[0]:>5}  {totals[1]:>5}  {totals[2]:>6}  {totals[3]:>7}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
