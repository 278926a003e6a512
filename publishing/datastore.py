"""A table into CKAN's DataStore: the COPY loader when the portal has it, JSON otherwise.

- **COPY** (``concertem_datastore_load``, ckanserver/ckanext-concertem_datastore): CKAN
  reads the CSV it already stores for the resource and streams it into a typed table with
  PostgreSQL ``COPY``, in one transaction; a table already there is compared by primary key,
  so a one-row change writes one row. The local CKAN has it; a portal has it when
  ``status_show`` lists the ``concertem_datastore`` plugin (asked once per run, and only
  when a table must be loaded, so an unchanged re-publish does not ask).
- **JSON batches** (any CKAN): ``datastore_create`` with the fields, then
  ``datastore_upsert`` in batches of ``CkanConfig.datastore_batch`` records; the table is
  dropped and reloaded whole.

Both type the columns from the Table Schema (``datastore_fields``); both leave empty cells
NULL. ``CallStats.datastore_rows`` counts the rows each writes (the COPY loader's inserted,
updated and deleted rows; every record sent in JSON).
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from publishing.ckan import Gateway
from publishing.errors import CkanNotFoundError, CkanRequestError
from publishing.mapping import LocalResource

LOADER_ACTION = "concertem_datastore_load"
LOADER_PLUGIN = "concertem_datastore"
COPY, JSON = "copy", "json"
# Table Schema type -> DataStore (PostgreSQL) column type.
DATASTORE_TYPES = {
    "integer": "int8",
    "year": "int4",
    "number": "numeric",
    "boolean": "bool",
    "date": "date",
    "datetime": "timestamp",
}


def datastore_fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": field["name"],
            "type": DATASTORE_TYPES.get(field.get("type", "string"), "text"),
            "info": {"label": field.get("title", ""), "notes": field.get("description", "")},
        }
        for field in schema["fields"]
    ]


def primary_key_of(schema: dict[str, Any]) -> list[str]:
    key = schema.get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


def copy_loadable(schema: dict[str, Any]) -> bool:
    """COPY reads an empty cell as NULL and nothing else: a schema whose missing values
    are other strings ("NA", "-") goes through the JSON path, which maps them all."""
    return set(schema.get("missingValues", [""])) <= {""}


def _converters(schema: dict[str, Any]) -> dict[str, Any]:
    def integer(value: str) -> int:
        return int(value)

    def boolean(value: str) -> bool:
        return value.lower() in ("true", "1", "yes")

    kinds = {"integer": integer, "year": integer, "boolean": boolean}
    return {
        field["name"]: kinds.get(field.get("type", "string"), str) for field in schema["fields"]
    }


def datastore_batches(
    *, file: Path, schema: dict[str, Any], size: int
) -> Iterator[list[dict[str, Any]]]:
    """Records ready for datastore_create/upsert: empty cells are NULL, integers are ints.

    Numbers stay strings: PostgreSQL parses them into ``numeric`` exactly, where a float
    would not keep every cent.
    """
    convert = _converters(schema)
    missing = set(schema.get("missingValues", [""]))
    batch: list[dict[str, Any]] = []
    with file.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            record = {
                key: (None if value in missing or value is None else convert.get(key, str)(value))
                for key, value in row.items()
                if key is not None
            }
            batch.append(record)
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch


class DatastoreLoader:
    """Loads tables for one publishing run; remembers whether the portal has the COPY loader."""

    def __init__(self, gateway: Gateway, *, batch: int) -> None:
        self.gateway = gateway
        self.batch = batch
        self.copy_available: bool | None = None  # unknown until a table must be loaded

    def method(self, local: LocalResource, *, what: str) -> str:
        """COPY or JSON for this table (reads ``status_show`` the first time)."""
        assert local.schema is not None
        if self.copy_available is None:
            try:
                status = self.gateway.call("status_show", {}, what=what) or {}
            except (CkanRequestError, CkanNotFoundError):
                status = {}
            self.copy_available = LOADER_PLUGIN in (status.get("extensions") or [])
        return COPY if self.copy_available and copy_loadable(local.schema) else JSON

    def load(self, rid: str, local: LocalResource, *, exists: bool, what: str) -> str:
        """Load ``local``'s CSV into the resource's table; returns the method used.

        COPY reads the file CKAN holds for the resource, so the caller uploads it first.
        """
        assert local.schema is not None
        fields = datastore_fields(local.schema)
        primary_key = primary_key_of(local.schema)
        if self.method(local, what=what) == COPY:
            data = {"resource_id": rid, "fields": fields, "primary_key": primary_key}
            done = self.gateway.call(LOADER_ACTION, data, what=what) or {}
            written = sum(int(done.get(key) or 0) for key in ("inserted", "updated", "deleted"))
            self.gateway.stats.datastore_rows += written
            return COPY
        call = self.gateway.call
        if exists:
            with contextlib.suppress(CkanNotFoundError):
                call("datastore_delete", {"resource_id": rid, "force": True}, what=what)
        # Create the empty table, then upsert: re-sending a batch after a lost answer is
        # harmless with a primary key (every table of the catalogue has one).
        create = {"resource_id": rid, "force": True, "fields": fields, "primary_key": primary_key}
        call("datastore_create", create, what=what)
        method = "upsert" if primary_key else "insert"
        for batch in datastore_batches(file=local.file, schema=local.schema, size=self.batch):
            call(
                "datastore_upsert",
                {"resource_id": rid, "force": True, "method": method, "records": batch},
                what=what,
            )
            self.gateway.stats.datastore_rows += len(batch)
        return JSON
