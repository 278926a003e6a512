"""Versions that mean something: an allocation dataset carries its formula's version, and its
changelog says what changed in content (rows per resource, amounts per municipality)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil

import pytest

from datasets.allocation.formula import FORMULAS_DIR
from datasets.catalog import allocation_spec
from datasets.changelog import table_changes
from datasets.packaging import package_build
from datasets.versioning import VersionLedger, VersionNotBumpedError

DAY1, DAY2, DAY3 = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


@pytest.fixture
def formula(tmp_path):
    path = tmp_path / "formulas" / "pgi-2024-2027.toml"
    path.parent.mkdir()
    shutil.copy(FORMULAS_DIR / "pgi-2024-2027.toml", path)
    return path


def _edit(path, *replacements):
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def _build(path, tmp_path, ledger, today, spec=None):
    return package_build(
        spec=spec or allocation_spec(path), out_dir=tmp_path / "out", ledger=ledger, today=today
    )


def test_the_dataset_version_is_the_formula_version(formula, tmp_path):
    ledger = VersionLedger(tmp_path / "ledger.json")
    built = _build(formula, tmp_path, ledger, DAY1)
    assert (built.version, built.change) == ("2.1.0", "initial")
    assert built.descriptor["version"] == "2.1.0"
    versions = {
        line.split(",")[1]
        for line in built.resource_get("allocations").file.read_text().splitlines()[1:]
    }
    assert versions == {"2.1.0"}


def test_changed_amounts_need_a_new_formula_version_and_are_listed(formula, tmp_path):
    ledger = VersionLedger(tmp_path / "ledger.json")
    _build(formula, tmp_path, ledger, DAY1)
    # A larger minimum: everybody's amount moves (the weights would change the schema's
    # column descriptions too, a major change).
    _edit(formula, ("amount_eur = 100_000", "amount_eur = 110_000"))
    with pytest.raises(VersionNotBumpedError) as caught:
        _build(formula, tmp_path, ledger, DAY2)
    assert caught.value.code == "version-not-bumped"
    assert 'write version = "2.2.0"' in str(caught.value) and str(formula) in str(caught.value)

    _edit(formula, ('version = "2.1.0"', 'version = "2.2.0"'))
    built = _build(formula, tmp_path, ledger, DAY2)
    assert (built.version, built.change) == ("2.2.0", "minor")
    changelog = (built.directory / "CHANGELOG.md").read_text(encoding="utf-8")
    section = changelog.split("## 2.2.0 — 2026-02-01 (minor)")[1].split("\n## ")[0]
    assert (
        "- `data/allocations.csv`: 311 → 311 rows; 0 added, 0 removed, 311 changed "
        "(by `formula_id`, `entity_code`)." in section
    )
    assert "  - Amounts: 310 entities' `amount_eur` changed" in section
    # The ten largest changes by name, code, difference and both amounts; then a count.
    listed = [line for line in section.splitlines() if line.startswith("    - ") and "(08" in line]
    assert len(listed) == 10 and "€ (" in listed[0] and " → " in listed[0]
    assert "    - … and 300 more" in section
    assert "`formula.version`: 2.1.0 → 2.2.0" in section
    assert "`minimum.amount_eur`: 100000 → 110000" in section
    # Only the amounts moved, not the inputs: the explanation changed, inputs.csv did not.
    assert "`data/inputs.csv`" not in section
    assert "`data/allocation_explanations.csv`: 930 → 930 rows" in section


def test_a_metadata_correction_keeps_the_formula_version(formula, tmp_path):
    ledger = VersionLedger(tmp_path / "ledger.json")
    first = _build(formula, tmp_path, ledger, DAY1)
    spec = allocation_spec(formula)
    corrected = dataclasses.replace(
        spec, keywords={**spec.keywords, "en": (*spec.keywords["en"], "PGI")}
    )
    built = _build(formula, tmp_path, ledger, DAY3, spec=corrected)
    assert built.version == first.version == "2.1.0"
    changelog = (built.directory / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.count("## 2.1.0") == 1
    assert "- 2026-03-01: metadata updated" in changelog
    # And building it again changes nothing.
    again = _build(formula, tmp_path, ledger, DAY3, spec=corrected)
    assert again.change == "unchanged"


def test_a_file_not_at_hand_is_said_so(formula, tmp_path):
    ledger = VersionLedger(tmp_path / "ledger.json")
    _build(formula, tmp_path, ledger, DAY1)
    shutil.rmtree(tmp_path / "out")  # a fresh checkout: the previous release's files are gone
    _edit(formula, ('version = "2.1.0"', 'version = "2.2.0"'))
    _edit(formula, ("amount_eur = 100_000", "amount_eur = 110_000"))
    built = _build(formula, tmp_path, ledger, DAY2)
    changelog = (built.directory / "CHANGELOG.md").read_text(encoding="utf-8")
    assert (
        "`data/allocations.csv`: changed (the previous release's file was not at hand" in changelog
    )


def test_rows_added_removed_and_changed_by_primary_key():
    old = b"code,name,value\nA,a,1\nB,b,2\nC,c,3\n"
    new = b"code,name,value,extra\nA,a,1,x\nB,b,5,x\nD,d,4,x\n"
    notes = table_changes("data/t.csv", old, new, {"primaryKey": ["code"]})
    assert notes[0] == (
        "`data/t.csv`: 3 → 3 rows; 1 added, 1 removed, 1 changed (by `code`); "
        "columns added: `extra`."
    )
    assert notes[1] == "  - Columns whose values changed: `value`"


def _redescribed(spec, resource_name: str):
    """The spec with one column's description reworded (nothing structural)."""
    resource = spec.resource_get(resource_name)
    schema = resource.schema_load()
    schema["fields"][0] = {**schema["fields"][0], "description": "Reworded."}
    changed = dataclasses.replace(resource, schema=schema)
    resources = tuple(changed if r.name == resource_name else r for r in spec.resources)
    return dataclasses.replace(spec, resources=resources)


def test_a_reworded_column_description_is_not_a_breaking_change(formula, tmp_path):
    from tests.publishing.helpers import territory_spec

    ledger = VersionLedger(tmp_path / "ledger.json")
    territory = territory_spec()
    package_build(spec=territory, out_dir=tmp_path / "t", ledger=ledger, today=DAY1)
    built = package_build(
        spec=_redescribed(territory, "entities"), out_dir=tmp_path / "t", ledger=ledger, today=DAY2
    )
    assert (built.version, built.change) == ("1.0.1", "patch")
    changelog = (built.directory / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Table Schema documentation changed (column titles or descriptions)." in changelog

    # An allocation keeps its formula's version: noted, not refused.
    _build(formula, tmp_path, ledger, DAY1)
    spec = _redescribed(allocation_spec(formula), "allocations")
    built = _build(formula, tmp_path, ledger, DAY2, spec=spec)
    assert (built.version, built.change) == ("2.1.0", "patch")


def test_a_renamed_column_is_a_breaking_change(tmp_path):
    from tests.publishing.helpers import territory_spec

    ledger = VersionLedger(tmp_path / "ledger.json")
    territory = territory_spec()
    package_build(spec=territory, out_dir=tmp_path / "t", ledger=ledger, today=DAY1)
    resource = territory.resource_get("entities")
    schema = resource.schema_load()
    schema["fields"][-1] = {**schema["fields"][-1], "type": "string"}
    changed = dataclasses.replace(resource, schema=schema)
    spec = dataclasses.replace(
        territory,
        resources=tuple(changed if r.name == "entities" else r for r in territory.resources),
    )
    built = package_build(spec=spec, out_dir=tmp_path / "t", ledger=ledger, today=DAY2)
    assert (built.version, built.change) == ("2.0.0", "major")
