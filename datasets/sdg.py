"""Readers for the UN SDG framework tables (``datasets/reference/sdg_*.csv``).

The tables are built by ``python -m datasets.sdg_build``; this module only reads them. Loading is
cached per directory: the framework is small (17 goals, 169 targets, 247 indicators) and read-only.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from datasets.catalog.paths import REFERENCE_DIR
from datasets.errors import DatasetError

LANGUAGES = ("ca", "es", "en")
DEFAULT_LANGUAGE = "ca"


class SdgCodeUnknownError(DatasetError):
    code = "sdg-code-unknown"


def sdg_code_sort_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order of SDG codes: 1.2 < 1.10 < 1.a; numbers before letters."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in code.split("."))


def _language_checked(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    return language


@dataclass(frozen=True, slots=True)
class SdgGoal:
    number: int
    short_names: dict[str, str] = field(hash=False, compare=False)
    names: dict[str, str] = field(hash=False, compare=False)

    @property
    def code(self) -> str:
        return str(self.number)

    def name(self, language: str = DEFAULT_LANGUAGE) -> str:
        return self.names[_language_checked(language)]

    def short_name(self, language: str = DEFAULT_LANGUAGE) -> str:
        return self.short_names[_language_checked(language)]


@dataclass(frozen=True, slots=True)
class SdgTarget:
    code: str
    goal: int
    names: dict[str, str] = field(hash=False, compare=False)

    def name(self, language: str = DEFAULT_LANGUAGE) -> str:
        return self.names[_language_checked(language)]


@dataclass(frozen=True, slots=True)
class SdgIndicator:
    code: str
    target_code: str
    goal: int
    names: dict[str, str] = field(hash=False, compare=False)
    # "open-sdg" or "concertem" (the project's translation of the current UN title)
    name_ca_origin: str = "open-sdg"
    # codes of the same indicator repeated under other targets (1.5.1 = 11.5.1 = 13.1.1)
    same_as: tuple[str, ...] = ()

    def name(self, language: str = DEFAULT_LANGUAGE) -> str:
        return self.names[_language_checked(language)]


@dataclass(frozen=True, slots=True)
class SdgFramework:
    goals: tuple[SdgGoal, ...]
    targets: tuple[SdgTarget, ...]
    indicators: tuple[SdgIndicator, ...]
    _goal_index: dict[int, SdgGoal] = field(repr=False, hash=False, compare=False)
    _target_index: dict[str, SdgTarget] = field(repr=False, hash=False, compare=False)
    _indicator_index: dict[str, SdgIndicator] = field(repr=False, hash=False, compare=False)

    def goal_get(self, number: int | str) -> SdgGoal:
        try:
            return self._goal_index[int(number)]
        except (KeyError, ValueError):
            raise SdgCodeUnknownError(f"unknown SDG goal {number!r}", sdg_code=number) from None

    def target_get(self, code: str) -> SdgTarget:
        try:
            return self._target_index[code]
        except KeyError:
            raise SdgCodeUnknownError(f"unknown SDG target {code!r}", sdg_code=code) from None

    def indicator_get(self, code: str) -> SdgIndicator:
        try:
            return self._indicator_index[code]
        except KeyError:
            raise SdgCodeUnknownError(f"unknown SDG indicator {code!r}", sdg_code=code) from None

    def target_exists(self, code: str) -> bool:
        return code in self._target_index

    def targets_of_goal(self, number: int) -> tuple[SdgTarget, ...]:
        return tuple(t for t in self.targets if t.goal == number)

    def indicators_of_target(self, code: str) -> tuple[SdgIndicator, ...]:
        return tuple(i for i in self.indicators if i.target_code == code)


def _rows_read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _names(row: dict[str, str], prefix: str = "name") -> dict[str, str]:
    return {lang: row[f"{prefix}_{lang}"] for lang in LANGUAGES}


@cache
def _framework_cached(reference_dir: Path) -> SdgFramework:
    goals = tuple(
        SdgGoal(
            number=int(row["goal"]),
            short_names=_names(row, "short_name"),
            names=_names(row),
        )
        for row in _rows_read(reference_dir / "sdg_goals.csv")
    )
    targets = tuple(
        SdgTarget(code=row["target_code"], goal=int(row["goal"]), names=_names(row))
        for row in _rows_read(reference_dir / "sdg_targets.csv")
    )
    indicators = tuple(
        SdgIndicator(
            code=row["indicator_code"],
            target_code=row["target_code"],
            goal=int(row["goal"]),
            names=_names(row),
            name_ca_origin=row["name_ca_origin"],
            same_as=tuple(code for code in row["same_as"].split(";") if code),
        )
        for row in _rows_read(reference_dir / "sdg_indicators.csv")
    )
    return SdgFramework(
        goals=goals,
        targets=targets,
        indicators=indicators,
        _goal_index={goal.number: goal for goal in goals},
        _target_index={target.code: target for target in targets},
        _indicator_index={indicator.code: indicator for indicator in indicators},
    )


def sdg_framework_load(*, reference_dir: Path = REFERENCE_DIR) -> SdgFramework:
    return _framework_cached(reference_dir.resolve())
