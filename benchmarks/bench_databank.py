"""The data bank's import (check + store in the database) on 100,000- and 1,000,000-row files.

    .venv/bin/python benchmarks/bench_databank.py [--rows 100000 1000000] [--profile]

Sets up Django with the test settings on a temporary SQLite database migrated as the site's
is (or on the database ``DATABASE_URL`` names, which must be a throwaway one: the bench's
indicator values are replaced and removed there). It generates the same file as
``bench_indicators.py`` (every Spanish municipality x 2000-2022 x the ``population``
catalogue indicator's breakdowns: entity code, year, breakdown, value), then in one run:

1. checks it with ``concertem.databank.services.file_check`` (the pure importer against the data
   bank's catalogue: parse and check every row, nothing stored);
2. imports it with ``concertem.databank.services.file_import`` (what the admin and
   ``manage.py indicators_import`` run: check, record the import, store every value), into
   an indicator with no value yet; reads every value back as rows (what each server does
   after an import); imports a corrected edition (the same keys, one value in
   ten changed: the store diffs against the values in the database); undoes both;
3. validates it with ``frictionless`` and parses it with ``pyarrow.csv.read_csv``, as
   ``bench_indicators.py`` does;
4. inserts the checked rows, as ready-made tuples, with the driver's bare ``executemany``
   (SQLite) or ``COPY`` (PostgreSQL) into a table of one row per value (the unique key and
   the two foreign keys the data bank had before it kept one block per indicator): the floor
   of any row store. The check alone plus that insert is what a row store cannot beat
   (``x rows``: that floor / check + store). ``x check``: check alone / check + store, how
   close the store is to costing nothing.

Prints wall and CPU seconds (``time.process_time`` of this process: SQLite runs inside it,
so its work is counted; PostgreSQL's server is not) and rows/s, and the store's speed as a
ratio to frictionless and to pyarrow. Exit status 1 if check + store is slower than
frictionless.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "site"), str(REPO / "benchmarks")]

from bench_indicators import (  # noqa: E402
    INDICATOR,
    bench_file_write,
    peers_time,
)

Timing = tuple[float, float]  # wall seconds, cpu seconds


def django_setup(var_dir: str) -> str:
    os.environ["DJANGO_SETTINGS_MODULE"] = "concertem.config.settings.test"
    os.environ["CONCERTEM_VAR_DIR"] = var_dir
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    return connection.vendor


def timed(function, *args, **kwargs):
    started, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return result, (time.perf_counter() - started, time.process_time() - cpu)


def indicator_emptied():
    """The catalogue's population indicator with no value: every row of a first import adds."""
    from concertem.databank.models import Indicator
    from concertem.databank.value_store import values_clear

    indicator = Indicator.objects.get(code=INDICATOR)
    values_clear(indicator)
    return indicator


ROW_TABLE = "bench_value_rows"


def row_table_create() -> None:
    """One row per value, as the data bank stored them before its blocks: the unique key
    (indicator, entity, year, breakdown) and foreign keys to the indicator and the import."""
    from django.db import connection

    serial = "bigserial" if connection.vendor == "postgresql" else "integer"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {ROW_TABLE}")
        cursor.execute(
            f"CREATE TABLE {ROW_TABLE} (id {serial} PRIMARY KEY, "
            "indicator_id integer NOT NULL REFERENCES databank_indicator (id) "
            "DEFERRABLE INITIALLY DEFERRED, entity_code varchar(12) NOT NULL, "
            "year smallint NOT NULL, disaggregation varchar(200) NOT NULL, "
            "value varchar(64) NOT NULL, status varchar(20) NOT NULL, source_import_id "
            "integer NULL REFERENCES databank_import (id) DEFERRABLE INITIALLY DEFERRED)"
        )
        cursor.execute(
            f"CREATE UNIQUE INDEX {ROW_TABLE}_key ON {ROW_TABLE} "
            "(indicator_id, entity_code, year, disaggregation)"
        )


def bare_insert(indicator, checked: list[tuple[str, ...]]) -> Timing:
    """A row store's floor: the checked rows, as ready-made tuples, inserted into a table of
    one row per value with the driver's bare ``executemany`` (SQLite) or ``COPY``
    (PostgreSQL) in one transaction, and committed; nothing else. Dropped afterwards."""
    from django.db import connection, transaction

    from concertem.databank.models import Import

    record = Import.objects.create(
        indicator=indicator, file_name="bare", sha256="", state="applied", via="cli"
    )
    row_table_create()
    columns = "indicator_id, entity_code, year, disaggregation, value, status, source_import_id"
    tuples = [(indicator.pk, e, int(y), d, v, s, record.pk) for _c, e, y, d, v, s in checked]
    started, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with (
                connection.cursor() as cursor,
                cursor.copy(f"COPY {ROW_TABLE} ({columns}) FROM STDIN") as copy,
            ):
                for row in tuples:
                    copy.write_row(row)
        else:
            connection.connection.executemany(
                f"INSERT INTO {ROW_TABLE} ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
                tuples,
            )
    timing = (time.perf_counter() - started, time.process_time() - cpu)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {ROW_TABLE}")
    record.delete()
    return timing


def size_run(rows_wanted: int, temp_dir: Path, profile: bool) -> tuple[int, float, dict]:
    from concertem.databank.models import ValueBlock
    from concertem.databank.services import file_check, file_import, import_undo
    from concertem.databank.value_store import values_exist, values_rows, values_sources

    data_path = temp_dir / f"databank_bench_{rows_wanted}.csv"
    rows = bench_file_write(path=data_path, rows=rows_wanted)
    size_mb = data_path.stat().st_size / 1e6
    content = data_path.read_bytes()
    indicator = indicator_emptied()
    timings: dict[str, Timing] = {}
    (report, checked), timings["check"] = timed(
        file_check,
        content=content,
        file_name=data_path.name,
        indicator_code=INDICATOR,
        province_code=None,
    )
    assert report.valid and len(checked) == rows, report.issue_counts
    timings["bare"] = bare_insert(indicator, checked)
    del checked
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    (record, _report), timings["store"] = timed(
        file_import,
        content=content,
        file_name=data_path.name,
        indicator=indicator,
        via="cli",
        province_code=None,
    )
    if profiler:
        profiler.disable()
        print(f"\nprofile of check + store, {rows:,} rows (top 25 by cumulative time):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    assert record.added == rows, (record.added, rows)
    # What every server does after an import: read the indicator's values back as rows.
    read, timings["read"] = timed(values_rows, ValueBlock.objects.filter(indicator=indicator))
    assert len(read) == rows
    del read
    assert ValueBlock.objects.get(indicator=indicator).count == rows
    # A corrected edition of the same file: every key again, one value in ten changed, so
    # the store diffs against 100k/1M values already in the database.
    lines = content.split(b"\n")
    for number in range(1, len(lines), 10):
        if lines[number]:
            fields = lines[number].split(b",")
            fields[4] = str(int(fields[4]) + 1).encode()
            lines[number] = b",".join(fields)
    corrected = b"\n".join(lines)
    if profiler:
        profiler = cProfile.Profile()
        profiler.enable()
    (again, _report), timings["reimport"] = timed(
        file_import,
        content=corrected,
        file_name="corrected_" + data_path.name,
        indicator=indicator,
        via="cli",
        province_code=None,
    )
    if profiler:
        profiler.disable()
        print(f"\nprofile of the corrected re-import, {rows:,} rows (top 25 by cumulative time):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    assert (again.added, again.replaced) == (0, (rows + 9) // 10), (again.added, again.replaced)
    _again, timings["reundo"] = timed(import_undo, again)
    assert list(values_sources(indicator.pk).values()).count(record.pk) == rows
    _record, timings["undo"] = timed(import_undo, record)
    assert not values_exist(indicator.pk)
    peers_time(path=data_path, rows=rows, timings=timings)
    data_path.unlink()
    return rows, size_mb, timings


LABELS = {
    "check": "check (file_check: parse + check, no store)",
    "bare": "bare executemany/COPY, one row per value",
    "store": "check + store (file_import into the db)",
    "read": "read every value back (what a server rebuilds)",
    "reimport": "check + store again, 1 value in 10 changed",
    "reundo": "undo the second import (restore 1 in 10)",
    "undo": "undo the first import (delete all)",
    "frictionless": "frictionless validate (same schema, no FKs)",
    "pyarrow": "pyarrow.csv.read_csv (parse only, threads)",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--profile", action="store_true", help="profile check + store once")
    args = parser.parse_args(argv)
    status = 0
    summary = []
    with tempfile.TemporaryDirectory(prefix="bench-databank-") as temp:
        vendor = django_setup(temp)
        print(
            f"database: {vendor}"
            + (
                " (in this process: its work is in cpu s)"
                if vendor == "sqlite"
                else " (server: not in cpu s)"
            )
        )
        # Once on a small file first, untimed: the first check loads the catalogue, the
        # territory and the importer's modules, which would count against the first size.
        size_run(1_000, Path(temp), False)
        for number, wanted in enumerate(args.rows):
            rows, size_mb, timings = size_run(wanted, Path(temp), args.profile and number == 0)
            print(f"\nindicator file: {rows:,} rows, {size_mb:.1f} MB")
            print(f"{'step':<46} {'wall s':>7} {'cpu s':>7} {'rows/s':>10}")
            for key, (seconds, cpu) in timings.items():
                print(f"{LABELS[key]:<46} {seconds:>7.2f} {cpu:>7.2f} {rows / seconds:>10,.0f}")
            summary.append((rows, timings))
            if timings["store"][0] > timings["frictionless"][0]:
                status = 1
    print(
        f"\n{vendor}: {'rows':>9} {'check r/s':>10} {'store r/s':>10} {'(cpu)':>10} "
        f"{'x fricti.':>9} {'(cpu)':>6} {'x pyarrow':>9} {'(cpu)':>6} "
        f"{'x check':>8} {'x rows':>7} {'rows r/s':>10}"
    )
    for rows, t in summary:
        store, fri, arrow = t["store"], t["frictionless"], t["pyarrow"]
        # A row store's floor: the check alone, then the database's bare insert of the same
        # rows one row per value; x rows = that floor / check + store (above 1: faster than
        # any row store could be). x check = check alone / check + store (1: storing is free).
        floor = t["check"][0] + t["bare"][0]
        # CPU time too: other processes on a shared 2-core machine stretch wall times
        print(
            f"{'':<{len(vendor) + 1}} {rows:>10,} {rows / t['check'][0]:>10,.0f} "
            f"{rows / store[0]:>10,.0f} {rows / store[1]:>10,.0f} "
            f"{fri[0] / store[0]:>8.1f}x {fri[1] / store[1]:>5.1f}x "
            f"{arrow[0] / store[0]:>8.2f}x {arrow[1] / store[1]:>5.2f}x "
            f"{t['check'][0] / store[0]:>7.2f}x {floor / store[0]:>6.2f}x {rows / floor:>10,.0f}"
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
