"""The data bank in the database: the reference load, the export, imports and undo."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.management import call_command

from concertem.databank.exports import databank_files_write
from concertem.databank.models import DataVersion, Import, Indicator, ValueBlock
from concertem.databank.selectors import databank_views
from concertem.databank.services import (
    UndoRefusedError,
    file_import,
    import_undo,
    reference_load,
    values_rows_all,
)
from concertem.databank.value_store import block_stored
from datasets.indicators.errors import IndicatorImportError
from datasets.indicators.values import VALUES_PATH
from tests.databank.conftest import BROKEN, EXTRACT

pytestmark = pytest.mark.django_db
CATALOG = VALUES_PATH.parent / "indicators.toml"


def values_checksum() -> str:
    return hashlib.sha256(repr(values_rows_all()).encode()).hexdigest()


def test_the_migration_loaded_the_reference_files_and_the_load_is_idempotent():
    rows = VALUES_PATH.read_text(encoding="utf-8").count("\n") - 1
    assert sum(ValueBlock.objects.values_list("count", flat=True)) == rows
    assert Indicator.objects.count() == CATALOG.read_text().count("[[indicator]]\n")
    before = values_checksum()
    counts = reference_load()
    assert (counts.indicators_created, counts.values_added) == (0, 0)
    assert values_checksum() == before


def test_export_writes_the_reference_files_back_byte_for_byte(tmp_path: Path):
    call_command("databank_export", out=tmp_path)
    assert (tmp_path / "indicators.toml").read_bytes() == CATALOG.read_bytes()
    assert (tmp_path / "indicator_values.csv").read_bytes() == VALUES_PATH.read_bytes()


def test_an_edit_shows_in_the_export(tmp_path: Path):
    Indicator.objects.filter(code="gini").update(
        name_en="Gini coefficient of disposable income (edited)"
    )
    databank_files_write(out_dir=tmp_path)
    text = (tmp_path / "indicators.toml").read_text(encoding="utf-8")
    assert 'en = "Gini coefficient of disposable income (edited)"' in text
    assert text != CATALOG.read_text(encoding="utf-8")


def test_import_stores_every_value_of_the_file_and_undo_restores_the_checksum(
    organic_farmland,
):
    before = values_checksum()
    version = DataVersion.objects.get().version
    record, report = file_import(
        content=EXTRACT.read_bytes(), file_name=EXTRACT.name, indicator=organic_farmland
    )
    assert (record.state, record.added, record.replaced, record.unchanged) == ("applied", 20, 0, 0)
    assert record.sha256 == hashlib.sha256(EXTRACT.read_bytes()).hexdigest()
    assert report.decimal == ","
    assert DataVersion.objects.get().version == version + 1
    # every value is the file's, read with its decimal comma
    lines = EXTRACT.read_text(encoding="utf-8").splitlines()[1:]
    expected = {}
    for line in lines:
        code, year, value = line.split(",", 2)
        expected[(code, int(year))] = float(value.strip('"').replace(",", "."))
    stored = {
        (entity, int(year)): float(value)
        for (entity, year, _d), (value, _s, _i) in block_stored(organic_farmland.pk).items()
    }
    assert stored == expected
    assert databank_views().latest("08001", databank_views().catalog.get(organic_farmland.code))
    import_undo(record)
    assert values_checksum() == before
    assert Import.objects.get(pk=record.pk).state == "undone"


def test_a_replacing_import_is_undone_to_the_values_it_replaced(organic_farmland, tmp_path):
    first, _ = file_import(
        content=EXTRACT.read_bytes(), file_name=EXTRACT.name, indicator=organic_farmland
    )
    after_first = values_checksum()
    corrected = EXTRACT.read_text(encoding="utf-8").replace('08001,2019,"13,13"', "08001,2019,14")
    corrected = corrected.rstrip("\n") + '\n08030,2019,"1,5"\n'
    second, _ = file_import(
        content=corrected.encode(), file_name="corrected.csv", indicator=organic_farmland
    )
    assert (second.added, second.replaced, second.unchanged) == (1, 1, 19)
    value, _status, source = block_stored(organic_farmland.pk)[("08001", "2019", "_T")]
    assert (value, source) == ("14", second.pk)
    # the first cannot be undone before the second: it would bring back what the second saw
    with pytest.raises(UndoRefusedError):
        import_undo(first)
    import_undo(second)
    assert values_checksum() == after_first
    value, _status, source = block_stored(organic_farmland.pk)[("08001", "2019", "_T")]
    assert (value, source) == ("13.13", first.pk)
    import_undo(first)
    assert not block_stored(organic_farmland.pk)


def test_a_refused_file_changes_nothing_and_names_row_and_column(organic_farmland):
    before, version = values_checksum(), DataVersion.objects.get().version
    with pytest.raises(IndicatorImportError) as caught:
        file_import(content=BROKEN.read_bytes(), file_name=BROKEN.name, indicator=organic_farmland)
    issue = caught.value.report.issues[0]
    assert (issue.row, issue.column) == (7, "valor_final")
    assert caught.value.record.state == "refused"
    assert (values_checksum(), DataVersion.objects.get().version) == (before, version)


def test_dry_run_counts_and_stores_nothing(organic_farmland):
    before = values_checksum()
    record, _ = file_import(
        content=EXTRACT.read_bytes(),
        file_name=EXTRACT.name,
        indicator=organic_farmland,
        dry_run=True,
    )
    assert (record.state, record.added) == ("checked", 20)
    assert values_checksum() == before


def test_the_views_follow_the_version_not_the_process_memory(organic_farmland):
    views = databank_views()
    assert databank_views() is views  # nothing changed: the same cached views
    file_import(content=EXTRACT.read_bytes(), file_name=EXTRACT.name, indicator=organic_farmland)
    fresh = databank_views()
    assert fresh is not views
    latest = fresh.latest("08001", fresh.catalog.get(organic_farmland.code))
    assert (latest.year, latest.value) == (2019, 13.13)
