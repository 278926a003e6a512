"""The domain rules ``datasets.validation`` applies after frictionless, and the reference
sets they compare with.

A ``Check`` of the catalogue names a rule of ``DOMAIN_CHECKS`` (codes exist in the
territory, amounts add up to the budget to the cent, SDG goals 1-17, indicator codes exist,
breakdown values declared, no personal data); each rule reads the built files and returns
``Issue``s, never raises.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from datasets.built import BuiltPackage
from datasets.catalog.types import Check
from datasets.fingerprint import DATASETS_DIR, FileDigests, sha256_json
from datasets.issues import Issue

# The reference set each domain rule compares with: part of the cache key of its packages.
RULE_REFERENCES = {
    "entity-code-exists": "entities",
    "indicator-code-exists": "indicators",
    "sdg-target-exists": "sdg_targets",
}


# ---- Reference sets for the domain rules ----


@dataclass
class References:
    """Codes the domain rules check against; loaded lazily from the datasets package.

    Tests pass small sets instead; ``None`` means "load the real reference table".
    """

    entity_codes: frozenset[str] | None = None
    indicator_codes: frozenset[str] | None = None
    sdg_target_codes: frozenset[str] | None = None
    _given: frozenset[str] = field(default=frozenset(), init=False, repr=False)

    def __post_init__(self) -> None:
        # Remembered apart: loading a set later fills the same attribute.
        self._given = frozenset(
            kind
            for kind, attribute in _REFERENCE_ATTRIBUTES.items()
            if getattr(self, attribute) is not None
        )

    def fingerprint(self, kind: str, files: FileDigests) -> str:
        """What the ``kind`` set depends on, for cache keys: the set itself when the caller
        gave it; otherwise the ``datasets`` tree, where its loader and its table live."""
        if kind in self._given:
            return sha256_json(sorted(getattr(self, _REFERENCE_ATTRIBUTES[kind])))
        if kind == "indicators":  # may come from the site's export, outside the tree
            return sha256_json(sorted(self.indicators()))
        return files.tree_digest(DATASETS_DIR)

    def entities(self) -> frozenset[str]:
        if self.entity_codes is None:
            from datasets.territory import entities_load

            self.entity_codes = frozenset(e.entity_code for e in entities_load(province_code=None))
        return self.entity_codes

    def indicators(self) -> frozenset[str]:
        if self.indicator_codes is None:
            from datasets.catalog.indicators import indicator_sources
            from datasets.indicators.catalog import indicator_catalog_load

            catalog = indicator_catalog_load(path=indicator_sources()[0])
            self.indicator_codes = frozenset(i.code for i in catalog)
        return self.indicator_codes

    def sdg_targets(self) -> frozenset[str]:
        if self.sdg_target_codes is None:
            from datasets.sdg import sdg_framework_load

            self.sdg_target_codes = frozenset(t.code for t in sdg_framework_load().targets)
        return self.sdg_target_codes


_REFERENCE_ATTRIBUTES = {
    "entities": "entity_codes",
    "indicators": "indicator_codes",
    "sdg_targets": "sdg_target_codes",
}


# ---- Domain rules ----


def _column(built: BuiltPackage, resource: str, column: str) -> Iterable[tuple[int, str]]:
    """(line, value) of one column; rows too short for it are frictionless's to report."""
    file = built.resource_get(resource).file
    with file.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        if column not in header:
            return
        index = header.index(column)
        for line, row in enumerate(reader, start=2):
            if index < len(row):
                yield line, row[index]


def _issue(
    built: BuiltPackage, check: Check, row: int | None, message: str, *, column: str | None = None
) -> Issue:
    return Issue(
        package=built.name,
        file=built.resource_get(check.resource).path,
        row=row,
        column=column or check.field,
        rule=check.rule,
        message=message,
    )


def check_entity_code_exists(built: BuiltPackage, check: Check, refs: References) -> list[Issue]:
    known = refs.entities()
    return [
        _issue(built, check, line, f"entity code {value!r} does not exist in the territory")
        for line, value in _column(built, check.resource, check.field or "entity_code")
        if value and value not in known
    ]


def check_indicator_code_exists(built: BuiltPackage, check: Check, refs: References) -> list[Issue]:
    known = refs.indicators()
    return [
        _issue(built, check, line, f"indicator {value!r} is not in the indicator catalogue")
        for line, value in _column(built, check.resource, check.field or "indicator_code")
        if value and value not in known
    ]


def check_sdg_target_exists(built: BuiltPackage, check: Check, refs: References) -> list[Issue]:
    known = refs.sdg_targets()
    return [
        _issue(built, check, line, f"SDG target {value!r} does not exist")
        for line, value in _column(built, check.resource, check.field or "target_code")
        if value and value not in known
    ]


def check_sdg_goal_range(built: BuiltPackage, check: Check, refs: References) -> list[Issue]:
    issues = []
    for line, value in _column(built, check.resource, check.field or "goal"):
        if not value:
            continue
        if not value.isdigit() or not 1 <= int(value) <= 17:
            issues.append(_issue(built, check, line, f"SDG goal {value!r} is not 1-17"))
    return issues


def check_amounts_sum_to_budget(built: BuiltPackage, check: Check, refs: References) -> list[Issue]:
    try:
        budget = Decimal(str(check.params["budget_eur"]))
    except (KeyError, InvalidOperation):
        return [_issue(built, check, None, "the check has no budget_eur to compare with")]
    total = Decimal(0)
    issues = []
    for line, value in _column(built, check.resource, check.field or "amount_eur"):
        try:
            amount = Decimal(value)
        except InvalidOperation:
            continue  # a bad number is a frictionless type error, reported there
        if amount != amount.quantize(Decimal("0.01")):
            issues.append(_issue(built, check, line, f"amount {value} is not a whole cent"))
        total += amount
    if total != budget:
        issues.append(
            _issue(
                built,
                check,
                None,
                f"amounts add up to {total:.2f} EUR, not the budget {budget:.2f} EUR "
                f"(difference {total - budget:+.2f} EUR)",
            )
        )
    return issues


def check_features_match_entities(
    built: BuiltPackage, check: Check, refs: References
) -> list[Issue]:
    """Every feature is a known entity of the package, once; every entity has a feature."""
    resource = built.resource_get(check.resource)
    try:
        data = json.loads(resource.file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        return [_issue(built, check, error.lineno, f"not valid JSON: {error.msg}")]
    entity_resource = str(check.params.get("entities", "entities"))
    expected = {value for _, value in _column(built, entity_resource, "entity_code")}
    seen: set[str] = set()
    issues = []
    for number, feature in enumerate(data.get("features", []), start=1):
        code = str(feature.get("id") or feature.get("properties", {}).get("entity_code") or "")
        if code in seen:
            issues.append(_issue(built, check, None, f"feature {number}: duplicate id {code!r}"))
        elif code not in expected:
            message = f"feature {number}: {code!r} is not in {entity_resource}"
            issues.append(_issue(built, check, None, message))
        seen.add(code)
    issues += [
        _issue(built, check, None, f"entity {code} has no boundary feature")
        for code in sorted(expected - seen)
    ]
    return issues


# Column names that only personal identifiers would have.
PERSONAL_COLUMNS = frozenset(
    {
        "author",
        "author_email",
        "author_name",
        "e_mail",
        "email",
        "ip",
        "ip_address",
        "phone",
        "telephone",
        "user",
        "user_email",
        "user_id",
        "user_name",
        "username",
    }
)
EMAIL_ADDRESS = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")


def check_no_personal_data(built: BuiltPackage, check: Check, refs: References) -> list[Issue]:
    """No column meant for personal identifiers, and no e-mail address in any cell.

    Free text (a comment) may carry an address someone typed: the cell is reported by row
    and column only, since the report itself is published next to the data.
    """
    resource = built.resource_get(check.resource)
    issues = []
    with resource.file.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        for name in header:
            if name.strip().lower() in PERSONAL_COLUMNS:
                message = f"column {name!r} would publish personal data"
                issues.append(_issue(built, check, 1, message, column=name))
        for line, row in enumerate(reader, start=2):
            for name, value in zip(header, row, strict=False):
                if "@" in value and EMAIL_ADDRESS.search(value):
                    message = "an e-mail address: personal data must not be published"
                    issues.append(_issue(built, check, line, message, column=name))
    return issues


def _rows(built: BuiltPackage, resource: str) -> Iterable[tuple[int, dict[str, str]]]:
    """(line, row by column name) of one resource of the package."""
    file = built.resource_get(resource).file
    with file.open(encoding="utf-8", newline="") as handle:
        yield from enumerate(csv.DictReader(handle), start=2)


def check_breakdown_value_declared(
    built: BuiltPackage, check: Check, refs: References
) -> list[Issue]:
    """Every ``dimension=value`` of a declared dimension in the ``disaggregation`` column has
    its row in the labels table (``params["labels"]``), so a downloader can read it; the
    built-in dimensions (``params["builtin"]``) are checked by the Table Schema's pattern."""
    builtin = set(check.params.get("builtin", ()))
    declared = {
        (row["indicator_code"], row["dimension"], row["value_code"])
        for _, row in _rows(built, check.params["labels"])
    }
    column = check.field or "disaggregation"
    issues = []
    for line, row in _rows(built, check.resource):
        for piece in (row.get(column) or "").split(";"):
            dimension, equals, value = piece.partition("=")
            if not equals or dimension in builtin:
                continue
            if (row["indicator_code"], dimension, value) not in declared:
                message = (
                    f"breakdown {piece!r} of indicator {row['indicator_code']!r} has no label: "
                    f"the catalogue must declare {value!r} among the values of {dimension!r}"
                )
                issues.append(_issue(built, check, line, message, column=column))
    return issues


DomainCheck = Callable[[BuiltPackage, Check, References], list[Issue]]
DOMAIN_CHECKS: dict[str, DomainCheck] = {
    "entity-code-exists": check_entity_code_exists,
    "indicator-code-exists": check_indicator_code_exists,
    "sdg-target-exists": check_sdg_target_exists,
    "sdg-goal-range": check_sdg_goal_range,
    "amounts-sum-to-budget": check_amounts_sum_to_budget,
    "features-match-entities": check_features_match_entities,
    "no-personal-data": check_no_personal_data,
    "breakdown-value-declared": check_breakdown_value_declared,
}


def domain_issues(built: BuiltPackage, refs: References) -> list[Issue]:
    issues: list[Issue] = []
    for check in built.spec.checks:
        function = DOMAIN_CHECKS.get(check.rule)
        if function is None:
            issues.append(
                Issue(
                    package=built.name,
                    file="datapackage.json",
                    rule="unknown-rule",
                    message=f"the catalogue declares an unknown rule {check.rule!r}",
                )
            )
            continue
        issues += function(built, check, refs)
    return issues


def references_from(mapping: Mapping[str, Iterable[str]]) -> References:
    """Build References from plain sets (tests)."""
    return References(
        entity_codes=frozenset(mapping["entities"]) if "entities" in mapping else None,
        indicator_codes=frozenset(mapping["indicators"]) if "indicators" in mapping else None,
        sdg_target_codes=frozenset(mapping["sdg_targets"]) if "sdg_targets" in mapping else None,
    )
