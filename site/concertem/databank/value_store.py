"""The values table's bulk SQL: checked rows staged in a temporary table, then compared with
and merged into the stored values by a few set-based statements inside the database.

Why not the ORM or a diff in Python: an import of 1M rows read every stored value of the
indicator into Python (twice: once for the counts, once to apply) and wrote row by row
through model instances. Here the rows go into the database once (``executemany`` of one
prepared statement on SQLite, one ``COPY`` on PostgreSQL), and the database joins them with
the unique key (indicator, entity, year, breakdown) it already has: counts, the values kept
for undo, the replaced values and the added ones are one statement each.

Every name in the SQL comes from the models' metadata (quoted) or is an integer primary key
formatted with ``int``; every value from a file is a parameter or COPY data.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, models, transaction

from concertem.databank.models import Value, ValueChange
from datasets.indicators.values import ValueRow

STAGED = "databank_staged_values"
# The staged table's columns: a checked row as the importer gives it (ValueRow, in order).
STAGED_COLUMNS = ("indicator_code", "entity_code", "year", "disaggregation", "value", "status")
VALUE_FIELDS = (
    "indicator",
    "entity_code",
    "year",
    "disaggregation",
    "value",
    "status",
    "source_import",
)
CHANGE_FIELDS = (
    "source_import",
    "entity_code",
    "year",
    "disaggregation",
    "previous_value",
    "previous_status",
    "previous_import",
)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    meta = model._meta
    return [_quote(meta.get_field(name).column) for name in fields]


def _table(model: type[models.Model]) -> str:
    return _quote(model._meta.db_table)


def values_exist(indicator_id: int) -> bool:
    return Value.objects.filter(indicator_id=indicator_id).exists()


def _staged_load(rows: list[ValueRow]) -> None:
    """Create the staging table and put ``rows`` in it, as they are (year as text: the
    column's type converts it inside the database, not per row in Python)."""
    names = ", ".join(STAGED_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A temporary table: no WAL, no index, no constraint to check while loading.
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGED} (indicator_code varchar(80), "
                "entity_code varchar(12), year smallint, disaggregation varchar(200), "
                "value varchar(64), status varchar(20))"
            )
            with cursor.copy(f"COPY {STAGED} ({names}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
            # Temporary tables are never analysed by autovacuum: without statistics the
            # planner guesses a few rows and joins them with a nested loop.
            cursor.execute(f"ANALYZE {STAGED}")
            return
        cursor.execute(f"DROP TABLE IF EXISTS temp.{STAGED}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGED} (indicator_code TEXT, entity_code TEXT, "
            "year INTEGER, disaggregation TEXT, value TEXT, status TEXT)"
        )
    # The driver's own cursor: one executemany over the whole list, no per-batch slicing.
    connection.connection.executemany(
        f"INSERT INTO temp.{STAGED} VALUES (?, ?, ?, ?, ?, ?)",  # noqa: S608
        rows,
    )


@contextmanager
def rows_staged(rows: list[ValueRow]) -> Iterator[None]:
    """``rows`` in the staging table for the statements run inside the block.

    The table lives in the block's transaction: created, loaded, dropped at its end; an
    error rolls its creation back with the rest.
    """
    with transaction.atomic():
        _staged_load(rows)
        yield
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {STAGED}")


def _key_join(value_alias: str, indicator_id: int) -> str:
    """The staged row ``s`` and the stored value ``value_alias`` of the same key."""
    entity, year, disaggregation, indicator = _columns(
        Value, ("entity_code", "year", "disaggregation", "indicator")
    )
    v = value_alias
    return (
        f"{v}.{indicator} = {int(indicator_id)} AND {v}.{entity} = s.entity_code "
        f"AND {v}.{year} = s.year AND {v}.{disaggregation} = s.disaggregation"
    )


def _differs(value_alias: str) -> str:
    value, status = _columns(Value, ("value", "status"))
    return f"({value_alias}.{value} <> s.value OR {value_alias}.{status} <> s.status)"


def staged_compare(indicator_id: int, total: int) -> tuple[int, int, int]:
    """(added, replaced, unchanged) if the staged rows were stored now."""
    pk, value, status = _columns(Value, ("id", "value", "status"))
    sql = (
        f"SELECT COUNT(v.{pk}), COALESCE(SUM(CASE WHEN v.{value} = s.value "  # noqa: S608
        f"AND v.{status} = s.status THEN 1 ELSE 0 END), 0) "
        f"FROM {STAGED} s JOIN {_table(Value)} v ON {_key_join('v', indicator_id)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        matched, unchanged = cursor.fetchone()
    return total - matched, matched - unchanged, unchanged


def staged_merge(indicator_id: int, import_id: int, total: int) -> tuple[int, int, int]:
    """Store the staged rows for ``indicator_id`` as import ``import_id``: the value each
    replaced key held is kept first (for undo), then replaced in place; new keys are added.
    Returns (added, replaced, unchanged)."""
    value_table = _table(Value)
    value_columns = ", ".join(_columns(Value, VALUE_FIELDS))
    v_entity, v_year, v_disaggregation, v_value, v_status, v_source = (
        f"v.{column}"
        for column in _columns(
            Value, ("entity_code", "year", "disaggregation", "value", "status", "source_import")
        )
    )
    value_set, status_set, source_set = _columns(Value, ("value", "status", "source_import"))
    change_columns = ", ".join(_columns(ValueChange, CHANGE_FIELDS))
    indicator, record = int(indicator_id), int(import_id)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(ValueChange)} ({change_columns}) "  # noqa: S608
            f"SELECT {record}, {v_entity}, {v_year}, {v_disaggregation}, {v_value}, {v_status}, "
            f"{v_source} FROM {STAGED} s JOIN {value_table} v ON {_key_join('v', indicator)} "
            f"WHERE {_differs('v')}"
        )
        replaced = cursor.rowcount
        # The updated table is named, not aliased, in the conditions: the UPDATE ... FROM
        # both SQLite (3.33+) and PostgreSQL accept.
        cursor.execute(
            f"UPDATE {value_table} SET {value_set} = s.value, {status_set} = s.status, "  # noqa: S608
            f"{source_set} = {record} FROM {STAGED} s "
            f"WHERE {_key_join(value_table, indicator)} AND {_differs(value_table)}"
        )
        assert cursor.rowcount == replaced, (cursor.rowcount, replaced)
        cursor.execute(
            f"INSERT INTO {value_table} ({value_columns}) "  # noqa: S608
            f"SELECT {indicator}, s.entity_code, s.year, s.disaggregation, s.value, s.status, "
            f"{record} FROM {STAGED} s WHERE NOT EXISTS (SELECT 1 FROM {value_table} v "
            f"WHERE {_key_join('v', indicator)})"
        )
        added = cursor.rowcount
    return added, replaced, total - added - replaced


def values_add(indicator_id: int, import_id: int, rows: list[ValueRow]) -> None:
    """Insert ``rows`` as new values of ``indicator_id`` (it has none of their keys)."""
    if connection.vendor == "postgresql":
        # One COPY straight into the table, streamed: the server checks and indexes rows
        # while the next ones are written (through a staging table it cost 15% more).
        indicator, record = int(indicator_id), int(import_id)
        columns = ", ".join(_columns(Value, VALUE_FIELDS))
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {_table(Value)} ({columns}) FROM STDIN") as copy,
        ):
            write = copy.write_row
            for _code, entity, year, disaggregation, value, status in rows:
                write((indicator, entity, year, disaggregation, value, status, record))
        return
    connection.ensure_connection()
    # Numbered parameters skip the row's first item (the indicator's code): the row tuples
    # the importer made are bound as they are; the year's text becomes the column's integer.
    connection.connection.executemany(
        f"INSERT INTO {_table(Value)} ({', '.join(_columns(Value, VALUE_FIELDS))}) "  # noqa: S608
        f"VALUES ({int(indicator_id)}, ?2, ?3, ?4, ?5, ?6, {int(import_id)})",
        rows,
    )


def changes_restore(indicator_id: int, import_id: int) -> int:
    """Put back the values import ``import_id`` replaced (its ValueChange rows); returns how
    many."""
    change_columns = ", ".join(
        _columns(
            ValueChange,
            (
                "entity_code",
                "year",
                "disaggregation",
                "previous_value",
                "previous_status",
                "previous_import",
            ),
        )
    )
    (source,) = _columns(ValueChange, ("source_import",))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(Value)} ({', '.join(_columns(Value, VALUE_FIELDS))}) "  # noqa: S608
            f"SELECT {int(indicator_id)}, {change_columns} FROM {_table(ValueChange)} "
            f"WHERE {source} = %s",
            [int(import_id)],
        )
        return cursor.rowcount


def values_delete(values: models.QuerySet[Value]) -> None:
    # One DELETE statement. QuerySet.delete() first fetches every row when any app listens
    # to delete signals for all models, which makes undoing a 100k-row import take seconds
    # per 10k rows; nothing refers to a Value and no receiver of ours needs the rows.
    values._raw_delete(values.db)
