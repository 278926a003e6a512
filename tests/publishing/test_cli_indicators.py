from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from datasets.indicators.values import VALUES_PATH
from publishing.cli import main

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "indicators"


@pytest.fixture
def values_file(tmp_path):
    path = tmp_path / "indicator_values.csv"
    shutil.copy(VALUES_PATH, path)
    return path


def test_list_shows_the_seeded_indicators_with_their_sdg_targets(capsys):
    assert main(["indicators", "list"]) == 0
    out = capsys.readouterr().out
    gini = next(line for line in out.splitlines() if line.startswith("gini "))
    assert "10.1, 10.4" in gini and "2015-2022" in gini and "Índex de Gini" in gini
    assert "unemployment_rate" in out and "8.5" in out


def test_list_in_english(capsys):
    assert main(["indicators", "list", "--lang", "en"]) == 0
    assert "Mean net income per person" in capsys.readouterr().out


def test_show_an_indicator_for_an_entity(capsys):
    assert main(["indicators", "show", "gini", "--entity", "08019", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "10.4" in out and "Redistributive impact of fiscal policy" in out
    assert "latest 2022: 35.1" in out
    assert "of 301 in the province" in out and "provincial median" in out


def test_show_unknown_indicator_is_a_user_error(capsys):
    assert main(["indicators", "show", "atur_registrat"]) == 2
    assert "unknown indicator" in capsys.readouterr().err


def test_import_writes_the_values_file(tmp_path, capsys):
    values_file = tmp_path / "values.csv"
    code = main(
        [
            "indicators",
            "import",
            str(DATA_DIR / "atur_2021.csv"),
            "--indicator",
            "unemployment_rate",
            "--values-file",
            str(values_file),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "cp1252" in out and "'Comarca'" in out and "15 added" in out
    assert "unemployment_rate,08019,2021,_T,11.32,final" in values_file.read_text()


def test_import_dry_run(values_file, capsys):
    before = values_file.read_bytes()
    code = main(
        [
            "indicators",
            "import",
            str(DATA_DIR / "poblacio_sexe_2021.csv"),
            "--indicator",
            "population",
            "--dry-run",
            "--values-file",
            str(values_file),
        ]
    )
    assert code == 0
    assert "dry run" in capsys.readouterr().out
    assert values_file.read_bytes() == before


def test_import_of_a_broken_file_lists_rows_and_writes_nothing(values_file, capsys):
    before = values_file.read_bytes()
    code = main(
        [
            "indicators",
            "import",
            str(DATA_DIR / "atur_2021_unknown_entity.csv"),
            "--indicator",
            "unemployment_rate",
            "--values-file",
            str(values_file),
        ]
    )
    assert code == 1
    out = capsys.readouterr().out
    assert "atur_2021_unknown_entity.csv:5: column 'Codi': unknown-entity" in out
    assert "nothing written" in out
    assert values_file.read_bytes() == before


def test_import_with_a_mapping_file(tmp_path, capsys):
    data = tmp_path / "atur.csv"
    data.write_text("Mun;Exercici;Taxa\n8019;2021;11,32\n", encoding="utf-8")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[columns]\nentity_code = "Mun"\nyear = "Exercici"\nvalue = "Taxa"\n')
    code = main(
        [
            "indicators",
            "import",
            str(data),
            "--indicator",
            "unemployment_rate",
            "--mapping",
            str(mapping),
            "--values-file",
            str(tmp_path / "v.csv"),
        ]
    )
    assert code == 0, capsys.readouterr().out


def test_import_with_a_broken_mapping_is_a_user_error(tmp_path, capsys):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[file]\ndecimal = ";"\n')
    code = main(
        [
            "indicators",
            "import",
            str(DATA_DIR / "atur_2021.csv"),
            "--indicator",
            "unemployment_rate",
            "--mapping",
            str(mapping),
            "--values-file",
            str(tmp_path / "v.csv"),
        ]
    )
    assert code == 2
    assert "decimal" in capsys.readouterr().err
