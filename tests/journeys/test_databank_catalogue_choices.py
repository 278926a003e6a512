"""An editor, in Catalan and in English, opens an indicator of the catalogue and finds its unit,
direction and periodicity as selects labelled in their language with the stored values
selected; picks others from the lists, saves, and the catalogue export and the indicator's
public page (its metadata view) show what was picked. An indicator whose stored unit is no
longer one of the choices opens with the error next to the field, and is saved once a valid
unit is picked."""

from __future__ import annotations

import re
import tomllib

import pytest
from playwright.sync_api import Page, expect

from tests.journeys.conftest import admin_login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CODE = "net_income_per_person"
TEXTS = {
    "ca-ES": {
        "lang": "ca",
        "sdg": "ods",
        "menu": "Banc de dades",
        "catalogue": "Catàleg d'indicadors",
        "save": "Desa",
        "stored_unit": "euros (€)",
        "unit": "euros per habitant (€/hab.)",
        "direction": "neutre (ni millor ni pitjor)",
        "periodicity": "decennal (cada deu anys)",
        "legacy": "és el valor desat, però no és cap de les opcions",
        "name": "Renda neta mitjana per persona",
        "metadata": "Metadades",
        "public_unit": "€ per habitant",
    },
    "en-GB": {
        "lang": "en",
        "sdg": "sdg",
        "menu": "Data bank",
        "catalogue": "Indicator catalogue",
        "save": "Save",
        "stored_unit": "euros (€)",
        "unit": "euros per inhabitant (€/inhab.)",
        "direction": "neutral (neither better nor worse)",
        "periodicity": "decennial (every ten years)",
        "legacy": "is stored but is not one of the choices",
        "name": "Mean net income per person",
        "metadata": "Metadata",
        "public_unit": "€ per inhabitant",
    },
}


@pytest.fixture
def portal_site(live_server) -> str:
    from concertem.common.pages import wagtail_roots_ensure
    from concertem.dataportal.demo_content import portal_pages_load
    from concertem.home.demo_content import demo_site_load

    wagtail_roots_ensure()  # a flush between transactional tests can leave no root page
    portal_pages_load(demo_site_load())
    return live_server.url


def _catalogue_open(editor: Page, texts: dict[str, str], code: str) -> None:
    """From the admin's menu to the indicator's edit page, as a person gets there."""
    editor.get_by_role("button", name=texts["menu"]).first.click()
    editor.get_by_role("link", name=texts["catalogue"]).first.click()
    editor.locator("table.listing a", has_text=re.compile(rf"^\s*{code}\s*$")).first.click()
    expect(editor.locator("#id_code")).to_have_value(code)


def _save(editor: Page, texts: dict[str, str]) -> None:
    editor.locator("button[type=submit]", has_text=texts["save"]).first.click()


@pytest.mark.parametrize("locale", ["ca-ES", "en-GB"])
def test_editor_picks_unit_direction_periodicity_and_the_public_side_shows_them(
    journey_context, portal_site, locale, screenshot_dir
):
    from concertem.databank.exports import databank_catalog_text
    from concertem.databank.models import Indicator

    texts = TEXTS[locale]
    base = portal_site
    editor = journey_context(locale=locale)
    admin_login(editor, base)
    editor.goto(f"{base}/admin/")

    # ---- opened: the stored values selected, labelled in the editor's language ----
    _catalogue_open(editor, texts, CODE)
    expect(editor.locator("#id_unit")).to_have_value("eur")
    expect(editor.locator("#id_unit option:checked")).to_have_text(texts["stored_unit"])
    expect(editor.locator("#id_direction")).to_have_value("higher_is_better")
    expect(editor.locator("#id_periodicity")).to_have_value("annual")

    # ---- picked from the lists by their labels, saved ----
    editor.select_option("#id_unit", label=texts["unit"])
    editor.select_option("#id_direction", label=texts["direction"])
    editor.select_option("#id_periodicity", label=texts["periodicity"])
    editor.locator("[data-contentpath='unit']").screenshot(
        path=str(screenshot_dir / f"catalogue-choices-{locale}.png")
    )
    _save(editor, texts)
    expect(editor.locator(".messages")).to_contain_text(CODE)
    saved = Indicator.objects.get(code=CODE)
    assert (saved.unit, saved.direction, saved.periodicity) == (
        "eur_per_inhabitant",
        "neutral",
        "decennial",
    )

    # ---- the catalogue export writes what was picked ----
    exported = tomllib.loads(databank_catalog_text())
    row = next(i for i in exported["indicator"] if i["code"] == CODE)
    assert (row["unit"], row["direction"], row["periodicity"]) == (
        "eur_per_inhabitant",
        "neutral",
        "decennial",
    )

    # ---- the public page of goal 1: the indicator's metadata names the new unit ----
    reader = journey_context(locale=locale)
    reader.goto(f"{base}/{texts['lang']}/{texts['sdg']}/")
    reader.locator('.goal-card a[href="1/"]').click()
    reader.locator(".indicator-tabs a", has_text=texts["name"]).click()
    reader.wait_for_url(re.compile(rf".*\?indicator={CODE}$"))
    reader.locator("#indicator-panel nav").get_by_role("link", name=texts["metadata"]).click()
    reader.wait_for_url(re.compile(r".*tab=metadata#indicator-panel$"))
    expect(reader.locator("#indicator-panel dl.metadata")).to_contain_text(texts["public_unit"])

    # ---- an older unit: shown selected, the error next to it, saved once replaced ----
    # Stored by hand before the lists existed (only a fixture can write it now). While it is
    # stored the site leaves that indicator out of its catalogue (and logs it).
    Indicator.objects.filter(code="net_income_per_household").update(unit="euros_per_home")
    _catalogue_open(editor, texts, "net_income_per_household")
    expect(editor.locator("#id_unit")).to_have_value("euros_per_home")
    unit_field = editor.locator("[data-contentpath='unit']")
    expect(unit_field.locator(".error-message")).to_contain_text(texts["legacy"])
    unit_field.screenshot(path=str(screenshot_dir / f"catalogue-choices-legacy-{locale}.png"))
    _save(editor, texts)
    expect(unit_field.locator(".error-message")).to_contain_text(texts["legacy"])
    assert Indicator.objects.get(code="net_income_per_household").unit == "euros_per_home"
    editor.select_option("#id_unit", label=texts["stored_unit"])
    _save(editor, texts)
    expect(editor.locator(".messages")).to_contain_text("net_income_per_household")
    assert Indicator.objects.get(code="net_income_per_household").unit == "eur"
