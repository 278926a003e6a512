"""Tables into the REAL local CKAN's DataStore: the COPY loader (ckanext-concertem_datastore)
and the JSON batches any CKAN takes. 20,000 rows here; the million is `make bench`."""

from __future__ import annotations

import configparser
import csv
import datetime as dt
import time
import uuid
from decimal import Decimal

import pytest

from publishing.ckan import CkanGateway
from publishing.datastore import LOADER_ACTION, DatastoreLoader, datastore_fields, primary_key_of
from publishing.errors import CkanRequestError
from publishing.mapping import LocalResource
from publishing.pipeline import catalog_publish
from tests.ckan_fixtures import ckan_server_config
from tests.publishing.helpers import _resource, spec_make

pytestmark = pytest.mark.integration
ROWS = 20_000
SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "title": "Identificador"},
        {"name": "codi_ine", "type": "string"},
        {"name": "import", "type": "number"},
        {"name": "data", "type": "date"},
        {"name": "actiu", "type": "boolean"},
        {"name": "any", "type": "year"},
        {"name": "nota", "type": "string"},
    ],
    "primaryKey": ["id"],
    "missingValues": [""],
}
TYPES = {
    "id": "int8",
    "codi_ine": "text",
    "import": "numeric",
    "data": "date",
    "actiu": "bool",
    "any": "int4",
    "nota": "text",
}


def rows_write(path, rows: int, *, change: dict[int, list[str]] | None = None) -> None:
    start = dt.date(2020, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow([field["name"] for field in SCHEMA["fields"]])
        for i in range(1, rows + 1):
            row = [
                str(i),
                f"08{i % 311:03d}",
                f"{i * 7.25:.2f}",
                (start + dt.timedelta(days=i % 1500)).isoformat(),
                "true" if i % 3 else "false",
                str(2020 + i % 6),
                "" if i % 10 == 0 else f"nota {i} d'Osona",
            ]
            out.writerow((change or {}).get(i, row))


@pytest.fixture
def config(ckan_server, ckan_client):
    extensions = ckan_client.action.status_show()["extensions"]
    if "concertem_datastore" not in extensions:
        pytest.fail(
            "the local CKAN runs without concertem_datastore (started before it existed): "
            "`make ckan-start` installs it and restarts CKAN",
            pytrace=False,
        )
    prefix = f"ds{uuid.uuid4().hex[:8]}-"
    yield ckan_server_config(ckan_server, prefix, timeout=120, retries=1)
    found = ckan_client.action.package_search(q=f"name:{prefix}*", rows=50, include_private=True)
    for package in found["results"]:
        ckan_client.action.dataset_purge(id=package["id"])


class StockCkanGateway(CkanGateway):
    """The local CKAN as a portal without the COPY loader would answer status_show."""

    def call(self, action, data=None, **kwargs):
        if action == "status_show":
            return {"extensions": ["datastore"]}
        assert action != LOADER_ACTION
        return super().call(action, data, **kwargs)


def publish(tmp_path, config, csv_path, *, gateway=None):
    spec = spec_make("big-table", (_resource("taula", csv_path, SCHEMA),))
    report = catalog_publish(
        config=config,
        specs=[spec],
        build_dir=tmp_path / "build",
        ledger_path=tmp_path / "ledger.json",
        gateway=gateway,
    )
    assert report.ok, [result.error for result in report.datasets]
    return report


def table_of(ckan_client, config) -> str:
    package = ckan_client.action.package_show(id=f"{config.dataset_prefix}big-table")
    [table] = [r for r in package["resources"] if r["name"] == "taula"]
    assert table["datastore_active"]
    return table["id"]


def datastore_check(ckan_client, rid: str) -> None:
    info = ckan_client.action.datastore_info(id=rid)
    assert {field["id"]: field["type"] for field in info["fields"]} == TYPES
    found = ckan_client.action.datastore_search(
        resource_id=rid, filters={"id": [10, 12345]}, sort="id"
    )
    assert found["total"] == 2
    ten, other = found["records"]
    assert ten["nota"] is None and ten["actiu"] is True and ten["any"] == 2024
    assert other["id"] == 12345 and Decimal(str(other["import"])) == Decimal("89501.25")
    assert other["codi_ine"] == f"08{12345 % 311:03d}" and other["data"].startswith("2020-12-11")
    assert other["nota"] == "nota 12345 d'Osona" and other["actiu"] is False
    total = ckan_client.action.datastore_search(resource_id=rid, limit=0)["total"]
    assert total == ROWS
    # CKAN's full-text column is filled as its trigger would: search finds a row by a word.
    hits = ckan_client.action.datastore_search(resource_id=rid, q="12345", limit=5)["records"]
    assert 12345 in [hit["id"] for hit in hits]


def write_url(ckan_server) -> str:
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(ckan_server.ckan_ini)
    return ini["app:main"]["ckan.datastore.write_url"]


def full_text_index_valid(ckan_server, rid: str, *, wait: float = 60) -> bool:
    """CKAN's full-text index, built by the loader after its answer, is there and valid."""
    psycopg = pytest.importorskip("psycopg")
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        with psycopg.connect(write_url(ckan_server)) as connection:
            found = connection.execute(
                "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am a ON a.oid = c.relam WHERE i.indrelid = to_regclass(quote_ident(%s)) "
                "AND a.amname = 'gist'",
                (rid,),
            ).fetchall()
        if found == [(True,)]:
            return True
        time.sleep(0.5)
    return False


def row_versions(ckan_server, rid: str) -> dict[int, str]:
    """Each row's ``xmin``: it changes when PostgreSQL writes the row again."""
    psycopg = pytest.importorskip("psycopg")
    pytest.importorskip("psycopg.sql")
    url = write_url(ckan_server)
    query = psycopg.sql.SQL("SELECT _id, xmin::text FROM {}").format(psycopg.sql.Identifier(rid))
    with psycopg.connect(url) as connection:
        rows = connection.execute(query).fetchall()
    return dict(rows)


def test_copy_loader_types_every_column_and_loads_every_row(
    tmp_path, config, ckan_client, ckan_server
):
    rows_write(tmp_path / "rows.csv", ROWS)
    report = publish(tmp_path, config, tmp_path / "rows.csv")
    assert report.stats.actions[LOADER_ACTION] == 1
    assert report.stats.actions["datastore_upsert"] == 0
    assert report.stats.datastore_rows == ROWS
    rid = table_of(ckan_client, config)
    datastore_check(ckan_client, rid)
    assert full_text_index_valid(ckan_server, rid)


def test_one_row_changed_writes_one_row(tmp_path, config, ckan_client, ckan_server):
    rows_write(tmp_path / "rows.csv", ROWS)
    publish(tmp_path, config, tmp_path / "rows.csv")
    rid = table_of(ckan_client, config)
    before = row_versions(ckan_server, rid)

    changed = ["777", "08777", "1.00", "2024-02-29", "false", "2025", "canviada"]
    rows_write(tmp_path / "rows.csv", ROWS, change={777: changed})
    report = publish(tmp_path, config, tmp_path / "rows.csv")
    [result] = report.datasets
    assert result.status == "updated"
    assert report.stats.datastore_rows == 1
    steps = {step.name: step.action for step in result.plan.steps}
    assert steps["taula"] == "upload"
    after = row_versions(ckan_server, rid)
    rewritten = [row for row, version in after.items() if before.get(row) != version]
    assert len(rewritten) <= 10 and set(before) - set(after) == set()
    [record] = ckan_client.action.datastore_search(resource_id=rid, filters={"id": 777})["records"]
    assert record["nota"] == "canviada" and record["any"] == 2025

    # Unchanged: nothing uploaded, nothing written.
    again = publish(tmp_path, config, tmp_path / "rows.csv")
    assert again.stats.bytes_uploaded == 0 and again.stats.datastore_rows == 0
    assert [r.status for r in again.datasets] == ["unchanged"]


def test_rows_gone_and_new_are_deleted_and_inserted(tmp_path, config, ckan_client):
    rows_write(tmp_path / "rows.csv", 50)
    publish(tmp_path, config, tmp_path / "rows.csv")
    rid = table_of(ckan_client, config)
    lines = (tmp_path / "rows.csv").read_text().splitlines()
    # Row 5 gone, row 51 new: one delete and one insert, nothing else.
    del lines[5]
    lines.append("51,08051,1.50,2024-01-01,true,2024,nova")
    (tmp_path / "rows.csv").write_text("\n".join(lines) + "\n")
    gateway = CkanGateway(config)
    loader = DatastoreLoader(gateway, batch=1000)
    rid_upload = tmp_path / "rows.csv"
    gateway.call("resource_patch", {"id": rid}, what="t", upload=rid_upload)
    local = LocalResource(
        name="taula", file=rid_upload, sha256="x", bytes=0, data={}, schema=SCHEMA
    )
    assert loader.load(rid, local, exists=True, what="t") == "copy"
    assert gateway.stats.datastore_rows == 2
    found = ckan_client.action.datastore_search(resource_id=rid, sort="id", limit=100)
    assert [r["id"] for r in found["records"]] == [i for i in range(1, 52) if i != 5]


def test_a_bad_cell_is_a_clear_error_and_the_table_keeps_its_rows(tmp_path, config, ckan_client):
    rows_write(tmp_path / "rows.csv", 50)
    publish(tmp_path, config, tmp_path / "rows.csv")
    rid = table_of(ckan_client, config)
    bad = tmp_path / "bad.csv"
    bad.write_text((tmp_path / "rows.csv").read_text().replace("\n7,", "\nseven,", 1))
    gateway = CkanGateway(config)
    gateway.call("resource_patch", {"id": rid}, what="t", upload=bad)
    with pytest.raises(CkanRequestError, match="are not the fields"):
        gateway.call(
            LOADER_ACTION,
            {"resource_id": rid, "fields": [{"id": "id", "type": "int8"}]},
            what="t",
        )
    # PostgreSQL names the value and the line; the transaction leaves the table as it was.
    with pytest.raises(CkanRequestError, match="seven"):
        gateway.call(
            LOADER_ACTION,
            {
                "resource_id": rid,
                "fields": datastore_fields(SCHEMA),
                "primary_key": primary_key_of(SCHEMA),
            },
            what="t",
        )
    total = ckan_client.action.datastore_search(resource_id=rid, limit=0)["total"]
    assert total == 50


def test_a_ckan_without_the_loader_gets_json_batches(tmp_path, config, ckan_client):
    rows_write(tmp_path / "rows.csv", ROWS)
    report = publish(
        tmp_path,
        config.with_(datastore_batch=5000),
        tmp_path / "rows.csv",
        gateway=StockCkanGateway(config),
    )
    assert report.stats.actions["datastore_upsert"] == ROWS // 5000
    assert report.stats.datastore_rows == ROWS
    datastore_check(ckan_client, table_of(ckan_client, config))
