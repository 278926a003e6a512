"""The allocation formula: declarative TOML in, exact amounts and explanations out.

See ``datasets/formulas/README.md`` for the file format and the outputs.
"""

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
