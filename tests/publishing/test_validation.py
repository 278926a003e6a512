import datetime as dt
import json

import pytest

from datasets.fingerprint import FileDigests
from datasets.issues import Issue
from datasets.packaging import package_build
from datasets.validation import (
    PackageReport,
    ValidationCache,
    catalog_validate,
    package_validate,
    report_lines,
    report_write,
)
from datasets.validation_rules import References, references_from
from datasets.versioning import VersionLedger
from tests.publishing.helpers import allocation_spec, sdg_spec, territory_spec


def _report(tmp_path, spec):
    built = package_build(
        spec=spec,
        out_dir=tmp_path / "out",
        ledger=VersionLedger(tmp_path / "ledger.json"),
        today=dt.date(2025, 1, 1),
    )
    return package_validate(built=built)


def _where(report):
    return {(i.file, i.row, i.column, i.rule) for i in report.issues}


@pytest.mark.parametrize(
    "spec", [territory_spec(), allocation_spec(), sdg_spec()], ids=lambda s: s.name
)
def test_real_extracts_are_valid(tmp_path, spec):
    report = _report(tmp_path, spec)
    assert report.valid, report_lines(report)


def test_duplicate_key(tmp_path):
    report = _report(tmp_path, territory_spec(entities="entities_duplicate_key.csv"))
    assert not report.valid
    assert ("data/entities.csv", 5, None, "primary-key") in _where(report)


def test_missing_cell(tmp_path):
    report = _report(tmp_path, territory_spec(entities="entities_missing_cell.csv"))
    assert ("data/entities.csv", 7, "lat", "missing-cell") in _where(report)


def test_unknown_municipality(tmp_path):
    report = _report(tmp_path, territory_spec(variables="variables_unknown_municipality.csv"))
    where = _where(report)
    assert ("data/variables.csv", 4, "entity_code", "entity-code-exists") in where
    assert ("data/variables.csv", 4, "entity_code", "foreign-key") in where


def test_amounts_must_add_up_to_the_budget(tmp_path):
    report = _report(tmp_path, allocation_spec(file="allocations_off_by_a_cent.csv"))
    [issue] = report.issues
    assert (issue.file, issue.row, issue.column, issue.rule) == (
        "data/allocations.csv",
        None,
        "amount_eur",
        "amounts-sum-to-budget",
    )
    assert "999.99" in issue.message and "-0.01" in issue.message


def test_sdg_goal_out_of_range(tmp_path):
    report = _report(tmp_path, sdg_spec(file="sdg_goals_goal_18.csv"))
    assert ("data/sdg_goals.csv", 18, "goal", "sdg-goal-range") in _where(report)


def test_tampered_file_fails_its_checksum(tmp_path):
    built = package_build(
        spec=sdg_spec(), out_dir=tmp_path / "out", ledger=VersionLedger(tmp_path / "l.json")
    )
    path = built.resource_get("sdg_goals").file
    path.write_text(path.read_text().replace("Fam Zero", "Fam zero"))
    rules = {issue.rule for issue in package_validate(built=built).issues}
    assert "hash-count" in rules


def test_reports_human_and_json(tmp_path):
    built = package_build(
        spec=territory_spec(entities="entities_duplicate_key.csv"),
        out_dir=tmp_path / "out",
        ledger=VersionLedger(tmp_path / "l.json"),
    )
    report = catalog_validate(packages=[built])
    lines = report_lines(report)
    assert any(
        line.startswith("mini-territory/data/entities.csv:5: primary-key:") for line in lines
    )
    paths = report_write(report=report, reports_dir=tmp_path / "reports")
    data = json.loads(paths[""].read_text())
    assert data["valid"] is False
    issue = data["packages"][0]["issues"][0]
    assert set(issue) == {"package", "file", "row", "field", "rule", "message", "severity"}
    # no timings: the same data gives the same bytes
    first = paths[""].read_bytes()
    report_write(report=catalog_validate(packages=[built]), reports_dir=tmp_path / "reports")
    assert paths[""].read_bytes() == first


# ---- The validation cache ----


def _cached_validate(tmp_path, built, references=None):
    cache = ValidationCache(tmp_path / "reports" / "cache", files=FileDigests())
    return package_validate(built=built, references=references, cache=cache)


def _built(tmp_path, spec):
    return package_build(
        spec=spec, out_dir=tmp_path / "out", ledger=VersionLedger(tmp_path / "l.json")
    )


def test_a_pass_is_reused_for_the_same_bytes(tmp_path):
    built = _built(tmp_path, sdg_spec())
    first = _cached_validate(tmp_path, built)
    second = _cached_validate(tmp_path, built)
    assert first.valid and not first.cached
    assert second.cached and second == first and second.to_dict() == first.to_dict()


def test_a_byte_changed_on_disk_is_validated_again(tmp_path):
    built = _built(tmp_path, sdg_spec())
    assert _cached_validate(tmp_path, built).valid
    path = built.resource_get("sdg_goals").file
    path.write_text(path.read_text().replace("Fam Zero", "Fam zero"))
    report = _cached_validate(tmp_path, built)
    assert not report.cached and not report.valid
    assert "hash-count" in {issue.rule for issue in report.issues}


def test_a_failure_is_never_cached(tmp_path):
    built = _built(tmp_path, territory_spec(entities="entities_duplicate_key.csv"))
    assert not _cached_validate(tmp_path, built).valid
    assert not (tmp_path / "reports" / "cache" / "mini-territory.json").exists()
    again = _cached_validate(tmp_path, built)
    assert not again.cached and not again.valid


def test_a_stored_failure_is_not_taken_for_a_pass(tmp_path):
    built = _built(tmp_path, sdg_spec())
    cache = ValidationCache(tmp_path / "cache", files=FileDigests())
    key = cache.key_make(built=built, references=References())
    report = package_validate(built=built)
    broken = PackageReport(
        report.name,
        report.version,
        (Issue(package=report.name, file="x", row=1, rule="r", message="m"),),
        1,
        1,
    )
    entry = {"format": 1, "key": key, "report": {**broken.to_dict(), "valid": True}}
    cache.entry_path(report.name).parent.mkdir(parents=True)
    cache.entry_path(report.name).write_text(json.dumps(entry))
    assert cache.report_find(name=report.name, key=key) is None


def test_other_reference_data_is_validated_again(tmp_path):
    built = _built(tmp_path, territory_spec())
    codes = {f"080{n:02d}" for n in range(1, 40)}
    first = _cached_validate(tmp_path, built, references_from({"entities": codes}))
    assert first.valid
    # Same bytes, but 08001 no longer exists in the territory: the cached pass must not hold.
    fewer = references_from({"entities": codes - {"08001"}})
    report = _cached_validate(tmp_path, built, fewer)
    assert not report.cached and not report.valid
    assert "entity-code-exists" in {issue.rule for issue in report.issues}


def test_reference_fingerprint_does_not_move_when_a_set_is_loaded(tmp_path):
    refs = References()
    files = FileDigests()
    before = refs.fingerprint("sdg_targets", files)
    refs.sdg_targets()  # loads the set into the same attribute
    assert refs.fingerprint("sdg_targets", files) == before
