"""The SQL of ``concertem_datastore_load``, over one psycopg2 cursor in one transaction.

The full-text column is computed as CKAN's ``populate_full_text_trigger`` does (every
column's text, in column order, through the database's default text search
configuration), but in one INSERT rather than one trigger call per row.
"""

from __future__ import annotations

import csv
import json
import logging
import time
from typing import IO, Any

import ckan.plugins.toolkit as toolkit

RESERVED = ("_id", "_full_text")
FULL_TEXT_TRIGGER = "zfulltext"  # CKAN's name for it
TEXT_TYPES = ("text", "character varying", "citext")
# Text as row_to_json writes it, which is what the trigger indexes.
AS_IS_TYPES = ("bigint", "integer", "smallint", "numeric", "double precision", "real", "date")
STAGE = "concertem_stage"
log = logging.getLogger(__name__)
COPY_BUFFER = 1 << 20


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def header_read(stream: Any) -> list[str]:
    """The CSV's first line as column names; the stream is left at the first row."""
    line = stream.readline().decode("utf-8-sig")
    header = next(csv.reader([line]), [])
    if not header or any(not name for name in header):
        raise toolkit.ValidationError({"upload": ["the CSV has no header row"]})
    return header


def fields_check(fields: list[dict[str, Any]], header: list[str], primary_key: list[str]) -> None:
    names = [str(field.get("id", "")) for field in fields]
    if not names or any(not field.get("type") for field in fields):
        raise toolkit.ValidationError({"fields": ["every field needs an id and a type"]})
    if sorted(names) != sorted(header):
        raise toolkit.ValidationError(
            {"fields": [f"the CSV's columns {header} are not the fields {names}"]}
        )
    missing = [key for key in primary_key if key not in names]
    if missing:
        raise toolkit.ValidationError({"primary_key": [f"not a field: {missing}"]})


def _columns(cursor: Any, table: str) -> list[tuple[str, str, str | None]]:
    """(name, type, comment) of the table's own columns, in order; [] if no table."""
    cursor.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), "
        "col_description(a.attrelid, a.attnum) FROM pg_attribute a "
        "WHERE a.attrelid = to_regclass(quote_ident(%s)) AND a.attnum > 0 "
        "AND NOT a.attisdropped ORDER BY a.attnum",
        (table,),
    )
    return [row for row in cursor.fetchall() if row[0] not in RESERVED]


def table_matches(
    cursor: Any, table: str, fields: list[dict[str, Any]], primary_key: list[str]
) -> bool:
    """Does the table have these columns, types, data dictionary and unique key?"""
    columns = _columns(cursor, table)
    if not columns:
        return False
    cursor.execute(
        "SELECT format_type(to_regtype(t), NULL) FROM unnest(%s::text[]) WITH ORDINALITY "
        "AS x(t, n) ORDER BY n",
        ([str(field["type"]) for field in fields],),
    )
    wanted_types = [row[0] for row in cursor.fetchall()]
    wanted = [(str(f["id"]), t) for f, t in zip(fields, wanted_types, strict=True)]
    if [(name, kind) for name, kind, _ in columns] != wanted:
        return False
    for (_, _, comment), field in zip(columns, fields, strict=True):
        try:
            info = json.loads(comment).get("_info") if comment else None
        except ValueError:
            return False
        if (info or {}) != (field.get("info") or {}):
            return False
    cursor.execute(
        "SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_index i "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = to_regclass(quote_ident(%s)) AND i.indisunique "
        "AND NOT i.indisprimary GROUP BY i.indexrelid",
        (table,),
    )
    return sorted(primary_key) in [row[0] for row in cursor.fetchall()]


def _stage(cursor: Any, table: str, header: list[str], stream: IO[bytes]) -> int:
    """COPY the CSV into a temporary table typed like the target; returns its rows."""
    names = ", ".join(ident(name) for name in header)
    cursor.execute(
        f"CREATE TEMP TABLE {STAGE} ON COMMIT DROP AS SELECT {names} FROM {ident(table)} "
        "WITH NO DATA"
    )
    # FORCE_NULL: a quoted empty cell is NULL too, as an unquoted one is.
    cursor.copy_expert(
        f"COPY {STAGE} ({names}) FROM STDIN WITH (FORMAT csv, FORCE_NULL ({names}), "
        "ENCODING 'UTF8')",
        stream,
        size=COPY_BUFFER,
    )
    cursor.execute(f"SELECT count(*) FROM {STAGE}")
    return int(cursor.fetchone()[0])


def _cell_text(name: str, kind: str) -> str:
    column = ident(name)
    if kind in TEXT_TYPES:
        return column
    if kind == "boolean":
        return f"CASE WHEN {column} THEN 'true' WHEN NOT {column} THEN 'false' END"
    if kind in AS_IS_TYPES:
        return f"{column}::text"
    return f"to_json({column}) #>> '{{}}'"


def table_fill(cursor: Any, table: str, header: list[str], stream: IO[bytes]) -> dict[str, Any]:
    """Fill the new (empty) table: stage, one INSERT, then its unique indexes.

    Its other indexes (CKAN's full-text index) are dropped and returned as ``deferred``:
    building a GiST index over a million rows' words takes longer than the load itself,
    and search works without it (more slowly), so the caller builds them after the
    commit (``indexes_build``).
    """
    target = ident(table)
    columns = _columns(cursor, table)
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
        "AND tablename = %s AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(quote_ident(%s)))",
        (table, table),
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {ident(name)}")
    started = time.monotonic()
    rows = _stage(cursor, table, header, stream)
    staged = time.monotonic()
    names = ", ".join(ident(name) for name, _, _ in columns)
    text = ", ".join(_cell_text(name, kind) for name, kind, _ in columns)
    cursor.execute(f"ALTER TABLE {target} DISABLE TRIGGER {FULL_TEXT_TRIGGER}")
    cursor.execute(
        f"INSERT INTO {target} ({names}, _full_text) "
        f"SELECT {names}, to_tsvector(concat_ws(' ', {text})) FROM {STAGE}"
    )
    cursor.execute(f"ALTER TABLE {target} ENABLE TRIGGER {FULL_TEXT_TRIGGER}")
    inserted = time.monotonic()
    unique = [definition for _, definition in indexes if " UNIQUE INDEX " in definition]
    for definition in unique:
        cursor.execute(definition)
    cursor.execute(f"ANALYZE {target}")
    log.info(
        "%s: %d rows: COPY %.1f s, insert with full text %.1f s, %d unique indexes %.1f s",
        table,
        rows,
        staged - started,
        inserted - staged,
        len(unique),
        time.monotonic() - inserted,
    )
    deferred = [definition for _, definition in indexes if definition not in unique]
    counts = {"rows": rows, "inserted": rows, "updated": 0, "deleted": 0, "method": "copy"}
    return {**counts, "deferred": deferred}


def indexes_invalid(cursor: Any, table: str) -> list[str]:
    """Indexes a build cut short left behind (CREATE INDEX CONCURRENTLY marks them invalid)."""
    cursor.execute(
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = to_regclass(quote_ident(%s)) AND NOT i.indisvalid",
        (table,),
    )
    return [row[0] for row in cursor.fetchall()]


def indexes_build(connection: Any, table: str, deferred: list[str], invalid: list[str]) -> None:
    """Build deferred indexes without locking out writers, on an autocommit connection;
    rebuild those an earlier build left invalid."""
    started = time.monotonic()
    cursor = connection.cursor()
    for definition in deferred:
        cursor.execute(definition.replace("CREATE INDEX ", "CREATE INDEX CONCURRENTLY ", 1))
    for name in invalid:
        cursor.execute(f"REINDEX INDEX CONCURRENTLY {ident(name)}")
    log.info(
        "%s: %d index(es) built after the load in %.1f s",
        table,
        len(deferred) + len(invalid),
        time.monotonic() - started,
    )


def table_diff(
    cursor: Any, table: str, header: list[str], primary_key: list[str], stream: IO[bytes]
) -> dict[str, Any]:
    """Write only what differs from the CSV: rows gone, rows changed, rows new."""
    target = ident(table)
    rows = _stage(cursor, table, header, stream)
    cursor.execute(f"ANALYZE {STAGE}")
    same_key = " AND ".join(f"t.{ident(k)} = s.{ident(k)}" for k in primary_key)
    cursor.execute(
        f"DELETE FROM {target} t WHERE NOT EXISTS (SELECT 1 FROM {STAGE} s WHERE {same_key})"
    )
    deleted = cursor.rowcount
    others = [name for name in header if name not in primary_key]
    updated = 0
    if others:
        assignments = ", ".join(f"{ident(name)} = s.{ident(name)}" for name in others)
        old = ", ".join(f"t.{ident(name)}" for name in others)
        new = ", ".join(f"s.{ident(name)}" for name in others)
        # _full_text = NULL: CKAN's trigger recomputes it only when it is NULL.
        cursor.execute(
            f"UPDATE {target} t SET {assignments}, _full_text = NULL FROM {STAGE} s "
            f"WHERE {same_key} AND ROW({old}) IS DISTINCT FROM ROW({new})"
        )
        updated = cursor.rowcount
    names = ", ".join(ident(name) for name in header)
    cursor.execute(
        f"INSERT INTO {target} ({names}) SELECT {names} FROM {STAGE} s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {target} t WHERE {same_key})"
    )
    inserted = cursor.rowcount
    return {
        "rows": rows,
        "inserted": inserted,
        "updated": updated,
        "deleted": deleted,
        "method": "diff",
    }
