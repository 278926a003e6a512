import datetime as dt
import json
import shutil

from datasets.packaging import package_build
from datasets.versioning import Digests, VersionLedger, version_bump, version_decide
from tests.publishing.helpers import DATA, territory_spec

DAY1, DAY2 = dt.date(2025, 1, 1), dt.date(2025, 2, 1)


def _digests(schema="s", content="c", metadata="m"):
    return Digests(schema=schema, content=content, metadata=metadata, resources={"a.csv": content})


def test_bump_rules():
    assert version_bump("1.2.3", "major") == "2.0.0"
    assert version_bump("1.2.3", "minor") == "1.3.0"
    assert version_bump("1.2.3", "patch") == "1.2.4"


def test_version_follows_content(tmp_path):
    ledger = VersionLedger(tmp_path / "ledger.json")
    steps = [
        (_digests(), "1.0.0", "initial"),
        (_digests(), "1.0.0", "unchanged"),
        (_digests(content="c2"), "1.1.0", "minor"),
        (_digests(content="c2", metadata="m2"), "1.1.1", "patch"),
        (_digests(schema="s2", content="c2", metadata="m2"), "2.0.0", "major"),
    ]
    for digests, version, change in steps:
        decision = version_decide(name="d", digests=digests, ledger=ledger, today=DAY1)
        assert (decision.version, decision.change) == (version, change)
    assert ledger.save()
    history = json.loads((tmp_path / "ledger.json").read_text())["datasets"]["d"]
    assert [item["version"] for item in history] == ["2.0.0", "1.1.1", "1.1.0", "1.0.0"]
    assert "Changed data in `a.csv`." in history[2]["notes"]


def test_rebuild_unchanged_is_byte_identical(tmp_path):
    ledger_path = tmp_path / "ledger.json"
    ledger = VersionLedger(ledger_path)
    first = package_build(
        spec=territory_spec(), out_dir=tmp_path / "out", ledger=ledger, today=DAY1
    )
    ledger.save()
    before = {p: p.read_bytes() for p in first.directory.rglob("*") if p.is_file()}
    again = package_build(
        spec=territory_spec(),
        out_dir=tmp_path / "out",
        ledger=VersionLedger(ledger_path),
        today=DAY2,
    )
    assert (again.version, again.change) == ("1.0.0", "unchanged")
    after = {p: p.read_bytes() for p in again.directory.rglob("*") if p.is_file()}
    assert after == before


def test_data_change_is_minor_and_logged(tmp_path):
    ledger = VersionLedger(tmp_path / "ledger.json")
    package_build(spec=territory_spec(), out_dir=tmp_path / "out", ledger=ledger, today=DAY1)
    changed = tmp_path / "variables.csv"
    shutil.copy(DATA / "variables.csv", changed)
    changed.write_text(changed.read_text().replace(",12646\n", ",12647\n"))
    built = package_build(
        spec=territory_spec(variables=changed), out_dir=tmp_path / "out", ledger=ledger, today=DAY2
    )
    assert (built.version, built.change) == ("1.1.0", "minor")
    changelog = (built.directory / "CHANGELOG.md").read_text()
    assert "## 1.1.0 — 2025-02-01 (minor)" in changelog
    # What changed inside the file, row by row on its primary key.
    assert (
        "- `data/variables.csv`: 20 → 20 rows; 0 added, 0 removed, 1 changed "
        "(by `entity_code`, `variable`, `year`)." in changelog
    )
    assert "Columns whose values changed: `value`" in changelog
    assert "## 1.0.0 — 2025-01-01 (initial)" in changelog
    assert built.descriptor["created"] == "2025-01-01T00:00:00Z"


def test_schema_change_is_major(tmp_path):
    ledger = VersionLedger(tmp_path / "ledger.json")
    package_build(spec=territory_spec(), out_dir=tmp_path / "out", ledger=ledger, today=DAY1)
    spec = territory_spec()
    schema = json.loads(spec.resources[1].schema.read_text())
    # A structural change (a type): consumers' code may break. (A reworded description
    # alone is a patch: tests/publishing/test_changelog.py.)
    schema["fields"][3]["type"] = "string"
    from dataclasses import replace

    spec = replace(spec, resources=(spec.resources[0], replace(spec.resources[1], schema=schema)))
    built = package_build(spec=spec, out_dir=tmp_path / "out", ledger=ledger, today=DAY2)
    assert (built.version, built.change) == ("2.0.0", "major")


def test_the_sites_own_datasets_are_versioned_in_the_deployment(tmp_path):
    """Versions of what the site produces go beside its exports; the committed ledger keeps
    only what the repository ships, and is not rewritten when only the site's part moved."""
    from datasets.versioning import SITE_DATASETS

    repository, site = tmp_path / "catalog_versions.json", tmp_path / "build" / "site.json"
    ledger = VersionLedger(repository, site_path=site)
    for name in ("territory", "debate-contributions"):
        version_decide(name=name, digests=_digests(), ledger=ledger, today=DAY1)
    assert ledger.save()
    assert set(json.loads(repository.read_text())["datasets"]) == {"territory"}
    assert set(json.loads(site.read_text())["datasets"]) == {"debate-contributions"}
    assert "debate-contributions" in SITE_DATASETS

    before = repository.read_bytes(), repository.stat().st_mtime_ns
    ledger = VersionLedger(repository, site_path=site)
    assert ledger.history("territory")[0].version == "1.0.0"
    decision = version_decide(
        name="debate-contributions", digests=_digests(content="c2"), ledger=ledger, today=DAY2
    )
    assert decision.version == "1.1.0"
    assert ledger.save()
    assert (repository.read_bytes(), repository.stat().st_mtime_ns) == before
    history = json.loads(site.read_text())["datasets"]["debate-contributions"]
    assert [item["version"] for item in history] == ["1.1.0", "1.0.0"]


def test_the_committed_ledger_holds_no_site_dataset_and_every_site_dataset_exists():
    from datasets.catalog import catalog_specs
    from datasets.versioning import LEDGER_PATH, SITE_DATASETS

    committed = json.loads(LEDGER_PATH.read_text(encoding="utf-8"))["datasets"]
    assert not set(committed) & SITE_DATASETS
    assert {spec.name for spec in catalog_specs()} >= SITE_DATASETS
