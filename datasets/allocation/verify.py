"""Recompute an allocation from its published files alone, and say whether it matches.

This is a second, independent implementation of the recipe a formula file states: it reads
only the files of the published package — the formula (TOML), ``entities.csv`` (the scope),
``inputs.csv`` (every input) and ``allocations.csv`` (the amounts to check) — and imports
nothing of the engine (``compute``, ``formula``, ``rounding``): it parses the TOML itself
and works in exact fractions, not the engine's 40-digit decimals. When it agrees with the
published amounts to the cent, the published recipe (not only the code) produces them.

``allocation_verify(folder)`` returns a ``Receipt``: the sha256 of every file read, the
published and the recomputed amount of every entity, and whether each matches.
"""

from __future__ import annotations

import csv
import hashlib
import math
import tomllib
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

from datasets.allocation.verify_receipt import EntityCheck, FileDigest, Receipt
from datasets.errors import DatasetError

CENTS = 100
# The files a package holds, by role, and where a download or a package folder keeps them.
CSV_ROLES = ("allocations", "inputs", "entities")


class VerifyError(DatasetError):
    """The files cannot be verified (missing, unreadable, a recipe step they do not allow)."""

    code = "verify-failed"


# ---- Finding and reading the files ----


def package_files_find(folder: Path) -> dict[str, Path]:
    """The formula and the three tables in ``folder``: a Data Package (``data/``,
    ``formula/``) or a flat folder of downloads."""
    found: dict[str, Path] = {}
    for role in CSV_ROLES:
        for candidate in (folder / f"{role}.csv", folder / "data" / f"{role}.csv"):
            if candidate.is_file():
                found[role] = candidate
                break
    formulas = sorted({*folder.glob("*.toml"), *folder.glob("formula/*.toml")})
    if len(formulas) == 1:
        found["formula"] = formulas[0]
    elif len(formulas) > 1:
        names = ", ".join(path.name for path in formulas)
        raise VerifyError(f"{folder}: more than one formula file ({names})", path=str(folder))
    missing = [role for role in ("formula", *CSV_ROLES) if role not in found]
    if missing:
        raise VerifyError(
            f"{folder}: missing {', '.join(missing)} (expected formula/*.toml and "
            "data/allocations.csv, data/inputs.csv, data/entities.csv, or the same names "
            "side by side)",
            path=str(folder),
        )
    return found


# The columns the recipe reads from each table.
COLUMNS = {
    "allocations": ("entity_code", "amount_eur"),
    "inputs": ("entity_code", "variable", "year", "value"),
    "entities": ("entity_code", "name", "entity_type", "province_code"),
}


def _rows(path: Path, role: str) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in COLUMNS[role] if name not in (reader.fieldnames or ())]
            if missing:
                raise VerifyError(f"{path}: no column {', '.join(missing)}", path=str(path))
            return list(reader)
    except UnicodeDecodeError as error:
        raise VerifyError(f"{path}: not UTF-8 text ({error})", path=str(path)) from error


def _fraction(value: Any, where: str) -> Fraction:
    if isinstance(value, bool):
        raise VerifyError(f"{where}: not a number: {value!r}")
    try:
        # str() of a TOML float is its shortest spelling: 0.52 -> exactly 52/100.
        return Fraction(str(value).replace("_", ""))
    except (ValueError, ZeroDivisionError) as error:
        raise VerifyError(f"{where}: not a number: {value!r}") from error


def _digest(role: str, path: Path, folder: Path) -> FileDigest:
    data = path.read_bytes()
    return FileDigest(
        role=role,
        name=path.relative_to(folder).as_posix(),
        sha256=hashlib.sha256(data).hexdigest(),
        bytes=len(data),
    )


# ---- The recipe, step by step ----


def _median(values: list[Fraction]) -> Fraction | None:
    if not values:
        return None
    ordered, middle = sorted(values), len(values) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _ln1p(value: Fraction) -> Fraction:
    with localcontext() as context:
        context.prec = 60
        return Fraction((1 + Decimal(value.numerator) / Decimal(value.denominator)).ln())


def _imputation(criterion: Mapping[str, Any]) -> tuple[str, str] | None:
    """(method, population) of a criterion's missing-value rule; None when there is none."""
    declared = criterion.get("imputation")
    if declared is not None:
        return str(declared.get("method")), str(declared.get("population"))
    if criterion.get("missing", "error") == "median":
        return "median", "receiving"
    return None


class _Recipe:
    """The formula file's steps applied to the published tables."""

    def __init__(
        self,
        formula: Mapping[str, Any],
        entities: list[dict[str, str]],
        inputs: list[dict[str, str]],
    ) -> None:
        self.formula = formula
        scope = formula.get("scope", {})
        types = set(scope.get("entity_types", ["municipality"]))
        provinces = scope.get("province_codes")
        self.scope = sorted(
            row["entity_code"]
            for row in entities
            if row["entity_type"] in types
            and (provinces is None or row["province_code"] in provinces)
        )
        self.names = {row["entity_code"]: row["name"] for row in entities}
        self.fixed = {
            item["entity_code"]: _fraction(item["amount_eur"], "exclusions.amount_eur")
            for item in formula.get("exclusions", [])
        }
        self.receiving = [code for code in self.scope if code not in self.fixed]
        self.values: dict[tuple[str, int], dict[str, Fraction]] = {}
        for row in inputs:
            key = (row["variable"], int(row["year"]))
            where = f"inputs.csv {row['entity_code']} {key[0]} {key[1]}"
            self.values.setdefault(key, {})[row["entity_code"]] = _fraction(row["value"], where)

    def series(self, variable: str, year: int) -> dict[str, Fraction]:
        return self.values.get((variable, int(year)), {})

    def scores(self, criterion: Mapping[str, Any]) -> dict[str, Fraction]:
        name = criterion.get("id", "?")
        raw = self.series(criterion["variable"], criterion["year"])
        imputed = None
        rule = _imputation(criterion)
        if rule is not None:
            method, population = rule
            if method != "median" or population not in ("receiving", "scope"):
                raise VerifyError(f"criterion {name}: imputation {rule} is not in the recipe")
            members = self.receiving if population == "receiving" else self.scope
            imputed = _median([raw[code] for code in members if code in raw])
        per_capita = criterion.get("per_capita_of")
        weight_by = criterion.get("weight_by")
        scores = {}
        for code in self.receiving:
            value = raw.get(code, imputed)
            if value is None:
                raise VerifyError(f"criterion {name}: {code} has no {criterion['variable']}")
            for step in criterion.get("transform", []):
                if step == "per_capita":
                    value = value / self.series(per_capita["variable"], per_capita["year"])[code]
                elif step == "cap":
                    if "cap_min" in criterion:
                        value = max(value, _fraction(criterion["cap_min"], "cap_min"))
                    if "cap_max" in criterion:
                        value = min(value, _fraction(criterion["cap_max"], "cap_max"))
                elif step == "log":
                    value = _ln1p(value)
                elif step == "inverse":
                    value = 1 / value
                else:
                    raise VerifyError(f"criterion {name}: unknown transform {step!r}")
            if weight_by is not None:
                value *= self.series(weight_by["variable"], weight_by["year"])[code]
            scores[code] = value
        return scores

    def unrounded(self) -> dict[str, Fraction]:
        formula = self.formula
        total = _fraction(formula["budget"]["total_eur"], "budget.total_eur")
        minimum = _fraction(formula.get("minimum", {}).get("amount_eur", 0), "minimum")
        distributable = total - sum(self.fixed.values(), Fraction(0))
        distributable -= minimum * len(self.receiving)
        amounts = dict.fromkeys(self.receiving, minimum)
        self.contributions: dict[str, dict[str, Fraction]] = {}
        for criterion in formula["criteria"]:
            pool = distributable * _fraction(criterion["weight"], "criteria.weight")
            scores = self.scores(criterion)
            whole = sum(scores.values(), Fraction(0))
            share = self.contributions[str(criterion["id"])] = {}
            for code, score in scores.items():
                share[code] = pool * score / whole
                amounts[code] += share[code]
        limits = formula.get("limits")
        if limits:
            amounts = _limits_apply(amounts, minimum, limits, total - sum(self.fixed.values()))
        return {**amounts, **self.fixed}


def _limits_apply(
    amounts: dict[str, Fraction], minimum: Fraction, limits: Mapping[str, Any], target: Fraction
) -> dict[str, Fraction]:
    """clamp(minimum + k × part) for one k making the amounts add up to ``target``."""
    low = _fraction(limits["min_amount_eur"], "limits") if "min_amount_eur" in limits else None
    high = _fraction(limits["max_amount_eur"], "limits") if "max_amount_eur" in limits else None
    parts = {code: amount - minimum for code, amount in amounts.items()}

    def clamp(value: Fraction) -> Fraction:
        if low is not None and value < low:
            return low
        if high is not None and value > high:
            return high
        return value

    def total_at(k: Fraction) -> Fraction:
        return sum((clamp(minimum + k * part) for part in parts.values()), Fraction(0))

    # The sum is piecewise linear in k; between two kinks the clamped set is fixed.
    kinks = sorted(
        {Fraction(0)}
        | {
            (bound - minimum) / part
            for part in parts.values()
            if part > 0
            for bound in (low, high)
            if bound is not None and bound > minimum
        }
    )
    below = [k for k in kinks if total_at(k) <= target]
    if not below:
        raise VerifyError("limits: the floors alone exceed the budget")
    start = below[-1]
    later = [k for k in kinks if k > start]
    probe = (start + later[0]) / 2 if later else start + 1
    clamped, free = Fraction(0), Fraction(0)
    free_count = 0
    for part in parts.values():
        value = minimum + probe * part
        if clamp(value) != value or part == 0:
            clamped += clamp(value)
        else:
            free += part
            free_count += 1
    k = start if free == 0 else (target - clamped - minimum * free_count) / free
    return {code: clamp(minimum + k * part) for code, part in parts.items()}


def amounts_to_cents(amounts: Mapping[str, Fraction], total: Fraction) -> dict[str, Decimal]:
    """Largest remainder at the cent; equal remainders to the smaller code."""
    cents = {code: math.floor(value * CENTS) for code, value in amounts.items()}
    missing = total * CENTS - sum(cents.values())
    if missing.denominator != 1 or not 0 <= missing <= len(amounts):
        raise VerifyError(f"the amounts add up to {float(sum(amounts.values()))}, not {total}")
    order = sorted(amounts, key=lambda code: (-(amounts[code] * CENTS - cents[code]), code))
    for code in order[: int(missing)]:
        cents[code] += 1
    return {code: Decimal(value).scaleb(-2) for code, value in cents.items()}


def cents_round(value: Fraction, mode: str) -> Decimal:
    """``value`` to the cent: ``half_even`` (0.005 -> 0.00, 0.015 -> 0.02) or ``half_up``."""
    cents = math.floor(value * CENTS)
    rest = value * CENTS - cents
    half = Fraction(1, 2)
    if rest > half or (rest == half and (mode == "half_up" or cents % 2)):
        cents += 1
    return Decimal(cents).scaleb(-2)


def _cells_check(
    recipe: _Recipe, rows: list[dict[str, str]], mode: str
) -> tuple[int, tuple[str, ...]]:
    """Each published ``contribution_<criterion>_eur`` against the recipe's, to the cent."""
    checked, wrong = 0, []
    for row in rows:
        code = row.get("entity_code", "")
        for criterion, exact in recipe.contributions.items():
            column = f"contribution_{criterion}_eur"
            if column not in row:
                continue
            expected = cents_round(exact[code], mode) if code in exact else Decimal("0.00")
            checked += 1
            try:
                published = Decimal(row[column])
            except InvalidOperation:
                published = None
            if published != expected:
                wrong.append(f"{code} {column}: published {row[column]}, recipe {expected}")
    return checked, tuple(wrong)


def _rounding_check(formula: Mapping[str, Any]) -> None:
    declared = formula.get("rounding", {})
    expected = {
        "method": "largest_remainder",
        "applied_to": "unrounded_amounts",
        "ties": "smaller_entity_code",
    }
    for key, value in expected.items():
        if declared.get(key, value) != value:
            raise VerifyError(f"rounding.{key} = {declared[key]!r} is not a recipe step known here")
    if Fraction(str(declared.get("unit_eur", "0.01"))) != Fraction(1, CENTS):
        raise VerifyError("rounding.unit_eur: only the cent is known here")


# ---- The whole check ----


def allocation_verify(folder: Path, *, entity_codes: Iterable[str] | None = None) -> Receipt:
    """Recompute every amount from the files in ``folder``; ``entity_codes`` chooses which
    ones the receipt lists (all when None). Every amount is checked either way."""
    files = package_files_find(folder)
    try:
        formula = tomllib.loads(files["formula"].read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise VerifyError(f"{files['formula']}: not a formula file ({error})") from error
    _rounding_check(formula)
    published_rows = _rows(files["allocations"], "allocations")
    try:
        recipe = _Recipe(
            formula, _rows(files["entities"], "entities"), _rows(files["inputs"], "inputs")
        )
        total = _fraction(formula["budget"]["total_eur"], "budget.total_eur")
        recomputed = amounts_to_cents(recipe.unrounded(), total)
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as error:
        # A formula or input the recipe cannot be followed on (a key missing from the TOML,
        # an entity without a per-capita base, a division by zero): say so, in one line.
        raise VerifyError(
            f"{folder}: cannot follow the recipe ({type(error).__name__}: {error})"
        ) from error
    published: dict[str, Decimal] = {}
    for row in published_rows:
        try:
            published[row["entity_code"]] = Decimal(row["amount_eur"])
        except (KeyError, InvalidOperation) as error:
            raise VerifyError(f"{files['allocations']}: no amount_eur in {row}") from error
        recipe.names.setdefault(row["entity_code"], row.get("name", ""))
    codes = sorted(set(recomputed) | set(published))
    checks = tuple(
        EntityCheck(
            entity_code=code,
            name=recipe.names.get(code, ""),
            published=published.get(code),
            recomputed=recomputed.get(code),
        )
        for code in codes
    )
    wanted = list(codes if entity_codes is None else entity_codes)
    unknown = [code for code in wanted if code not in codes]
    if unknown:
        raise VerifyError(f"not in this allocation: {', '.join(unknown)}", entity_codes=unknown)
    mode = str(formula.get("rounding", {}).get("components", "half_even"))
    if mode not in ("half_even", "half_up"):
        raise VerifyError(f"rounding.components = {mode!r} is not a recipe step known here")
    cells_checked, cell_mismatches = _cells_check(recipe, published_rows, mode)
    header = formula.get("formula", {})
    digests = tuple(_digest(role, files[role], folder) for role in ("formula", *CSV_ROLES))
    return Receipt(
        formula_id=str(header.get("id", "")),
        formula_version=str(header.get("version", "")),
        formula_sha256=digests[0].sha256,
        budget=Decimal(str(formula["budget"]["total_eur"]).replace("_", "")),
        files=digests,
        checks=checks,
        shown=tuple(wanted),
        cells_checked=cells_checked,
        cell_mismatches=cell_mismatches,
    )
