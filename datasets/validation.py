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

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datasets import validation_rules
from datasets.built import BuiltPackage, file_write_if_changed, json_text
from datasets.fingerprint import FileDigests, sha256_json, sha256_path
from datasets.issues import Issue, issue_format
from datasets.validation_rules import RULE_REFERENCES, References, domain_issues

Progress = Callable[[str, str], None]
# Bump when a rule changes meaning in a way the digest of this file would not show.
VALIDATION_CACHE_FORMAT = 1


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "errors": sum(1 for issue in self.issues if issue.severity == "error"),
            "packages": [package.to_dict() for package in self.packages],
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
    issues = _frictionless_issues(built) + domain_issues(built, refs)
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
                # The domain rules live apart: a change there must miss the cache too.
                "domain_rules": self.files.file_digest(Path(validation_rules.__file__).resolve()),
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
