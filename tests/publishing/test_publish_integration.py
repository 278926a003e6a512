"""The publishing pipeline against the REAL local CKAN 2.12 (``concertem ckan-server start``).

Every test publishes under its own dataset-name prefix and purges what it made, so the demo
data and other tests are left alone. The fault test stops the CKAN web process (only that
process, through the server module's own functions) and starts it again.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid

import pytest
import requests

from ckanlocal import server
from publishing.ckan import CkanGateway, packages_find
from publishing.pipeline import PublishEvent, catalog_publish
from tests.ckan_fixtures import ckan_server_config
from tests.publishing.helpers import DATA, allocation_spec, sdg_spec, territory_spec

pytestmark = pytest.mark.integration


@pytest.fixture
def prefix(ckan_client):
    value = f"it{uuid.uuid4().hex[:8]}-"
    yield value
    found = ckan_client.action.package_search(q=f"name:{value}*", rows=100, include_private=True)
    for package in found["results"]:
        if package["name"].startswith(value):
            ckan_client.action.dataset_purge(id=package["id"])


@pytest.fixture
def config(ckan_server, prefix):
    return ckan_server_config(ckan_server, prefix, timeout=20)


def _publish(tmp_path, config, specs, **kwargs):
    return catalog_publish(
        config=config,
        specs=specs,
        build_dir=tmp_path / "build",
        ledger_path=tmp_path / "ledger.json",
        **kwargs,
    )


def _resources(client, name):
    return client.action.package_show(id=name)["resources"]


def test_publish_then_republish(tmp_path, config, ckan_client):
    specs = [territory_spec(), allocation_spec()]
    first = _publish(tmp_path, config, specs)
    assert first.ok, [r.error for r in first.datasets]
    assert [r.status for r in first.datasets] == ["created", "created"]

    # Every file downloads byte for byte; tables answer datastore_search.
    resources = _resources(ckan_client, f"{config.dataset_prefix}mini-territory")
    assert [r["name"] for r in resources] == [
        "entities",
        "variables",
        "datapackage",
        "readme",
        "changelog",
        "validation-report",
    ]
    for resource in resources:
        body = requests.get(
            resource["url"], timeout=20, headers={"Authorization": config.api_key}
        ).content
        assert hashlib.sha256(body).hexdigest() == resource["hash"], resource["name"]
    search = ckan_client.action.datastore_search(resource_id=resources[0]["id"], limit=3)
    assert search["total"] == 15 and search["records"][0]["entity_code"] == "08001"
    search = ckan_client.action.datastore_search(
        resource_id=resources[1]["id"], filters={"entity_code": "08001"}
    )
    assert search["total"] >= 1

    # Nothing changed: one read for the catalogue, nothing uploaded, nothing validated again.
    second = _publish(tmp_path, config, specs)
    assert [r.status for r in second.datasets] == ["unchanged", "unchanged"]
    assert second.stats.bytes_uploaded == 0
    assert second.stats.calls == second.stats.reads == 1
    assert all(result.validation.cached for result in second.datasets)


def test_unchanged_catalogue_is_one_search_that_answers_what_package_show_does(
    tmp_path, config, ckan_client
):
    specs = [territory_spec(), allocation_spec(), sdg_spec()]
    assert _publish(tmp_path, config, specs).ok
    again = _publish(tmp_path, config, specs)
    assert [r.status for r in again.datasets] == ["unchanged"] * len(specs)
    assert again.stats.calls == again.stats.reads == 1 and again.stats.bytes_uploaded == 0

    # The plan reads the search's dicts as it read package_show's: they must be the same,
    # DataStore flags and marks, hashes and extras included.
    names = [f"{config.dataset_prefix}{spec.name}" for spec in specs]
    with CkanGateway(config) as gateway:
        found = packages_find(gateway, organization=config.owner_org, names=names, what="catalogue")
        assert gateway.stats.calls == 1
    assert sorted(found) == sorted(names)
    for name in names:
        shown = ckan_client.action.package_show(id=name)
        assert found[name] == shown, name
        assert all(r["hash"] for r in found[name]["resources"])
        tables = [r for r in found[name]["resources"] if r["format"] == "CSV"]
        assert tables and all(
            r["datastore_active"] and r["datastore_sha256"] == r["hash"] for r in tables
        )


def test_changed_data_replaces_in_place(tmp_path, config, ckan_client):
    _publish(tmp_path, config, [territory_spec()])
    name = f"{config.dataset_prefix}mini-territory"
    before = {r["name"]: r["id"] for r in _resources(ckan_client, name)}
    changed = tmp_path / "variables.csv"
    shutil.copy(DATA / "variables.csv", changed)
    changed.write_text(changed.read_text().replace(",12646\n", ",12647\n"))

    report = _publish(tmp_path, config, [territory_spec(variables=changed)])
    [result] = report.datasets
    assert result.status == "updated" and result.version == "1.1.0"
    after = _resources(ckan_client, name)
    assert {r["name"]: r["id"] for r in after} == before
    variables = next(r for r in after if r["name"] == "variables")
    assert variables["hash"] == hashlib.sha256(changed.read_bytes()).hexdigest()
    rows = ckan_client.action.datastore_search(
        resource_id=variables["id"],
        filters={"entity_code": "08001", "variable": "population", "year": 2021},
    )["records"]
    assert [str(row["value"]) for row in rows] == ["12647"]
    assert ckan_client.action.package_show(id=name)["version"] == "1.1.0"


def test_invalid_package_never_reaches_ckan(tmp_path, config, ckan_client):
    spec = territory_spec(entities="entities_duplicate_key.csv")
    report = _publish(tmp_path, config, [spec])
    [result] = report.datasets
    assert result.status == "refused" and report.stats.calls == 0
    found = ckan_client.action.package_search(q=f"name:{config.dataset_prefix}*")
    assert found["count"] == 0


def test_one_changed_invalid_cell_is_refused_and_ckan_keeps_the_last_version(
    tmp_path, config, ckan_client
):
    entities = tmp_path / "entities.csv"
    shutil.copy(DATA / "entities.csv", entities)
    spec = territory_spec(entities=entities)
    assert _publish(tmp_path, config, [spec]).ok
    name = f"{config.dataset_prefix}mini-territory"
    before = ckan_client.action.package_show(id=name)

    entities.write_text(entities.read_text().replace(",12612,", ",12612 hab,"))
    report = _publish(tmp_path, config, [spec])
    [result] = report.datasets
    assert result.status == "refused" and not result.validation.cached
    assert report.stats.calls == 0  # not even a read
    after = ckan_client.action.package_show(id=name)
    assert after["version"] == before["version"] == "1.0.0"
    assert [r["hash"] for r in after["resources"]] == [r["hash"] for r in before["resources"]]


def test_wrong_api_key_is_a_clear_error(tmp_path, config):
    report = _publish(tmp_path, config.with_(api_key="not-a-token"), [territory_spec()])
    [result] = report.datasets
    assert result.status == "failed"
    assert result.error_code in ("ckan-not-authorized", "ckan-organization-missing")
    assert "\n" not in result.error and "CKAN" in result.error


def test_ckan_killed_mid_run_then_rerun_converges(tmp_path, config, ckan_client):
    specs = [territory_spec(), allocation_spec()]
    paths = server.paths_resolve()
    killed = []

    def kill_after_first_upload(event: PublishEvent) -> None:
        if not killed and event.resource == "variables" and event.stage == "publish":
            killed.append(event)
            server.ckan_process_stop(paths=paths, force=True, echo=lambda _: None)

    try:
        report = _publish(tmp_path, config, specs, progress=kill_after_first_upload)
    finally:
        server.ckan_process_start(paths=paths, echo=lambda _: None)
    assert killed
    first, second = report.datasets
    assert first.status == "failed" and first.error_code == "ckan-unavailable"
    assert "mini-territory/variables" in first.error and "run the same command" in first.error
    assert second.status == "skipped"

    rerun = _publish(tmp_path, config, specs)
    assert rerun.ok, [r.error for r in rerun.datasets]
    for spec, expected in ((specs[0], 6), (specs[1], 5)):
        resources = _resources(ckan_client, f"{config.dataset_prefix}{spec.name}")
        names = [r["name"] for r in resources]
        assert len(names) == len(set(names)) == expected, names
        for resource in resources:
            if resource["format"] == "CSV":
                assert resource["datastore_sha256"] == resource["hash"]
    third = _publish(tmp_path, config, specs)
    assert third.stats.bytes_uploaded == 0 and third.stats.calls == 1
