"""The allocation formula: declarative TOML in, exact amounts and explanations out.

See ``datasets/formulas/README.md`` for the file format and the outputs.

The names are imported on first use (PEP 562): the catalogue reads formula texts through
``datasets.allocation.formula`` on every run, and importing the whole engine (compute,
compare, output) for that would cost more start-up time than a re-publish of unchanged data.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Public name -> the module of this package that defines it.
_EXPORTS: dict[str, str] = {
    "AllocationComparison": "compare",
    "allocation_compare": "compare",
    "AllocationResult": "compute",
    "AllocationRow": "compute",
    "CriterionInput": "compute",
    "allocation_compute": "compute",
    "Criterion": "formula",
    "Formula": "formula",
    "formula_load": "formula",
    "formula_parse": "formula",
    "formula_path_resolve": "formula",
    "allocation_inputs_load": "inputs",
    "allocation_write": "output",
    "AllocationSummary": "summary",
    "allocation_summarise": "summary",
    "allocation_comparison_rows": "tables",
    "allocation_explanation_rows": "tables",
    "allocation_result_rows": "tables",
    "allocation_schema_build": "tables",
}

__all__ = [
    "AllocationComparison",
    "AllocationResult",
    "AllocationRow",
    "AllocationSummary",
    "Criterion",
    "CriterionInput",
    "Formula",
    "allocation_compare",
    "allocation_comparison_rows",
    "allocation_compute",
    "allocation_explanation_rows",
    "allocation_inputs_load",
    "allocation_result_rows",
    "allocation_schema_build",
    "allocation_summarise",
    "allocation_write",
    "formula_load",
    "formula_parse",
    "formula_path_resolve",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # the same names, eagerly, for type checkers and editors
    from datasets.allocation.compare import AllocationComparison, allocation_compare
    from datasets.allocation.compute import (
        AllocationResult,
        AllocationRow,
        CriterionInput,
        allocation_compute,
    )
    from datasets.allocation.formula import (
        Criterion,
        Formula,
        formula_load,
        formula_parse,
        formula_path_resolve,
    )
    from datasets.allocation.inputs import allocation_inputs_load
    from datasets.allocation.output import allocation_write
    from datasets.allocation.summary import AllocationSummary, allocation_summarise
    from datasets.allocation.tables import (
        allocation_comparison_rows,
        allocation_explanation_rows,
        allocation_result_rows,
        allocation_schema_build,
    )
