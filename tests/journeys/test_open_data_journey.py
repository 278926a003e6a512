"""An open-data user, in Catalan and in English, on a desktop and on a phone: searches
"Vic", opens its profile, follows a key figure to the dataset it comes from, downloads
the CSV and finds the same number there. Never leaves the language; axe-core finds no
serious or critical violation on any page visited."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from tests.journeys.language_helpers import axe_serious, journey_demo, language_assert

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

__all__ = ["journey_demo"]  # the fixture, imported for pytest

LABELS = {
    "ca": {"figure": "Renda neta per persona", "download": "Descarrega des d'aquest lloc"},
    "en": {"figure": "Net income per person", "download": "Download from this site"},
}
BROWSER_LOCALE = {"ca": "en-GB", "en": "ca-ES"}  # the browser says another language


def amount_of(text: str) -> Decimal:
    """ "14.305 €" (ca) or "14,305 €" (en) → 14305."""
    digits = re.sub(r"[^\d]", "", text)
    assert digits, text
    return Decimal(digits)


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("lang", ["ca", "en"])
def test_open_data_user_finds_vic_and_checks_a_figure_in_the_csv(
    journey_context, journey_demo, screenshot_dir, lang, width
):
    base = journey_demo
    page = journey_context(width=width, locale=BROWSER_LOCALE[lang])
    violations: list[dict] = []
    shot = f"journey-open-data-{lang}-{width}"

    # ---- Home, then the site search for "Vic" ----
    page.goto(f"{base}/{lang}/")
    language_assert(page, base, lang)
    violations += axe_serious(page)
    search = page.locator("header form[role=search] input[name=q]")
    if not search.is_visible():  # on a phone the search may sit behind the menu button
        page.locator("header button[aria-controls], header .menu-toggle").first.click()
    search.fill("Vic")
    search.press("Enter")
    page.wait_for_url(re.compile(r".*/search/\?q=Vic"))
    language_assert(page, base, lang)
    results = page.locator("#search-entities ~ ul a")
    assert results.first.inner_text().strip() == "Vic"
    violations += axe_serious(page)
    page.screenshot(path=str(screenshot_dir / f"{shot}-1-search.png"), full_page=True)

    # ---- The profile of Vic ----
    results.first.click()
    page.wait_for_url(re.compile(r".*/08298/$"))
    language_assert(page, base, lang)
    assert page.locator("h1").inner_text().strip() == "Vic"
    card = page.locator(".figure-card", has_text=LABELS[lang]["figure"]).first
    shown = amount_of(card.locator("dd").first.inner_text())
    year = re.search(r"\b(20\d\d)\b", card.inner_text()).group(1)
    violations += axe_serious(page)
    page.screenshot(path=str(screenshot_dir / f"{shot}-2-profile.png"), full_page=True)

    # ---- Follow the figure to its dataset ----
    card.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/socioeconomic-variables/$"))
    language_assert(page, base, lang)
    violations += axe_serious(page)
    page.screenshot(path=str(screenshot_dir / f"{shot}-3-dataset.png"), full_page=True)

    # ---- Download the CSV and find the same number ----
    link = page.get_by_role("link", name=LABELS[lang]["download"]).first
    href = link.get_attribute("href")
    assert href.endswith(".csv"), href
    with page.expect_download() as download:
        link.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    values = [
        Decimal(row["value"])
        for row in rows
        if row["entity_code"] == "08298"
        and row["variable"] == "net_income_per_person"
        and row["year"] == year
    ]
    assert len(values) == 1, values
    assert abs(values[0] - shown) <= Decimal("0.5"), (values[0], shown)  # shown in whole euros

    assert violations == [], violations
