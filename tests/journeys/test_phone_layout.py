"""At 375 px, as on a phone: a menu button, no page wider than the screen, axe-clean.

A visitor opens the home page, finds the navigation folded behind "Menu", opens it
and follows it to the municipality profiles; then reads a profile, a step-by-step
calculation and a dataset page. On each page nothing sticks out sideways (wide tables
scroll inside their own box, the Amount column stays in view) and axe-core finds no
serious or critical problem. Screenshots: var/screenshots/phone-*.png.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTH = 375
PAGES = {
    "profile": "/ca/municipis/08298/",
    "step-by-step": "/ca/repartiment/08298/",
    "dataset": "/ca/dades/territory/",
    "listing": "/en/allocation/?q=manlleu",
}


@pytest.fixture
def site_url(live_server, settings, tmp_path_factory):
    from concertem.dataportal.demo_content import portal_pages_load
    from concertem.home.demo_content import demo_site_load
    from datasets.catalog import catalog_specs
    from datasets.packaging import package_build
    from datasets.versioning import VersionLedger

    build_dir = tmp_path_factory.getbasetemp() / "phone-build"
    ledger = VersionLedger(build_dir / "versions.json")
    for spec in catalog_specs():
        if spec.name == "territory":
            package_build(spec=spec, out_dir=build_dir / "datapackages", ledger=ledger)
    settings.CONCERTEM_BUILD_DIR = build_dir
    settings.CKAN_PUBLIC_URL = ""
    portal_pages_load(demo_site_load())
    return live_server.url


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_phone_menu_and_pages_fit_the_screen(
    journey_context, site_url, axe_violations, screenshot_dir
):
    page = journey_context(width=WIDTH, height=740)
    page.goto(f"{site_url}/ca/")
    toggle = page.get_by_role("button", name="Menú")
    links = page.locator("#mainnav-list")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not links.is_visible()  # the menu no longer fills the first screen
    assert _overflow(page) <= 0
    page.screenshot(path=str(screenshot_dir / "phone-home.png"))

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and links.is_visible()
    page.screenshot(path=str(screenshot_dir / "phone-home-menu-open.png"))
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not links.is_visible()
    toggle.click()
    links.get_by_role("link", name="Municipis").click()
    page.wait_for_url("**/ca/municipis/")
    assert page.get_by_role("button", name="Menú").get_attribute("aria-expanded") == "false"
    assert axe_violations(f"{site_url}/ca/", width=WIDTH) == []

    for name, path in PAGES.items():
        page.goto(f"{site_url}{path}")
        assert _overflow(page) <= 0, f"{path} is wider than the screen"
        page.screenshot(path=str(screenshot_dir / f"phone-{name}.png"), full_page=True)
        assert axe_violations(f"{site_url}{path}", width=WIDTH) == [], path

    # A filtered listing: the map zooms to the municipalities the table shows.
    page.goto(f"{site_url}/en/allocation/?q=manlleu")
    page.wait_for_selector('.js-choropleth path[stroke-width="2.5"]')
    focused = page.locator('.js-choropleth path[stroke-width="2.5"]')
    rows = page.locator("table.data-table--compact tbody tr")
    assert focused.count() == rows.count() >= 1
    widest = max(focused.nth(i).bounding_box()["width"] for i in range(focused.count()))
    assert widest > 40, "the map did not zoom to the filtered municipalities"

    # The step-by-step table scrolls in its box and keeps the Amount column in view.
    page.goto(f"{site_url}/ca/repartiment/08298/")
    table = page.locator("table[data-adds-up]")
    wrap = page.locator(".table-wrap", has=table)
    box = wrap.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    total = table.locator("tfoot td").last
    total_box = total.bounding_box()
    assert total_box["x"] + total_box["width"] <= WIDTH + 1, "the Amount column is off-screen"
    assert total.inner_text().endswith("€")


def test_without_javascript_the_menu_stays_open(browser, site_url):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": WIDTH, "height": 740}
    )
    page = context.new_page()
    page.goto(f"{site_url}/ca/")
    assert page.locator("#mainnav-list").is_visible()
    assert not page.locator(".mainnav__toggle").is_visible()
    context.close()
