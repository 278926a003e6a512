"""Importing statistical-office CSVs: real extracts (tests/data/indicators) and broken twins."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from datasets.indicators.errors import IndicatorImportError, IndicatorMappingError
from datasets.indicators.importer import indicator_file_import
from datasets.indicators.mapping import import_mapping_parse
from datasets.indicators.values import VALUES_PATH, values_rows_read

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
    assert [(i.code, i.row, i.column, i.value) for i in report.issues] == [
        (code, row, column, value)
    ]
    assert report.file.endswith(name)
    assert not report.written
    assert values_path.read_bytes() == before


def test_unknown_indicator_argument(values_path):
    with pytest.raises(IndicatorImportError) as caught:
        _import("atur_2021.csv", "atur_registrat", values_path)
    issue = caught.value.report.issues[0]
    assert (issue.code, issue.row, issue.column) == ("unknown-indicator", None, "--indicator")


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
    found = [(i.code, i.row) for i in caught.value.report.issues]
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
    assert caught.value.report.issues[0].code == "disaggregation-not-allowed"


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


def test_file_without_a_code_column(tmp_path):
    path = tmp_path / "nocode.csv"
    path.write_text("Municipi;Any;Valor\nBarcelona;2021;11,32\n")
    with pytest.raises(IndicatorImportError) as caught:
        indicator_file_import(
            path=path, indicator_code="unemployment_rate", values_path=tmp_path / "v.csv"
        )
    assert caught.value.report.issues[0].code == "header-not-found"
    assert not (tmp_path / "v.csv").exists()
