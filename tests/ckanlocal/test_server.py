"""The local CKAN server: unit tests of its helpers, then integration tests against it.

The integration tests need ``concertem ckan-server start`` (``make test`` runs it);
see tests/ckan_fixtures.py for what happens when it is not running.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import json
import os
import socket
import sys
import urllib.request
import uuid
from pathlib import Path

import ckanapi
import pytest

from ckanlocal import base, config, install, postgres, server
from ckanlocal import portal as ckan_portal
from ckanlocal.base import ServerInfo

REPO = Path(__file__).resolve().parents[2]
SOLRQUERY_PATH = (
    REPO / "ckanserver/ckanext-concertem_localsearch/ckanext/concertem_localsearch/solrquery.py"
)
CSV_BYTES = b"codi_ine,municipi,import\n08001,Abrera,100000.50\n08002,Aguilar de Segarra,1\n"


def solrquery_load():
    # The module lives in the CKAN extension (its own venv); it imports nothing from
    # CKAN, so it loads here by path.
    spec = importlib.util.spec_from_file_location("concertem_solrquery", SOLRQUERY_PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# ---- Unit: helpers of the local CKAN manager ----


def test_port_pick_prefers_a_free_port_and_avoids_taken_ones():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        busy = sock.getsockname()[1]
        chosen = base.port_pick(busy, set())
        assert chosen != busy
        assert base.port_free(chosen)
    free = base.port_pick(None, set())
    assert base.port_pick(free, set()) == free
    assert base.port_pick(free, {free}) != free


def test_pid_alive_checks_the_command_line():
    assert base.pid_alive(os.getpid())
    assert base.pid_alive(os.getpid(), "python")
    assert not base.pid_alive(os.getpid(), "redis-server")
    assert not base.pid_alive(None)
    assert not base.pid_alive(2**22 + 12345)


def test_ini_settings_point_ckan_at_our_services(tmp_path):
    paths = base.ServerPaths(home=tmp_path, repo=REPO)
    state = {"passwords": {"ckan_default": "a", "datastore_default": "b", "datastore_ro": "c"}}
    settings = config.ini_settings(paths, state, {"ckan": 5001, "postgres": 5444, "redis": 6399})
    assert settings["sqlalchemy.url"] == "postgresql://ckan_default:a@127.0.0.1:5444/ckan_default"
    assert settings["ckan.datastore.write_url"].endswith("@127.0.0.1:5444/datastore_default")
    assert settings["ckan.datastore.read_url"].startswith("postgresql://datastore_ro:c@")
    assert settings["ckan.site_url"] == "http://127.0.0.1:5001"
    assert settings["ckan.redis.url"] == "redis://127.0.0.1:6399/0"
    assert settings["ckan.storage_path"] == str(tmp_path / "storage")
    assert "concertem_localsearch" in settings["ckan.plugins"].split()
    assert "datastore" in settings["ckan.plugins"].split()


def test_ini_settings_serve_dcat_ap_3(tmp_path, monkeypatch):
    monkeypatch.setenv("DJANGO_BASE_URL", "https://concertem.example/")
    paths = base.ServerPaths(home=tmp_path, repo=REPO)
    state = {"passwords": {"ckan_default": "a", "datastore_default": "b", "datastore_ro": "c"}}
    settings = config.ini_settings(paths, state, {"ckan": 5001, "postgres": 5444, "redis": 6399})
    plugins = settings["ckan.plugins"].split()
    for plugin in ("dcat", "scheming_datasets", "concertem_dcat", "datatables_view"):
        assert plugin in plugins
    profiles = settings["ckanext.dcat.rdf.profiles"].split()
    assert profiles == ["euro_dcat_ap_3", "concertem_dcat_ap_3"]
    module, schema = settings["scheming.dataset_schemas"].split(":")
    assert (paths.dcat_extension / module.replace(".", "/") / schema).is_file()
    catalog = json.loads(settings["ckanext.concertem_dcat.catalog"])
    assert catalog["homepage"] == "https://concertem.example"
    assert settings["licenses_group_url"] == f"file://{tmp_path / 'licenses.json'}"
    # ckanext-dcat and scheming are part of the venv's fingerprint: a pin change reinstalls.
    assert "ckanext-dcat==2.4.4" in install.venv_fingerprint(paths)["extensions"]


def test_the_ini_checks_reuse_one_hash_of_the_extension_trees(tmp_path, monkeypatch):
    """server_start hashes ckanserver/ once and hands the digest to every check."""

    def walked(paths):
        raise AssertionError("the extension trees were hashed again")

    monkeypatch.setattr(config, "extensions_digest", walked)
    paths = base.ServerPaths(home=tmp_path, repo=REPO)
    state = {
        "passwords": {"ckan_default": "a", "datastore_default": "b", "datastore_ro": "c"},
        "ports": {"ckan": 5001, "postgres": 5444, "redis": 6399},
    }
    digest = config.ini_digest(paths, state, state["ports"], extensions="e")
    assert not config.ini_current(paths, state, extensions="e")
    state["ini_digest"] = digest
    assert config.ini_current(paths, state, extensions="e")
    assert not config.ini_current(paths, state, extensions="changed")


def test_server_status_of_a_home_never_set_up(tmp_path):
    status = server.server_status(home=tmp_path / "nothing")
    assert not status.running
    assert status.info is None
    assert "ckan-server start" in status.message


def test_server_info_round_trips_and_ignores_unknown_keys():
    info = ServerInfo(
        url="http://127.0.0.1:1", api_key="k", owner_org="o", ports={"ckan": 1}, pids={}, home="/h"
    )
    assert ServerInfo.from_dict({**info.to_dict(), "later_field": 1}) == info


def test_one_list_of_debian_packages_for_the_manager_and_system_deps():
    listed = {package.name: package for package in install.system_packages()}
    assert {"postgresql-15", "redis-server", "libpq-dev", "libmagic1"} <= {
        name for name, package in listed.items() if "ckan" in package.groups
    }
    assert "chromium" in listed and "ckan" not in listed["chromium"].groups
    script = (REPO / "scripts/system_deps.sh").read_text()
    assert "system-packages.txt" in script
    # The script names no package itself: every name comes from the list.
    assert not any(f"need+=({name})" in script for name in listed)
    assert listed["postgresql-15"].present() == (postgres.PG_BIN / "initdb").exists()


def test_the_throwaway_cluster_answers_then_is_gone():
    psycopg = pytest.importorskip("psycopg")
    with postgres.cluster_throwaway("probe") as url:
        with psycopg.connect(url) as connection:
            assert connection.execute("SELECT current_database()").fetchone() == ("probe",)
        port = int(url.rsplit(":", 1)[1].split("/")[0])
    assert base.port_free(port)


def test_the_licence_list_states_the_catalogues_own_licences(tmp_path):
    from datasets.catalog import CC_BY_4_0

    register = {entry["id"]: entry for entry in ckan_portal.licences_register()}
    assert register[CC_BY_4_0.ckan_id]["url"] == CC_BY_4_0.url
    assert len(register) == 7


# ---- Unit: the Solr-subset parser of ckanext-concertem_localsearch ----


@pytest.fixture(scope="module")
def solrquery():
    return solrquery_load()


def test_parser_reads_ckans_own_filter_queries(solrquery):
    tree = solrquery.query_parse(
        "+capacity:public organization:diputacio-barcelona +state:(active)"
    )
    assert tree == solrquery.And(
        (
            solrquery.Term("capacity", "public"),
            solrquery.Term("organization", "diputacio-barcelona"),
            solrquery.Term("state", "active"),
        )
    )
    tree = solrquery.query_parse('+entity_type:package AND +(id:"x" OR name:"x")')
    assert isinstance(tree.items[1], solrquery.Or)
    assert solrquery.query_parse("*:*") == solrquery.MatchAll()
    assert solrquery.query_parse("") == solrquery.MatchAll()
    assert solrquery.query_parse("-*:*") == solrquery.Not(solrquery.MatchAll())


def test_parser_handles_wildcards_ranges_and_negation(solrquery):
    tree = solrquery.query_parse(
        "name:alloc* -tags:old metadata_modified:[2024-01-01T00:00:00Z TO *]"
    )
    wildcard, negated, date_range = tree.items
    assert wildcard == solrquery.Term("name", "alloc*", wildcard=True)
    assert negated == solrquery.Not(solrquery.Term("tags", "old"))
    assert date_range.low == "2024-01-01T00:00:00Z" and date_range.high == "*"


def test_range_up_to_now_compares_with_the_present(solrquery):
    # ckanext-dcat's catalogue filters with metadata_modified:[<since> TO NOW].
    params = solrquery.SqlParams()
    solrquery.query_compile(
        solrquery.query_parse("metadata_modified:[2020-01-01T00:00:00Z TO NOW]"), params
    )
    bounds = sorted(v for v in params.values.values() if str(v).startswith("20"))
    assert bounds[0] == "2020-01-01T00:00:00Z"
    assert bounds[1] > "2025-01-01T00:00:00Z" and bounds[1].endswith("Z")
    with pytest.raises(solrquery.QuerySyntaxError):
        solrquery.query_compile(
            solrquery.query_parse("metadata_modified:[NOW-1DAY TO NOW]"), solrquery.SqlParams()
        )


@pytest.mark.parametrize("bad", ["name:(foo", '"open', "a:b:c", "x:[1 TO]", "{!lucene}x:y"])
def test_parser_rejects_what_it_cannot_read(solrquery, bad):
    with pytest.raises(solrquery.QuerySyntaxError):
        solrquery.query_parse(bad)


def test_compiled_sql_binds_every_value(solrquery):
    params = solrquery.SqlParams()
    sql = solrquery.query_compile(
        solrquery.query_parse('organization:"x\'; DROP TABLE package; --" flood'), params
    )
    assert "DROP" not in sql
    assert "x'; DROP TABLE package; --" in params.values.values()
    assert "flood:*" in params.values.values()
    with pytest.raises(solrquery.QuerySyntaxError):
        solrquery.sort_compile("name; drop", "", solrquery.SqlParams())


# ---- Integration: the real local CKAN ----


@pytest.fixture
def ckan_dataset(ckan_client, ckan_server):
    """A fresh dataset in the organisation; purged afterwards."""
    word = "zq" + uuid.uuid4().hex[:10]  # a word no other dataset contains
    name = f"concertem-test-{word}"
    dataset = ckan_client.action.package_create(
        name=name,
        title=f"Test allocations {word}",
        owner_org=ckan_server.owner_org,
        notes="Created by tests/publishing/test_ckan_server.py",
        tags=[{"name": "test-concertem"}],
        license_id="cc-by",
    )
    dataset["word"] = word
    yield dataset
    dataset_purge_all(ckan_client, dataset["id"])


def dataset_purge_all(client, dataset_id: str) -> None:
    """Purge a dataset and its DataStore tables: dataset_purge alone leaves them behind."""
    try:
        resources = client.action.package_show(id=dataset_id)["resources"]
    except ckanapi.NotFound:  # the test purged it already
        return
    for resource in resources:
        with contextlib.suppress(ckanapi.NotFound):
            client.action.datastore_delete(resource_id=resource["id"], force=True)
    client.action.dataset_purge(id=dataset_id)


@pytest.mark.integration
def test_status_reports_running(ckan_server):
    status = server.server_status()
    assert status.running, status.message
    assert status.info.url == ckan_server.url
    assert set(status.info.pids) == {"ckan", "postgres", "redis"}


@pytest.mark.integration
def test_the_organisation_exists(ckan_client, ckan_server):
    organisation = ckan_client.action.organization_show(id=ckan_server.owner_org)
    assert organisation["title"] == "Diputació de Barcelona"
    assert ckan_server.owner_org in ckan_client.action.organization_list()


@pytest.mark.integration
def test_upload_search_datastore_and_purge(ckan_client, ckan_server, ckan_dataset):
    resource = ckan_client.action.resource_create(
        package_id=ckan_dataset["id"],
        name="assignacions.csv",
        format="CSV",
        hash="sha256:" + hashlib.sha256(CSV_BYTES).hexdigest(),
        upload=("assignacions.csv", io.BytesIO(CSV_BYTES)),
    )
    assert resource["url_type"] == "upload"
    assert resource["url"].startswith(f"{ckan_server.url}/dataset/{ckan_dataset['id']}/resource/")
    assert resource["size"] == len(CSV_BYTES)
    assert resource["hash"].endswith(hashlib.sha256(CSV_BYTES).hexdigest())
    with urllib.request.urlopen(resource["url"], timeout=10) as response:  # noqa: S310
        assert response.read() == CSV_BYTES

    by_word = ckan_client.action.package_search(q=ckan_dataset["word"])
    assert [d["name"] for d in by_word["results"]] == [ckan_dataset["name"]]
    assert by_word["results"][0]["resources"][0]["id"] == resource["id"]
    by_org = ckan_client.action.package_search(
        fq=f"organization:{ckan_server.owner_org}", q=f"name:{ckan_dataset['name']}"
    )
    assert by_org["count"] == 1
    faceted = ckan_client.action.package_search(
        fq=f"+tags:test-concertem +name:{ckan_dataset['name']}",
        **{"facet.field": '["res_format", "organization"]'},
    )
    assert faceted["search_facets"]["res_format"]["items"][0]["name"] == "CSV"
    assert (
        ckan_client.action.package_search(fq=f"organization:nobody-{uuid.uuid4().hex}")["count"]
        == 0
    )

    ckan_client.action.datastore_create(
        resource_id=resource["id"],
        force=True,
        primary_key=["codi_ine"],
        fields=[{"id": "codi_ine", "type": "text"}, {"id": "import", "type": "numeric"}],
        records=[{"codi_ine": "08001", "import": 100000.5}, {"codi_ine": "08002", "import": 1}],
    )
    ckan_client.action.datastore_upsert(
        resource_id=resource["id"],
        force=True,
        method="upsert",
        records=[{"codi_ine": "08002", "import": 2}, {"codi_ine": "08003", "import": 3}],
    )
    rows = ckan_client.action.datastore_search(resource_id=resource["id"], sort="codi_ine")
    assert rows["total"] == 3
    assert [(r["codi_ine"], r["import"]) for r in rows["records"]] == [
        ("08001", 100000.5),
        ("08002", 2),
        ("08003", 3),
    ]
    ckan_client.action.datastore_delete(
        resource_id=resource["id"], force=True, filters={"codi_ine": "08003"}
    )
    assert ckan_client.action.datastore_search(resource_id=resource["id"])["total"] == 2
    assert ckan_client.action.resource_show(id=resource["id"])["datastore_active"] is True

    dataset_purge_all(ckan_client, ckan_dataset["id"])
    assert ckan_client.action.package_search(q=ckan_dataset["word"])["count"] == 0
    with pytest.raises(ckanapi.NotFound):  # the DataStore table went too
        ckan_client.action.datastore_search(resource_id=resource["id"])
    with pytest.raises(ckanapi.NotFound):
        ckan_client.action.package_show(id=ckan_dataset["id"])


@pytest.mark.integration
def test_search_sorts_and_pages(ckan_client, ckan_server):
    word = "zq" + uuid.uuid4().hex[:10]
    names = [f"concertem-sort-{word}-{letter}" for letter in "cab"]
    try:
        for name in names:
            ckan_client.action.package_create(
                name=name, title=f"Sort {word}", owner_org=ckan_server.owner_org
            )
        first = ckan_client.action.package_search(q=word, sort="name asc", rows=2)
        second = ckan_client.action.package_search(q=word, sort="name asc", rows=2, start=2)
        assert first["count"] == 3
        assert [d["name"] for d in first["results"] + second["results"]] == sorted(names)
        assert ckan_client.action.package_search(q=f"name:concertem-sort-{word}-*")["count"] == 3
    finally:
        for name in names:
            with contextlib.suppress(ckanapi.NotFound):
                ckan_client.action.dataset_purge(id=name)


@pytest.mark.integration
def test_restarting_the_ckan_process_alone_keeps_data(ckan_client, ckan_server, ckan_dataset):
    ckan_client.action.resource_create(
        package_id=ckan_dataset["id"],
        name="kept.csv",
        format="CSV",
        upload=("kept.csv", io.BytesIO(CSV_BYTES)),
    )
    old_pid = server.server_status().info.pids["ckan"]

    info = server.server_restart_ckan_only(force=True)  # SIGKILL, as in a crash

    assert info.url == ckan_server.url
    assert info.pids["ckan"] != old_pid
    shown = ckan_client.action.package_show(id=ckan_dataset["name"])
    assert [r["name"] for r in shown["resources"]] == ["kept.csv"]
    assert ckan_client.action.package_search(q=ckan_dataset["word"])["count"] == 1
    with urllib.request.urlopen(shown["resources"][0]["url"], timeout=10) as response:  # noqa: S310
        assert response.read() == CSV_BYTES
