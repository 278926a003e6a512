"""The plan and its idempotency, against an in-memory CKAN; the gateway's retries, against a
scripted HTTP transport. The real CKAN is in test_publish_integration.py."""

import json
import shutil

import pytest
import requests

from publishing.ckan import CkanGateway
from publishing.config import CkanConfig
from publishing.errors import (
    CkanConfigError,
    CkanNotAuthorizedError,
    CkanRequestError,
    CkanUnavailableError,
)
from publishing.pipeline import catalog_publish
from publishing.transport import CountingSession
from tests.publishing.helpers import DATA, FakeCkan, Scripted, allocation_spec, territory_spec


def _publish(tmp_path, fake, config, specs, **kwargs):
    return catalog_publish(
        config=config,
        specs=specs,
        gateway=fake,
        build_dir=tmp_path / "build",
        ledger_path=tmp_path / "ledger.json",
        **kwargs,
    )


def test_first_publish_creates_everything(tmp_path, fake_ckan, ckan_config):
    report = _publish(tmp_path, fake_ckan, ckan_config, [territory_spec(), allocation_spec()])
    assert report.ok and [r.status for r in report.datasets] == ["created", "created"]
    package = fake_ckan.packages["mini-territory"]
    names = [r["name"] for r in package["resources"]]
    assert names == [
        "entities",
        "variables",
        "datapackage",
        "readme",
        "changelog",
        "validation-report",
    ]
    for resource in package["resources"][:2]:
        assert resource["datastore_active"] and resource["datastore_sha256"] == resource["hash"]
    rows = fake_ckan.datastore[package["resources"][0]["id"]]
    assert len(rows) == 15
    assert report.stats.bytes_uploaded > 0
    assert (tmp_path / "build" / "dcat" / "catalog.jsonld").exists()


def test_second_publish_reads_once_and_uploads_nothing(tmp_path, fake_ckan, ckan_config):
    specs = [territory_spec(), allocation_spec()]
    _publish(tmp_path, fake_ckan, ckan_config, specs)
    fake_ckan.reset()
    report = _publish(tmp_path, fake_ckan, ckan_config, specs)
    assert [r.status for r in report.datasets] == ["unchanged", "unchanged"]
    assert fake_ckan.actions() == ["package_search"]  # one read for the catalogue
    assert report.stats.bytes_uploaded == 0


def test_changed_file_is_replaced_in_place(tmp_path, fake_ckan, ckan_config):
    _publish(tmp_path, fake_ckan, ckan_config, [territory_spec()])
    before = {r["name"]: r["id"] for r in fake_ckan.packages["mini-territory"]["resources"]}
    changed = tmp_path / "variables.csv"
    shutil.copy(DATA / "variables.csv", changed)
    changed.write_text(changed.read_text().replace(",12646\n", ",12647\n"))
    fake_ckan.reset()
    report = _publish(tmp_path, fake_ckan, ckan_config, [territory_spec(variables=changed)])
    [result] = report.datasets
    assert result.status == "updated" and result.version == "1.1.0"
    assert not result.validation.cached  # new bytes are always validated
    after = {r["name"]: r["id"] for r in fake_ckan.packages["mini-territory"]["resources"]}
    assert after == before  # same ids, same count: replaced, never duplicated
    actions = fake_ckan.actions()
    assert "resource_create" not in actions and "resource_delete" not in actions
    assert (
        "datastore_delete",
        {"resource_id": before["variables"], "force": True},
    ) in fake_ckan.calls
    values = [row["value"] for row in fake_ckan.datastore[before["variables"]]]
    assert "12647" in values and "12646" not in values


def test_removed_and_duplicate_resources_are_deleted(tmp_path, fake_ckan, ckan_config):
    _publish(tmp_path, fake_ckan, ckan_config, [territory_spec()])
    package = fake_ckan.packages["mini-territory"]
    copy = dict(package["resources"][0], id="dup", hash="stale")
    package["resources"].append(copy)
    package["resources"].append(dict(package["resources"][1], id="old", name="gone"))
    fake_ckan.reset()
    _publish(tmp_path, fake_ckan, ckan_config, [territory_spec()])
    deleted = [data["id"] for action, data in fake_ckan.calls if action == "resource_delete"]
    assert sorted(deleted) == ["dup", "old"]
    assert len(package["resources"]) == 6  # its files, descriptor, readme, changelog, report


def test_invalid_package_never_reaches_ckan(tmp_path, fake_ckan, ckan_config):
    spec = territory_spec(entities="entities_duplicate_key.csv")
    report = _publish(tmp_path, fake_ckan, ckan_config, [spec])
    [result] = report.datasets
    assert result.status == "refused" and not report.ok
    assert fake_ckan.calls == []
    saved = json.loads((tmp_path / "build" / "reports" / "validation.json").read_text())
    assert saved["valid"] is False


def test_dry_run_plans_without_writing(tmp_path, fake_ckan, ckan_config):
    report = _publish(tmp_path, fake_ckan, ckan_config, [territory_spec()], dry_run=True)
    [result] = report.datasets
    assert result.status == "planned" and result.plan.action == "create"
    assert {step.action for step in result.plan.steps} == {"create"}
    assert fake_ckan.actions() == ["package_show"]


def test_missing_organisation_is_created(tmp_path, ckan_config):
    fake = FakeCkan()
    fake.organizations.clear()
    report = _publish(tmp_path, fake, ckan_config, [territory_spec()])
    assert report.ok and "diputacio-barcelona" in fake.organizations


def test_not_authorized_stops_the_run(tmp_path, ckan_config):
    fake = FakeCkan(authorized=False)
    report = _publish(tmp_path, fake, ckan_config, [territory_spec(), allocation_spec()])
    assert [r.status for r in report.datasets] == ["failed", "skipped"]
    assert (
        report.datasets[0].error_code == "ckan-organization-missing"
        or report.datasets[0].error_code == "ckan-not-authorized"
    )


# ---- CkanGateway over a scripted transport ----


def _gateway(answers, **config):
    session = CountingSession()
    adapter = Scripted(answers)
    session.mount("http://ckan.test", adapter)
    sleeps = []
    settings = {"retries": 2, "backoff_base": 0.01, "backoff_max": 0.02, "timeout": 7.0, **config}
    gateway = CkanGateway(
        CkanConfig(url="http://ckan.test", api_key="k", **settings),
        session=session,
        sleep=sleeps.append,
    )
    return gateway, adapter, sleeps


OK = (200, {"success": True, "result": {"id": "x"}})


def test_transient_failures_are_retried_with_backoff():
    gateway, adapter, sleeps = _gateway(
        [
            requests.ConnectionError("refused"),
            (503, "<html>Service Unavailable</html>"),
            OK,
        ]
    )
    assert gateway.call("package_show", {"id": "x"}, what="d") == {"id": "x"}
    assert sleeps == [0.01, 0.02]
    assert all(timeout == 7.0 for _, timeout in adapter.seen)  # the timeout is always set
    assert gateway.stats.calls == 3 and gateway.stats.reads == 3


def test_gives_up_with_a_clear_error():
    gateway, _, _ = _gateway([requests.ReadTimeout("slow")] * 3)
    with pytest.raises(CkanUnavailableError) as caught:
        gateway.call("resource_patch", {"id": "r"}, what="territory/entities")
    message = str(caught.value)
    assert caught.value.code == "ckan-unavailable"
    assert "territory/entities" in message and "3 attempts" in message and "run the same" in message


def test_recover_prevents_a_duplicate_create():
    gateway, adapter, _ = _gateway([requests.ConnectionError("reset")])
    found = gateway.call("resource_create", {}, what="d/r", recover=lambda: {"id": "made"})
    assert found == {"id": "made"} and len(adapter.seen) == 1


def test_not_authorized_is_one_line():
    body = {
        "success": False,
        "error": {"__type": "Authorization Error", "message": "Access denied"},
    }
    gateway, _, _ = _gateway([(403, body)])
    with pytest.raises(CkanNotAuthorizedError) as caught:
        gateway.call("package_create", {}, what="territory")
    assert "\n" not in str(caught.value) and "CKAN_API_KEY" in str(caught.value)


def test_client_errors_are_not_retried():
    body = {"success": False, "error": {"__type": "Validation Error", "name": ["taken"]}}
    gateway, adapter, _ = _gateway([(409, body)])
    with pytest.raises(CkanRequestError):
        gateway.call("package_create", {}, what="territory")
    assert len(adapter.seen) == 1


# ---- Configuration ----


def test_config_from_env_wins(tmp_path):
    config = CkanConfig.from_env(
        {
            "CKAN_URL": "https://portal.example",
            "CKAN_API_KEY": "k",
            "CKAN_RETRIES": "1",
            "CKAN_BACKOFF": "0.01",
        }
    )
    assert (config.url, config.api_key, config.retries, config.origin) == (
        "https://portal.example",
        "k",
        1,
        "env",
    )


def test_config_falls_back_to_the_local_server(tmp_path):
    (tmp_path / "server.json").write_text(
        json.dumps({"url": "http://127.0.0.1:5000", "api_key": "local", "owner_org": "org"})
    )
    config = CkanConfig.from_env({"CONCERTEM_CKAN_HOME": str(tmp_path)})
    assert (config.url, config.api_key, config.owner_org) == (
        "http://127.0.0.1:5000",
        "local",
        "org",
    )
    with pytest.raises(CkanConfigError) as caught:
        CkanConfig.from_env({"CONCERTEM_CKAN_HOME": str(tmp_path / "nowhere")})
    assert caught.value.code == "ckan-config-missing"


# ---- Re-publishing unchanged data: the local half is cached too ----


def _frictionless_counted(monkeypatch):
    """The packages frictionless validates from now on (a cache hit never gets there)."""
    import datasets.validation as validation

    seen = []
    real = validation._frictionless_issues

    def counting(built):
        seen.append(built.name)
        return real(built)

    monkeypatch.setattr(validation, "_frictionless_issues", counting)
    return seen


def test_unchanged_republish_skips_validation_reads_once_uploads_nothing(
    tmp_path, fake_ckan, ckan_config, monkeypatch
):
    specs = [territory_spec(), allocation_spec()]
    validated = _frictionless_counted(monkeypatch)
    _publish(tmp_path, fake_ckan, ckan_config, specs)
    assert validated == ["mini-territory", "mini-allocation"]
    fake_ckan.reset()
    validated.clear()

    report = _publish(tmp_path, fake_ckan, ckan_config, specs)
    assert validated == []  # the cache answered for both
    assert all(result.validation.cached for result in report.datasets)
    assert [r.status for r in report.datasets] == ["unchanged", "unchanged"]
    assert fake_ckan.actions() == ["package_search"]
    assert report.stats.reads == 1 and report.stats.bytes_uploaded == 0


def test_one_changed_cell_is_revalidated_and_refused_before_any_call(
    tmp_path, fake_ckan, ckan_config, monkeypatch
):
    entities = tmp_path / "entities.csv"
    shutil.copy(DATA / "entities.csv", entities)
    spec = territory_spec(entities=entities)
    _publish(tmp_path, fake_ckan, ckan_config, [spec])
    fake_ckan.reset()
    validated = _frictionless_counted(monkeypatch)

    # One cell: Abrera's population is no longer an integer.
    entities.write_text(entities.read_text().replace(",12612,", ",12612 hab,"))
    report = _publish(tmp_path, fake_ckan, ckan_config, [spec])
    [result] = report.datasets
    assert validated == ["mini-territory"]
    assert result.status == "refused" and not result.validation.cached
    assert ("data/entities.csv", 2, "population") in {
        (i.file, i.row, i.column) for i in result.validation.issues
    }
    assert fake_ckan.calls == []

    # A failure is never cached: the next run validates again and refuses again.
    validated.clear()
    again = _publish(tmp_path, fake_ckan, ckan_config, [spec])
    assert validated == ["mini-territory"] and again.datasets[0].status == "refused"
    assert fake_ckan.calls == []


def test_no_cache_validates_everything(tmp_path, fake_ckan, ckan_config, monkeypatch):
    specs = [territory_spec()]
    _publish(tmp_path, fake_ckan, ckan_config, specs)
    validated = _frictionless_counted(monkeypatch)
    _publish(tmp_path, fake_ckan, ckan_config, specs, cache=False)
    assert validated == ["mini-territory"]
