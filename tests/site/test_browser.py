"""The base template in a real browser: phone width, keyboard focus, languages."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site_url(live_server):
    from concertem.home.demo_content import demo_site_load

    demo_site_load()
    return live_server.url


def test_home_is_readable_on_a_phone(page, site_url, screenshot_dir):
    page.set_viewport_size({"width": 375, "height": 812})
    for code in ("ca", "es", "en"):
        page.goto(f"{site_url}/{code}/")
        assert page.locator("h1").first.inner_text() == "Concertem en xarxa"
        # Nothing overflows horizontally: the page fits the phone's width.
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 375
        page.screenshot(path=str(screenshot_dir / f"home-{code}-375.png"), full_page=True)


def test_skip_link_is_the_first_tab_stop_and_visible(page, site_url):
    page.goto(f"{site_url}/ca/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_language_switcher_goes_to_the_translated_page(page, site_url, screenshot_dir):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/ca/programa/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{site_url}/en/programme/")
    assert page.locator("h1").inner_text() == "The programme"
    page.screenshot(path=str(screenshot_dir / "programme-en-1280.png"), full_page=True)


def test_no_console_errors_or_csp_violations(page, site_url):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{site_url}/ca/")
    page.goto(f"{site_url}/es/programa/")
    assert errors == []


def test_pages_have_no_serious_accessibility_violations(site_url, axe_violations):
    for path in ("/ca/", "/es/programa/", "/en/search/?q=programme", "/ca/accounts/login/"):
        for width in (1280, 375):
            assert axe_violations(f"{site_url}{path}", width=width) == [], (path, width)
