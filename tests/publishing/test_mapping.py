import dataclasses
import datetime as dt
import hashlib
import json

from datasets.catalog import Source
from datasets.packaging import package_build
from datasets.versioning import VersionLedger
from publishing.datastore import datastore_batches, datastore_fields
from publishing.mapping import (
    METADATA_DIGEST_KEY,
    dataset_local,
    package_dict,
    source_uris,
)
from tests.publishing.helpers import territory_spec


def _built(tmp_path):
    return package_build(
        spec=territory_spec(),
        out_dir=tmp_path / "out",
        ledger=VersionLedger(tmp_path / "l.json"),
        today=dt.date(2025, 1, 1),
    )


def test_package_fields_for_dcat(tmp_path, ckan_config):
    config = ckan_config.with_(dataset_prefix="t-", site_url="https://concertem.example")
    package = package_dict(built=_built(tmp_path), config=config)
    assert package["name"] == "t-mini-territory"
    assert package["owner_org"] == "diputacio-barcelona"
    # A versioned licence id (SPDX), not CKAN's generic "cc-by".
    assert package["license_id"] == "CC-BY-4.0" and package["version"] == "1.0.0"
    # ckanext-dcat's scheming fields, as the local CKAN's schema declares them.
    assert package["title_translated"]["es"] == "mini-territory (es)"
    assert package["notes"] == package["notes_translated"]["ca"]
    assert package["frequency"].endswith("/frequency/ANNUAL")
    assert package["language"][0].endswith("/language/CAT")
    assert package["access_rights"].endswith("/access-right/PUBLIC")
    assert package["publisher"][0]["name"] == "Diputació de Barcelona"
    assert package["contact"][0]["email"] == "dadesobertes@diba.cat"
    assert package["temporal_coverage"][0]["start"]
    assert package["url"] == "https://concertem.example/ca/dades/mini-territory/"
    assert package["uri"] == "http://ckan.test/dataset/t-mini-territory"
    [spatial] = package["spatial_coverage"]
    assert spatial["uri"] == "http://data.europa.eu/nuts/code/ES511"
    west, south = json.loads(spatial["bbox"])["coordinates"][0][0]
    lon, lat = json.loads(spatial["centroid"])["coordinates"]
    assert 1.3 < west < lon < 2.8 and 41.1 < south < lat < 42.4  # the province of Barcelona
    assert package["version_notes"]
    assert {"name": "prova"} in package["tags"]
    assert [item["key"] for item in package["extras"]] == [METADATA_DIGEST_KEY]


def test_sources_name_datasets_not_the_publishers_home_page(ckan_config):
    spec = territory_spec()
    own = Source(title="This project", url=spec.publisher.url, licence="", attribution="")
    external = Source(title="INE", url="https://ine.example/d/1", licence="", attribution="")
    derived = dataclasses.replace(spec, derived_from=("upstream",), sources=(own, external))
    sources = source_uris(derived, ckan_config.with_(dataset_prefix="p-"))
    assert sources == ["http://ckan.test/dataset/p-upstream", "https://ine.example/d/1"]


def test_metadata_digest_is_stable(tmp_path, ckan_config):
    built = _built(tmp_path)
    first = package_dict(built=built, config=ckan_config)
    assert first == package_dict(built=built, config=ckan_config)
    other = package_dict(built=built, config=ckan_config.with_(owner_org="other"))
    digest = {e["key"]: e["value"] for e in first["extras"]}[METADATA_DIGEST_KEY]
    assert digest != {e["key"]: e["value"] for e in other["extras"]}[METADATA_DIGEST_KEY]


def test_resources_carry_their_sha256(tmp_path, ckan_config):
    built = _built(tmp_path)
    local = dataset_local(built=built, config=ckan_config, report_path=None)
    names = [resource.name for resource in local.resources]
    assert names == ["entities", "variables", "datapackage", "readme", "changelog"]
    for resource in local.resources:
        assert resource.data["hash"] == hashlib.sha256(resource.file.read_bytes()).hexdigest()
        assert all(isinstance(value, str) for value in resource.data.values())
    entities = local.resources[0]
    assert entities.tabular and json.loads(entities.data["schema"])["primaryKey"] == ["entity_code"]
    assert entities.data["format"] == "CSV"


def test_datastore_fields_and_records(tmp_path):
    built = _built(tmp_path)
    entities = built.resource_get("entities")
    fields = {f["id"]: f["type"] for f in datastore_fields(entities.schema)}
    assert fields["entity_code"] == "text"
    assert fields["population"] == "int8" and fields["surface_km2"] == "numeric"
    batches = list(datastore_batches(file=entities.file, schema=entities.schema, size=4))
    assert [len(batch) for batch in batches] == [4, 4, 4, 3]
    first = batches[0][0]
    assert first["entity_code"] == "08001" and first["population"] == 12612
    assert first["surface_km2"] == "19.98"  # numbers stay exact


def test_ckan_tags_drop_characters_ckan_refuses():
    from publishing.mapping import tags_clean

    assert tags_clean(["oficina d'atenció als municipis", "ODS", "a", "ODS", "x/y"]) == [
        "oficina d atenció als municipis",
        "ODS",
        "x y",
    ]
