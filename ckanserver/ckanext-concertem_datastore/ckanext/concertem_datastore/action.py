"""``concertem_datastore_load``: a resource's CSV into the DataStore with PostgreSQL COPY.

``datastore_upsert`` takes rows as JSON, a few thousand per request, and fills every
row's full-text column through a per-row trigger: fine for a thousand rows, minutes for a
million. This action reads the CSV where CKAN stored it (or from ``upload``) and streams
it with ``COPY`` through the DataStore's write connection, in one transaction:

- when the table is missing, or its columns, types or unique key differ from ``fields``
  and ``primary_key``, it is (re)made with CKAN's own ``datastore_create`` (so the data
  dictionary, the full-text trigger and the indexes are CKAN's), then filled in bulk:
  COPY into a temporary table, one INSERT computing the full-text column as the trigger
  would, and the secondary indexes built once at the end instead of row by row;
- when the table is already there with the same columns and a primary key, the CSV is
  compared with it: only rows that are new, changed or gone are written (a one-row change
  to a million-row table writes one row).

Parameters: ``resource_id``; ``fields`` (as ``datastore_create``: ``id``, ``type``,
``info``), in any order, naming exactly the CSV's header; ``primary_key`` (a list; empty
means no comparison: the table is replaced); optionally ``upload`` (the CSV itself, for a
resource whose file CKAN does not hold). Empty cells are NULL. Returns ``rows`` (in the
CSV), ``inserted``, ``updated``, ``deleted`` and ``method`` (``copy`` or ``diff``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from collections.abc import Iterable, Iterator
from typing import IO, Any

import ckan.plugins.toolkit as toolkit
import psycopg2
from ckan.lib.uploader import get_resource_uploader
from ckanext.concertem_datastore import copyload
from ckanext.datastore.backend.postgres import get_write_engine
from psycopg2 import Error as PostgresError

log = logging.getLogger(__name__)


def _listed(value: Any, name: str) -> list[Any]:
    # A multipart request (with ``upload``) carries lists as JSON text.
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip().startswith("[") else [value]
        except ValueError as error:
            raise toolkit.ValidationError({name: [f"not JSON: {error}"]}) from None
    if value is None:
        return []
    if not isinstance(value, list):
        raise toolkit.ValidationError({name: ["must be a list"]})
    return value


class _ChunksReader:
    """A file-like ``read()`` over an iterable of byte chunks (a storage's stream)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks: Iterator[bytes] = iter(chunks)
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def readline(self) -> bytes:
        while b"\n" not in self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        end = self._buffer.find(b"\n") + 1 or len(self._buffer)
        line, self._buffer = self._buffer[:end], self._buffer[end:]
        return line


@contextlib.contextmanager
def _csv_open(resource: dict[str, Any], upload: Any) -> Iterator[IO[bytes] | _ChunksReader]:
    """The CSV: the request's upload, else the file CKAN stored for the resource."""
    if upload is not None and hasattr(upload, "stream"):
        yield upload.stream
        return
    if resource.get("url_type") != "upload":
        raise toolkit.ValidationError(
            {"upload": ["the resource has no uploaded file: send the CSV as upload"]}
        )
    uploader = get_resource_uploader(resource)
    location = uploader.get_path(resource["id"])
    if os.path.isabs(str(location)):  # CKAN's classic uploader: a path on this machine
        with open(location, "rb") as stream:
            yield stream
        return
    import file_keeper as fk  # CKAN 2.12's storages

    stream = uploader.storage.stream(fk.FileData(location))  # type: ignore[attr-defined]
    try:
        yield stream if hasattr(stream, "readline") else _ChunksReader(stream)
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()


def concertem_datastore_load(context: dict[str, Any], data_dict: dict[str, Any]) -> dict:
    resource_id = toolkit.get_or_bust(data_dict, "resource_id")
    toolkit.check_access("datastore_create", context, {"resource_id": resource_id})
    fields = _listed(data_dict.get("fields"), "fields")
    primary_key = [str(key) for key in _listed(data_dict.get("primary_key"), "primary_key")]
    resource = toolkit.get_action("resource_show")(dict(context), {"id": resource_id})
    engine = get_write_engine()
    with _csv_open(resource, data_dict.get("upload")) as stream:
        header = copyload.header_read(stream)
        copyload.fields_check(fields, header, primary_key)
        # Without a primary key there is nothing to compare by: the table is replaced.
        same = False
        if primary_key:
            with engine.connect() as connection:
                cursor = connection.connection.cursor()
                same = copyload.table_matches(cursor, resource_id, fields, primary_key)
        if not same:
            _table_make(context, resource_id, fields, primary_key)
        try:
            with engine.begin() as connection:
                cursor = connection.connection.cursor()
                if same:
                    counts = copyload.table_diff(cursor, resource_id, header, primary_key, stream)
                    counts["deferred"] = []
                    invalid = copyload.indexes_invalid(cursor, resource_id)
                else:
                    counts = copyload.table_fill(cursor, resource_id, header, stream)
                    invalid = []
        except PostgresError as error:
            # A bad cell (a letter in an integer column): PostgreSQL names the line.
            message = " ".join(str(error).split())
            raise toolkit.ValidationError({"records": [message]}) from None
    deferred = counts.pop("deferred")
    if deferred or invalid:
        _indexes_build_later(engine, resource_id, deferred, invalid)
    return {"resource_id": resource_id, **counts, "indexes_pending": len(deferred + invalid)}


def _indexes_build_later(engine: Any, table: str, deferred: list[str], invalid: list[str]) -> None:
    """The full-text index, built after the answer: rows are committed, typed and
    searchable already. If the process stops first, the index is left invalid and the
    next load of the table rebuilds it."""

    def build() -> None:
        try:
            # A connection of its own, not the pool's: CONCURRENTLY cannot run in a
            # transaction, and a pooled connection must not be handed back in autocommit.
            url = engine.url.render_as_string(hide_password=False)
            connection = psycopg2.connect(url.replace("postgresql+psycopg2://", "postgresql://"))
            try:
                connection.autocommit = True
                copyload.indexes_build(connection, table, deferred, invalid)
            finally:
                connection.close()
        except Exception:
            log.exception("%s: building its indexes after the load failed", table)

    threading.Thread(target=build, name=f"indexes-{table}", daemon=True).start()


def _table_make(
    context: dict[str, Any], resource_id: str, fields: list[dict], primary_key: list[str]
) -> None:
    """CKAN's own table, data dictionary, trigger and indexes, through its actions."""
    with contextlib.suppress(toolkit.ObjectNotFound):
        toolkit.get_action("datastore_delete")(
            dict(context), {"resource_id": resource_id, "force": True}
        )
    toolkit.get_action("datastore_create")(
        dict(context),
        {"resource_id": resource_id, "force": True, "fields": fields, "primary_key": primary_key},
    )
