"""Errors of the allocation formula: each names the file, the line or field, and the entity.

Tests check ``code``, never the wording. ``context`` carries the same facts as data
(``path``, ``line``, ``field``, ``entity_code``) for callers that render them differently.
"""

from __future__ import annotations

from datasets.errors import DatasetError


class FormulaError(DatasetError):
    code = "formula-error"


class FormulaNotFoundError(FormulaError):
    code = "formula-not-found"


class FormulaSyntaxError(FormulaError):
    """The file is not valid TOML."""

    code = "formula-syntax"


class FormulaFieldError(FormulaError):
    """A field is missing, misspelt, of the wrong type or out of range."""

    code = "formula-field"


class FormulaBudgetError(FormulaError):
    """The total budget is zero, negative or not a whole number of cents."""

    code = "formula-budget"


class FormulaWeightsError(FormulaError):
    """Criterion weights do not add up to exactly 1."""

    code = "formula-weights"


class FormulaUnknownVariableError(FormulaError):
    """A criterion names a variable (or a year of it) the territory does not have."""

    code = "formula-unknown-variable"


class FormulaUnknownEntityError(FormulaError):
    """An exclusion names an entity code that does not exist."""

    code = "formula-unknown-entity"


class AllocationError(DatasetError):
    code = "allocation-error"


class AllocationScopeError(AllocationError):
    """The scope selects no entity, or an exclusion lies outside the scope."""

    code = "allocation-scope"


class AllocationMissingInputError(AllocationError):
    """An entity in scope has no value for an input and the formula does not say what to do."""

    code = "allocation-missing-input"


class AllocationInputError(AllocationError):
    """An input value cannot be transformed (negative share, inverse of zero, ...)."""

    code = "allocation-invalid-input"


class AllocationBudgetTooSmallError(AllocationError):
    """The budget does not cover the fixed amounts and the minimums."""

    code = "allocation-budget-too-small"


class AllocationLimitsError(AllocationError):
    """The caps/floors on the result cannot all hold with this budget."""

    code = "allocation-limits"
