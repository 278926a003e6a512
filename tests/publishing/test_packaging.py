import datetime as dt
import hashlib
import json
import os

from frictionless import Package

from datasets.catalog import ResourceSpec, Table, catalog_select, catalog_specs, text
from datasets.fingerprint import FileDigests
from datasets.packaging import DATAPACKAGE_PROFILE, BuildCache, package_build, table_bytes
from datasets.versioning import VersionLedger
from tests.publishing.helpers import allocation_spec, spec_make, territory_spec


def _build(tmp_path, spec):
    return package_build(
        spec=spec,
        out_dir=tmp_path / "out",
        ledger=VersionLedger(tmp_path / "ledger.json"),
        today=dt.date(2025, 1, 1),
    )


def test_package_layout_and_descriptor(tmp_path):
    built = _build(tmp_path, territory_spec())
    files = sorted(
        p.relative_to(built.directory).as_posix() for p in built.directory.rglob("*") if p.is_file()
    )
    assert files == [
        "CHANGELOG.md",
        "README.md",
        "data/entities.csv",
        "data/variables.csv",
        "datapackage.json",
    ]
    descriptor = json.loads(built.descriptor_path.read_text())
    assert descriptor["$schema"] == DATAPACKAGE_PROFILE
    assert descriptor["version"] == "1.0.0"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["contributors"][0]["roles"] == ["publisher"]
    assert set(descriptor["concertem"]["title"]) == {"ca", "es", "en"}
    for resource in descriptor["resources"]:
        data = (built.directory / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert resource["type"] == "table" and "primaryKey" in resource["schema"]
    # frictionless reads it back as a valid v2 package
    assert Package(str(built.descriptor_path)).validate().valid


def test_readme_has_dictionary_licence_and_citation(tmp_path):
    built = _build(tmp_path, territory_spec())
    readme = (built.directory / "README.md").read_text()
    assert "| `entity_code` | string | INE code |" in readme
    assert "Primary key: `entity_code`, `variable`, `year`." in readme
    assert "Creative Commons Attribution 4.0" in readme
    assert "## How to cite" in readme and "(version 1.0.0)" in readme


def test_foreign_keys_to_other_packages_are_set_apart(tmp_path):
    built = _build(tmp_path, allocation_spec())
    assert built.external_keys == ()
    [indicators] = catalog_select(catalog_specs(), ["territorial-indicators"])
    values = indicators.resource_get("indicator_values")
    schema = values.schema_load()
    refs = {key["reference"]["resource"] for key in schema["foreignKeys"]}
    assert "entities" in refs  # the file says so; packaging must move it out of the package


def test_csv_dialect_is_fixed():
    data, rows = table_bytes(("a", "b"), [(1, None), ("x,y", True)])
    assert data == b'a,b\n1,\n"x,y",true\n' and rows == 2


def test_catalogue_describes_every_dataset_in_three_languages():
    specs = catalog_specs()
    names = {spec.name for spec in specs}
    assert {
        "territory",
        "socioeconomic-variables",
        "sdg-framework",
        "territorial-indicators",
    } <= names
    assert any(name.startswith("allocation-") for name in names)
    for spec in specs:
        for texts in (spec.title, spec.description):
            assert all(texts[lang].strip() for lang in ("ca", "es", "en")), spec.name
        assert spec.licence.url.startswith("https://") and spec.sources
        assert spec.temporal[0] <= spec.temporal[1]
        assert len({r.name for r in spec.resources}) == len(spec.resources)


# ---- The build cache ----


def _cached_build(tmp_path, spec, *, ledger=None):
    ledger = ledger or VersionLedger(tmp_path / "ledger.json")
    built = package_build(
        spec=spec,
        out_dir=tmp_path / "out",
        ledger=ledger,
        today=dt.date(2025, 1, 1),
        cache=BuildCache(tmp_path / "cache", files=FileDigests()),
    )
    ledger.save()
    return built


def _counted_table_spec(tmp_path, *, inputs):
    """A package with one table produced by a function, and a count of its calls."""
    source = tmp_path / "source.csv"
    if not source.exists():
        source.write_text("goal,title\n1,One\n")
    calls = []

    def sdg_goals_table():
        calls.append(1)
        rows = [line.split(",") for line in source.read_text().splitlines()]
        return Table(header=tuple(rows[0]), rows=rows[1:])

    resource = ResourceSpec(
        name="goals",
        path="data/goals.csv",
        title=text("Objectius", "Objetivos", "Goals"),
        description=text("Prova.", "Prueba.", "Test."),
        table=sdg_goals_table,
        schema={"fields": [{"name": "goal", "type": "integer"}, {"name": "title"}]},
        inputs=inputs(source),
    )
    return spec_make("mini-goals", (resource,)), source, calls


def test_unchanged_inputs_are_not_built_again(tmp_path):
    spec, _, calls = _counted_table_spec(tmp_path, inputs=lambda source: (source,))
    first = _cached_build(tmp_path, spec)
    again = _cached_build(tmp_path, spec)
    assert calls == [1]  # produced once
    assert (again.version, again.change) == ("1.0.0", "unchanged")
    assert again.descriptor == first.descriptor and again.resources == first.resources
    assert again.digests == first.digests


def test_a_changed_input_is_built_again(tmp_path):
    spec, source, calls = _counted_table_spec(tmp_path, inputs=lambda source: (source,))
    _cached_build(tmp_path, spec)
    source.write_text("goal,title\n1,One\n2,Two\n")
    built = _cached_build(tmp_path, spec)
    assert calls == [1, 1] and (built.version, built.change) == ("1.1.0", "minor")
    assert built.resource_get("goals").file.read_text().endswith("2,Two\n")


def test_a_producer_without_declared_inputs_runs_every_time(tmp_path):
    spec, _, calls = _counted_table_spec(tmp_path, inputs=lambda source: None)
    _cached_build(tmp_path, spec)
    _cached_build(tmp_path, spec)
    assert calls == [1, 1]


def test_a_file_edited_in_the_build_is_rebuilt(tmp_path):
    spec = territory_spec()
    first = _cached_build(tmp_path, spec)
    target = first.resource_get("entities").file
    original = target.read_bytes()
    target.write_bytes(original.replace(b"Abrera", b"Abrerb"))
    (first.directory / "stray.txt").write_text("left behind")
    again = _cached_build(tmp_path, spec)
    assert target.read_bytes() == original  # rebuilt, not trusted
    assert not (first.directory / "stray.txt").exists()
    assert again.change == "unchanged"


def test_a_new_version_history_is_built_again(tmp_path):
    spec = territory_spec()
    _cached_build(tmp_path, spec)
    (tmp_path / "ledger.json").unlink()  # e.g. a fresh clone with another ledger
    built = _cached_build(tmp_path, spec, ledger=VersionLedger(tmp_path / "ledger.json"))
    assert built.change == "initial"
    assert json.loads((tmp_path / "ledger.json").read_text())["datasets"]["mini-territory"]


def test_cached_and_fresh_builds_are_the_same_package(tmp_path):
    spec = territory_spec()
    cached = _cached_build(tmp_path / "a", spec)
    cached = _cached_build(tmp_path / "a", spec)
    fresh = _build(tmp_path / "b", spec)
    assert cached.descriptor == fresh.descriptor and cached.external_keys == fresh.external_keys
    assert [(r.name, r.path, r.sha256, r.bytes, r.schema, r.rows) for r in cached.resources] == [
        (r.name, r.path, r.sha256, r.bytes, r.schema, r.rows) for r in fresh.resources
    ]


# ---- File digests ----


def test_file_digests_are_remembered_by_stat_and_see_any_edit(tmp_path, monkeypatch):
    import datasets.fingerprint

    # A file written in the last two seconds is never remembered; no waiting in tests.
    monkeypatch.setattr(datasets.fingerprint, "RACY_SECONDS", -1.0)
    path = tmp_path / "data.csv"
    path.write_text("a,b\n1,2\n")
    old = 1_600_000_000
    os.utime(path, (old, old))
    memo = tmp_path / "files.json"
    files = FileDigests(memo)
    first = files.file_digest(path)
    assert files.save() and memo.exists()
    # Same size, same mtime, other bytes: the ctime still moves, so it is hashed again.
    path.write_text("a,b\n1,3\n")
    os.utime(path, (old, old))
    again = FileDigests(memo).file_digest(path)
    assert again != first and again == hashlib.sha256(b"a,b\n1,3\n").hexdigest()


def test_a_file_written_just_now_is_not_remembered(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("x\n")
    files = FileDigests(tmp_path / "files.json")
    assert files.file_digest(path) == hashlib.sha256(b"x\n").hexdigest()
    assert not files.save()  # it could change again within the same clock tick
