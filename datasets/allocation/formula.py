"""The formula file: a declarative, versioned TOML description of a distribution of money.

A formula says how much there is (``[budget]``), who shares it (``[scope]``, with
``[[exclusions]]`` handled apart for a fixed amount), a ``[minimum]`` for everyone, and
``[[criteria]]`` that share the rest, each with a weight, an input variable and year, a
direction and transformations. ``[limits]`` optionally caps or floors each final amount.
Every item carries ``source``: ``announcement`` (a published figure), ``adopted`` (a
decision of the Diputació) or ``assumption`` (ours, to be debated). See
``datasets/formulas/README.md`` for the full reference.

Texts are in English (``title``, ``description``), with optional Catalan and Spanish
translations beside them (``title_ca``, ``description_es``...): ``title_in(language)`` and
``description_in(language)`` give the text in a language, or the English one when the file
has no translation (so formulas written before translations existed still load).

Parsing validates everything that can be checked without data, and every error names the
file and the line of the offending field.

Over 500 lines on purpose: the parser is one class whose methods are the file format's
rules, field by field, each naming its line; the model it fills is ``formula_model``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn

from datasets.allocation.errors import (
    FormulaBudgetError,
    FormulaError,
    FormulaFieldError,
    FormulaNotFoundError,
    FormulaSyntaxError,
    FormulaUnknownVariableError,
    FormulaWeightsError,
)
from datasets.allocation.formula_model import (
    CENT,
    COMPONENT_ROUNDINGS,
    DIRECTIONS,
    EXCLUSION_KEYS,
    FORMAT,
    FORMULAS_DIR,
    IMPUTATION_METHODS,
    IMPUTATION_POPULATIONS,
    LARGEST,
    MISSING_POLICIES,
    PROVENANCES,
    ROUNDING_APPLIED_TO,
    ROUNDING_METHODS,
    ROUNDING_TIES,
    TRANSFORMS,
    TRANSLATED_LANGUAGES,
    TRANSLATION_KEYS,
    Criterion,
    Exclusion,
    Formula,
    Imputation,
    Limits,
    Rounding,
    VariableRef,
)

__all__ = [
    "CENT",
    "COMPONENT_ROUNDINGS",
    "DIRECTIONS",
    "EXCLUSION_KEYS",
    "FORMAT",
    "FORMULAS_DIR",
    "IMPUTATION_METHODS",
    "IMPUTATION_POPULATIONS",
    "LARGEST",
    "MISSING_POLICIES",
    "PROVENANCES",
    "ROUNDING_APPLIED_TO",
    "ROUNDING_METHODS",
    "ROUNDING_TIES",
    "TRANSFORMS",
    "TRANSLATED_LANGUAGES",
    "TRANSLATION_KEYS",
    "Criterion",
    "Exclusion",
    "Formula",
    "Imputation",
    "Limits",
    "Rounding",
    "VariableRef",
    "formula_load",
    "formula_parse",
    "formula_path_resolve",
]


# ---- Loading ----


def formula_path_resolve(name: str | Path) -> Path:
    """A path as given, or the id of a formula shipped in ``datasets/formulas/``."""
    path = Path(name)
    if not path.exists() and path.suffix == "" and (FORMULAS_DIR / f"{name}.toml").exists():
        return FORMULAS_DIR / f"{name}.toml"
    return path


def formula_load(path: Path | str, *, known_variables: Collection[str] | None = None) -> Formula:
    """Read and validate a formula file. ``known_variables`` defaults to the territory catalogue."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise FormulaNotFoundError(f"{source}: formula file not found", path=str(source)) from error
    except UnicodeDecodeError as error:
        raise FormulaSyntaxError(f"{source}: not UTF-8 text ({error})", path=str(source)) from error
    return formula_parse(text, path=str(source), known_variables=known_variables)


def formula_parse(
    text: str, *, path: str = "<formula>", known_variables: Collection[str] | None = None
) -> Formula:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # tomllib only says where in its message: "... (at line 7, column 12)".
        found = re.search(r"at line (\d+)", str(error))
        line = int(found.group(1)) if found else None
        where = f"{path}:{line}" if line else path
        raise FormulaSyntaxError(
            f"{where}: malformed TOML: {error}", path=path, line=line
        ) from error
    if known_variables is None:
        from datasets.territory import variables_catalog_load

        known_variables = set(variables_catalog_load())
    return _Parser(document, path=path, lines=_toml_lines(text), known=set(known_variables)).run()


def _toml_lines(text: str) -> dict[tuple[str, int, str], int]:
    """Line of each key as ``(table, occurrence of the table, key) -> line``.

    tomllib gives no positions, so this light scan finds them for error messages; the header
    line of a table is stored under key ``""``. It only has to be right for valid TOML.
    """
    lines: dict[tuple[str, int, str], int] = {}
    counts: dict[str, int] = {}
    table, occurrence, open_quote = "", 0, ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if open_quote:
            if open_quote in line:
                open_quote = ""
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith("[["):
            table = line[2 : line.index("]]")].strip()
            occurrence = counts[table] = counts.get(table, -1) + 1
            lines[(table, occurrence, "")] = number
        elif line.startswith("["):
            table, occurrence = line[1 : line.index("]")].strip(), 0
            lines[(table, 0, "")] = number
        elif "=" in line:
            key, value = line.split("=", 1)
            lines.setdefault((table, occurrence, key.strip().strip('"')), number)
            for quote in ('"""', "'''"):
                if value.count(quote) == 1:
                    open_quote = quote
    return lines


class _Parser:
    def __init__(
        self,
        document: dict[str, Any],
        *,
        path: str,
        lines: dict[tuple[str, int, str], int],
        known: set[str],
    ) -> None:
        self.document = document
        self.path = path
        self.lines = lines
        self.known = known

    # ---- Positions and errors ----

    def where(self, table: str, key: str = "", index: int = 0) -> str:
        line = self.lines.get((table, index, key)) or self.lines.get((table, index, ""))
        return f"{self.path}:{line}" if line else self.path

    def fail(
        self,
        table: str,
        key: str,
        message: str,
        *,
        index: int = 0,
        error: type[FormulaError] = FormulaFieldError,
    ) -> NoReturn:
        label = f"{table}[{index}]" if table in ("criteria", "exclusions") else table
        field_name = ".".join(part for part in (label, key) if part)
        raise error(
            f"{self.where(table, key, index)}: {field_name}: {message}",
            path=self.path,
            line=self.lines.get((table, index, key)),
            field=field_name,
        )

    # ---- Typed getters ----

    def table(self, name: str, *, required: bool = True) -> dict[str, Any]:
        value = self.document.get(name)
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.fail(name, "", "missing table" if value is None else "must be a table")
        return value

    def keys_check(self, data: dict, allowed: Collection[str], table: str, index: int = 0) -> None:
        for key in data:
            if key not in allowed:
                self.fail(table, key, f"unknown field (allowed: {', '.join(allowed)})", index=index)

    def text(self, data: dict, key: str, table: str, index: int = 0, *, default=None) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            self.fail(table, key, "required text", index=index)
        return value

    def money(self, data: dict, key: str, table: str, index: int = 0) -> Decimal:
        value = self.number(data, key, table, index)
        if value < 0:
            self.fail(table, key, f"must not be negative, got {value}", index=index)
        if value != value.quantize(CENT):
            self.fail(table, key, f"must be whole cents, got {value}", index=index)
        return value

    def number(self, data: dict, key: str, table: str, index: int = 0) -> Decimal:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(table, key, "required number", index=index)
        try:
            # repr() of a TOML float is its shortest exact spelling: 0.52 -> Decimal("0.52").
            number = Decimal(repr(value) if isinstance(value, float) else str(value))
        except InvalidOperation:
            self.fail(table, key, f"not a number: {value!r}", index=index)
        # Finite and below a trillion euros: keeps every later quantize() within precision.
        if not number.is_finite() or abs(number) >= LARGEST:
            self.fail(table, key, f"must be a finite number below {LARGEST:,}", index=index)
        return number

    def choice(
        self, data: dict, key: str, options: Collection[str], table: str, index: int = 0, **kw
    ) -> str:
        value = data.get(key, kw.get("default"))
        if value not in options:
            self.fail(
                table, key, f"must be one of {', '.join(options)}, got {value!r}", index=index
            )
        return value

    def variable(self, data: Any, key: str, table: str, index: int) -> VariableRef:
        if not isinstance(data, dict):
            self.fail(table, key, "must be a table {variable = ..., year = ...}", index=index)
        name, year = data.get("variable"), data.get("year")
        if not isinstance(name, str) or not name:
            self.fail(table, key, "variable: required text", index=index)
        if isinstance(year, bool) or not isinstance(year, int):
            self.fail(table, key, f"year of {name!r}: required integer", index=index)
        if name not in self.known:
            self.fail(
                table,
                key,
                f"unknown variable {name!r} (known: {', '.join(sorted(self.known))})",
                index=index,
                error=FormulaUnknownVariableError,
            )
        return VariableRef(variable=name, year=year)

    # ---- Sections ----

    def run(self) -> Formula:
        if self.document.get("format") != FORMAT:
            self.fail("", "format", f"must be {FORMAT!r}, got {self.document.get('format')!r}")
        self.keys_check(
            self.document,
            (
                "format",
                "formula",
                "budget",
                "scope",
                "exclusions",
                "minimum",
                "criteria",
                "limits",
                "rounding",
            ),
            "",
        )
        meta = self.table("formula")
        self.keys_check(
            meta, ("id", "version", "title", "description", "status", *TRANSLATION_KEYS), "formula"
        )
        budget = self.table("budget")
        self.keys_check(budget, ("total_eur", "source", "note"), "budget")
        self.choice(budget, "source", PROVENANCES, "budget")
        total = self.number(budget, "total_eur", "budget")
        if total <= 0 or total != total.quantize(CENT):
            self.fail(
                "budget",
                "total_eur",
                f"must be a positive amount in whole cents, got {total}",
                error=FormulaBudgetError,
            )
        minimum = self.table("minimum", required=False)
        self.keys_check(minimum, ("amount_eur", "source", "note"), "minimum")
        if minimum:
            self.choice(minimum, "source", PROVENANCES, "minimum")
        province_codes, entity_types = self.scope()
        return Formula(
            id=self.text(meta, "id", "formula"),
            version=str(self.text(meta, "version", "formula")),
            title=self.text(meta, "title", "formula"),
            description=self.text(meta, "description", "formula", default=""),
            total_eur=total,
            minimum_eur=self.money(minimum, "amount_eur", "minimum") if minimum else Decimal(0),
            criteria=self.criteria(),
            province_codes=province_codes,
            entity_types=entity_types,
            exclusions=self.exclusions(),
            limits=self.limits(),
            rounding=self.rounding(),
            path=self.path,
            lines=self.lines,
            **self.translations(meta, "formula"),
        )

    def translations(self, data: dict, table: str, index: int = 0) -> dict[str, str]:
        """The optional ``title_ca``, ``description_es``... of a table (empty when absent)."""
        return {key: self.text(data, key, table, index, default="") for key in TRANSLATION_KEYS}

    def scope(self) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
        scope = self.table("scope")
        self.keys_check(scope, ("province_codes", "entity_types", "note"), "scope")
        provinces = scope.get("province_codes")
        if provinces is not None and (
            not isinstance(provinces, list)
            or not all(isinstance(code, str) and len(code) == 2 for code in provinces)
        ):
            self.fail("scope", "province_codes", 'must be a list of 2-digit codes like "08"')
        types = scope.get("entity_types", ["municipality"])
        if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
            self.fail("scope", "entity_types", "must be a non-empty list of entity types")
        return (tuple(provinces) if provinces is not None else None), tuple(types)

    def exclusions(self) -> tuple[Exclusion, ...]:
        items = self.document.get("exclusions", [])
        if not isinstance(items, list):
            self.fail("exclusions", "", "must be an array of tables [[exclusions]]")
        result, seen = [], set()
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                self.fail("exclusions", "", "must be a table", index=index)
            self.keys_check(item, EXCLUSION_KEYS, "exclusions", index)
            code = self.text(item, "entity_code", "exclusions", index)
            if code in seen:
                self.fail("exclusions", "entity_code", f"{code} excluded twice", index=index)
            seen.add(code)
            result.append(
                Exclusion(
                    entity_code=code,
                    amount_eur=self.money(item, "amount_eur", "exclusions", index),
                    reason=self.text(item, "reason", "exclusions", index),
                    source=self.choice(item, "source", PROVENANCES, "exclusions", index),
                    line=self.lines.get(("exclusions", index, ""), 0),
                    reason_ca=self.text(item, "reason_ca", "exclusions", index, default=""),
                    reason_es=self.text(item, "reason_es", "exclusions", index, default=""),
                )
            )
        return tuple(result)

    def criteria(self) -> tuple[Criterion, ...]:
        items = self.document.get("criteria")
        if not isinstance(items, list) or not items:
            self.fail("criteria", "", "at least one [[criteria]] table is required")
        criteria = [self.criterion(item, index) for index, item in enumerate(items)]
        ids = [criterion.id for criterion in criteria]
        for index, criterion_id in enumerate(ids):
            if ids.index(criterion_id) != index:
                self.fail("criteria", "id", f"duplicate id {criterion_id!r}", index=index)
        total = sum((criterion.weight for criterion in criteria), Decimal(0))
        if total != 1:
            terms = " + ".join(f"{c.id} {c.weight}" for c in criteria)
            raise FormulaWeightsError(
                f"{self.where('criteria')}: criteria.weight: weights must add up to exactly 1, "
                f"got {terms} = {total}",
                path=self.path,
                line=self.lines.get(("criteria", 0, "")),
                field="criteria.weight",
            )
        return tuple(criteria)

    def criterion(self, item: Any, index: int) -> Criterion:
        table = "criteria"
        if not isinstance(item, dict):
            self.fail(table, "", "must be a table", index=index)
        self.keys_check(
            item,
            (
                "id",
                "title",
                "description",
                "source",
                "weight",
                "variable",
                "year",
                "direction",
                "transform",
                "per_capita_of",
                "cap_min",
                "cap_max",
                "weight_by",
                "missing",
                "imputation",
                *TRANSLATION_KEYS,
            ),
            table,
            index,
        )
        criterion_id = self.text(item, "id", table, index)
        if not criterion_id.replace("_", "").isalnum() or not criterion_id.islower():
            self.fail(table, "id", "lower-case letters, digits and _ only", index=index)
        weight = self.number(item, "weight", table, index)
        if weight <= 0:
            self.fail(table, "weight", f"must be positive, got {weight}", index=index)
        direction = self.choice(item, "direction", DIRECTIONS, table, index)
        transform = item.get("transform", [])
        if isinstance(transform, str):
            transform = [transform]
        if not isinstance(transform, list) or any(step not in TRANSFORMS for step in transform):
            self.fail(
                table,
                "transform",
                f"must be a list drawn from {', '.join(TRANSFORMS)}",
                index=index,
            )
        # The direction is a declaration for readers; it must agree with the arithmetic.
        if (direction == "higher_gets_less") != ("inverse" in transform):
            self.fail(
                table,
                "direction",
                "higher_gets_less needs transform 'inverse' (more input, less money)"
                if direction == "higher_gets_less"
                else "higher_gets_more cannot use transform 'inverse'",
                index=index,
            )
        per_capita_of = None
        if "per_capita" in transform:
            per_capita_of = self.variable(item.get("per_capita_of"), "per_capita_of", table, index)
        cap_min = self.number(item, "cap_min", table, index) if "cap_min" in item else None
        cap_max = self.number(item, "cap_max", table, index) if "cap_max" in item else None
        if ("cap" in transform) != (cap_min is not None or cap_max is not None):
            self.fail(table, "transform", "'cap' goes with cap_min and/or cap_max", index=index)
        if cap_min is not None and cap_max is not None and cap_min > cap_max:
            self.fail(table, "cap_min", f"{cap_min} is above cap_max {cap_max}", index=index)
        year = item.get("year")
        return Criterion(
            id=criterion_id,
            title=self.text(item, "title", table, index),
            description=self.text(item, "description", table, index, default=""),
            source=self.choice(item, "source", PROVENANCES, table, index),
            weight=weight,
            input=self.variable(
                {"variable": item.get("variable"), "year": year}, "variable", table, index
            ),
            direction=direction,
            transform=tuple(transform),
            per_capita_of=per_capita_of,
            cap_min=cap_min,
            cap_max=cap_max,
            weight_by=(
                self.variable(item["weight_by"], "weight_by", table, index)
                if "weight_by" in item
                else None
            ),
            imputation=self.imputation(item, index),
            line=self.lines.get((table, index, ""), 0),
            **self.translations(item, table, index),
        )

    def imputation(self, item: dict, index: int) -> Imputation | None:
        """``imputation = {method, population, note}``; ``missing = "median"`` is its old
        shorthand (the median over the receiving entities, what the engine always did)."""
        table = "criteria"
        if "imputation" in item and "missing" in item:
            self.fail(table, "missing", "give imputation or missing, not both", index=index)
        if "imputation" not in item:
            policy = self.choice(item, "missing", MISSING_POLICIES, table, index, default="error")
            return Imputation("median", "receiving") if policy == "median" else None
        data = item["imputation"]
        if not isinstance(data, dict):
            self.fail(table, "imputation", "must be a table {method, population}", index=index)
        for key in data:
            if key not in ("method", "population", "note"):
                self.fail(
                    table,
                    "imputation",
                    f"unknown field {key!r} (allowed: method, population, note)",
                    index=index,
                )
        for key, options in (
            ("method", IMPUTATION_METHODS),
            ("population", IMPUTATION_POPULATIONS),
        ):
            if data.get(key) not in options:
                self.fail(
                    table,
                    "imputation",
                    f"{key} must be one of {', '.join(options)}, got {data.get(key)!r}",
                    index=index,
                )
        note = data.get("note", "")
        if not isinstance(note, str):
            self.fail(table, "imputation", "note must be text", index=index)
        return Imputation(method=data["method"], population=data["population"], note=note)

    def rounding(self) -> Rounding:
        data = self.table("rounding", required=False)
        if not data:
            return Rounding()
        self.keys_check(
            data, ("method", "unit_eur", "applied_to", "ties", "components", "note"), "rounding"
        )
        default = Rounding()
        choices = {
            "method": ROUNDING_METHODS,
            "applied_to": ROUNDING_APPLIED_TO,
            "ties": ROUNDING_TIES,
            "components": COMPONENT_ROUNDINGS,
        }
        values = {
            key: self.choice(data, key, options, "rounding", default=getattr(default, key))
            for key, options in choices.items()
        }
        if "unit_eur" in data and self.number(data, "unit_eur", "rounding") != CENT:
            self.fail("rounding", "unit_eur", "only 0.01 (the cent) is supported")
        return Rounding(**values, note=self.text(data, "note", "rounding", default=""))

    def limits(self) -> Limits | None:
        limits = self.table("limits", required=False)
        if not limits:
            return None
        self.keys_check(limits, ("max_amount_eur", "min_amount_eur", "source", "note"), "limits")
        maximum = (
            self.money(limits, "max_amount_eur", "limits") if "max_amount_eur" in limits else None
        )
        minimum = (
            self.money(limits, "min_amount_eur", "limits") if "min_amount_eur" in limits else None
        )
        if maximum is not None and minimum is not None and minimum > maximum:
            self.fail("limits", "min_amount_eur", f"{minimum} is above max_amount_eur {maximum}")
        return Limits(
            max_amount_eur=maximum,
            min_amount_eur=minimum,
            source=self.choice(limits, "source", PROVENANCES, "limits"),
            line=self.lines.get(("limits", 0, ""), 0),
        )
