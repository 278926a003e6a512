"""DataStore benchmark: a million typed rows into the local CKAN's DataStore.

Measured in this one run, against the same CKAN and the same PostgreSQL database:

  (a) the COPY loader (``concertem_datastore_load``, ckanserver/ckanext-concertem_datastore),
      as the publisher calls it after uploading the CSV: a new table typed from the Table
      Schema (int8, text, numeric, date, bool, int4), with CKAN's full-text column and indexes;
  (b) the limit: a plain PostgreSQL ``COPY`` of the same CSV into a table of the same types
      with a primary key, in the same DataStore database (psycopg, the DataStore's write URL);
  (c) a one-row change re-loaded by (a): rows written to the DataStore (target <= 10);
  (d) the JSON batches any CKAN takes (``datastore_upsert``, 5,000 rows a call), on the first
      ``--json-rows`` rows only (a million takes minutes), as rows per second.

Targets: (a) <= 30 s for 1M rows; (c) <= 10 rows written. Also printed: (a)/(b), the upload
of the CSV (not part of the load), and the machine's load average.

Run: ``.venv/bin/python benchmarks/bench_datastore.py [--rows N] [--json-rows N]``
(needs `concertem ckan-server start`).
"""

from __future__ import annotations

import argparse
import configparser
import csv
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from publishing.ckan import CkanGateway  # noqa: E402
from publishing.config import CkanConfig, server_json_path  # noqa: E402
from publishing.datastore import COPY, JSON, DatastoreLoader, datastore_fields  # noqa: E402
from publishing.mapping import LocalResource  # noqa: E402

TARGET_SECONDS = 30.0
TARGET_ROWS_CHANGED = 10
SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "codi_ine", "type": "string"},
        {"name": "municipi", "type": "string"},
        {"name": "import", "type": "number"},
        {"name": "data", "type": "date"},
        {"name": "actiu", "type": "boolean"},
        {"name": "any", "type": "year"},
    ],
    "primaryKey": ["id"],
    "missingValues": [""],
}


def csv_write(path: Path, rows: int, *, changed: int | None = None) -> None:
    start = dt.date(2020, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow([field["name"] for field in SCHEMA["fields"]])
        for i in range(1, rows + 1):
            amount = "0.01" if i == changed else f"{(i * 7919) % 100000}.{i % 100:02d}"
            out.writerow(
                [
                    i,
                    f"08{i % 311:03d}",
                    f"Municipi {i % 311}",
                    amount,
                    (start + dt.timedelta(days=i % 1500)).isoformat(),
                    "true" if i % 3 else "false",
                    2020 + i % 6,
                ]
            )


def local_resource(path: Path) -> LocalResource:
    return LocalResource(name="taula", file=path, sha256="", bytes=0, data={}, schema=SCHEMA)


def write_url() -> str:
    """The DataStore's write URL, from the local CKAN's ckan.ini (server.json names it)."""
    import json

    info = json.loads(server_json_path().read_text(encoding="utf-8"))
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(info["ckan_ini"])
    return ini["app:main"]["ckan.datastore.write_url"]


def index_wait(url: str, rid: str, timeout: float = 900) -> float:
    """Seconds until CKAN's full-text (GiST) index of the table is built and valid."""
    started = time.monotonic()
    query = (
        "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_am a ON a.oid = c.relam WHERE i.indrelid = to_regclass(quote_ident(%s)) "
        "AND a.amname = 'gist'"
    )
    while time.monotonic() - started < timeout:
        with psycopg.connect(url) as connection:
            if connection.execute(query, (rid,)).fetchall() == [(True,)]:
                break
        time.sleep(0.5)
    return time.monotonic() - started


def plain_copy(url: str, path: Path) -> float:
    """The limit: COPY the CSV into a typed table with a primary key, in one transaction."""
    table = sql.Identifier(f"bench_plain_copy_{uuid.uuid4().hex[:8]}")
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(f["id"]), sql.SQL(f["type"]))
        for f in datastore_fields(SCHEMA)
    )
    with psycopg.connect(url) as connection:
        started = time.monotonic()
        connection.execute(sql.SQL("CREATE TABLE {} ({}, PRIMARY KEY (id))").format(table, columns))
        copy = sql.SQL("COPY {} FROM STDIN WITH (FORMAT csv, HEADER true)").format(table)
        with connection.cursor().copy(copy) as stream, path.open("rb") as source:
            while chunk := source.read(1 << 20):
                stream.write(chunk)
        connection.commit()
        seconds = time.monotonic() - started
        connection.execute(sql.SQL("DROP TABLE {}").format(table))
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--json-rows", type=int, default=20_000)
    args = parser.parse_args()
    console = Console()
    config = CkanConfig.from_env().with_(timeout=600, retries=0)
    gateway = CkanGateway(config)
    name = f"bench-datastore-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "rows.csv"
        csv_write(data, args.rows)
        size_mb = data.stat().st_size / 1e6
        console.print(f"{args.rows:,} rows, {size_mb:.1f} MB of CSV; CKAN at {config.site}")
        package = gateway.call(
            "package_create", {"name": name, "owner_org": config.owner_org}, what=name
        )
        try:
            started = time.monotonic()
            resource = gateway.call(
                "resource_create",
                {"package_id": package["id"], "name": "taula", "format": "CSV"},
                what=name,
                upload=data,
            )
            upload_s = time.monotonic() - started
            rid = resource["id"]
            loader = DatastoreLoader(gateway, batch=config.datastore_batch)

            before = gateway.stats.snapshot()
            started = time.monotonic()
            assert loader.load(rid, local_resource(data), exists=False, what=name) == COPY
            copy_s = time.monotonic() - started
            loaded = gateway.stats.since(before).datastore_rows
            total = gateway.call("datastore_search", {"resource_id": rid, "limit": 0}, what=name)
            assert total["total"] == args.rows == loaded, (total["total"], loaded)

            index_s = index_wait(write_url(), rid)
            limit_s = plain_copy(write_url(), data)

            csv_write(data, args.rows, changed=args.rows // 2)
            gateway.call("resource_patch", {"id": rid}, what=name, upload=data)
            before = gateway.stats.snapshot()
            started = time.monotonic()
            loader.load(rid, local_resource(data), exists=True, what=name)
            change_s = time.monotonic() - started
            changed_rows = gateway.stats.since(before).datastore_rows

            json_data = Path(tmp) / "json.csv"
            csv_write(json_data, args.json_rows)
            json_loader = DatastoreLoader(gateway, batch=config.datastore_batch)
            json_loader.copy_available = False  # a CKAN without the COPY loader
            json_resource = gateway.call(
                "resource_create",
                {"package_id": package["id"], "name": "json", "url": "https://example.org/t"},
                what=name,
            )
            started = time.monotonic()
            assert (
                json_loader.load(
                    json_resource["id"], local_resource(json_data), exists=False, what=name
                )
                == JSON
            )
            json_s = time.monotonic() - started
        finally:
            gateway.call("dataset_purge", {"id": package["id"]}, what=name)
            gateway.close()

    load = os.getloadavg()
    table = Table(title=f"DataStore load, {args.rows:,} typed rows ({size_mb:.0f} MB CSV)")
    for column in ("what", "seconds", "rows/s", "vs plain COPY", "target"):
        table.add_column(column, justify="right" if column != "what" else "left")
    copy_ok = copy_s <= TARGET_SECONDS
    table.add_row(
        "(a) COPY loader, new typed table",
        f"{copy_s:.1f}",
        f"{args.rows / copy_s:,.0f}",
        f"{copy_s / limit_s:.1f}x",
        f"<= {TARGET_SECONDS:.0f} s: {'PASS' if copy_ok else 'FAIL'}",
    )
    table.add_row(
        "    + its full-text index, built after the answer",
        f"+{index_s:.1f}",
        "",
        "",
        "search works meanwhile",
    )
    table.add_row(
        "(b) plain PostgreSQL COPY (the limit)",
        f"{limit_s:.1f}",
        f"{args.rows / limit_s:,.0f}",
        "1.0x",
        "",
    )
    change_ok = changed_rows <= TARGET_ROWS_CHANGED
    table.add_row(
        f"(c) one row changed: {changed_rows} row(s) written",
        f"{change_s:.1f}",
        "",
        "",
        f"<= {TARGET_ROWS_CHANGED} rows: {'PASS' if change_ok else 'FAIL'}",
    )
    table.add_row(
        f"(d) JSON batches (datastore_upsert), {args.json_rows:,} rows",
        f"{json_s:.1f}",
        f"{args.json_rows / json_s:,.0f}",
        "",
        f"1M would take ~{args.rows / (args.json_rows / json_s):.0f} s",
    )
    table.add_row("upload of the CSV (before the load)", f"{upload_s:.1f}", "", "", "")
    speedup = (args.rows / copy_s) / (args.json_rows / json_s)
    table.caption = (
        f"(a) is {speedup:.1f}x "
        f"the JSON batches' rows/s; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    console.print(table)
    return 0 if copy_ok and change_ok else 1


if __name__ == "__main__":
    sys.exit(main())
