"""Importing statistical-office CSVs: real extracts (tests/data/indicators) and broken twins."""

from __future__ import annotations

import gc
import shutil
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from datasets.indicators.catalog import indicator_catalog_load
from datasets.indicators.errors import IndicatorImportError, IndicatorMappingError
from datasets.indicators.importer import HEAD_RECORDS, ISSUES_KEPT, indicator_file_import
from datasets.indicators.mapping import import_mapping_parse
from datasets.indicators.values import VALUES_PATH, values_rows_read
from datasets.table_io import DECODE_CHUNK
from datasets.territory import entities_load
from publishing.cli import main as concertem

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "indicators"


@pytest.fixture
def values_path(tmp_path):
    """A copy of the committed values table: imports must never touch the real one."""
    path = tmp_path / "indicator_values.csv"
    shutil.copy(VALUES_PATH, path)
    return path


def _import(name: str, indicator: str, values_path: Path, **options):
    return indicator_file_import(
        path=DATA_DIR / name, indicator_code=indicator, values_path=values_path, **options
    )


def _rows(path: Path, indicator: str) -> dict[tuple[str, str, str], tuple[str, str]]:
    return {
        (r[1], r[2], r[3]): (r[4], r[5]) for r in values_rows_read(path=path) if r[0] == indicator
    }


def test_catalan_office_file_latin1_semicolons_decimal_commas(tmp_path):
    values_path = tmp_path / "new.csv"
    report = _import("atur_2021.csv", "unemployment_rate", values_path)
    assert (report.encoding, report.delimiter, report.decimal) == ("cp1252", ";", ",")
    assert (report.layout, report.entity_code_kind, report.header_row) == ("long", "ine", 3)
    assert report.columns["entity_code"] == "Codi"
    assert report.unmapped_columns == ["Comarca"]
    assert report.skipped_notes == 1  # the 'Font: ...' line under the table
    assert report.observations == 15
    assert report.written
    rows = _rows(values_path, "unemployment_rate")
    assert rows[("08019", "2021", "_T")] == ("11.32", "final")
    assert rows[("08205", "2021", "_T")] == ("7.35", "final")


def test_reimporting_published_values_changes_nothing(values_path):
    before = values_path.read_bytes()
    report = _import("atur_2021.csv", "unemployment_rate", values_path)
    assert (report.merge.added, report.merge.replaced, report.merge.unchanged) == (0, 0, 15)
    assert not report.written
    assert values_path.read_bytes() == before


def test_wide_file_with_idescat_codes_bom_and_thousands_separators(values_path):
    report = _import("renda_persona_idescat_wide.csv", "net_income_per_person", values_path)
    assert (report.encoding, report.delimiter, report.decimal) == ("utf-8-sig", ",", ".")
    assert (report.layout, report.entity_code_kind) == ("wide", "idescat")
    assert report.observations == 60
    # the same real ADRH values the seed has: nothing new
    assert report.merge.unchanged == 60
    assert _rows(values_path, "net_income_per_person")[("08019", "2022", "_T")][0] == "18404"


def test_breakdown_column_and_status_column(values_path):
    report = _import("poblacio_sexe_2021.csv", "population", values_path)
    assert report.columns["disaggregation:sex"] == "Sexe"
    assert report.columns["status"] == "Estat"
    assert report.observations == 30
    rows = _rows(values_path, "population")
    assert rows[("08019", "2021", "sex=female")] == ("853285", "final")
    assert rows[("08019", "2021", "sex=male")] == ("774274", "final")
    # the census total replaces the ADRH estimate of 2021 for these ten municipalities
    assert rows[("08019", "2021", "_T")] == ("1627559", "final")
    assert report.merge.added == 20
    assert report.merge.replaced == 10


def test_dry_run_writes_nothing(values_path):
    before = values_path.read_bytes()
    report = _import("poblacio_sexe_2021.csv", "population", values_path, dry_run=True)
    assert report.merge.added == 20
    assert not report.written
    assert values_path.read_bytes() == before


@pytest.mark.parametrize(
    ("name", "code", "row", "column", "value"),
    [
        ("atur_2021_unknown_entity.csv", "unknown-entity", 5, "Codi", "8999"),
        ("atur_2021_duplicate_key.csv", "duplicate-key", 7, "Valor", "14,48"),
        ("atur_2021_non_numeric.csv", "non-numeric-value", 7, "Valor", "15,45 aprox."),
        ("atur_2021_year_out_of_range.csv", "year-out-of-range", 8, "Any", "2201"),
        ("atur_2021_unknown_indicator.csv", "unknown-indicator", 6, "Indicador", "atur_registrat"),
    ],
)
def test_broken_twins_are_reported_per_row_and_nothing_is_written(
    values_path, name, code, row, column, value
):
    before = values_path.read_bytes()
    with pytest.raises(IndicatorImportError) as caught:
        _import(name, "unemployment_rate", values_path)
    assert caught.value.code == "indicator-import-invalid"
    report = caught.value.report
    assert [(i.rule, i.row, i.column, i.value) for i in report.issues] == [
        (code, row, column, value)
    ]
    assert report.file.endswith(name)
    assert not report.written
    assert values_path.read_bytes() == before


def test_unknown_indicator_argument(values_path):
    with pytest.raises(IndicatorImportError) as caught:
        _import("atur_2021.csv", "atur_registrat", values_path)
    issue = caught.value.report.issues[0]
    assert (issue.rule, issue.row, issue.column) == ("unknown-indicator", None, "--indicator")


def test_every_problem_of_a_file_is_reported_at_once(tmp_path, values_path):
    path = tmp_path / "many.csv"
    path.write_text(
        "Codi;Any;Valor\n"
        "8019;2021;11,32\n"
        "8999;2021;10\n"  # unknown entity
        "8101;20211;14,48\n"  # year out of range
        "8015;dos mil;15,45\n"  # not a year
        "8205;2021;150\n"  # a percentage above 100
        "8019;2021;11,32\n",  # duplicate of line 2
        encoding="utf-8",
    )
    before = values_path.read_bytes()
    with pytest.raises(IndicatorImportError) as caught:
        indicator_file_import(
            path=path, indicator_code="unemployment_rate", values_path=values_path
        )
    found = [(i.rule, i.row) for i in caught.value.report.issues]
    assert found == [
        ("unknown-entity", 3),
        ("year-out-of-range", 4),
        ("year-invalid", 5),
        ("value-out-of-range", 6),
        ("duplicate-key", 7),
    ]
    assert values_path.read_bytes() == before


def test_breakdown_not_allowed_for_the_indicator(tmp_path, values_path):
    path = tmp_path / "gini_sexe.csv"
    path.write_text("Codi;Any;Sexe;Valor\n8019;2022;Dones;35,1\n", encoding="utf-8")
    with pytest.raises(IndicatorImportError) as caught:
        indicator_file_import(path=path, indicator_code="gini", values_path=values_path)
    assert caught.value.report.issues[0].rule == "disaggregation-not-allowed"


def test_missing_and_confidential_markers(tmp_path):
    path = tmp_path / "markers.csv"
    path.write_text(
        "Código INE,Año,Dato\n08019,2021,11.32\n08205,2021,..\n08101,2021,(c)\n"
        "08015,2021,15.4 (p)\n",
        encoding="utf-8",
    )
    values_path = tmp_path / "v.csv"
    report = indicator_file_import(
        path=path, indicator_code="unemployment_rate", values_path=values_path
    )
    assert report.skipped_no_value == 1
    rows = _rows(values_path, "unemployment_rate")
    assert rows[("08101", "2021", "_T")] == ("", "confidential")
    assert rows[("08015", "2021", "_T")] == ("15.4", "provisional")
    assert ("08205", "2021", "_T") not in rows


def test_mapping_file_names_columns_and_labels(tmp_path):
    path = tmp_path / "custom.csv"
    path.write_text(
        "Taula 3. Atur\nMun|Exercici|Gènere|Taxa\n80193|2021|D|10,9\n80193|2021|H|11,7\n",
        encoding="latin-1",
    )
    mapping = import_mapping_parse(
        text="""
[file]
encoding = "latin-1"
delimiter = "|"
decimal = ","
entity_code_kind = "idescat"
header_row = 2
[columns]
entity_code = "Mun"
year = "Exercici"
value = "Taxa"
[disaggregations]
sex = "Gènere"
[labels.sex]
"D" = "female"
"H" = "male"
"""
    )
    values_path = tmp_path / "v.csv"
    report = indicator_file_import(
        path=path, indicator_code="unemployment_rate", mapping=mapping, values_path=values_path
    )
    assert report.observations == 2
    rows = _rows(values_path, "unemployment_rate")
    assert rows[("08019", "2021", "sex=female")] == ("10.9", "final")


def test_mapping_errors_have_a_code():
    with pytest.raises(IndicatorMappingError) as caught:
        import_mapping_parse(text='[columns]\nplace = "Codi"\n')
    assert caught.value.code == "indicator-mapping-invalid"


def test_value_column_named_after_the_indicator(tmp_path):
    path = tmp_path / "named.csv"
    path.write_text("Codi INE;Municipi;Any;Taxa d'atur (%)\n08019;Barcelona;2021;11,32\n")
    report = indicator_file_import(
        path=path, indicator_code="unemployment_rate", values_path=tmp_path / "v.csv"
    )
    assert report.columns["value"] == "Taxa d'atur (%)"
    assert report.assumptions


def test_file_without_a_code_column_is_read_by_names(tmp_path):
    path = tmp_path / "nocode.csv"
    path.write_text("Municipi;Any;Valor\nBarcelona;2021;11,32\nGarriga, la;2021;9,5\n")
    report = indicator_file_import(
        path=path, indicator_code="unemployment_rate", values_path=tmp_path / "v.csv"
    )
    assert report.entity_code_kind == "name"
    assert _rows(tmp_path / "v.csv", "unemployment_rate") == {
        ("08019", "2021", "_T"): ("11.32", "final"),
        ("08088", "2021", "_T"): ("9.5", "final"),
    }


def test_file_without_any_entity_column(tmp_path):
    path = tmp_path / "noentity.csv"
    path.write_text("Any;Valor\n2021;11,32\n")
    with pytest.raises(IndicatorImportError) as caught:
        indicator_file_import(
            path=path, indicator_code="unemployment_rate", values_path=tmp_path / "v.csv"
        )
    assert caught.value.report.issues[0].rule == "header-not-found"
    assert not (tmp_path / "v.csv").exists()


# ---- No rows, big files, streaming ----


@pytest.mark.parametrize(
    "content",
    [
        "Taxa d'atur\n\nCodi;Municipi;Any;Valor\n",
        "Codi;Municipi;Any;Valor\n\n;;;\nFont: Idescat.\n",  # blank lines and a footnote
    ],
)
def test_a_file_with_a_header_and_no_rows_is_refused(tmp_path, values_path, capsys, content):
    path = tmp_path / "header_only.csv"
    path.write_text(content, encoding="utf-8")
    before = values_path.read_bytes()
    with pytest.raises(IndicatorImportError) as caught:
        indicator_file_import(
            path=path, indicator_code="unemployment_rate", values_path=values_path
        )
    assert [(i.rule, i.row) for i in caught.value.report.issues] == [("no-rows", None)]
    assert "header_only.csv" in str(caught.value)
    assert values_path.read_bytes() == before
    argv = ["indicators", "import", str(path), "--indicator", "unemployment_rate", "--dry-run"]
    assert concertem([*argv, "--values-file", str(values_path)]) == 1
    assert "header_only.csv: no-rows: the file has a header" in capsys.readouterr().out


def _peak_memory(function: Callable[[], object]) -> int:
    """Peak bytes allocated while ``function`` runs (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        function()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def _refused(**options) -> IndicatorImportError:
    with pytest.raises(IndicatorImportError) as caught:
        indicator_file_import(**options)
    return caught.value


def _entity_pairs() -> list[tuple[str, str]]:
    return [(e.entity_code, e.idescat_code) for e in entities_load(province_code=None)]


def test_a_big_file_is_streamed_in_bounded_memory(tmp_path):
    """5 MB of rows that go round the province's municipalities: every row is read and
    checked (every duplicate counted) while memory holds what is kept (the keys seen, the
    first issues, caches), not the file. (Long notes make the rows few: tracemalloc is slow
    per allocation, and memory is about bytes.)"""
    codes = [code for code, _ in _entity_pairs() if code.startswith("08")]
    path = tmp_path / "big.csv"
    rows = size = 0
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        size += handle.write("Taxa d'atur\n\nCodi;Any;Valor;Nota\n")
        while size < 5 * 1024 * 1024:
            note = f"Nota {rows}: " + "dada provisional de l'enquesta " * 8
            size += handle.write(f"{codes[rows % len(codes)]};2021;{rows % 90},5;{note}\n")
            rows += 1
    options = dict(
        path=path,
        indicator_code="unemployment_rate",
        dry_run=True,
        values_path=tmp_path / "values.csv",
        catalog=indicator_catalog_load(),
        entities=_entity_pairs(),  # loaded outside the measure
    )
    found: list[IndicatorImportError] = []
    peak = _peak_memory(lambda: found.append(_refused(**options)))
    report = found[0].report
    assert report.rows_read == rows
    assert report.issue_counts == {"duplicate-key": rows - len(codes)}
    assert len(report.issues) == ISSUES_KEPT  # the first ones; the others are counted
    assert peak < 0.5 * size, f"{peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"


def test_the_cli_lists_the_first_problems_and_counts_the_others(tmp_path, values_path, capsys):
    path = tmp_path / "many.csv"
    path.write_text(
        "Codi;Any;Valor\n" + "".join(f"99{i:03d};2021;5\n" for i in range(1200)),
        encoding="utf-8",
    )
    argv = ["indicators", "import", str(path), "--indicator", "unemployment_rate", "--dry-run"]
    assert concertem([*argv, "--values-file", str(values_path)]) == 1
    out = capsys.readouterr().out
    assert "many.csv:2: column 'Codi': unknown-entity:" in out
    assert "... 1150 more" in out
    assert "1200 problem(s) (unknown-entity: 1200); nothing written" in out


def test_a_byte_that_is_not_utf8_late_in_the_file_makes_it_all_cp1252(tmp_path):
    """Read as a stream, the file is still decoded as a whole would be: valid UTF-8 for
    its first megabyte, then one Windows-1252 byte, and all of it is read as cp1252."""
    codes = [code for code, _ in _entity_pairs() if code.startswith("08")]
    lines = [
        f"{code};Sant Adrià;{year};{year % 90},5" for year in range(1900, 2101) for code in codes
    ]
    data = ("Codi;Municipi;Any;Valor\n" + "\n".join(lines) + "\n").encode("utf-8")
    assert len(data) > 2 * DECODE_CHUNK
    path = tmp_path / "late.csv"
    path.write_bytes(data + "08019;Sant Adrià;2100;3,5\n".encode("cp1252"))
    report = _refused(
        path=path, indicator_code="unemployment_rate", dry_run=True, values_path=tmp_path / "v.csv"
    ).report
    assert report.encoding == "cp1252"
    assert [(i.rule, i.row) for i in report.issues] == [("duplicate-key", len(lines) + 2)]


def test_the_decimal_mark_is_settled_by_the_whole_file_not_its_first_rows(tmp_path):
    """'1.234' could be thousands or decimals; a ';' file defaults to a decimal comma, but
    one '3.5' after the first records settles it for the whole file."""
    codes = [code for code, _ in _entity_pairs() if code.startswith("08")]
    lines = [f"{code};{year};1.234" for year in range(2000, 2010) for code in codes]
    assert len(lines) > HEAD_RECORDS + 100
    lines[HEAD_RECORDS + 100] = lines[HEAD_RECORDS + 100].replace("1.234", "3.5")
    path = tmp_path / "late_decimal.csv"
    path.write_text("Codi;Any;Valor\n" + "\n".join(lines) + "\n", encoding="utf-8")
    values_path = tmp_path / "v.csv"
    report = indicator_file_import(
        path=path, indicator_code="unemployment_rate", values_path=values_path
    )
    assert report.decimal == "."
    assert _rows(values_path, "unemployment_rate")[(codes[0], "2000", "_T")][0] == "1.234"


def test_the_kind_of_codes_is_chosen_over_the_whole_file(tmp_path):
    """Idescat codes in the first records, INE codes in most of the file: the codes are
    INE (as a look at the whole file says), and the Idescat rows are the unknown ones."""
    entities = _entity_pairs()
    idescat = [
        f"{idescat_code};{year};5"
        for year in range(2000, 2008)
        for _, idescat_code in [pair for pair in entities if pair[1]][:300]
    ]
    ine = [f"{code};2021;5" for code, _ in entities[:3000]]
    assert len(idescat) > HEAD_RECORDS
    path = tmp_path / "kinds.csv"
    path.write_text("Codi;Any;Valor\n" + "\n".join(idescat + ine) + "\n", encoding="utf-8")
    report = _refused(
        path=path,
        indicator_code="unemployment_rate",
        dry_run=True,
        values_path=tmp_path / "v.csv",
        province_code=None,  # codes of all Spain
    ).report
    assert report.entity_code_kind == "ine"
    assert report.issue_counts == {"unknown-entity": len(idescat)}
    assert report.issues[0].row == 2
