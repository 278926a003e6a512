"""An anonymous reader of the SDG pages, in Catalan and in English: opens the goals, sees which
goals have no indicator yet, opens a goal, switches its indicator's view to the metadata and to
the table (links: no JavaScript needed), follows a municipality to its profile and finds the same
indicator's panel there with the same value. No console error, no 4xx/5xx, axe-clean pages."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PATHS = {"ca": ("ods", "municipis"), "en": ("sdg", "municipalities")}
LABELS = {
    "ca": {
        "missing": "Encara no hi ha cap indicador per als objectius",
        "metadata": "Metadades",
        "table": "Taula",
        "source": "Font",
        "evolution": "Evolució",
    },
    "en": {
        "missing": "No indicator yet for goals",
        "metadata": "Metadata",
        "table": "Table",
        "source": "Source",
        "evolution": "Evolution",
    },
}


@pytest.fixture
def sdg_site(live_server) -> str:
    from concertem.common.pages import wagtail_roots_ensure
    from concertem.dataportal.demo_content import portal_pages_load
    from concertem.home.demo_content import demo_site_load

    wagtail_roots_ensure()  # a flush between transactional tests can leave no root page
    portal_pages_load(demo_site_load())
    return live_server.url


@pytest.mark.parametrize("lang", ["ca", "en"])
def test_anonymous_reader_follows_a_goal_to_a_municipality(
    journey_context, sdg_site, axe_violations, screenshot_dir, lang
):
    base = sdg_site
    sdg_path, profiles_path = PATHS[lang]
    labels = LABELS[lang]
    page = journey_context(locale="ca-ES" if lang == "ca" else "en-GB")
    violations: list[dict] = []
    shot = f"journey-sdg-{lang}"

    # ---- The 17 goals, and the ones still without data named ----
    page.goto(f"{base}/{lang}/{sdg_path}/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator(".goal-card").count() == 17
    assert labels["missing"] in page.locator(".callout").inner_text()
    violations += axe_violations(page.url)

    # ---- Goal 10, its first indicator on the evolution view ----
    page.locator('.goal-card a[href="10/"]').click()
    page.wait_for_url(re.compile(rf".*/{sdg_path}/10/$"))
    views = page.locator("#indicator-panel nav a")
    assert views.count() == 4
    assert (
        page.locator('#indicator-panel nav a[aria-current="page"]').inner_text()
        == labels["evolution"]
    )
    assert page.locator("#indicator-panel figure svg").first.is_visible()
    indicator = page.locator('.indicator-tabs a[aria-current="true"]').inner_text()
    violations += axe_violations(page.url)
    page.screenshot(path=str(screenshot_dir / f"{shot}-1-goal.png"), full_page=True)

    # ---- Metadata view ----
    page.locator("#indicator-panel nav").get_by_role("link", name=labels["metadata"]).click()
    page.wait_for_url(re.compile(r".*tab=metadata#indicator-panel$"))
    metadata = page.locator("#indicator-panel dl.metadata")
    assert labels["source"] in metadata.inner_text()
    assert metadata.locator("a[href^='https://www.ine.es/']").count() == 1
    violations += axe_violations(page.url)

    # ---- Table view: the series and every municipality ----
    page.locator("#indicator-panel nav").get_by_role("link", name=labels["table"]).click()
    page.wait_for_url(re.compile(r".*tab=table#indicator-panel$"))
    assert page.locator("#indicator-panel table tbody tr").count() >= 8  # 2015-2022
    municipalities = page.locator("details.data-details[open] table tbody tr")
    assert municipalities.count() > 300
    first = municipalities.first
    name = first.locator("th a").inner_text()
    value = first.locator("td.num").last.inner_text()
    violations += axe_violations(page.url)
    page.screenshot(path=str(screenshot_dir / f"{shot}-2-table.png"), full_page=True)

    # ---- Follow the municipality: its profile opens on the same indicator ----
    first.locator("th a").click()
    page.wait_for_url(re.compile(rf".*/{profiles_path}/\d{{5}}/\?indicator=\w+#indicator-panel$"))
    assert page.locator("h1").inner_text().strip() == name
    assert page.locator("#indicator-panel-heading").inner_text().startswith(indicator)
    series = page.locator("#indicator-panel table tbody tr").last  # the latest year
    assert series.locator("td").first.text_content() == value  # in the closed "Data" details
    violations += axe_violations(page.url)
    page.screenshot(path=str(screenshot_dir / f"{shot}-3-profile.png"), full_page=True)

    assert violations == [], violations
