"""Importing facilities: CSV and GeoJSON, all or nothing, each problem with row and column."""

from __future__ import annotations

import gc
import json
import tracemalloc
from pathlib import Path

import pytest

from datasets.facilities.errors import FacilityImportError
from datasets.facilities.importer import facilities_import
from datasets.facilities.register import facilities_load, facilities_write
from datasets.issues import ISSUES_KEPT
from datasets.table_io import DECODE_CHUNK
from datasets.territory import entities_index, entities_load
from publishing.cli import main as concertem

HEADER = "facility_id,name,category,entity_code,lon,lat,opening_year,accessibility,owner\n"
GOOD = (
    "sab-1,Biblioteca Vapor Badia,culture,08187,2.1040,41.5447,2003,accessible,municipal\n"
    "sab-2,Piscina Can Llong,sport,08187,2.0901,41.5589,,partial,municipal\n"
)


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "facilities.csv"
    facilities_write(facilities_load()[:5], path=path)
    return path


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def rules(error: FacilityImportError) -> list[tuple[int | None, str | None, str]]:
    return [(issue.row, issue.column, issue.rule) for issue in error.issues]


def test_a_good_csv_is_upserted(tmp_path, register):
    result = facilities_import(write(tmp_path, "good.csv", HEADER + GOOD), register_path=register)
    assert (result.added, result.updated, result.total) == (2, 0, 7)
    again = facilities_import(write(tmp_path, "good.csv", HEADER + GOOD), register_path=register)
    assert (again.added, again.unchanged, again.written) == (0, 2, False)
    assert {f.facility_id for f in facilities_load(path=register)} >= {"sab-1", "sab-2"}


def test_a_good_geojson_is_imported(tmp_path, register):
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "mat-1",
                "geometry": {"type": "Point", "coordinates": [2.4445, 41.5381]},
                "properties": {
                    "name": "Teatre Monumental",
                    "category": "culture",
                    "entity_code": "08121",
                },
            }
        ],
    }
    path = write(tmp_path, "more.geojson", json.dumps(collection))
    assert facilities_import(path, register_path=register).added == 1


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "latin1.csv",
            (HEADER + GOOD.replace("Badia", "Badía")).encode("latin-1"),
            [(2, None, "encoding")],
        ),
        ("semicolons.csv", (HEADER + GOOD).replace(",", ";"), [(1, None, "delimiter")]),
        ("no_header.csv", GOOD, [(1, None, "missing-header")]),
        (
            "duplicate.csv",
            HEADER + GOOD + GOOD.splitlines()[0] + "\n",
            [(4, "facility_id", "duplicate-id")],
        ),
        (
            "unknown_entity.csv",
            HEADER + GOOD.replace("08187,2.0901", "08999,2.0901"),
            [(3, "entity_code", "unknown-entity")],
        ),
        (
            "swapped.csv",
            HEADER + GOOD.replace("2.1040,41.5447", "41.5447,2.1040"),
            [(2, "lon", "coordinates-far-from-entity")],
        ),
        (
            "out_of_range.csv",
            HEADER + GOOD.replace("41.5589", "141.5589"),
            [(3, "lat", "coordinates-out-of-range")],
        ),
        (
            "bad_category.csv",
            HEADER + GOOD.replace("culture", "museums"),
            [(2, "category", "not-allowed")],
        ),
        (
            "bad_year.csv",
            HEADER + GOOD.replace("2003", "two thousand"),
            [(2, "opening_year", "not-an-integer")],
        ),
    ],
)
def test_broken_twins_are_refused_whole(tmp_path, register, name, content, expected):
    before = register.read_bytes()
    with pytest.raises(FacilityImportError) as caught:
        facilities_import(write(tmp_path, name, content), register_path=register)
    assert rules(caught.value) == expected
    assert all(issue.file == name for issue in caught.value.issues)
    assert register.read_bytes() == before  # all or nothing


def test_swapped_coordinates_are_named_as_such(tmp_path, register):
    path = write(tmp_path, "swapped.csv", HEADER + GOOD.replace("2.1040,41.5447", "41.5447,2.1040"))
    with pytest.raises(FacilityImportError) as caught:
        facilities_import(path, register_path=register)
    assert "swapped" in caught.value.issues[0].message


def test_cli_lists_every_problem_and_exits_1(tmp_path, register, capsys):
    path = write(
        tmp_path,
        "bad.csv",
        HEADER + GOOD.replace("culture", "museums").replace("08187,2.0901", "08999,2.0901"),
    )
    code = concertem(["facilities", "import", str(path), "--register", str(register)])
    out = capsys.readouterr().out
    assert code == 1
    assert "bad.csv:2 [category]: not-allowed" in out
    assert "bad.csv:3 [entity_code]: unknown-entity" in out
    assert (
        concertem(
            [
                "facilities",
                "import",
                str(write(tmp_path, "ok.csv", HEADER + GOOD)),
                "--register",
                str(register),
            ]
        )
        == 0
    )


# ---- Big files: streamed, problems capped ----


def _big_file(path: Path, *, megabytes: float, ids: int) -> int:
    """Rows whose ids go round ``ids`` values (so all after the first round are duplicates),
    with long source addresses (few rows: tracemalloc is slow per allocation, and memory is
    about bytes). Returns the number of rows."""
    rows = size = 0
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        size += handle.write(HEADER.replace("\n", ",source\n"))
        while size < megabytes * 1024 * 1024:
            source = f"https://dades.exemple.cat/equipaments/{rows}?" + "&camp=valor" * 30
            size += handle.write(
                f"big-{rows % ids},Equipament {rows},culture,08187,2.1,41.55,2003,accessible,"
                f"municipal,{source}\n"
            )
            rows += 1
    return rows


def test_a_big_file_is_streamed_in_bounded_memory(tmp_path, register):
    path = tmp_path / "big.csv"
    rows = _big_file(path, megabytes=5, ids=200)
    entities = entities_index(entities_load(province_code=None))  # outside the measure
    caught: list[FacilityImportError] = []

    def run() -> None:
        with pytest.raises(FacilityImportError) as error:
            facilities_import(path, register_path=register, entities=entities, dry_run=True)
        caught.append(error.value)

    gc.collect()
    tracemalloc.start()
    try:
        run()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    size = path.stat().st_size
    assert peak < 0.5 * size, f"{peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"
    error = caught[0]
    assert len(error.issues) == ISSUES_KEPT
    assert error.more == rows - 200 - ISSUES_KEPT  # every duplicate counted
    assert f"big.csv: {rows - 200} problem(s)" in str(error)
    assert f"and {error.more} more" in str(error)


def test_cli_lists_the_first_problems_and_says_how_many_more(tmp_path, register, capsys):
    path = tmp_path / "many.csv"
    rows = _big_file(path, megabytes=0.5, ids=10)
    code = concertem(["facilities", "import", str(path), "--register", str(register)])
    out = capsys.readouterr().out
    assert code == 1
    assert "many.csv:12 [facility_id]: duplicate-id: 'big-0' already on row 2" in out
    assert f"and {rows - 10 - ISSUES_KEPT} more" in out
    assert len([line for line in out.splitlines() if "duplicate-id" in line]) == ISSUES_KEPT


def test_a_byte_that_is_not_utf8_late_in_the_file_names_its_line(tmp_path, register):
    """The encoding is checked as the file streams by: a bad byte megabytes in is found,
    with its line, before any row is looked at."""
    path = tmp_path / "late.csv"
    rows = _big_file(path, megabytes=1, ids=10**9)
    with path.open("ab") as handle:
        handle.write("sab-9,Biblioteca Vapor Badía,culture,08187,2.1,41.5,,,,\n".encode("cp1252"))
    assert path.stat().st_size > 2 * DECODE_CHUNK
    with pytest.raises(FacilityImportError) as caught:
        facilities_import(path, register_path=register)
    assert rules(caught.value) == [(rows + 2, None, "encoding")]
    assert caught.value.issues[0].value.startswith("ed")
