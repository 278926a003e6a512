"""CKAN's copy of each datapackage.json is usable as it stands: its resource paths are the
files' CKAN URLs, so frictionless loads and validates it by its CKAN URL alone."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import frictionless
import pytest

from datasets.catalog import catalog_specs
from publishing.pipeline import catalog_publish
from tests.publishing.helpers import territory_spec

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def _publish(tmp_path, fake, config, specs):
    return catalog_publish(
        config=config,
        specs=specs,
        gateway=fake,
        build_dir=tmp_path / "build",
        ledger_path=tmp_path / "ledger.json",
    )


def test_uploaded_descriptor_points_at_the_ckan_files(tmp_path, fake_ckan, ckan_config):
    _publish(tmp_path, fake_ckan, ckan_config, [territory_spec()])
    resources = fake_ckan.packages["mini-territory"]["resources"]
    urls = {resource["name"]: resource["url"] for resource in resources}
    [remote] = [resource for resource in resources if resource["name"] == "datapackage"]
    uploaded = tmp_path / "build" / "ckan" / "mini-territory" / "datapackage.json"
    assert hashlib.sha256(uploaded.read_bytes()).hexdigest() == remote["hash"]
    paths = {r["name"]: r["path"] for r in json.loads(uploaded.read_text())["resources"]}
    assert paths == {name: urls[name] for name in paths}
    assert all(path.startswith("http://ckan.test/dataset/") for path in paths.values())
    # The site's copy keeps the package's own relative paths: it is served as a folder.
    built = tmp_path / "build" / "datapackages" / "mini-territory" / "datapackage.json"
    assert {r["path"] for r in json.loads(built.read_text())["resources"]} == {
        "data/entities.csv",
        "data/variables.csv",
    }
    # Every table gets CKAN's DataTables view, once.
    for resource in resources:
        views = fake_ckan.views.get(resource["id"], [])
        expected = ["datatables_view"] if resource.get("datastore_active") else []
        assert [view["view_type"] for view in views] == expected, resource["name"]

    fake_ckan.reset()
    again = _publish(tmp_path, fake_ckan, ckan_config, [territory_spec()])
    assert [r.status for r in again.datasets] == ["unchanged"]
    assert fake_ckan.actions() == ["package_show"] and again.stats.bytes_uploaded == 0


def test_descriptor_follows_a_file_whose_url_changes(tmp_path, fake_ckan, ckan_config):
    _publish(tmp_path, fake_ckan, ckan_config, [territory_spec()])
    package = fake_ckan.packages["mini-territory"]
    # Someone deletes a file on CKAN: the next run recreates it under a new URL, and the
    # descriptor on CKAN must name that URL, not the dead one.
    gone = next(r for r in package["resources"] if r["name"] == "variables")
    package["resources"].remove(gone)
    fake_ckan.reset()
    report = _publish(tmp_path, fake_ckan, ckan_config, [territory_spec()])
    assert [r.status for r in report.datasets] == ["updated"]
    resources = fake_ckan.packages["mini-territory"]["resources"]
    new_url = next(r["url"] for r in resources if r["name"] == "variables")
    assert new_url != gone["url"]
    uploaded = tmp_path / "build" / "ckan" / "mini-territory" / "datapackage.json"
    paths = {r["name"]: r["path"] for r in json.loads(uploaded.read_text())["resources"]}
    assert paths["variables"] == new_url
    [remote] = [r for r in resources if r["name"] == "datapackage"]
    assert remote["hash"] == hashlib.sha256(uploaded.read_bytes()).hexdigest()


@pytest.mark.integration
def test_every_datapackage_on_ckan_validates_by_its_ckan_url(published_catalogue, ckan_client):
    report, _ = published_catalogue
    assert report.ok, [(r.name, r.status, r.error) for r in report.datasets]
    assert len(report.datasets) == len(catalog_specs()) == 12
    valid = []
    for result in report.datasets:
        package = ckan_client.action.package_show(id=result.ckan_name)
        [url] = [r["url"] for r in package["resources"] if r["name"] == "datapackage"]
        files = {r["name"]: r["url"] for r in package["resources"]}
        # What a consumer types: the CLI, then the library, on the CKAN URL alone.
        done = subprocess.run(
            [str(FRICTIONLESS), "validate", url], capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, f"{result.name}: {done.stdout[-3000:]}"
        loaded = frictionless.Package(url)
        assert loaded.resources, result.name
        for resource in loaded.resources:
            assert resource.path == files[resource.name], (result.name, resource.name)
        checked = frictionless.validate(url)
        assert checked.valid, (result.name, checked.flatten(["type", "note"])[:5])
        assert len(checked.tasks) == len(loaded.resources)
        valid.append(result.name)
    assert len(valid) == 12
