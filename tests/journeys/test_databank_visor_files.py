"""An editor takes each of the nine real files of the Diputació's Visor 2030 into the data bank
from the admin, with no mapping, the admin switching between Catalan and English: the report
names the indicator and counts what the file holds, the confirm stores it, and every value of
the file, read here on its own with the csv module, is in the database exactly."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from playwright.sync_api import expect

from datasets.indicators.build import VISOR_DIR, VISOR_FILES
from tests.datasets.test_indicator_visor import _expected
from tests.journeys.conftest import admin_login
from tests.journeys.test_databank_editor import _upload

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# What the report page says in each admin language (the data bank's own catalogue).
# (how read, dry run, rows read, observations, rows without a value, "added" in the message)
LABELS = {
    "ca": (
        "Com s'ha llegit el fitxer",
        "Informe de la prova",
        "Files llegides",
        "Observacions",
        "Files sense valor",
        "afegits",
    ),
    "en": (
        "How the file was read",
        "Dry-run report",
        "Rows read",
        "Observations",
        "Rows without a value",
        "added",
    ),
}


@pytest.fixture
def visor_indicators(live_server) -> dict[str, object]:
    """The nine catalogue entries of the initial load, emptied of their values.

    The initial load already holds these files' values; they are removed so that the import
    from the admin really writes every one of them (and the checks below can fail).
    """
    from concertem.databank.models import Indicator
    from concertem.databank.services import version_bump
    from concertem.databank.value_store import values_clear
    from concertem.home.demo_content import demo_site_load

    demo_site_load()
    indicators = {}
    for _name, publisher_code in VISOR_FILES:
        indicator = Indicator.objects.get(publisher_code=publisher_code)
        values_clear(indicator)
        indicators[publisher_code] = indicator
    version_bump()
    return indicators


def _file_counts(path: Path) -> tuple[int, int]:
    """Data rows of the file and, among them, rows whose value cell is empty."""
    with path.open(encoding="utf-8", newline="") as stream:
        rows = [row for row in csv.DictReader(stream) if any(cell for cell in row.values())]
    return len(rows), sum(1 for row in rows if not row["valor_final"])


def _count(page, name: str) -> int:
    return int(page.locator(f'[data-count="{name}"]').inner_text())


def _counts_row(page, label: str) -> int:
    row = page.locator(".databank-counts tr", has=page.locator("th", has_text=label))
    return int(row.locator("td").inner_text())


def test_the_nine_viewer_files_import_from_the_admin_with_every_value_stored(
    journey_context, live_server, visor_indicators
):
    from concertem.databank.models import Import
    from concertem.databank.value_store import block_stored

    base = live_server.url
    # The admin speaks the editor's browser language (no Wagtail preference is set). One
    # browser per language, both logged in as the same editor: switching the preference in
    # the account settings is not possible in a journey, since Wagtail's time-zone list there
    # holds Debian's "localtime", which Chromium refuses with a console error.
    editors = {"ca": journey_context(locale="ca-ES"), "en": journey_context(locale="en-GB")}
    for page in editors.values():
        admin_login(page, base)

    for index, (name, publisher_code) in enumerate(VISOR_FILES):
        language = "ca" if index % 2 == 0 else "en"  # 5 files in Catalan, 4 in English
        how_read, dry_run, rows_read, observations, no_value, added_word = LABELS[language]
        indicator = visor_indicators[publisher_code]
        path = VISOR_DIR / name
        assert not block_stored(indicator.pk)

        expected = _expected(path)  # (municipality, year) -> value, read without the importer
        rows, empty = _file_counts(path)
        assert len(expected) == rows - empty > 300, name  # no key twice in the file

        editor = editors[language]
        _upload(editor, base, path, indicator)

        # ---- the report: which indicator, how the file was read, what it would write ----
        expect(editor.locator("html")).to_have_attribute("lang", language)
        report = editor.locator("#databank-import")
        expect(report).to_contain_text(how_read)
        expect(report).to_contain_text(dry_run)
        state = report.locator(".databank-state")
        expect(state).to_contain_text(f"{indicator.code} ({publisher_code})")
        detection = report.locator(".databank-detection")
        expect(detection).to_contain_text("valor_final")
        expect(detection).to_contain_text("codi_municipi")
        with path.open(encoding="utf-8") as stream:
            header = stream.readline()
        if "codi_indicador" in header:  # the file's own code, checked against the catalogue
            expect(detection).to_contain_text("codi_indicador")
        expect(report.locator(".databank-issues")).to_have_count(0)
        assert _counts_row(editor, rows_read) == rows, name
        assert _counts_row(editor, observations) == len(expected), name
        assert _counts_row(editor, no_value) == empty, name
        assert _count(editor, "added") == len(expected), name
        assert (_count(editor, "replaced"), _count(editor, "unchanged")) == (0, 0), name
        assert not block_stored(indicator.pk)  # a dry run stores nothing

        # ---- confirm: the message counts what was stored ----
        editor.locator("#databank-confirm").click()
        expect(editor.locator(".messages")).to_contain_text(f"{len(expected)} {added_word}")
        record = Import.objects.filter(indicator=indicator).exclude(via="reference").latest("pk")
        assert record.state == Import.State.APPLIED and record.file_name == name

        # ---- every value of the file is in the data bank, exactly, and nothing else ----
        stored = block_stored(indicator.pk)
        assert {d for _e, _y, d in stored} == {"_T"}, name
        assert {source for _v, _s, source in stored.values()} == {record.pk}, name
        assert {(e, y): float(held[0]) for (e, y, _d), held in stored.items()} == expected, name
