"""What the repeated cells of an indicator file mean, each distinct text interpreted once:
entities (by code or name, checked against the indicator's levels and the data bank's
province), years, breakdown labels (sex, age group, declared dimensions), status labels and
the categories of categorical indicators.
"""

from __future__ import annotations

import difflib

from datasets.indicators import cells
from datasets.indicators.catalog import (
    Category,
    Indicator,
    IndicatorCatalog,
    category_spellings,
)
from datasets.indicators.entities import LEVEL_LABELS, EntityDirectory
from datasets.indicators.mapping import ImportMapping
from datasets.indicators.values import TOTAL

# Distinct texts remembered per cache (years, labels, codes that are no code at all): a file
# of garbage must not grow them without bound. Codes that resolve are always remembered
# (there are as many as municipalities): choosing the kind of codes counts them.
CACHE_MAX = 100_000
_UNSEEN = object()
_TOTAL_LABELS = frozenset({"total", "_t", "t", "tots", "totes", "todos", "todas", "all"})


def spellings_index(categories: tuple[Category, ...]) -> dict[str, str]:
    """Normalised spelling (code, label, alias) -> category code."""
    return {
        cells.label_normalise(text): category.code
        for category in categories
        for text in category_spellings(category)
        if cells.label_normalise(text)
    }


class Interpreters:
    """Caches of text -> meaning for the cells that repeat: codes, years, labels.

    Each holds at most ``CACHE_MAX`` texts, except that every code cell that is a code under
    either kind is kept: ``entity_texts`` gives them to check the kind of codes chosen.
    ``kind`` is "ine", "idescat" or "name" (the entity column holds names).
    """

    def __init__(
        self,
        *,
        indicator: Indicator,
        catalog: IndicatorCatalog,
        mapping: ImportMapping,
        resolver: cells.EntityCodeResolver,
        kind: str,
        directory: EntityDirectory | None = None,
        province_code: str | None = None,
    ) -> None:
        self.indicator = indicator
        self.catalog = catalog
        self.resolver = resolver
        self.kind = kind
        self.other_kind = "idescat" if kind == "ine" else "ine"
        self.directory = directory
        self.province_code = province_code
        self.labels = {
            dim: {cells.label_normalise(k): v for k, v in table.items()}
            for dim, table in mapping.labels.items()
        }
        self.sex_labels = self.labels.get("sex", {})
        self.age_labels = self.labels.get("age_group", {})
        self.status_labels = self.labels.get("status", {})
        self.dimension_values = {
            dimension.code: spellings_index(dimension.values) for dimension in indicator.dimensions
        }
        self.category_values = spellings_index(indicator.categories)
        self.entities: dict[str, str | None] = {}
        # text -> (rule, message) for entity cells that name an entity this import refuses
        self.entity_problems: dict[str, tuple[str, str]] = {}
        self.years: dict[str, tuple[int | None, str | None, str]] = {}
        self.statuses: dict[str, str | None] = {}
        self.categories: dict[str, str | None] = {}
        self.breakdowns: dict[tuple[str, ...], tuple[str | None, str | None]] = {}
        self.skipped_codes: set[str] = set()  # codes in rows skipped before being read

    # ---- entities ----

    def entity(self, text: str) -> str | None:
        code = self.entities.get(text, _UNSEEN)
        if code is _UNSEEN:
            if self.kind == "name":
                code = self._entity_named(text)
            elif self.kind == "comarca":
                digits = cells.code_clean(text)
                code = f"com:{digits.zfill(2)}" if digits and len(digits) <= 2 else text.strip()
                if self.directory is None or code not in self.directory.by_code:
                    code = None
            else:
                code = self.resolver.resolve(text, kind=self.kind)
                if code is None and self.directory is not None:
                    code = text.strip() if text.strip() in self.directory.by_code else None
            if code is not None:
                problem = self._entity_scope_problem(text, code)  # type: ignore[arg-type]
                if problem is not None:
                    self.entity_problems[text] = problem
                    code = None
            if (
                code is not None
                or text in self.entity_problems
                or len(self.entities) < CACHE_MAX
                or (
                    self.kind in ("ine", "idescat")
                    and self.resolver.resolve(text, kind=self.other_kind) is not None
                )
            ):
                self.entities[text] = code  # type: ignore[assignment]
        return code  # type: ignore[return-value]

    def entity_problem(self, text: str) -> tuple[str, str]:
        """(rule, message) for an entity cell that resolved to nothing."""
        found = self.entity_problems.get(text)
        if found is not None:
            return found
        levels = " or ".join(LEVEL_LABELS.get(v, v) for v in self.indicator.territorial_levels)
        if self.kind == "name":
            return "unknown-entity", f"{text!r} is not the name of a known {levels}"
        if self.kind == "comarca":
            return "unknown-entity", f"{text!r} is not an Idescat comarca code (01-42)"
        return "unknown-entity", f"{text!r} is not a known {self.kind.upper()} {levels} code"

    def _entity_named(self, text: str) -> str | None:
        if self.directory is None or not text.strip():
            return None
        found = self.directory.named(text)
        levels = self.indicator.territorial_levels
        at_level = [info for info in found if info.entity_type in levels]
        if self.province_code is not None and len(at_level) > 1:
            # 'Castellet' and its namesakes elsewhere: the data bank's province decides
            in_scope = [info for info in at_level if info.province_code == self.province_code]
            at_level = in_scope or at_level
        if len(at_level) == 1:
            return at_level[0].code
        if len(at_level) > 1:
            self.entity_problems[text] = (
                "entity-ambiguous",
                f"{text!r} names {len(at_level)} entities: "
                + "; ".join(info.describe() for info in at_level[:5])
                + " (give codes instead of names)",
            )
        elif found:
            self.entity_problems[text] = self._level_problem(text, found[0].code)
        return None

    def _level_problem(self, text: str, code: str) -> tuple[str, str]:
        assert self.directory is not None
        info = self.directory.by_code[code]
        levels = ", ".join(LEVEL_LABELS.get(v, v) for v in self.indicator.territorial_levels)
        return (
            "entity-level-not-allowed",
            f"{text!r} is {info.describe()}; indicator {self.indicator.code} is published "
            f"for: {levels}",
        )

    def _entity_scope_problem(self, text: str, code: str) -> tuple[str, str] | None:
        info = self.directory.by_code.get(code) if self.directory is not None else None
        if info is None:
            return None  # an entity list given by the caller: nothing more to check
        if info.entity_type not in self.indicator.territorial_levels:
            return self._level_problem(text, code)
        if self.province_code is not None and info.province_code != self.province_code:
            assert self.directory is not None
            return (
                "entity-other-province",
                f"{text!r} is {info.describe()}; this data bank holds province "
                f"{self.directory.province_label(self.province_code)}",
            )
        return None

    def entity_skipped(self, text: str) -> None:
        """A code cell of a row not read further (malformed, a note): it still counts when
        choosing the kind of codes, as every code cell of the file does."""
        if self.resolver.resolve(text, kind="ine") or self.resolver.resolve(text, kind="idescat"):
            self.skipped_codes.add(text)

    def entity_texts(self) -> set[str]:
        """Every distinct code cell that is a code under some kind (the others count for
        neither kind)."""
        return self.entities.keys() | self.skipped_codes

    # ---- years, statuses, categories ----

    def year(self, text: str) -> tuple[int | None, str | None, str]:
        found = self.years.get(text)
        if found is None:
            year, problem = cells.year_parse(text)
            found = (year, problem, str(year))
            if len(self.years) < CACHE_MAX:
                self.years[text] = found
        return found

    def status(self, text: str) -> str | None:
        found = self.statuses.get(text, _UNSEEN)
        if found is _UNSEEN:
            label = cells.label_normalise(text)
            found = self.status_labels.get(label) or cells.STATUS_LABELS.get(label)
            if len(self.statuses) < CACHE_MAX:
                self.statuses[text] = found
        return found  # type: ignore[return-value]

    def category(self, text: str) -> str | None:
        """The category code ``text`` spells (code, label or declared alias), or None."""
        found = self.categories.get(text, _UNSEEN)
        if found is _UNSEEN:
            found = self.category_values.get(cells.label_normalise(text))
            if len(self.categories) < CACHE_MAX:
                self.categories[text] = found
        return found  # type: ignore[return-value]

    def category_message(self, text: str) -> str:
        indicator = self.indicator
        allowed = ", ".join(c.label("ca") for c in indicator.categories)
        message = f"{text!r} is not a category of {indicator.code} ({allowed})"
        close = difflib.get_close_matches(
            cells.label_normalise(text), list(self.category_values), n=1, cutoff=0.75
        )
        if close:
            message += (
                f"; did you mean {self.category_values[close[0]]!r}? A spelling is only "
                "accepted when the catalogue declares it as an alias"
            )
        return message

    # ---- breakdowns ----

    def breakdown(
        self, dims: tuple[str, ...], texts: tuple[str, ...]
    ) -> tuple[str | None, str | None]:
        """(canonical key, None) or (None, problem message)."""
        cache_key = dims + texts
        found = self.breakdowns.get(cache_key)
        if found is None:
            found = self._breakdown_interpret(dims, texts)
            if len(self.breakdowns) < CACHE_MAX:
                self.breakdowns[cache_key] = found
        return found

    def _dimension_value(self, dim: str, text: str) -> str | None:
        label = cells.label_normalise(text)
        if dim == "sex":
            return self.sex_labels.get(label) or cells.sex_parse(text)
        if dim == "age_group":
            return self.age_labels.get(label) or cells.age_group_parse(text)
        extra = self.labels.get(dim, {}).get(label)
        if extra is not None:
            return extra
        found = self.dimension_values.get(dim, {}).get(label)
        if found is None and label in _TOTAL_LABELS:
            return TOTAL
        return found

    def _breakdown_interpret(
        self, dims: tuple[str, ...], texts: tuple[str, ...]
    ) -> tuple[str | None, str | None]:
        parts: dict[str, str] = {}
        indicator = self.indicator
        for dim, text in zip(dims, texts, strict=True):
            if dim == "disaggregation":
                parsed = cells.disaggregation_key_parse(text)
                if parsed is None:
                    return None, f"not a disaggregation key like 'sex=female': {text!r}"
                parts.update(parsed)
                continue
            value = self._dimension_value(dim, text)
            if value is None:
                dimension = indicator.dimension_get(dim)
                if dimension is not None:
                    allowed = ", ".join(v.label("ca") for v in dimension.values)
                    return None, (
                        f"{dim} value {text!r} is not declared for {indicator.code} "
                        f"(declared: {allowed}; add other spellings as aliases in the catalogue)"
                    )
                return None, f"{dim} label {text!r} not understood (add it under [labels.{dim}])"
            parts[dim] = value
        for dim, value in parts.items():
            if value == TOTAL:
                continue
            if dim not in indicator.disaggregations:
                allowed = ", ".join(indicator.disaggregations) or "none"
                return None, (
                    f"indicator {indicator.code} is not broken down by {dim} (allowed: {allowed})"
                )
            dimension = indicator.dimension_get(dim)
            if dimension is not None and value not in {v.code for v in dimension.values}:
                return None, f"{dim} value {value!r} is not declared for {indicator.code}"
        return cells.disaggregation_key(parts), None
