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
from statistics import median

from concertem.common.territory import portal_provinces, territory, territory_get
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
    VariableTable,
    file_version,
    variables_load,
)

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
    codes = set(territory_get(provinces).by_code)
    return variables_load(variables=set(PROFILE_VARIABLES), entity_codes=codes)


def profile_variables() -> VariableTable:
    return _variables_cached(portal_provinces(), file_version(VARIABLES_PATH))


@lru_cache(maxsize=4)
def _medians_cached(
    provinces: tuple[str, ...] | None, _mtime_key: int
) -> dict[tuple[str, int, str], Decimal]:
    """Median of each variable and year within each province, computed once."""
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
    medians = _medians_cached(portal_provinces(), file_version(VARIABLES_PATH))
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
        formula_id, (file_version(path), file_version(ENTITIES_PATH), file_version(VARIABLES_PATH))
    )


@lru_cache(maxsize=8)
def _comparison_cached(base_id: str, other_id: str, _key: tuple) -> AllocationComparison:
    return allocation_compare(allocation(base_id).result, allocation(other_id).result)


def allocation_comparison(base_id: str, other_id: str) -> AllocationComparison:
    key = (id(allocation(base_id)), id(allocation(other_id)))
    return _comparison_cached(base_id, other_id, key)
