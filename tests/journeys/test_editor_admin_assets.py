"""The admin's page editor loads every script and style its blocks need (issue 15: the
table block's app was not installed, its files answered 404 and every StreamField
rendered empty). Django's check is in tests/site/test_block_apps.py; this is the browser's
side: no 404, no console error, and each StreamField offers its "+"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.journeys.conftest import admin_login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo_pages(live_server):
    from debates.demo_content import demo_debates_load

    return demo_debates_load()


def test_the_page_editor_loads_every_block_asset(
    journey_context, live_server, demo_pages, screenshot_dir
):
    from django.core.management import call_command

    from concertem.home.models import StandardPage

    call_command("check", fail_level="ERROR")
    base = live_server.url
    page = journey_context(height=1000, locale="en-GB")
    page.watch.allow(400, "/edit/")  # Wagtail 8's autosave of a half-filled form
    admin_login(page, base)
    debate = demo_pages["open"]
    standard = StandardPage.objects.filter(locale__language_code="ca").first()
    for page_id, fields in [
        (standard.pk, ["body"]),
        (debate.pk, ["context"]),
        (debate.get_parent().pk, ["calendar", "body"]),
    ]:
        page.goto(f"{base}/admin/pages/{page_id}/edit/")
        for field in fields:
            expect(page.locator(f"input[name='{field}-count']")).to_have_count(1)
            expect(
                page.locator(f"[data-contentpath='{field}'] button.c-sf-add-button").first
            ).to_be_visible()
    # The existing text of a page shows in its editor (it rendered empty before).
    page.goto(f"{base}/admin/pages/{standard.pk}/edit/")
    paragraph = next(b for b in standard.body.raw_data if b["type"] == "paragraph")
    words = re.sub(r"<[^>]+>", "", paragraph["value"]).split()[:3]
    assert words, "the demo page has a paragraph with text"
    expect(page.locator("[data-contentpath=body]")).to_contain_text(" ".join(words))
    page.screenshot(path=str(screenshot_dir / "editor-admin-edit-page.png"))


def test_the_account_preferences_open_without_a_console_error(
    journey_context, live_server, demo_pages
):
    """An editor changing the admin's language or time zone: the page lists only zones the
    browser knows (Debian's tz database also has "localtime", which Chromium refuses)."""
    base = live_server.url
    page = journey_context(height=1000, locale="ca-ES")
    admin_login(page, base)
    page.goto(f"{base}/admin/account/")
    zones = page.locator("select[name='locale-current_time_zone'] option")
    assert zones.count() > 300
    values = zones.evaluate_all("options => options.map(o => o.value)")
    assert "Europe/Madrid" in values and "localtime" not in values
