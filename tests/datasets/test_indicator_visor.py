"""The nine real files of the Diputació's Visor 2030 import from the CLI with no mapping file,
each value equal to the file's; broken twins of them are refused as one clear problem each,
and nothing changes."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

from datasets.indicators.build import VISOR_DIR, VISOR_FILES
from datasets.indicators.catalog import indicator_catalog_load
from datasets.indicators.values import VALUES_PATH, values_rows_read
from publishing.cli import main as concertem


@pytest.fixture
def values_path(tmp_path):
    path = tmp_path / "indicator_values.csv"
    shutil.copy(VALUES_PATH, path)
    return path


def _checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(path: Path, indicator: str, values_path: Path, *extra: str) -> int:
    argv = ["indicators", "import", str(path), "--indicator", indicator]
    return concertem([*argv, "--values-file", str(values_path), *extra])


def _expected(path: Path) -> dict[tuple[str, str], float]:
    """The file read on its own, without the importer: (municipality, year) -> value."""
    expected = {}
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            text = row["valor_final"]
            if not text:
                continue
            if "," in text:  # decimal comma, '.' groups thousands ('170.788,00')
                text = text.replace(".", "").replace(",", ".")
            expected[(row["codi_municipi"].zfill(5), row["any"])] = float(text)
    return expected


@pytest.mark.parametrize(("name", "publisher_code"), VISOR_FILES)
def test_visor_file_imports_with_no_mapping_and_every_value_matches(
    tmp_path, capsys, name, publisher_code
):
    values_path = tmp_path / "empty.csv"
    assert _cli(VISOR_DIR / name, publisher_code, values_path) == 0
    out = capsys.readouterr().out
    indicator = indicator_catalog_load().find(publisher_code)
    assert indicator is not None and indicator.publisher_code == publisher_code
    assert f"indicator: {indicator.code} (publisher's code {publisher_code})" in out
    imported = {
        (row[1], row[2]): float(row[4])
        for row in values_rows_read(path=values_path)
        if row[0] == indicator.code and row[3] == "_T"
    }
    expected = _expected(VISOR_DIR / name)
    assert imported == expected
    assert len(imported) > 300


def test_the_committed_values_hold_the_nine_files_exactly(values_path, capsys):
    """The initial data is the files: importing them again adds and replaces nothing."""
    before = _checksum(values_path)
    for name, publisher_code in VISOR_FILES:
        assert _cli(VISOR_DIR / name, publisher_code, values_path) == 0
        out = capsys.readouterr().out
        assert "nothing to write" in out and " 0 added, 0 replaced" in out, out
    assert _checksum(values_path) == before


def test_a_file_of_another_indicator_is_one_file_level_problem(values_path, capsys):
    before = _checksum(values_path)
    assert _cli(VISOR_DIR / "15.1.1.csv", "9.5.1", values_path) == 1
    out = capsys.readouterr().out
    assert "15.1.1.csv:2: column 'codi_indicador': indicator-mismatch: the file is for " in out
    assert "which is catalogue indicator local_protection_land_share" in out
    assert "1 problem(s) (indicator-mismatch: 1); nothing written" in out
    assert _checksum(values_path) == before


def test_ignoring_the_code_column_does_not_switch_the_check_off(tmp_path, values_path, capsys):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[ignore]\ncolumns = ["codi_indicador"]\n', encoding="utf-8")
    before = _checksum(values_path)
    args = ("--mapping", str(mapping), "--dry-run")
    assert _cli(VISOR_DIR / "15.1.1.csv", "9.5.1", values_path, *args) == 1
    out = capsys.readouterr().out
    assert "is listed under [ignore] but, holding the indicator's code, is still checked" in out
    assert "indicator-mismatch" in out
    assert _checksum(values_path) == before


def _twin(tmp_path: Path, name: str, edit) -> Path:
    text = (VISOR_DIR / name).read_text(encoding="utf-8")
    path = tmp_path / f"twin_{name}"
    path.write_text(edit(text), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "code", "edit", "expected"),
    [
        (
            "15.1.1.csv",
            "15.1.1",
            lambda t: t.replace("15.1.1,2021,08019,", "15.1.1,2021,17079,", 1),
            "column 'codi_municipi': entity-other-province: '17079' is Girona (17079), a "
            "municipality of province 17 Girona; this data bank holds province 08 Barcelona",
        ),
        (
            "2.1.1_HISTORIC.csv",
            "2.1.1",
            lambda t: t.replace("\n", "\n", 0).replace("08001,2019,", "08999,2019,", 1),
            "column 'codi_municipi': unknown-entity: '08999' is not a known INE municipality",
        ),
        ("9.5.1.csv", "9.5.1", lambda t: "", "empty-file"),
        (
            "16.7.2_HISTORIC.csv",
            "16.7.2",
            lambda t: t.split("\n", 1)[0] + "\n" + t.split("\n", 1)[1].replace(",", ";"),
            "delimiter-mismatch: rows have 3 cells separated by ';' while the header uses ','",
        ),
        (
            "16.7.2_HISTORIC.csv",
            "16.7.2",
            # a breakdown the catalogue does not declare: every row twice, by 'tipus'
            lambda t: (
                "any,codi_municipi,valor_final,tipus\n"
                + "".join(f"{line},A\n{line},B\n" for line in t.split("\n")[1:] if line.strip())
            ),
            "column 'tipus': dimension-undeclared: 08001 2019 _T already given on line 2",
        ),
    ],
    ids=["other-province", "unknown-entity", "empty", "wrong-delimiter", "undeclared-dimension"],
)
def test_broken_twins_are_refused_naming_file_row_column_rule(
    tmp_path, values_path, capsys, name, code, edit, expected
):
    path = _twin(tmp_path, name, edit)
    before = _checksum(values_path)
    assert _cli(path, code, values_path) == 1
    out = capsys.readouterr().out
    if expected == "empty-file":
        assert f"{path.name}: file-empty: empty file: no header and no rows" in out
        assert "read as" not in out
    else:
        assert f"{path.name}:" in out and expected in out, out
    assert "nothing written" in out
    assert _checksum(values_path) == before


def test_wrong_delimiter_prints_no_garbage_read_as_line(tmp_path, values_path, capsys):
    path = _twin(tmp_path, "9.5.1.csv", lambda t: t.replace(",", ";").replace(";", ",", 3))
    assert _cli(path, "9.5.1", values_path) == 1
    out = capsys.readouterr().out
    assert "delimiter ''" not in out and "decimal ''" not in out
    assert f"{path.name}:2: delimiter-mismatch: rows have 4 cells separated by ';'" in out


def test_trailing_code_only_rows_are_ignored_and_reported(tmp_path, capsys):
    path = _twin(tmp_path, "15.1.1.csv", lambda t: t + "\n15.1.1,,,\n15.1.1,,,\n15.1.1\n")
    values_path = tmp_path / "v.csv"
    assert _cli(path, "15.1.1", values_path) == 0
    out = capsys.readouterr().out
    assert "assumed: 3 row(s) with only the indicator's code" in out
    assert "(lines 1246-1248)" in out
    assert "1244 observations" in out and "3 code-only rows" in out


def test_check_gives_the_rows_for_any_store_and_touches_no_file(tmp_path):
    from datasets.indicators.importer import indicator_file_check

    before = sorted(p.name for p in tmp_path.iterdir())
    report, rows = indicator_file_check(path=VISOR_DIR / "15.1.1.csv", indicator_code="15.1.1")
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert report.indicator_code == "local_protection_land_share"
    assert (report.rows_read, report.observations, len(rows)) == (1244, 1244, 1244)
    assert ("local_protection_land_share", "08001", "2020", "_T", "28.93", "final") in rows
