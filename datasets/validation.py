"""Built package -> a report of every problem, each with file, row, field, rule and message.

Two layers: frictionless validates each package in-process (types, constraints, primary and
foreign keys, byte counts and sha256 against the descriptor); then the domain rules the
catalogue declares run on the same files (codes exist in the territory, amounts add up to
the budget to the cent, SDG goals 1-17, indicator codes exist). Validation never raises on
bad data: it returns a report, and callers decide (``concertem validate`` exits 1,
``dataset_publish`` refuses to upload).

Validating the catalogue takes seconds, most of it frictionless reading every row again, so
a ``ValidationCache`` keeps passing reports keyed on everything validation reads: the bytes
of the descriptor and of every resource as they are on disk, the declared rules, the
reference sets those rules compare with, and the validators' own versions. A key that
matches a stored passing report skips validation; any other package is validated again.
A failure is never stored, so it can never come back as a pass.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from datasets.catalog import Check
from datasets.fingerprint import DATASETS_DIR, FileDigests, sha256_json, sha256_path
from datasets.issues import Issue, issue_format
from datasets.packaging import BuiltPackage, file_write_if_changed, json_text

Progress = Callable[[str, str], None]
# Bump when a rule changes meaning in a way the digest of this file would not show.
VALIDATION_CACHE_FORMAT = 1
# The reference set each domain rule compares with: part of the cache key of its packages.
RULE_REFERENCES = {
    "entity-code-exists": "entities",
    "indicator-code-exists": "indicators",
    "sdg-target-exists": "sdg_targets",
}


def issue_report_dict(issue: Issue) -> dict[str, Any]:
    """An issue as the published validation report has it (``field``, not ``column``)."""
    return {
        "package": issue.package,
        "file": issue.file,
        "row": issue.row,
        "field": issue.column,
        "rule": issue.rule,
        "message": issue.message,
        "severity": issue.severity,
    }


def issue_from_report(data: Mapping[str, Any]) -> Issue:
    return Issue(
        package=data["package"],
        file=data["file"],
        row=data["row"],
        column=data["field"],
        rule=data["rule"],
        message=data["message"],
        severity=data["severity"],
    )


@dataclass(frozen=True)
class PackageReport:
    name: str
    version: str
    issues: tuple[Issue, ...]
    resources: int
    rows: int
    # True when the report was taken from the validation cache; never written out.
    cached: bool = field(default=False, compare=False)

    @property
    def valid(self) -> bool:
        return not any(issue.severity == "error" for issue in self.issues)

    def to_dict(self) -> dict[str, Any]:
        # No timings or dates: the report of unchanged data must be byte-identical, since
        # it is published next to the data and re-uploaded only when it changes.
        return {
            "package": self.name,
            "version": self.version,
            "valid": self.valid,
            "resources": self.resources,
            "rows": self.rows,
            "errors": sum(1 for issue in self.issues if issue.severity == "error"),
            "issues": [issue_report_dict(issue) for issue in self.issues],
        }


@dataclass(frozen=True)
class ValidationReport:
    packages: tuple[PackageReport, ...]

    @property
    def valid(self) -> bool:
        return all(package.valid for package in self.packages)

    @property
    def issues(self) -> list[Issue]:
        return [issue for package in self.packages for issue in package.issues]

    def package_get(self, name: str) -> PackageReport:
        for package in self.packages:
            if package.name == name:
                return package
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "errors": sum(1 for issue in self.issues if issue.severity == "error"),
            "packages": [package.to_dict() for package in self.packages],
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
        return files.tree_digest(DATASETS_DIR)

    def entities(self) -> frozenset[str]:
        if self.entity_codes is None:
            from datasets.territory import entities_load

            self.entity_codes = frozenset(e.entity_code for e in entities_load(province_code=None))
        return self.entity_codes

    def indicators(self) -> frozenset[str]:
        if self.indicator_codes is None:
            from datasets.indicators.catalog import indicator_catalog_load

            self.indicator_codes = frozenset(i.code for i in indicator_catalog_load())
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


# ---- frictionless ----


def _frictionless_issues(built: BuiltPackage) -> list[Issue]:
    from frictionless import FrictionlessException, Package

    name = built.name
    paths = {resource.name: resource.path for resource in built.resources}
    try:
        package = Package(str(built.descriptor_path))
        report = package.validate()
    except FrictionlessException as exception:
        errors = [exception.error, *getattr(exception, "reasons", [])]
        return [
            Issue(package=name, file="datapackage.json", rule=error.type, message=error.message)
            for error in errors
        ]
    issues = [
        Issue(package=name, file="datapackage.json", rule=error.type, message=error.message)
        for error in report.errors
    ]
    for task in report.tasks:
        file = paths.get(task.name, task.place)
        for error in task.errors:
            descriptor = error.to_descriptor()
            field_name = descriptor.get("fieldName")
            if field_name is None and descriptor.get("fieldNames"):
                field_name = ",".join(descriptor["fieldNames"])
            issues.append(
                Issue(
                    package=name,
                    file=file,
                    row=descriptor.get("rowNumber"),
                    column=field_name,
                    rule=error.type,
                    message=error.message,
                )
            )
    return issues


# ---- Domain rules ----

CheckContext = tuple[BuiltPackage, References]


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


DomainCheck = Callable[[BuiltPackage, Check, References], list[Issue]]
DOMAIN_CHECKS: dict[str, DomainCheck] = {
    "entity-code-exists": check_entity_code_exists,
    "indicator-code-exists": check_indicator_code_exists,
    "sdg-target-exists": check_sdg_target_exists,
    "sdg-goal-range": check_sdg_goal_range,
    "amounts-sum-to-budget": check_amounts_sum_to_budget,
    "features-match-entities": check_features_match_entities,
    "no-personal-data": check_no_personal_data,
}


def _domain_issues(built: BuiltPackage, refs: References) -> list[Issue]:
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


def _sort_key(issue: Issue) -> tuple[str, int, str, str, str]:
    return (issue.file, issue.row or 0, issue.column or "", issue.rule, issue.message)


def package_validate(
    *,
    built: BuiltPackage,
    references: References | None = None,
    cache: ValidationCache | None = None,
) -> PackageReport:
    """frictionless + the domain rules; with ``cache``, a stored pass for the same key."""
    refs = references or References()
    key = cache.key_make(built=built, references=refs) if cache is not None else None
    if cache is not None and key is not None:
        found = cache.report_find(name=built.name, key=key)
        if found is not None:
            return found
    issues = _frictionless_issues(built) + _domain_issues(built, refs)
    report = PackageReport(
        name=built.name,
        version=built.version,
        issues=tuple(sorted(issues, key=_sort_key)),
        resources=len(built.resources),
        rows=sum(resource.rows or 0 for resource in built.resources),
    )
    if cache is not None and key is not None:
        cache.report_store(report=report, key=key)
    return report


def catalog_validate(
    *,
    packages: Sequence[BuiltPackage],
    references: References | None = None,
    progress: Progress | None = None,
    cache: ValidationCache | None = None,
) -> ValidationReport:
    refs = references or References()
    reports = []
    for built in packages:
        if progress:
            progress(built.name, "validate")
        reports.append(package_validate(built=built, references=refs, cache=cache))
    if cache is not None:
        cache.save()
    return ValidationReport(packages=tuple(reports))


# ---- The validation cache ----


class ValidationCache:
    """Passing reports by package, each with the key it was produced for.

    ``<directory>/<name>.json`` (``build/reports/cache/`` for the commands). Keys are
    computed from the files on disk, so a file edited after the build is validated again.
    """

    def __init__(self, directory: Path, *, files: FileDigests | None = None) -> None:
        self.directory = directory
        self.files = files if files is not None else FileDigests(directory / "files.json")
        self._validator: dict[str, str] | None = None

    def entry_path(self, name: str) -> Path:
        return self.directory / f"{name}.json"

    def key_make(self, *, built: BuiltPackage, references: References) -> str | None:
        """None when a file of the package is missing (frictionless will say so)."""
        try:
            package = package_digest(built)
        except FileNotFoundError:
            return None
        checks = built.spec.checks
        kinds = sorted({RULE_REFERENCES[c.rule] for c in checks if c.rule in RULE_REFERENCES})
        return sha256_json(
            {
                "format": VALIDATION_CACHE_FORMAT,
                "validator": self._validator_versions(),
                "package": package,
                "name": built.name,
                "version": built.version,
                "checks": [
                    {"rule": c.rule, "resource": c.resource, "field": c.field, "params": c.params}
                    for c in checks
                ],
                "external_keys": list(built.external_keys),
                "references": {kind: references.fingerprint(kind, self.files) for kind in kinds},
            }
        )

    def report_find(self, *, name: str, key: str) -> PackageReport | None:
        try:
            entry = json.loads(self.entry_path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if entry.get("format") != VALIDATION_CACHE_FORMAT or entry.get("key") != key:
            return None
        data = entry["report"]
        report = PackageReport(
            name=data["package"],
            version=data["version"],
            issues=tuple(issue_from_report(issue) for issue in data["issues"]),
            resources=data["resources"],
            rows=data["rows"],
            cached=True,
        )
        # Belt and braces: whatever is in the file, only a pass is ever reused.
        return report if report.valid and data.get("valid") is True else None

    def report_store(self, *, report: PackageReport, key: str) -> None:
        if not report.valid:
            return
        entry = {"format": VALIDATION_CACHE_FORMAT, "key": key, "report": report.to_dict()}
        file_write_if_changed(self.entry_path(report.name), json_text(entry).encode())

    def save(self) -> None:
        self.files.save()

    def _validator_versions(self) -> dict[str, str]:
        if self._validator is None:
            from importlib.metadata import version

            self._validator = {
                "frictionless": version("frictionless"),
                "rules": self.files.file_digest(Path(__file__).resolve()),
            }
        return self._validator


def package_digest(built: BuiltPackage) -> str:
    """sha256 over what validation reads: the descriptor and every resource file, from disk."""
    files = {"datapackage.json": sha256_path(built.descriptor_path)}
    files.update({resource.path: sha256_path(resource.file) for resource in built.resources})
    return sha256_json(files)


def report_write(*, report: ValidationReport, reports_dir: Path) -> dict[str, Path]:
    """``validation.json`` for the catalogue and ``<name>.validation.json`` per package."""
    written = {"": reports_dir / "validation.json"}
    file_write_if_changed(written[""], json_text(report.to_dict()).encode())
    for package in report.packages:
        written[package.name] = package_report_write(report=package, reports_dir=reports_dir)
    return written


def package_report_write(*, report: PackageReport, reports_dir: Path) -> Path:
    """``<name>.validation.json`` alone: the catalogue's ``validation.json`` is left as is."""
    path = reports_dir / f"{report.name}.validation.json"
    file_write_if_changed(path, json_text(report.to_dict()).encode())
    return path


def report_lines(report: ValidationReport | PackageReport) -> list[str]:
    """The human-readable form: one line per issue, ``package/file:row [field]: rule: message``."""
    packages: Sequence[PackageReport] = (
        report.packages if isinstance(report, ValidationReport) else (report,)
    )
    return [issue_format(issue) for package in packages for issue in package.issues]


def references_from(mapping: Mapping[str, Iterable[str]]) -> References:
    """Build References from plain sets (tests)."""
    return References(
        entity_codes=frozenset(mapping["entities"]) if "entities" in mapping else None,
        indicator_codes=frozenset(mapping["indicators"]) if "indicators" in mapping else None,
        sdg_target_codes=frozenset(mapping["sdg_targets"]) if "sdg_targets" in mapping else None,
    )
