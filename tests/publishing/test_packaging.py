import datetime as dt
import hashlib
import json

from frictionless import Package

from datasets.catalog import catalog_select, catalog_specs
from datasets.packaging import DATAPACKAGE_PROFILE, package_build, table_bytes
from datasets.versioning import VersionLedger
from tests.publishing.helpers import allocation_spec, territory_spec


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
