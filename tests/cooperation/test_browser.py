"""Cooperation pages in a real browser: totals, an entity, the official's private page."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site_url(live_server):
    from concertem.common.pages import wagtail_roots_ensure
    from concertem.cooperation.demo import demo_cooperation_load
    from concertem.home.demo_content import demo_site_load

    wagtail_roots_ensure()
    demo_cooperation_load(demo_site_load())
    return live_server.url


def test_public_totals_and_an_entity(page, site_url, screenshot_dir):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/ca/actuacions/")
    assert page.locator(".notice--demo").is_visible()
    assert page.locator("svg.bar-chart").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot(path=str(screenshot_dir / "cooperation-ca-1280.png"), full_page=True)
    page.get_by_role("link", name="Bagà").click()
    page.wait_for_url("**/actuacions/08016/")
    assert page.locator("h1").inner_text() == "Bagà"
    page.screenshot(path=str(screenshot_dir / "cooperation-baga-ca-1280.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{site_url}/es/actuaciones/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(screenshot_dir / "cooperation-es-375.png"), full_page=True)


def test_official_logs_in_and_sees_the_documents(page, site_url, screenshot_dir):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/en/cooperation-actions/08016/private/")
    page.wait_for_url("**/accounts/login/**")
    page.fill("input[name='username']", "official-demo")
    page.fill("input[name='password']", "concertem-official")
    page.locator("form button[type='submit'], form input[type='submit']").last.click()
    page.wait_for_url("**/cooperation-actions/08016/private/")
    assert page.locator("a", has_text="(demo) Resolució").count() >= 1
    page.screenshot(path=str(screenshot_dir / "cooperation-private-en-1280.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("a", has_text="(demo) Resolució").first.click()
    assert download.value.suggested_filename.startswith("demo-")
    response = page.goto(f"{site_url}/en/cooperation-actions/08187/private/")
    assert response.status == 403


def test_no_serious_accessibility_violations(site_url, axe_violations):
    for path in ("/ca/actuacions/", "/es/actuaciones/08016/", "/en/cooperation-actions/"):
        for width in (1280, 375):
            assert axe_violations(f"{site_url}{path}", width=width) == [], (path, width)
