"""Re-publishing reads CKAN once for the whole catalogue (one ``package_search``), against the
in-memory CKAN and a scripted transport. The real CKAN is in test_publish_integration.py."""

import json
import shutil

import pytest
import requests

from publishing.ckan import CkanGateway, packages_find
from publishing.config import CkanConfig
from publishing.errors import CkanRequestError, CkanUnavailableError
from publishing.pipeline import catalog_publish
from publishing.transport import CountingSession, action_is_read
from tests.publishing.helpers import DATA, Scripted, allocation_spec, sdg_spec, territory_spec


def _publish(tmp_path, fake, config, specs, **kwargs):
    return catalog_publish(
        config=config,
        specs=specs,
        gateway=fake,
        build_dir=tmp_path / "build",
        ledger_path=tmp_path / "ledger.json",
        **kwargs,
    )


def _catalogue(variables=None):
    """Five datasets, as a catalogue of several is what the single search is for."""
    territory = {"variables": variables} if variables is not None else {}
    return [
        territory_spec(**territory),
        territory_spec(name="mini-territory-copy"),
        allocation_spec(),
        allocation_spec(name="mini-allocation-copy"),
        sdg_spec(),
    ]


def _writes(fake):
    return [action for action in fake.actions() if not action_is_read(action)]


def test_unchanged_republish_of_five_datasets_is_one_read_and_no_write(
    tmp_path, fake_ckan, ckan_config
):
    specs = _catalogue()
    first = _publish(tmp_path, fake_ckan, ckan_config, specs)
    assert first.ok and {r.status for r in first.datasets} == {"created"}
    fake_ckan.reset()

    again = _publish(tmp_path, fake_ckan, ckan_config, specs)
    assert [r.status for r in again.datasets] == ["unchanged"] * len(specs)
    assert fake_ckan.actions() == ["package_search"]
    assert again.stats.calls == again.stats.reads == 1 and again.stats.bytes_uploaded == 0
    # The search asked for exactly these datasets of the organisation, private ones included.
    [(_, query)] = fake_ckan.calls
    assert query["include_private"] is True and "diputacio-barcelona" in query["fq"]
    assert all(f'"{spec.name}"' in query["fq"] for spec in specs)


def test_a_changed_dataset_among_unchanged_ones_is_still_updated(tmp_path, fake_ckan, ckan_config):
    _publish(tmp_path, fake_ckan, ckan_config, _catalogue())
    variables_id = next(
        r["id"]
        for r in fake_ckan.packages["mini-territory"]["resources"]
        if r["name"] == "variables"
    )
    changed = tmp_path / "variables.csv"
    shutil.copy(DATA / "variables.csv", changed)
    changed.write_text(changed.read_text().replace(",12646\n", ",12647\n"))
    fake_ckan.reset()

    report = _publish(tmp_path, fake_ckan, ckan_config, _catalogue(variables=changed))
    statuses = {r.name: r.status for r in report.datasets}
    assert statuses.pop("mini-territory") == "updated"
    assert set(statuses.values()) == {"unchanged"}
    assert fake_ckan.actions().count("package_search") == 1
    assert "package_show" not in fake_ckan.actions()
    # Every write concerns the changed dataset; its file is replaced in place, DataStore too.
    territory = fake_ckan.packages["mini-territory"]
    own = {territory["id"]} | {r["id"] for r in territory["resources"]}
    for action, data in fake_ckan.calls:
        if not action_is_read(action):
            assert {data.get(k) for k in ("id", "resource_id", "package_id")} & own, action
    assert ("datastore_delete", {"resource_id": variables_id, "force": True}) in fake_ckan.calls
    assert "resource_create" not in _writes(fake_ckan)
    values = [row["value"] for row in fake_ckan.datastore[variables_id]]
    assert "12647" in values and "12646" not in values


def test_a_capped_page_size_pages_through_the_catalogue(tmp_path, fake_ckan, ckan_config):
    specs = _catalogue()
    _publish(tmp_path, fake_ckan, ckan_config, specs)
    fake_ckan.reset()
    fake_ckan.rows_max = 2  # a portal whose ckan.search.rows_max is 2

    again = _publish(tmp_path, fake_ckan, ckan_config, specs)
    assert [r.status for r in again.datasets] == ["unchanged"] * len(specs)
    assert fake_ckan.actions() == ["package_search"] * 3
    assert [data["start"] for _, data in fake_ckan.calls] == [0, 2, 4]


def test_a_deleted_dataset_is_not_in_the_search_and_is_read_and_reactivated(
    tmp_path, fake_ckan, ckan_config
):
    specs = _catalogue()
    _publish(tmp_path, fake_ckan, ckan_config, specs)
    fake_ckan.packages["mini-sdg"]["state"] = "deleted"  # CKAN drops it from the index
    fake_ckan.reset()

    again = _publish(tmp_path, fake_ckan, ckan_config, specs)
    statuses = {r.name: r.status for r in again.datasets}
    assert statuses.pop("mini-sdg") == "updated"
    assert set(statuses.values()) == {"unchanged"}
    assert fake_ckan.actions() == ["package_search", "package_show", "package_patch"]
    assert fake_ckan.packages["mini-sdg"]["state"] == "active"


def test_a_refused_search_falls_back_to_one_read_per_dataset(
    tmp_path, fake_ckan, ckan_config, monkeypatch
):
    specs = [territory_spec(), allocation_spec()]
    _publish(tmp_path, fake_ckan, ckan_config, specs)
    fake_ckan.reset()

    def refuse(data):
        raise CkanRequestError("d: CKAN rejected package_search: fq", action="package_search")

    monkeypatch.setattr(fake_ckan, "package_search", refuse)
    events = []
    again = _publish(tmp_path, fake_ckan, ckan_config, specs, progress=events.append)
    assert [r.status for r in again.datasets] == ["unchanged", "unchanged"]
    assert fake_ckan.actions() == ["package_search", "package_show", "package_show"]
    assert any("one by one" in event.message for event in events)


def test_one_dataset_is_read_with_package_show(tmp_path, fake_ckan, ckan_config):
    _publish(tmp_path, fake_ckan, ckan_config, [territory_spec()])
    fake_ckan.reset()
    _publish(tmp_path, fake_ckan, ckan_config, [territory_spec()])
    assert fake_ckan.actions() == ["package_show"]


# ---- The search goes through the gateway: timeouts, retries and back-off as for any call ----


def _body(request) -> dict:
    return json.loads(request.body or b"{}")


def test_the_search_is_retried_with_backoff_and_pages():
    session = CountingSession()
    page = {"name": "a", "resources": []}
    adapter = Scripted(
        [
            requests.ConnectionError("refused"),
            (502, "<html>Bad Gateway</html>"),
            (200, {"success": True, "result": {"count": 2, "results": [page]}}),
            (200, {"success": True, "result": {"count": 2, "results": [{"name": "b"}]}}),
        ],
        record=_body,
    )
    session.mount("http://ckan.test", adapter)
    sleeps = []
    gateway = CkanGateway(
        CkanConfig(
            url="http://ckan.test", api_key="k", retries=2, backoff_base=0.01, backoff_max=0.02
        ),
        session=session,
        sleep=sleeps.append,
    )
    found = packages_find(gateway, organization="org", names=["b", "a"], what="catalogue")
    assert found == {"a": page, "b": {"name": "b"}}
    assert sleeps == [0.01, 0.02]
    assert [body["start"] for body, _ in adapter.seen] == [0, 0, 0, 1]
    assert adapter.seen[0][0]["fq"] == '+organization:"org" +name:("a" OR "b")'
    assert all(timeout is not None for _, timeout in adapter.seen)


def test_a_search_that_stays_down_is_a_clear_error():
    session = CountingSession()
    session.mount("http://ckan.test", Scripted([requests.ReadTimeout("slow")] * 2))
    gateway = CkanGateway(
        CkanConfig(url="http://ckan.test", api_key="k", retries=1, backoff_base=0.0),
        session=session,
        sleep=lambda _: None,
    )
    with pytest.raises(CkanUnavailableError) as caught:
        packages_find(gateway, organization="org", names=["a"], what="catalogue")
    assert caught.value.code == "ckan-unavailable" and "package_search" in str(caught.value)
