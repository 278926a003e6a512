"""An editor adds an ordinal indicator in the catalogue editor, in Catalan and in English:
two categories (one with a spelling the publisher's files use) and one breakdown dimension,
typed into rows, never JSON. A wrong row is refused next to its box; once saved, the
indicator is in the listing and a small file of its values, with the other spelling and the
dimension column, imports from the admin."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.journeys.conftest import admin_login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TEXTS = {
    "ca-ES": {
        "menu": "Banc de dades",
        "catalogue": "Catàleg d'indicadors",
        "import": "Importar valors",
        "save": "Desa",
        "duplicate": "ja el fa servir la categoria 1",
        "added": "3 afegits",
    },
    "en-GB": {
        "menu": "Data bank",
        "catalogue": "Indicator catalogue",
        "import": "Import values",
        "save": "Save",
        "duplicate": "is already used by category 1",
        "added": "3 added",
    },
}
# The code typed in each row (the second is a slip, corrected after the refusal), its labels,
# and the other spelling the publisher's files use.
CATEGORIES = [
    ("low", ("Baixa", "Baja", "Low"), ""),
    ("low", ("Mitja", "Media", "Medium"), "Mitjana"),
]
SEASONS = [("summer", ("Estiu", "Verano", "Summer")), ("winter", ("Hivern", "Invierno", "Winter"))]


@pytest.fixture
def admin_site(live_server):
    from concertem.home.demo_content import demo_site_load

    demo_site_load()


def _row_add(page: Page, scope: str, count_name: str) -> str:
    """Click the list's last "+" (as a person adds a row at the end); the new row's prefix."""
    prefix = count_name.removesuffix("-count")
    count = int(page.locator(f"input[name='{count_name}']").input_value())
    page.locator(f"{scope} button.c-sf-add-button").last.click()
    expect(page.locator(f"#{prefix}-{count}-value-code")).to_be_visible()
    return f"{prefix}-{count}-value"


def _labels_fill(page: Page, prefix: str, labels: tuple[str, str, str]) -> None:
    for lang, text in zip(("ca", "es", "en"), labels, strict=True):
        page.fill(f"#{prefix}-label_{lang}", text)


def _csv(tmp_path, publisher_code: str):
    path = tmp_path / f"{publisher_code}.csv"
    path.write_text(
        "codi_indicador,any,codi_municipi,Temporada,valor_final\n"
        f"{publisher_code},2023,08001,Estiu,Baixa\n"
        f"{publisher_code},2023,08001,Hivern,Mitjana\n"
        f"{publisher_code},2023,08002,Estiu,Mitja\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("locale", ["ca-ES", "en-GB"])
def test_editor_adds_an_ordinal_indicator_with_rows_and_imports_its_file(
    journey_context, live_server, admin_site, locale, tmp_path, screenshot_dir
):
    from concertem.databank.models import Indicator
    from concertem.databank.value_store import block_stored

    texts = TEXTS[locale]
    base = live_server.url
    code = f"fire_risk_{locale[:2]}"
    publisher_code = "15.3.8" if locale == "ca-ES" else "15.3.7"
    editor = journey_context(locale=locale)
    admin_login(editor, base)
    editor.goto(f"{base}/admin/")
    editor.get_by_role("button", name=texts["menu"]).first.click()
    editor.get_by_role("link", name=texts["catalogue"]).first.click()
    editor.locator("a[href$='/admin/snippets/databank/indicator/add/']").first.click()

    editor.fill("#id_code", code)
    editor.fill("#id_publisher_code", publisher_code)
    editor.select_option("#id_unit", "category")
    editor.select_option("#id_value_type", "ordinal")
    editor.fill("#id_sdg_targets", "15.3")
    editor.fill("#id_source", "Protecció Civil (test)")
    editor.fill("#id_licence", "CC0-1.0")

    # ---- two categories, typed into rows; the second first repeats the first's code ----
    scope = "[data-contentpath='categories']"
    for typed_code, labels, alias in CATEGORIES:
        prefix = _row_add(editor, scope, "categories-count")
        editor.fill(f"#{prefix}-code", typed_code)
        _labels_fill(editor, prefix, labels)
        if alias:
            editor.fill(f"#{prefix}-aliases", alias)

    # ---- one breakdown dimension with its two values ----
    dimension = _row_add(editor, "[data-contentpath='dimensions']", "dimensions-count")
    editor.fill(f"#{dimension}-code", "season")
    _labels_fill(editor, dimension, ("Temporada", "Temporada", "Season"))
    for season_code, labels in SEASONS:
        value = _row_add(
            editor,
            "[data-contentpath='dimensions'] [data-contentpath='values']",
            f"{dimension}-values-count",
        )
        editor.fill(f"#{value}-code", season_code)
        _labels_fill(editor, value, labels)

    for tab, suffix, name in (
        ("Català", "", "Risc d'incendi"),
        ("Español", "_es", "Riesgo de incendio"),
        ("English", "_en", "Fire risk"),
    ):
        editor.get_by_role("tab", name=tab).click()
        editor.fill(f"#id_name{suffix}", name)
        editor.fill(f"#id_definition{suffix}", f"{name}: nivell / nivel / level.")
        editor.fill(f"#id_method{suffix}", f"{name}: classificació / clasificación / class.")
    editor.locator("button[type=submit]", has_text=texts["save"]).first.click()

    # ---- refused next to the second row's code, in the editor's language ----
    expect(editor.locator("[data-contentpath='categories']")).to_contain_text(texts["duplicate"])
    assert not Indicator.objects.filter(code=code).exists()
    editor.locator("[data-contentpath='categories']").screenshot(
        path=str(screenshot_dir / f"catalogue-rows-{locale}.png")
    )
    editor.get_by_role("tab", name=re.compile("Indicador|Indicator")).first.click()
    editor.fill("#categories-1-value-code", "medium")
    editor.locator("button[type=submit]", has_text=texts["save"]).first.click()
    expect(editor.locator(".messages")).to_contain_text(code)

    # ---- in the listing, stored as the catalogue file writes it ----
    editor.get_by_role("button", name=texts["menu"]).first.click()
    editor.get_by_role("link", name=texts["catalogue"]).first.click()
    expect(editor.locator("table.listing")).to_contain_text(code)
    saved = Indicator.objects.get(code=code)
    assert [c["code"] for c in saved.categories] == ["low", "medium"]
    assert saved.categories[1]["aliases"] == ["Mitjana"]
    assert saved.dimensions[0]["labels"] == {"ca": "Temporada", "es": "Temporada", "en": "Season"}
    assert [v["code"] for v in saved.dimensions[0]["values"]] == ["summer", "winter"]

    # ---- opened again from the listing, the rows are there to edit ----
    editor.locator("table.listing a", has_text=code).first.click()
    expect(editor.locator("#categories-1-value-code")).to_have_value("medium")
    expect(editor.locator("#categories-1-value-aliases")).to_have_value("Mitjana")
    expect(editor.locator("#dimensions-0-value-values-1-value-label_en")).to_have_value("Winter")

    # ---- the publisher's file, with the other spelling and the dimension, imports ----
    editor.get_by_role("button", name=texts["menu"]).first.click()
    editor.get_by_role("link", name=texts["import"]).first.click()
    editor.locator("#id_indicator").select_option(label=str(saved))
    editor.locator("#id_file").set_input_files(str(_csv(tmp_path, publisher_code)))
    editor.locator("#databank-upload button[type=submit]").click()
    expect(editor.locator('#databank-import [data-count="added"]')).to_have_text("3")
    editor.locator("#databank-confirm").click()
    expect(editor.locator(".messages")).to_contain_text(texts["added"])
    stored = sorted((e, d, held[0]) for (e, _y, d), held in block_stored(saved.pk).items())
    # The other spelling ("Mitjana") and the dimension's label ("Temporada") were understood.
    assert stored == [
        ("08001", "season=summer", "low"),
        ("08001", "season=winter", "medium"),
        ("08002", "season=summer", "medium"),
    ]
