"""The data the portal pages show, loaded once per process and kept in memory.

Everything here comes from the pure-Python ``datasets`` package, which reads the
committed reference tables. Those files change only when the data is rebuilt, so
each loader is cached on the files' modification times: a page view never reads
a CSV, and a rebuilt table is picked up without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from datasets.allocation import AllocationResult, Formula
from datasets.allocation.compare import AllocationComparison, allocation_compare
from datasets.allocation.formula import FORMULAS_DIR, formula_path_resolve
from datasets.allocation.inputs import allocation_of_file
from datasets.allocation.summary import AllocationSummary, allocation_summarise, amount_per_capita
from datasets.allocation.tables import allocation_explanation_rows, allocation_result_rows
from datasets.territory import (
    BOUNDARIES_PATH,
    ENTITIES_PATH,
    VARIABLES_PATH,
    Entity,
    FileVersion,
    VariableTable,
    entities_cached,
    file_version,
    variables_load,
)


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def portal_provinces() -> tuple[str, ...] | None:
    """The provinces whose entities get pages; None means every entity in the table."""
    provinces = getattr(settings, "CONCERTEM_PORTAL_PROVINCES", ("08",))
    return tuple(provinces) if provinces else None


# ---- Territory ----


@dataclass(frozen=True)
class Territory:
    entities: tuple[Entity, ...]
    by_code: dict[str, Entity]
    comarques: tuple[str, ...]
    province_population: int
    # Entities grouped by comarca (or by province where there are no comarques), so a
    # profile lists its neighbours without scanning the whole territory.
    groups: dict[str, tuple[Entity, ...]]

    @staticmethod
    def group_of(entity: Entity) -> str:
        return entity.comarca or entity.province_name


@lru_cache(maxsize=4)
def _territory_cached(provinces: tuple[str, ...] | None, _version: FileVersion) -> Territory:
    everything = entities_cached(province_code=None)
    entities = tuple(e for e in everything if provinces is None or e.province_code in provinces)
    groups: dict[str, list[Entity]] = {}
    for entity in entities:
        groups.setdefault(Territory.group_of(entity), []).append(entity)
    return Territory(
        entities=entities,
        by_code={e.entity_code: e for e in entities},
        comarques=tuple(sorted(groups)),
        province_population=sum(e.population or 0 for e in entities),
        groups={key: tuple(members) for key, members in groups.items()},
    )


def territory() -> Territory:
    return _territory_cached(portal_provinces(), file_version(ENTITIES_PATH))


# Variables shown on a profile as key figures: (variable, label key).
PROFILE_VARIABLES = (
    "net_income_per_person",
    "net_income_per_household",
    "gini",
    "unemployment_rate",
    "share_population_over_64",
)


@lru_cache(maxsize=4)
def _variables_cached(provinces: tuple[str, ...] | None, _mtime_key: int) -> VariableTable:
    codes = set(_territory_cached(provinces, file_version(ENTITIES_PATH)).by_code)
    return variables_load(variables=set(PROFILE_VARIABLES), entity_codes=codes)


def profile_variables() -> VariableTable:
    return _variables_cached(portal_provinces(), _mtime(VARIABLES_PATH))


@lru_cache(maxsize=4)
def _medians_cached(
    provinces: tuple[str, ...] | None, _mtime_key: int
) -> dict[tuple[str, int, str], Decimal]:
    """Median of each variable and year within each province, computed once."""
    from statistics import median

    table = profile_variables()
    province_of = {code: e.province_code for code, e in territory().by_code.items()}
    medians = {}
    for (variable, year), values in table.series.items():
        by_province: dict[str, list[Decimal]] = {}
        for code, value in values.items():
            by_province.setdefault(province_of.get(code, ""), []).append(value)
        for province, numbers in by_province.items():
            medians[(variable, year, province)] = Decimal(str(median(numbers)))
    return medians


def variable_median(variable: str, year: int, province_code: str) -> Decimal | None:
    medians = _medians_cached(portal_provinces(), _mtime(VARIABLES_PATH))
    return medians.get((variable, year, province_code))


def boundaries_path() -> Path:
    return BOUNDARIES_PATH


# ---- Allocation ----


def formula_ids() -> list[str]:
    return sorted(path.stem for path in FORMULAS_DIR.glob("*.toml"))


@dataclass(frozen=True)
class Allocation:
    formula: Formula
    result: AllocationResult
    summary: AllocationSummary
    per_capita: dict[str, Decimal | None]
    by_code: dict[str, object]
    # The rows exactly as allocations.csv and allocation_explanations.csv publish them
    # (cents rounded, the rounding column that makes each row add up): pages show these,
    # never the unrounded amounts, so that the screen and the files agree to the cent.
    published: dict[str, dict]
    explained: dict[tuple[str, str], dict]


@lru_cache(maxsize=8)
def _allocation_cached(formula_id: str, _mtimes: tuple[int, int, int]) -> Allocation:
    result = allocation_of_file(formula_path_resolve(formula_id))
    formula = result.formula
    return Allocation(
        formula=formula,
        result=result,
        summary=allocation_summarise(result),
        per_capita={row.entity_code: amount_per_capita(row) for row in result.rows},
        by_code={row.entity_code: row for row in result.rows},
        published={row["entity_code"]: row for row in allocation_result_rows(result)},
        explained={
            (row["entity_code"], row["criterion"]): row
            for row in allocation_explanation_rows(result)
        },
    )


def allocation(formula_id: str) -> Allocation:
    """The formula's result; raises the formula's own DatasetError if it is invalid."""
    path = FORMULAS_DIR / f"{formula_id}.toml"
    return _allocation_cached(
        formula_id, (_mtime(path), _mtime(ENTITIES_PATH), _mtime(VARIABLES_PATH))
    )


@lru_cache(maxsize=8)
def _comparison_cached(base_id: str, other_id: str, _key: tuple) -> AllocationComparison:
    return allocation_compare(allocation(base_id).result, allocation(other_id).result)


def allocation_comparison(base_id: str, other_id: str) -> AllocationComparison:
    key = (id(allocation(base_id)), id(allocation(other_id)))
    return _comparison_cached(base_id, other_id, key)
