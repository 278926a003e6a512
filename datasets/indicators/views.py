"""What the site shows about indicators, as pure functions over the loaded tables.

* ``entity_indicators_latest``: an entity's latest value of every indicator, with its rank among
  the municipalities of its province and the provincial median;
* ``entity_indicator_series``: the time series of one indicator for one entity;
* ``entity_goal_indicators``: the indicators monitoring one SDG goal, for one entity;
* ``entity_sdg_overview``: the 17 goals, each with the indicators that monitor it.

The tables are read and indexed once (``indicator_views_load``, cached per file version); the
per-province sorted values behind ranks and medians are computed once per indicator and year, so
a page for any of the 311 municipalities costs dictionary look-ups and a binary search.
"""

from __future__ import annotations

import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from datasets.indicators.catalog import (
    CATALOG_PATH,
    Indicator,
    IndicatorCatalog,
    indicator_catalog_load,
)
from datasets.indicators.errors import IndicatorError
from datasets.indicators.values import (
    TOTAL,
    VALUES_PATH,
    IndicatorValues,
    indicator_values_load,
)
from datasets.sdg import SdgFramework, SdgGoal, sdg_framework_load


class IndicatorEntityUnknownError(IndicatorError):
    code = "unknown-entity"


class _EntityLike(Protocol):
    entity_code: str
    province_code: str


@dataclass(frozen=True, slots=True)
class LatestValue:
    indicator: Indicator
    year: int
    value: float | None  # None when the publisher withheld it (status confidential)
    status: str
    rank: int | None  # 1 = best; for neutral indicators 1 = largest
    peers: int  # municipalities of the province with a value that year
    median: float | None  # provincial median that year
    previous_year: int | None = None
    previous_value: float | None = None


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    year: int
    value: float | None
    status: str
    median: float | None  # provincial median the same year, for the comparison line


@dataclass(frozen=True, slots=True)
class GoalIndicator:
    indicator: Indicator
    targets: tuple[str, ...]  # the goal's targets this indicator monitors
    latest: LatestValue | None  # None when the entity has no value


@dataclass(frozen=True, slots=True)
class GoalOverview:
    goal: SdgGoal
    indicators: tuple[GoalIndicator, ...]

    @property
    def monitored(self) -> bool:
        return bool(self.indicators)


def _median(values: list[float]) -> float | None:
    # rounded: the mean of two floats otherwise shows as 10.864999999999998
    return round(statistics.median(values), 6) if values else None


class IndicatorViews:
    """The catalogue, the values and the territory, indexed for the views."""

    def __init__(
        self,
        *,
        catalog: IndicatorCatalog,
        values: IndicatorValues,
        entities: Iterable[_EntityLike],
        sdg: SdgFramework,
    ) -> None:
        self.catalog = catalog
        self.values = values
        self.sdg = sdg
        self._province_of: dict[str, str] = {}
        for entity in entities:
            self._province_of[entity.entity_code] = entity.province_code
        self._peer_values: dict[tuple[str, int, str, str], list[float]] = {}

    def _province(self, entity_code: str) -> str:
        try:
            return self._province_of[entity_code]
        except KeyError:
            raise IndicatorEntityUnknownError(
                f"unknown entity code {entity_code!r}", entity_code=entity_code
            ) from None

    def peer_values(
        self, indicator_code: str, year: int, province_code: str, disaggregation: str = TOTAL
    ) -> list[float]:
        """Sorted values of the province's municipalities (computed once, then cached)."""
        key = (indicator_code, year, disaggregation, province_code)
        found = self._peer_values.get(key)
        if found is None:
            by_entity = self.values.year_values(indicator_code, year, disaggregation)
            province_of = self._province_of
            found = sorted(
                obs.value
                for code, obs in by_entity.items()
                if obs.value is not None and province_of.get(code) == province_code
            )
            self._peer_values[key] = found
        return found

    def _rank(self, indicator: Indicator, value: float, peers: list[float]) -> int:
        if indicator.direction == "lower_is_better":
            return bisect_left(peers, value) + 1
        return len(peers) - bisect_right(peers, value) + 1

    def latest(
        self, entity_code: str, indicator: Indicator, disaggregation: str = TOTAL
    ) -> LatestValue | None:
        province = self._province(entity_code)
        found: list[tuple[int, float | None, str]] = []
        by_year = self.values.series.get((indicator.code, disaggregation), {})
        for year in sorted(by_year, reverse=True):
            observation = by_year[year].get(entity_code)
            if observation is not None:
                found.append((year, observation.value, observation.status))
                if len(found) == 2:
                    break
        if not found:
            return None
        year, value, status = found[0]
        peers = self.peer_values(indicator.code, year, province, disaggregation)
        previous = found[1] if len(found) > 1 else (None, None, "")
        return LatestValue(
            indicator=indicator,
            year=year,
            value=value,
            status=status,
            rank=self._rank(indicator, value, peers) if value is not None else None,
            peers=len(peers),
            median=_median(peers),
            previous_year=previous[0],
            previous_value=previous[1],
        )

    def latest_all(self, entity_code: str) -> list[LatestValue]:
        latest = (self.latest(entity_code, indicator) for indicator in self.catalog)
        return [item for item in latest if item is not None]

    def series(
        self, entity_code: str, indicator_code: str, disaggregation: str = TOTAL
    ) -> list[SeriesPoint]:
        province = self._province(entity_code)
        self.catalog.get(indicator_code)  # unknown codes fail loudly, not as an empty chart
        by_year = self.values.series.get((indicator_code, disaggregation), {})
        points = []
        for year in sorted(by_year):
            observation = by_year[year].get(entity_code)
            if observation is None:
                continue
            peers = self.peer_values(indicator_code, year, province, disaggregation)
            points.append(
                SeriesPoint(
                    year=year,
                    value=observation.value,
                    status=observation.status,
                    median=_median(peers),
                )
            )
        return points

    def goal_indicators(self, goal: int, entity_code: str) -> tuple[GoalIndicator, ...]:
        prefix = f"{goal}."
        return tuple(
            GoalIndicator(
                indicator=indicator,
                targets=tuple(t for t in indicator.sdg_targets if t.startswith(prefix)),
                latest=self.latest(entity_code, indicator),
            )
            for indicator in self.catalog.of_goal(goal)
        )

    def sdg_overview(self, entity_code: str) -> tuple[GoalOverview, ...]:
        self._province(entity_code)
        return tuple(
            GoalOverview(goal=goal, indicators=self.goal_indicators(goal.number, entity_code))
            for goal in self.sdg.goals
        )


# ---- Loading, cached per file version ----


@lru_cache(maxsize=2)
def _views_cached(catalog_key: tuple[Path, int], values_key: tuple[Path, int]) -> IndicatorViews:
    from datasets.territory import entities_load

    return IndicatorViews(
        catalog=indicator_catalog_load(path=catalog_key[0]),
        values=indicator_values_load(path=values_key[0]),
        entities=entities_load(province_code=None),
        sdg=sdg_framework_load(),
    )


def _file_key(path: Path) -> tuple[Path, int]:
    path = path.resolve()
    return path, path.stat().st_mtime_ns if path.exists() else 0


def indicator_views_load(
    *, catalog_path: Path = CATALOG_PATH, values_path: Path = VALUES_PATH
) -> IndicatorViews:
    return _views_cached(_file_key(catalog_path), _file_key(values_path))


# ---- The views as functions ----


def entity_indicators_latest(
    *, entity_code: str, views: IndicatorViews | None = None
) -> list[LatestValue]:
    return (views or indicator_views_load()).latest_all(entity_code)


def entity_indicator_series(
    *,
    entity_code: str,
    indicator_code: str,
    disaggregation: str = TOTAL,
    views: IndicatorViews | None = None,
) -> list[SeriesPoint]:
    return (views or indicator_views_load()).series(entity_code, indicator_code, disaggregation)


def entity_goal_indicators(
    *, entity_code: str, goal: int, views: IndicatorViews | None = None
) -> tuple[GoalIndicator, ...]:
    views = views or indicator_views_load()
    views.sdg.goal_get(goal)
    return views.goal_indicators(goal, entity_code)


def entity_sdg_overview(
    *, entity_code: str, views: IndicatorViews | None = None
) -> tuple[GoalOverview, ...]:
    return (views or indicator_views_load()).sdg_overview(entity_code)
