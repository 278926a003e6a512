"""The formula's model: the dataclasses a formula file parses into, and the vocabularies
(provenances, directions, transforms, rounding methods) a file may use.

``datasets.allocation.formula`` parses a file into these and re-exports them, so callers
import from there; they live apart so the parser (the bigger half) is one concern.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from datasets.catalog.paths import FORMULAS_DIR as FORMULAS_DIR  # the one place it is set

FORMAT = "concertem-allocation-formula/1"
PROVENANCES = ("announcement", "adopted", "assumption")
DIRECTIONS = ("higher_gets_more", "higher_gets_less")
TRANSFORMS = ("per_capita", "cap", "log", "inverse")
MISSING_POLICIES = ("error", "median")
# Who a missing input's median is taken over. "receiving": the entities the formula shares
# the budget among (the scope less its exclusions); "scope": every entity in scope.
IMPUTATION_METHODS = ("median",)
IMPUTATION_POPULATIONS = ("receiving", "scope")
# The one rounding the engine does; the [rounding] table states it, the engine checks it.
ROUNDING_METHODS = ("largest_remainder",)
ROUNDING_APPLIED_TO = ("unrounded_amounts",)
ROUNDING_TIES = ("smaller_entity_code",)
COMPONENT_ROUNDINGS = ("half_even", "half_up")
CENT = Decimal("0.01")
LARGEST = Decimal(10) ** 15
# Languages a formula's texts may be translated into; English is the untranslated text.
TRANSLATED_LANGUAGES = ("ca", "es")
TRANSLATION_KEYS = tuple(
    f"{name}_{language}" for name in ("title", "description") for language in TRANSLATED_LANGUAGES
)

# An exclusion's reason is shown on the pages too, so it is translated like the titles.
EXCLUSION_KEYS = ("entity_code", "amount_eur", "reason", "reason_ca", "reason_es", "source")


def _text_in(item: Formula | Criterion | Exclusion, name: str, language: str) -> str:
    """``item``'s ``name`` text in ``language``; English when there is no translation."""
    if language in TRANSLATED_LANGUAGES:
        translated = getattr(item, f"{name}_{language}")
        if translated.strip():
            return translated
    return getattr(item, name)


@dataclass(frozen=True, slots=True)
class VariableRef:
    variable: str
    year: int

    def __str__(self) -> str:
        return f"{self.variable} {self.year}"


@dataclass(frozen=True, slots=True)
class Imputation:
    """How an entity without a value for a criterion's input gets one."""

    method: str  # median
    population: str  # receiving | scope
    note: str = ""


@dataclass(frozen=True, slots=True)
class Rounding:
    """How exact amounts become cents (the defaults are what the engine has always done).

    Largest remainder at the cent, applied to each entity's unrounded total (minimum +
    unrounded contributions + adjustment), never to rounded contributions; equal remainders
    go to the smaller entity code. A remainder of exactly half a cent is ranked like any
    other (no round-half rule applies to amounts). ``components`` is how the per-criterion
    columns (and pools) are shown to the cent; ``rounding_eur`` makes each row add up.
    """

    method: str = "largest_remainder"
    unit_eur: Decimal = CENT
    applied_to: str = "unrounded_amounts"
    ties: str = "smaller_entity_code"
    components: str = "half_even"
    note: str = ""


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    title: str
    description: str
    source: str
    weight: Decimal
    input: VariableRef
    direction: str
    transform: tuple[str, ...] = ()
    per_capita_of: VariableRef | None = None
    cap_min: Decimal | None = None
    cap_max: Decimal | None = None
    weight_by: VariableRef | None = None
    imputation: Imputation | None = None
    line: int = 0
    title_ca: str = ""
    title_es: str = ""
    description_ca: str = ""
    description_es: str = ""

    def title_in(self, language: str) -> str:
        return _text_in(self, "title", language)

    def description_in(self, language: str) -> str:
        return _text_in(self, "description", language)

    @property
    def missing(self) -> str:
        """``median`` when a missing input is imputed, ``error`` when it refuses the formula."""
        return self.imputation.method if self.imputation else "error"


@dataclass(frozen=True, slots=True)
class Exclusion:
    entity_code: str
    amount_eur: Decimal
    reason: str
    source: str
    line: int = 0
    reason_ca: str = ""
    reason_es: str = ""

    def reason_in(self, language: str) -> str:
        return _text_in(self, "reason", language)


@dataclass(frozen=True, slots=True)
class Limits:
    max_amount_eur: Decimal | None = None
    min_amount_eur: Decimal | None = None
    source: str = "assumption"
    line: int = 0


@dataclass(frozen=True)
class Formula:
    id: str
    version: str
    title: str
    description: str
    total_eur: Decimal
    minimum_eur: Decimal
    criteria: tuple[Criterion, ...]
    province_codes: tuple[str, ...] | None = None
    entity_types: tuple[str, ...] = ("municipality",)
    exclusions: tuple[Exclusion, ...] = ()
    limits: Limits | None = None
    rounding: Rounding = field(default_factory=Rounding)
    path: str = "<formula>"
    lines: Mapping[tuple[str, int, str], int] = field(default_factory=dict, repr=False)
    title_ca: str = ""
    title_es: str = ""
    description_ca: str = ""
    description_es: str = ""

    def title_in(self, language: str) -> str:
        return _text_in(self, "title", language)

    def description_in(self, language: str) -> str:
        return _text_in(self, "description", language)

    def where(self, table: str, key: str = "", *, index: int = 0) -> str:
        """``path:line`` of a field, for error messages (the table header if the key is absent)."""
        line = self.lines.get((table, index, key)) or self.lines.get((table, index, ""))
        return f"{self.path}:{line}" if line else self.path

    def variables_needed(self) -> set[VariableRef]:
        refs = set()
        for criterion in self.criteria:
            refs.add(criterion.input)
            refs.update(r for r in (criterion.per_capita_of, criterion.weight_by) if r)
        return refs
