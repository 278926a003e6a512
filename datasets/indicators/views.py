"""What the site shows about indicators, as pure functions over the loaded tables.

* ``entity_indicators_latest``: an entity's latest value of every indicator, with its rank among
  the municipalities of its province and the provincial median;
* ``entity_indicator_series``: the time series of one indicator for one entity;
* ``entity_goal_indicators``: the indicators monitoring one SDG goal, for one entity;
* ``entity_sdg_overview``: the 17 goals, each with the indicators that monitor it;
* ``IndicatorViews.province_series`` / ``breakdowns`` / ``category_distribution`` /
  ``trend_assess``: what an SDG goal page and a profile show per indicator (see ``series_views``).

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
from datasets.indicators.cells import label_normalise
from datasets.indicators.errors import IndicatorError
from datasets.indicators.values import (
    TOTAL,
    VALUES_PATH,
    IndicatorValues,
    ValueRow,
    indicator_values_index,
    values_rows_read,
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


@dataclass(frozen=True, slots=True)
class ProvincePoint:
    year: int
    median: float | None  # median of the province's municipalities that year
    reporting: int  # municipalities of the province with a value that year


@dataclass(frozen=True, slots=True)
class BreakdownValue:
    disaggregation: str  # the key as stored, e.g. "sex=female" or "age_group=65+;sex=female"
    parts: tuple[tuple[str, str], ...]  # (("sex", "female"),)
    value: float | None


@dataclass(frozen=True, slots=True)
class CategoryCount:
    category: str  # the category code as stored in the values table
    count: int


# Categorical values are codes, not numbers: they are indexed apart from the numeric table.
CategoryIndex = dict[tuple[str, str], dict[int, dict[str, str]]]


def indicator_is_categorical(indicator: Indicator) -> bool:
    return getattr(indicator, "value_type", "numeric") in ("categorical", "ordinal")


def labels_text(labels: dict[str, str] | None, language: str, fallback: str) -> str:
    """A declared label in ``language``; the Catalan one while a translation is pending; the
    code (``fallback``) only when nothing was written at all."""
    labels = labels or {}
    return labels.get(language) or labels.get("ca") or fallback


def category_find(categories: Iterable, value: str):
    """The declared category a stored value means: its code, else one of its spellings (a
    label or an alias, as a value stored before its category was declared may be written)."""
    categories = tuple(categories)
    for category in categories:
        if category.code == value:
            return category
    wanted = label_normalise(value)
    for category in categories:
        spellings = (*(getattr(category, "labels", None) or {}).values(),)
        spellings += tuple(getattr(category, "aliases", ()))
        if wanted and any(label_normalise(text) == wanted for text in spellings):
            return category
    return None


def category_text(categories: Iterable, value: str, language: str) -> str:
    """How a page writes a stored category (or dimension value) in ``language``."""
    found = category_find(categories, value)
    if found is None:
        return value
    return labels_text(getattr(found, "labels", None), language, found.code)


def category_rank(categories: Iterable, value: str) -> int:
    """Position of a stored value in the declared order (an ordinal's scale); undeclared last."""
    categories = tuple(categories)
    found = category_find(categories, value)
    return categories.index(found) if found is not None else len(categories)


def breakdown_parts(disaggregation: str) -> tuple[tuple[str, str], ...]:
    """``"age_group=65+;sex=female"`` -> ``(("age_group", "65+"), ("sex", "female"))``."""
    if disaggregation in ("", TOTAL):
        return ()
    parts = []
    for piece in disaggregation.split(";"):
        dimension, _, value = piece.partition("=")
        parts.append((dimension.strip(), value.strip()))
    return tuple(parts)


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
        categories: CategoryIndex | None = None,
    ) -> None:
        self.catalog = catalog
        self.values = values
        self.sdg = sdg
        self.categories: CategoryIndex = categories or {}
        self._province_of: dict[str, str] = {}
        for entity in entities:
            self._province_of[entity.entity_code] = entity.province_code
        self._peer_values: dict[tuple[str, int, str, str], list[float]] = {}
        # Indicator -> its breakdown keys, built once (not a scan of every series per page).
        self._breakdowns: dict[str, list[str]] = {}
        for code, disaggregation in (*values.series, *self.categories):
            if disaggregation != TOTAL:
                self._breakdowns.setdefault(code, []).append(disaggregation)
        for keys in self._breakdowns.values():
            keys.sort()

    @classmethod
    def from_rows(
        cls,
        *,
        catalog: IndicatorCatalog,
        rows: Iterable[ValueRow],
        entities: Iterable[_EntityLike],
        sdg: SdgFramework,
    ) -> IndicatorViews:
        """Index value rows (from the CSV or the database) once: numbers and categories apart."""
        categorical = {i.code for i in catalog if indicator_is_categorical(i)}
        numeric: list[ValueRow] = []
        categories: CategoryIndex = {}
        for row in rows:
            code, entity_code, year, disaggregation, value, _status = row
            if code in categorical:
                if value:
                    by_year = categories.setdefault((code, disaggregation), {})
                    by_year.setdefault(int(year), {})[entity_code] = value
            else:
                numeric.append(row)
        return cls(
            catalog=catalog,
            values=indicator_values_index(numeric),
            entities=entities,
            sdg=sdg,
            categories=categories,
        )

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

    # ---- What a goal page and a profile show per indicator ----

    def province_series(
        self, indicator_code: str, province_code: str, disaggregation: str = TOTAL
    ) -> list[ProvincePoint]:
        """Per year, the median of the province's municipalities and how many reported."""
        self.catalog.get(indicator_code)
        points = []
        for year in self.values.years(indicator_code, disaggregation):
            peers = self.peer_values(indicator_code, year, province_code, disaggregation)
            if peers:
                points.append(ProvincePoint(year=year, median=_median(peers), reporting=len(peers)))
        return points

    def breakdown_keys(self, indicator_code: str) -> list[str]:
        return self._breakdowns.get(indicator_code, [])

    def breakdown_year(self, indicator_code: str, entity_code: str | None = None) -> int | None:
        """The latest year with a broken-down value (for the entity, when one is given)."""
        years: set[int] = set()
        for key in self.breakdown_keys(indicator_code):
            by_year = self.values.series.get((indicator_code, key)) or self.categories.get(
                (indicator_code, key), {}
            )
            years.update(
                year
                for year, by_entity in by_year.items()
                if entity_code is None or entity_code in by_entity
            )
        return max(years) if years else None

    def entity_breakdowns(
        self, entity_code: str, indicator_code: str, year: int
    ) -> list[BreakdownValue]:
        found = []
        for key in self.breakdown_keys(indicator_code):
            observation = self.values.year_values(indicator_code, year, key).get(entity_code)
            if observation is not None:
                found.append(BreakdownValue(key, breakdown_parts(key), observation.value))
        return found

    def province_breakdowns(
        self, indicator_code: str, province_code: str, year: int
    ) -> list[BreakdownValue]:
        """Per breakdown, the median of the province's municipalities in ``year``."""
        found = []
        for key in self.breakdown_keys(indicator_code):
            peers = self.peer_values(indicator_code, year, province_code, key)
            if peers:
                found.append(BreakdownValue(key, breakdown_parts(key), _median(peers)))
        return found

    def category_series(
        self, entity_code: str, indicator_code: str, disaggregation: str = TOTAL
    ) -> list[tuple[int, str]]:
        self._province(entity_code)
        by_year = self.categories.get((indicator_code, disaggregation), {})
        return [
            (year, by_year[year][entity_code])
            for year in sorted(by_year)
            if entity_code in by_year[year]
        ]

    def category_years(self, indicator_code: str, disaggregation: str = TOTAL) -> list[int]:
        return sorted(self.categories.get((indicator_code, disaggregation), {}))

    def category_breakdown_keys(self, indicator_code: str, year: int) -> list[str]:
        """Breakdown keys of a categorical indicator with a category in ``year``."""
        return [
            key
            for key in self.breakdown_keys(indicator_code)
            if self.categories.get((indicator_code, key), {}).get(year)
        ]

    def entity_category(
        self, entity_code: str, indicator_code: str, year: int, disaggregation: str = TOTAL
    ) -> str | None:
        """The stored category of one entity in one year (None when it has none)."""
        by_year = self.categories.get((indicator_code, disaggregation), {})
        return by_year.get(year, {}).get(entity_code)

    def category_distribution(
        self, indicator_code: str, year: int, province_code: str, disaggregation: str = TOTAL
    ) -> list[CategoryCount]:
        """How many municipalities of the province fall in each category, in declared order."""
        indicator = self.catalog.get(indicator_code)
        declared_categories = tuple(getattr(indicator, "categories", ()))
        by_entity = self.categories.get((indicator_code, disaggregation), {}).get(year, {})
        counts: dict[str, int] = {}
        for code, category in by_entity.items():
            if self._province_of.get(code) == province_code:
                # a value stored as a label or an alias counts in its declared category
                found = category_find(declared_categories, category)
                category = found.code if found is not None else category
                counts[category] = counts.get(category, 0) + 1
        declared = [c.code for c in declared_categories]
        order = declared + sorted(c for c in counts if c not in declared)
        return [CategoryCount(category=c, count=counts.get(c, 0)) for c in order]

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

    return IndicatorViews.from_rows(
        catalog=indicator_catalog_load(path=catalog_key[0]),
        rows=values_rows_read(path=values_key[0]),
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
