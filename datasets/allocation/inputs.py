"""Load just the territory data a formula needs."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from datasets.allocation.compute import AllocationResult, allocation_compute
from datasets.allocation.formula import Formula, formula_load
from datasets.territory import (
    ENTITIES_PATH,
    VARIABLES_PATH,
    Entity,
    VariableTable,
    entities_load,
    variables_load,
)


def allocation_inputs_load(
    formula: Formula,
    *,
    entities_path: Path | None = None,
    variables_path: Path | None = None,
) -> tuple[list[Entity], VariableTable]:
    """All entities (exclusions are checked against the whole territory) and, of the
    variables, only the series the formula reads, for the entities in its scope."""
    entities = entities_load(province_code=None, path=entities_path)
    provinces = formula.province_codes
    in_scope = {
        entity.entity_code
        for entity in entities
        if provinces is None or entity.province_code in provinces
    }
    needed = formula.variables_needed()
    variables = variables_load(
        variables={ref.variable for ref in needed},
        years={ref.year for ref in needed},
        entity_codes=in_scope,
        path=variables_path,
    )
    return entities, variables


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


@lru_cache(maxsize=16)
def _result_cached(path: Path, _mtimes: tuple[int, int, int]) -> AllocationResult:
    formula = formula_load(path)
    entities, variables = allocation_inputs_load(formula)
    return allocation_compute(formula, entities=entities, variables=variables)


def allocation_of_file(path: Path) -> AllocationResult:
    """The result of a formula file, computed once per version of it and of its inputs.

    The site, the debates' tables and the catalogue build all read the same shipped
    formulas; this is the one place that computes and keeps them.
    """
    path = Path(path).resolve()
    return _result_cached(path, (_mtime(path), _mtime(ENTITIES_PATH), _mtime(VARIABLES_PATH)))
