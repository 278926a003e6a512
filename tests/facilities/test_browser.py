"""The facility map in a real browser: clusters, filters, the list, no CSP errors, axe."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site_url(live_server):
    from concertem.common.pages import wagtail_roots_ensure
    from concertem.facilities.demo import demo_facilities_load
    from concertem.home.demo_content import demo_site_load

    wagtail_roots_ensure()
    demo_facilities_load(demo_site_load())
    return live_server.url


def test_map_draws_boundaries_and_clusters_offline(page, site_url, screenshot_dir):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            not request.url.startswith(site_url)
            and not request.url.startswith("data:")
            and outside.append(request.url)
        ),
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/ca/equipaments/")
    page.wait_for_selector(
        "#facility-map[data-loaded], #facility-map[data-error]", state="attached", timeout=20000
    )
    assert page.get_attribute("#facility-map", "data-error") is None, errors
    assert page.get_attribute("#facility-map", "data-loaded") == "3048"
    assert page.locator(".facility-cluster").count() > 5
    assert page.locator("#facility-map path, #facility-map canvas").count() >= 1
    page.screenshot(path=str(screenshot_dir / "facilities-map-ca-1280.png"), full_page=False)
    # Zoom into a cluster: markers appear and open a popup with the facility's name.
    page.locator(".facility-cluster").first.click()
    page.wait_for_timeout(600)
    assert errors == []
    assert outside == []  # no tiles or scripts from the internet


def test_filters_and_the_accessible_list(page, site_url, screenshot_dir):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/en/facilities/")
    page.select_option("#filter-category", "sport")
    page.select_option("#filter-entity", "08187")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**category=sport&entity=08187")
    page.wait_for_selector("#facility-map[data-loaded]", state="attached", timeout=20000)
    count = int(page.get_attribute("#facility-map", "data-loaded"))
    assert count > 0
    rows = page.locator("#facility-list tbody tr")
    assert rows.count() == count
    assert "Sabadell" in rows.first.inner_text()
    page.screenshot(path=str(screenshot_dir / "facilities-filtered-en-1280.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{site_url}/es/equipamientos/?category=culture")
    page.wait_for_selector("#facility-map[data-loaded]", state="attached", timeout=20000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(screenshot_dir / "facilities-es-375.png"), full_page=False)


def test_keyboard_user_can_skip_the_map(page, site_url):
    page.goto(f"{site_url}/ca/equipaments/")
    page.locator(".skip-map").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#facility-list"


def test_no_serious_accessibility_violations(site_url, axe_violations):
    for path in ("/ca/equipaments/", "/en/facilities/?category=sport&page=2"):
        for width in (1280, 375):
            assert axe_violations(f"{site_url}{path}", width=width) == [], (path, width)
