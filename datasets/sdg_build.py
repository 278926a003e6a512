"""Build the SDG reference tables from the open-sdg translation files.

    python -m datasets.sdg_build

Reads ``datasets/sources/sdg-framework-open-sdg/{ca,es,en}/global_*.yml`` (plus the project's
Catalan updates in ``datasets/sources/sdg-ca-updates/``) and writes
``datasets/reference/sdg_goals.csv``, ``sdg_targets.csv`` and ``sdg_indicators.csv``.

What the build changes with respect to the source, and why:

* Retired indicators are dropped (``RETIRED_INDICATORS``). The English list still carries codes the
  UN Statistical Commission deleted or renumbered in the 2020 Comprehensive Review.
* The Catalan indicator list predates that review: where its title describes an old or different
  indicator, or is missing, the project's translation of the current UN title is used instead and
  ``name_ca_origin`` says so.
* One Spanish title (17.12.1) has its text pasted twice in the source; the duplicate is cut.

PyYAML is only needed here, at build time; the readers in ``datasets.sdg`` read the CSVs.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from datasets.catalog.paths import DATASETS_DIR, REFERENCE_DIR
from datasets.sdg import sdg_code_sort_key
from datasets.table_io import table_write

SOURCE_DIR = DATASETS_DIR / "sources" / "sdg-framework-open-sdg"
CA_UPDATES_PATH = DATASETS_DIR / "sources" / "sdg-ca-updates" / "indicator_names_ca.csv"
LANGUAGES = ("ca", "es", "en")

# Codes the UN retired in the 2020 Comprehensive Review (E/CN.3/2020/2, annex II, adopted by the
# Statistical Commission at its 51st session) that open-sdg's English list still carries:
RETIRED_INDICATORS: dict[str, str] = {
    # old 1.a.1 was deleted and 1.a.3 was replaced by the new 1.a.1; the code 1.a.3 is gone
    "1.a.3": "replaced by the new 1.a.1 in the 2020 Comprehensive Review",
    "8.9.2": "deleted in the 2020 Comprehensive Review",
    "11.c.1": "deleted in the 2020 Comprehensive Review",
    "13.3.2": "deleted in the 2020 Comprehensive Review",
    # old 17.6.1 was deleted and 17.6.2 (broadband) renumbered 17.6.1: both keys now carry the
    # broadband title in the English list
    "17.6.2": "renumbered 17.6.1 in the 2020 Comprehensive Review",
}

# Source text defects fixed by hand: (language, indicator) -> (bad text, replacement).
TITLE_FIXES: dict[tuple[str, str], tuple[str, str]] = {
    # the Spanish title is followed by an older copy of itself with no separator
    ("es", "17.12.1"): ("en desarrolloPromedio de los aranceles", "en desarrollo"),
}

GOAL_HEADER = (
    "goal",
    "short_name_ca",
    "short_name_es",
    "short_name_en",
    "name_ca",
    "name_es",
    "name_en",
)
TARGET_HEADER = ("target_code", "goal", "name_ca", "name_es", "name_en")
INDICATOR_HEADER = (
    "indicator_code",
    "target_code",
    "goal",
    "name_ca",
    "name_es",
    "name_en",
    "name_ca_origin",
    "same_as",
)

_KEY = re.compile(r"^(?P<code>\d{1,2}(?:-[0-9a-z]{1,2}){0,2})-(?P<kind>title|short)$")


@dataclass(frozen=True, slots=True)
class SdgBuildResult:
    goals: int
    targets: int
    indicators: int
    retired: tuple[str, ...]
    ca_updated: int


# ---- Reading the sources ----


def _titles_load(*, language: str, level: str) -> dict[str, dict[str, str]]:
    """``{code: {"title": ..., "short": ...}}`` with codes in dotted form (``11.7.1``)."""
    path = SOURCE_DIR / language / f"global_{level}.yml"
    with path.open(encoding="utf-8") as stream:
        raw = yaml.safe_load(stream)
    titles: dict[str, dict[str, str]] = defaultdict(dict)
    for key, text in raw.items():
        match = _KEY.match(key)
        if match is None:
            raise ValueError(f"{path}: unexpected key {key!r}")
        code = match["code"].replace("-", ".")
        # NFC: some source titles spell accents as combining marks ('o' + U+0301)
        titles[code][match["kind"]] = unicodedata.normalize("NFC", " ".join(str(text).split()))
    return dict(titles)


def _ca_updates_load() -> dict[str, str]:
    with CA_UPDATES_PATH.open(encoding="utf-8", newline="") as stream:
        return {
            row["indicator_code"]: unicodedata.normalize("NFC", row["name_ca"])
            for row in csv.DictReader(stream)
        }


def _title(titles: dict[str, dict[str, str]], code: str, kind: str = "title") -> str:
    return titles.get(code, {}).get(kind, "")


def _fixed(language: str, code: str, text: str) -> str:
    fix = TITLE_FIXES.get((language, code))
    if fix is None:
        return text
    bad, good = fix
    head, found, _ = text.partition(bad)
    if not found:
        raise ValueError(f"title fix for {language} {code} no longer matches the source")
    return head + good


# ---- Building rows ----


def _goal_rows(by_language: dict[str, dict[str, dict[str, str]]]) -> list[tuple[object, ...]]:
    codes = sorted(by_language["en"], key=sdg_code_sort_key)
    rows = []
    for code in codes:
        row: list[object] = [int(code)]
        row += [_title(by_language[lang], code, "short") for lang in LANGUAGES]
        row += [_title(by_language[lang], code) for lang in LANGUAGES]
        rows.append(tuple(row))
    return rows


def _target_rows(by_language: dict[str, dict[str, dict[str, str]]]) -> list[tuple[object, ...]]:
    codes = sorted(by_language["en"], key=sdg_code_sort_key)
    return [
        (code, int(code.split(".")[0]), *(_title(by_language[lang], code) for lang in LANGUAGES))
        for code in codes
    ]


def _indicator_rows(
    by_language: dict[str, dict[str, dict[str, str]]], ca_updates: dict[str, str]
) -> list[tuple[object, ...]]:
    codes = [c for c in by_language["en"] if c not in RETIRED_INDICATORS]
    codes.sort(key=sdg_code_sort_key)
    # The UN repeats some indicators under several targets (1.5.1 = 11.5.1 = 13.1.1); they share
    # one English title, which is how we find them.
    by_title: dict[str, list[str]] = defaultdict(list)
    for code in codes:
        by_title[_title(by_language["en"], code)].append(code)
    rows = []
    for code in codes:
        names = {lang: _fixed(lang, code, _title(by_language[lang], code)) for lang in LANGUAGES}
        origin = "open-sdg"
        if code in ca_updates:
            names["ca"], origin = ca_updates[code], "concertem"
        missing = [lang for lang in LANGUAGES if not names[lang]]
        if missing:
            raise ValueError(f"indicator {code} has no title in {', '.join(missing)}")
        same_as = ";".join(c for c in by_title[_title(by_language["en"], code)] if c != code)
        target = code.rsplit(".", 1)[0]
        rows.append(
            (
                code,
                target,
                int(code.split(".")[0]),
                names["ca"],
                names["es"],
                names["en"],
                origin,
                same_as,
            )
        )
    return rows


def sdg_build(*, reference_dir: Path = REFERENCE_DIR) -> SdgBuildResult:
    levels = {
        level: {lang: _titles_load(language=lang, level=level) for lang in LANGUAGES}
        for level in ("goals", "targets", "indicators")
    }
    stale = set(RETIRED_INDICATORS) - set(levels["indicators"]["en"])
    if stale:
        raise ValueError(f"retired codes not in the source any more: {sorted(stale)}")
    ca_updates = _ca_updates_load()
    goals = _goal_rows(levels["goals"])
    targets = _target_rows(levels["targets"])
    indicators = _indicator_rows(levels["indicators"], ca_updates)
    # Every indicator must hang from a known target, every target from a known goal.
    target_codes = {row[0] for row in targets}
    orphans = sorted({row[1] for row in indicators} - target_codes)
    if orphans:
        raise ValueError(f"indicators under unknown targets: {orphans}")
    table_write(path=reference_dir / "sdg_goals.csv", header=GOAL_HEADER, rows=goals)
    table_write(path=reference_dir / "sdg_targets.csv", header=TARGET_HEADER, rows=targets)
    table_write(path=reference_dir / "sdg_indicators.csv", header=INDICATOR_HEADER, rows=indicators)
    return SdgBuildResult(
        goals=len(goals),
        targets=len(targets),
        indicators=len(indicators),
        retired=tuple(sorted(RETIRED_INDICATORS, key=sdg_code_sort_key)),
        ca_updated=sum(1 for row in indicators if row[6] == "concertem"),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m datasets.sdg_build", description=__doc__)
    parser.add_argument("--reference-dir", type=Path, default=REFERENCE_DIR)
    args = parser.parse_args(argv)
    result = sdg_build(reference_dir=args.reference_dir)
    print(
        f"SDG framework: {result.goals} goals, {result.targets} targets, "
        f"{result.indicators} indicators ({result.ca_updated} Catalan titles updated); "
        f"dropped retired: {', '.join(result.retired)}"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
