"""The indicator Data Package is built from the data bank (the site's database)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from concertem.databank.services import file_import
from datasets.catalog.indicators import indicator_sources, indicators_spec
from datasets.indicators.values import VALUES_PATH
from tests.databank.conftest import EXTRACT


@pytest.fixture
def build_dir(tmp_path, monkeypatch, settings):
    monkeypatch.setenv("CONCERTEM_BUILD_DIR", str(tmp_path))
    settings.CONCERTEM_BUILD_DIR = tmp_path
    return tmp_path


def _table(name: str):
    resource = next(r for r in indicators_spec().resources if r.name == name)
    return resource.table()


@pytest.mark.django_db
def test_export_open_data_exports_the_data_bank_and_the_package_reads_it(
    build_dir, organic_farmland
):
    assert indicator_sources()[1] == VALUES_PATH  # no export yet: the reference files
    file_import(content=EXTRACT.read_bytes(), file_name=EXTRACT.name, indicator=organic_farmland)
    call_command("export_open_data", stdout=io.StringIO())
    assert indicator_sources()[1] == build_dir / "indicators" / "indicator_values.csv"
    values = _table("indicator_values")
    assert ["organic_farmland_share", "08001", "2019", "_T", "13.13", "final"] in [
        list(row) for row in values.rows
    ]
    codes = [row[0] for row in _table("indicators").rows]
    assert "organic_farmland_share" in codes
    links = [tuple(row) for row in _table("indicator_sdg_targets").rows]
    target = organic_farmland.sdg_targets[0]
    assert ("organic_farmland_share", target, int(target.split(".")[0])) in links
