"""An editor takes a real file of the Diputació's Agenda 2030 viewer into the data bank from
the admin, sees its value on the public municipality profile (ca and en), undoes it and sees
it gone; a broken twin is refused naming row and column, and nothing changes. Then the
catalogue editor refuses an SDG target that does not exist and saves once it is fixed."""

from __future__ import annotations

import hashlib
import re

import pytest
from playwright.sync_api import expect

from tests.databank.conftest import BROKEN, EXTRACT
from tests.databank.conftest import organic_farmland as organic_farmland_fixture
from tests.journeys.conftest import admin_login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FIGURE = (
    '[data-figure^="territorial-indicators|indicator_values|organic_farmland_share,08001,2019,"]'
)
PROFILES = {"ca": "/ca/municipis/08001/", "en": "/en/municipalities/08001/"}


organic_farmland = organic_farmland_fixture  # the data bank tests' indicator, as a fixture


@pytest.fixture
def databank_site(live_server, organic_farmland):
    from concertem.dataportal.demo_content import portal_pages_load
    from concertem.home.demo_content import demo_site_load

    portal_pages_load(demo_site_load())
    return organic_farmland


def _checksum() -> str:
    from concertem.databank.services import values_rows_all

    return hashlib.sha256(repr(values_rows_all()).encode()).hexdigest()


def _upload(page, base: str, path, indicator) -> None:
    page.goto(f"{base}/admin/")
    page.get_by_role("button", name=re.compile("Data bank|Banc de dades")).first.click()
    page.get_by_role("link", name=re.compile("Import values|Importar valors")).first.click()
    page.locator("#id_indicator").select_option(label=str(indicator))
    page.locator("#id_file").set_input_files(str(path))
    page.locator("#databank-upload button[type=submit]").click()
    page.wait_for_load_state()


def test_editor_imports_a_viewer_file_sees_it_public_undoes_it(
    journey_context, live_server, databank_site, screenshot_dir
):
    base = live_server.url
    before = _checksum()
    editor = journey_context(locale="en-GB")
    admin_login(editor, base)

    # ---- upload, read the detection and the dry-run report ----
    _upload(editor, base, EXTRACT, databank_site)
    report = editor.locator("#databank-import")
    expect(report).to_contain_text("How the file was read")
    expect(report.locator(".databank-detection")).to_contain_text("valor_final")
    expect(report.locator(".databank-detection")).to_contain_text("codi_municipi")
    expect(report.locator('[data-count="added"]')).to_have_text("20")
    editor.screenshot(path=str(screenshot_dir / "databank-report.png"), full_page=True)
    assert _checksum() == before  # a dry run stores nothing

    # ---- confirm: the value is on the public profile, in Catalan and in English ----
    editor.locator("#databank-confirm").click()
    expect(editor.locator(".messages")).to_contain_text("20 added")
    visitor = journey_context(locale="ca-ES")
    for language, shown in (("ca", "13,13"), ("en", "13.13")):
        visitor.goto(f"{base}{PROFILES[language]}")
        expect(visitor.locator(FIGURE)).to_have_text(shown)
    expect(visitor.locator("#indicators-heading")).to_be_visible()

    # ---- undo: the value is gone, the values are exactly as before ----
    editor.locator("#databank-undo").click()
    expect(editor.locator(".databank-state")).to_contain_text("undone")
    for language in ("ca", "en"):
        visitor.goto(f"{base}{PROFILES[language]}")
        expect(visitor.locator(FIGURE)).to_have_count(0)
    assert _checksum() == before

    # ---- the broken twin: refused, row and column named, in English and Catalan ----
    _upload(editor, base, BROKEN, databank_site)
    issues = editor.locator(".databank-issues")
    expect(issues).to_contain_text("The value is not a number.")
    expect(issues.locator("tbody tr").first).to_contain_text("7")
    expect(issues.locator("tbody tr").first).to_contain_text("valor_final")
    expect(editor.locator("#databank-confirm")).to_have_count(0)
    catalan = journey_context(locale="ca-ES")
    admin_login(catalan, base)
    catalan.goto(editor.url)
    expect(catalan.locator(".databank-issues")).to_contain_text("El valor no és un nombre.")
    assert _checksum() == before


def test_catalogue_editor_refuses_a_target_that_does_not_exist_then_saves(
    journey_context, live_server, databank_site
):
    from concertem.databank.models import Indicator

    base = live_server.url
    editor = journey_context(locale="en-GB")
    admin_login(editor, base)
    editor.goto(f"{base}/admin/")
    editor.get_by_role("button", name="Data bank").first.click()
    editor.get_by_role("link", name="Indicator catalogue").first.click()
    editor.get_by_role("link", name=re.compile("Add indicator", re.I)).first.click()
    editor.fill("#id_code", "organic_farmland_change")
    editor.fill("#id_publisher_code", "2.1.1b")
    editor.select_option("#id_unit", "percent")
    editor.fill("#id_sdg_targets", "2.4, 2.99")
    editor.fill("#id_source", "Visor 2030")
    editor.fill("#id_licence", "AGPL-3.0-only")
    editor.get_by_role("tab", name="Català").click()
    editor.fill("#id_name", "Canvi de la superfície ecològica")
    editor.fill("#id_definition", "Variació anual de la superfície agrícola ecològica.")
    editor.fill("#id_method", "Diferència entre dos anys consecutius.")
    editor.check("#id_translation_pending")
    editor.locator("button[type=submit]", has_text="Save").first.click()
    expect(editor.locator("body")).to_contain_text("These SDG targets do not exist: 2.99.")
    assert not Indicator.objects.filter(code="organic_farmland_change").exists()

    editor.get_by_role("tab", name="Indicator").click()
    editor.fill("#id_sdg_targets", "2.4")
    editor.locator("button[type=submit]", has_text="Save").first.click()
    expect(editor.locator(".messages")).to_contain_text("organic_farmland_change")
    saved = Indicator.objects.get(code="organic_farmland_change")
    assert saved.sdg_targets == ["2.4"] and saved.translation_pending
