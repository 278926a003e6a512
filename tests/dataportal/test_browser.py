"""The portal pages in headless Chromium: every language, desktop and phone, axe-core clean."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGES = {
    "ca": {
        "catalogue": "/ca/dades/",
        "profile-barcelona": "/ca/municipis/08019/",
        "profile-alella": "/ca/municipis/08003/",
        "profile-bellprat": "/ca/municipis/08021/",
        "explorer": "/ca/repartiment/",
        "sdg-goal-10": "/ca/ods/10/",
    },
    "es": {
        "catalogue": "/es/datos/",
        "profile-alella": "/es/municipios/08003/",
        "explorer": "/es/reparto/",
        "sdg-goal-8": "/es/ods/8/",
    },
    "en": {
        "catalogue": "/en/data/",
        "profile-bellprat": "/en/municipalities/08021/",
        "explorer": "/en/allocation/",
        "sdg-goal-1": "/en/sdg/1/",
    },
}


@pytest.fixture
def portal_url(live_server, settings):
    from concertem.dataportal.demo_content import portal_pages_load
    from concertem.home.demo_content import demo_site_load

    settings.CKAN_PUBLIC_URL = ""
    portal_pages_load(demo_site_load())
    return live_server.url


@pytest.mark.parametrize("language", ["ca", "es", "en"])
def test_portal_pages_are_accessible_and_readable(
    page, portal_url, axe_violations, screenshot_dir, language
):
    for name, path in PAGES[language].items():
        for width in (1280, 375):
            # axe at both widths in Catalan; the other languages share the templates.
            if language == "ca" or width == 375:
                assert axe_violations(f"{portal_url}{path}", width=width) == [], (path, width)
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{portal_url}{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, path
            page.screenshot(
                path=str(screenshot_dir / f"portal-{language}-{name}-{width}.png"),
                full_page=False,
            )


def test_explorer_map_draws_every_municipality_offline(page, portal_url):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{portal_url}/ca/repartiment/")
    page.wait_for_selector(".js-choropleth path.leaflet-interactive")
    assert page.locator(".js-choropleth path.leaflet-interactive").count() == 311
    assert page.locator(".map-legend").count() == 1
    assert errors == []


def test_clicking_a_municipality_on_the_map_opens_its_calculation(page, portal_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{portal_url}/ca/repartiment/")
    page.wait_for_selector(".js-choropleth path.leaflet-interactive")
    page.locator(".js-choropleth").scroll_into_view_if_needed()
    page.locator(".js-choropleth path.leaflet-interactive").nth(100).click(force=True)
    page.wait_for_url(f"{portal_url}/ca/repartiment/*/")
    assert "how the amount is computed" in page.locator("h1").inner_text() or "calcula" in (
        page.locator("h1").inner_text()
    )
