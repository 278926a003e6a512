"""Load just the territory data a formula needs."""

from __future__ import annotations

from pathlib import Path

from datasets.allocation.formula import Formula
from datasets.territory import Entity, VariableTable, entities_load, variables_load


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
