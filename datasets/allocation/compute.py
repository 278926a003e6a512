"""Apply a formula to the territory: exact to the cent, with an explanation per entity.

All arithmetic is Decimal with 40 significant digits; the only rounding is the final
largest-remainder step, so the amounts always add up to the budget exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext

from datasets.allocation.errors import (
    AllocationBudgetTooSmallError,
    AllocationInputError,
    AllocationLimitsError,
    AllocationMissingInputError,
    AllocationScopeError,
    FormulaUnknownEntityError,
    FormulaUnknownVariableError,
)
from datasets.allocation.formula import Criterion, Formula, VariableRef
from datasets.allocation.rounding import amounts_round
from datasets.territory import Entity, VariableTable

PRECISION = 40
STATUS_FORMULA = "formula"
STATUS_EXCLUDED = "excluded"


@dataclass(frozen=True, slots=True)
class CriterionInput:
    """How one criterion treated one entity: from the published input to euros."""

    criterion_id: str
    variable: str
    year: int
    input_value: Decimal
    imputed: bool
    per_capita_value: Decimal | None
    weight_by_value: Decimal | None
    score: Decimal
    share: Decimal
    contribution_eur: Decimal


@dataclass(frozen=True, slots=True)
class AllocationRow:
    entity: Entity
    status: str
    fixed_eur: Decimal
    minimum_eur: Decimal
    contributions: Mapping[str, Decimal]
    adjustment_eur: Decimal
    amount_eur: Decimal
    rank: int | None
    inputs: tuple[CriterionInput, ...] = ()
    note: str = ""

    @property
    def entity_code(self) -> str:
        return self.entity.entity_code


@dataclass(frozen=True)
class AllocationResult:
    formula: Formula
    rows: tuple[AllocationRow, ...]
    pools: Mapping[str, Decimal]
    distributable_eur: Decimal

    @property
    def total_eur(self) -> Decimal:
        return sum((row.amount_eur for row in self.rows), Decimal(0))

    def row_get(self, entity_code: str) -> AllocationRow:
        for row in self.rows:
            if row.entity_code == entity_code:
                return row
        raise KeyError(entity_code)


def allocation_compute(
    formula: Formula, *, entities: Iterable[Entity], variables: VariableTable
) -> AllocationResult:
    """Share ``formula.total_eur`` among the entities in scope.

    ``entities`` may be the whole territory: the formula's scope selects from it, and its
    exclusions must name entities that exist there.
    """
    with localcontext() as context:
        context.prec = PRECISION
        return _Computation(formula, entities=list(entities), variables=variables).run()


class _Computation:
    def __init__(
        self, formula: Formula, *, entities: list[Entity], variables: VariableTable
    ) -> None:
        self.formula = formula
        self.variables = variables
        self.index = {entity.entity_code: entity for entity in entities}
        self.scope = sorted(
            (entity for entity in entities if self.in_scope(entity)),
            key=lambda entity: entity.entity_code,
        )

    def in_scope(self, entity: Entity) -> bool:
        provinces = self.formula.province_codes
        return entity.entity_type in self.formula.entity_types and (
            provinces is None or entity.province_code in provinces
        )

    def run(self) -> AllocationResult:
        formula = self.formula
        excluded = self.exclusions_check()
        members = [entity for entity in self.scope if entity.entity_code not in excluded]
        if not members:
            raise AllocationScopeError(
                f"{formula.where('scope')}: scope: no entity left to share the budget",
                path=formula.path,
            )
        fixed_total = sum((x.amount_eur for x in formula.exclusions), Decimal(0))
        minimum_total = formula.minimum_eur * len(members)
        distributable = formula.total_eur - fixed_total - minimum_total
        if distributable < 0:
            raise AllocationBudgetTooSmallError(
                f"{formula.where('budget', 'total_eur')}: budget.total_eur: {formula.total_eur} "
                f"does not cover the fixed amounts ({fixed_total}) plus the minimum "
                f"{formula.minimum_eur} for each of {len(members)} entities ({minimum_total})",
                path=formula.path,
            )
        pools = {c.id: distributable * c.weight for c in formula.criteria}
        explained = {c.id: self.criterion_apply(c, members, pools[c.id]) for c in formula.criteria}

        base = {
            entity.entity_code: formula.minimum_eur
            + sum(
                (explained[c.id][entity.entity_code].contribution_eur for c in formula.criteria),
                Decimal(0),
            )
            for entity in members
        }
        limited = self.limits_apply(base, target=formula.total_eur - fixed_total)
        fixed = {x.entity_code: x.amount_eur for x in formula.exclusions}
        unrounded = {**limited, **fixed}
        amounts = amounts_round(unrounded, total=formula.total_eur, ties=formula.rounding.ties)
        ranking = sorted(members, key=lambda e: (-amounts[e.entity_code], e.entity_code))
        ranks = {entity.entity_code: position for position, entity in enumerate(ranking, 1)}

        rows = []
        for entity in self.scope:
            code = entity.entity_code
            if code in excluded:
                rows.append(
                    AllocationRow(
                        entity=entity,
                        status=STATUS_EXCLUDED,
                        fixed_eur=fixed[code],
                        minimum_eur=Decimal(0),
                        contributions={c.id: Decimal(0) for c in formula.criteria},
                        adjustment_eur=Decimal(0),
                        amount_eur=amounts[code],
                        rank=None,
                        note=excluded[code],
                    )
                )
                continue
            inputs = tuple(explained[c.id][code] for c in formula.criteria)
            rows.append(
                AllocationRow(
                    entity=entity,
                    status=STATUS_FORMULA,
                    fixed_eur=Decimal(0),
                    minimum_eur=formula.minimum_eur,
                    contributions={item.criterion_id: item.contribution_eur for item in inputs},
                    adjustment_eur=limited[code] - base[code],
                    amount_eur=amounts[code],
                    rank=ranks[code],
                    inputs=inputs,
                )
            )
        return AllocationResult(
            formula=formula, rows=tuple(rows), pools=pools, distributable_eur=distributable
        )

    # ---- Scope ----

    def exclusions_check(self) -> dict[str, str]:
        scope_codes = {entity.entity_code for entity in self.scope}
        excluded = {}
        for index, exclusion in enumerate(self.formula.exclusions):
            where = self.formula.where("exclusions", "entity_code", index=index)
            code = exclusion.entity_code
            if code not in self.index:
                raise FormulaUnknownEntityError(
                    f"{where}: exclusions[{index}].entity_code: entity {code!r} does not exist "
                    "in the territory",
                    path=self.formula.path,
                    entity_code=code,
                )
            if code not in scope_codes:
                raise AllocationScopeError(
                    f"{where}: exclusions[{index}].entity_code: entity {code} "
                    f"({self.index[code].name}) is outside the formula's scope",
                    path=self.formula.path,
                    entity_code=code,
                )
            excluded[code] = exclusion.reason
        return excluded

    # ---- Criteria ----

    def criterion_apply(
        self, criterion: Criterion, members: list[Entity], pool: Decimal
    ) -> dict[str, CriterionInput]:
        index = self.formula.criteria.index(criterion)
        raw = self.series(criterion, criterion.input, "variable", index)
        imputed_value = self.imputation(criterion, members, raw, index)
        per_capita = (
            self.series(criterion, criterion.per_capita_of, "per_capita_of", index)
            if criterion.per_capita_of
            else None
        )
        weights = (
            self.series(criterion, criterion.weight_by, "weight_by", index)
            if criterion.weight_by
            else None
        )
        scored = {}
        for entity in members:
            code = entity.entity_code
            value = raw.get(code)
            imputed = value is None
            if imputed:
                value = imputed_value
                if value is None:
                    self.missing_fail(criterion, criterion.input, "variable", index, entity)
            denominator = self.value_needed(criterion, per_capita, entity, index, "per_capita_of")
            weight = self.value_needed(criterion, weights, entity, index, "weight_by")
            score = self.score(criterion, value, denominator, index, entity)
            if weight is not None:
                if weight < 0:
                    self.input_fail(criterion, index, entity, f"weight_by value {weight} < 0")
                score *= weight
            scored[code] = (value, imputed, denominator, weight, score)

        total = sum((item[4] for item in scored.values()), Decimal(0))
        if total <= 0:
            raise AllocationInputError(
                f"{self.formula.where('criteria', index=index)}: criteria[{index}] "
                f"{criterion.id!r}: scores add up to {total}; nothing to share by",
                path=self.formula.path,
            )
        # One division per criterion, then products: 40 digits make the difference invisible.
        per_score, euros_per_score = 1 / total, pool / total
        return {
            code: CriterionInput(
                criterion_id=criterion.id,
                variable=criterion.input.variable,
                year=criterion.input.year,
                input_value=value,
                imputed=imputed,
                per_capita_value=denominator,
                weight_by_value=weight,
                score=score,
                share=score * per_score,
                contribution_eur=score * euros_per_score,
            )
            for code, (value, imputed, denominator, weight, score) in scored.items()
        }

    def series(
        self, criterion: Criterion, ref: VariableRef | None, key: str, index: int
    ) -> Mapping[str, Decimal]:
        assert ref is not None
        series = self.variables.series_get(variable=ref.variable, year=ref.year)
        if not series:
            years = self.variables.years_of(ref.variable)
            raise FormulaUnknownVariableError(
                f"{self.formula.where('criteria', key, index=index)}: criteria[{index}].{key}: "
                f"no data for {ref.variable!r} in {ref.year} "
                f"(years available: {', '.join(map(str, years)) or 'none'})",
                path=self.formula.path,
                field=f"criteria[{index}].{key}",
            )
        return series

    def imputation(
        self, criterion: Criterion, members: list[Entity], raw: Mapping[str, Decimal], index: int
    ) -> Decimal | None:
        imputation = criterion.imputation
        if imputation is None:
            return None
        # The formula names whose values the median is taken over: the receiving entities
        # (exclusions, such as Barcelona city, left out) or every entity in scope.
        population = members if imputation.population == "receiving" else self.scope
        values = sorted(raw[e.entity_code] for e in population if e.entity_code in raw)
        if not values:
            return None
        middle = len(values) // 2
        if len(values) % 2:
            return values[middle]
        return (values[middle - 1] + values[middle]) / 2

    def value_needed(
        self,
        criterion: Criterion,
        series: Mapping[str, Decimal] | None,
        entity: Entity,
        index: int,
        key: str,
    ) -> Decimal | None:
        if series is None:
            return None
        value = series.get(entity.entity_code)
        if value is None:
            ref = criterion.per_capita_of if key == "per_capita_of" else criterion.weight_by
            assert ref is not None
            self.missing_fail(criterion, ref, key, index, entity)
        return value

    def score(
        self,
        criterion: Criterion,
        value: Decimal,
        denominator: Decimal | None,
        index: int,
        entity: Entity,
    ) -> Decimal:
        for step in criterion.transform:
            if step == "per_capita":
                assert denominator is not None
                if denominator <= 0:
                    self.input_fail(criterion, index, entity, f"per-capita base {denominator}")
                value = value / denominator
            elif step == "cap":
                if criterion.cap_min is not None:
                    value = max(value, criterion.cap_min)
                if criterion.cap_max is not None:
                    value = min(value, criterion.cap_max)
            elif step == "log":
                if value < 0:
                    self.input_fail(criterion, index, entity, f"log of negative value {value}")
                value = (1 + value).ln()
            elif step == "inverse":
                if value <= 0:
                    self.input_fail(criterion, index, entity, f"inverse of {value}")
                value = 1 / value
        if value < 0:
            self.input_fail(criterion, index, entity, f"negative score {value}")
        return value

    def missing_fail(
        self, criterion: Criterion, ref: VariableRef, key: str, index: int, entity: Entity
    ) -> None:
        hint = (
            ' (or declare imputation = { method = "median", population = "receiving" })'
            if key == "variable"
            else ""
        )
        raise AllocationMissingInputError(
            f"{self.formula.where('criteria', key, index=index)}: criteria[{index}].{key}: "
            f"entity {entity.entity_code} ({entity.name}) has no value for {ref}; "
            f"fix the data or take the entity out of scope{hint}",
            path=self.formula.path,
            field=f"criteria[{index}].{key}",
            entity_code=entity.entity_code,
        )

    def input_fail(self, criterion: Criterion, index: int, entity: Entity, problem: str) -> None:
        raise AllocationInputError(
            f"{self.formula.where('criteria', 'transform', index=index)}: criteria[{index}] "
            f"{criterion.id!r}: entity {entity.entity_code} ({entity.name}): cannot compute: "
            f"{problem}",
            path=self.formula.path,
            field=f"criteria[{index}].transform",
            entity_code=entity.entity_code,
        )

    # ---- Limits ----

    def limits_apply(self, base: dict[str, Decimal], *, target: Decimal) -> dict[str, Decimal]:
        """Caps and floors on final amounts, the difference shared in proportion to the rest.

        Each final amount is ``clamp(minimum + k * variable_part, floor, cap)`` with one
        factor ``k`` for everybody; the sum is non-decreasing in ``k``, so ``k`` is found
        exactly by walking the sorted breakpoints, then solving the linear piece.
        """
        limits = self.formula.limits
        if limits is None or (limits.max_amount_eur is None and limits.min_amount_eur is None):
            return base
        low, high = limits.min_amount_eur, limits.max_amount_eur
        minimum = self.formula.minimum_eur
        parts = {code: amount - minimum for code, amount in base.items()}

        def clamp(amount: Decimal) -> Decimal:
            if low is not None and amount < low:
                return low
            if high is not None and amount > high:
                return high
            return amount

        def total_at(k: Decimal) -> Decimal:
            return sum((clamp(minimum + k * part) for part in parts.values()), Decimal(0))

        breakpoints = sorted(
            {
                (bound - minimum) / part
                for part in parts.values()
                if part > 0
                for bound in (low, high)
                if bound is not None and bound > minimum
            }
            | {Decimal(0)}
        )
        # With a cap, the most the amounts can reach is the cap for everyone with a variable part.
        reachable = (
            sum((high if part > 0 else clamp(minimum) for part in parts.values()), Decimal(0))
            if high is not None
            else None
        )
        if total_at(Decimal(0)) > target or (reachable is not None and reachable < target):
            raise AllocationLimitsError(
                f"{self.formula.where('limits')}: limits: no amounts between "
                f"{low if low is not None else '-'} and {high if high is not None else '-'} "
                f"for {len(parts)} entities add up to {target}",
                path=self.formula.path,
            )
        # Last breakpoint whose total is still <= target: the solution lies on the next piece.
        lo_index, hi_index = 0, len(breakpoints) - 1
        while lo_index < hi_index:
            middle = (lo_index + hi_index + 1) // 2
            if total_at(breakpoints[middle]) <= target:
                lo_index = middle
            else:
                hi_index = middle - 1
        start = breakpoints[lo_index]
        probe = (
            (start + breakpoints[lo_index + 1]) / 2
            if lo_index + 1 < len(breakpoints)
            else start + 1
        )
        clamped, free_part, free_count = Decimal(0), Decimal(0), 0
        for part in parts.values():
            amount = minimum + probe * part
            if clamp(amount) != amount or part == 0:
                clamped += clamp(minimum + probe * part)
            else:
                free_part += part
                free_count += 1
        k = start if free_part == 0 else (target - clamped - minimum * free_count) / free_part
        return {code: clamp(minimum + k * part) for code, part in parts.items()}
