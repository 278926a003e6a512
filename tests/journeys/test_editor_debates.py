"""An editor runs a debate's life from the admin and the debate page (issue 15): creates
it in a space, is stopped from closing it before it opens, opens it, hides an official's
comment with a reason, and closes it with conclusions written in Markdown. Each step
checks what the public pages show."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.journeys.conftest import OFFICIAL_VIC, admin_login, site_login
from tests.journeys.wagtail_admin import (
    autosave_allow,
    block_add,
    date_fill,
    publish,
    rich_text_type,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SPACE = "/ca/revisio-formula-2027/"


@pytest.fixture
def debates_site(live_server):
    from debates.demo_content import demo_debates_load

    return demo_debates_load()


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_editor_creates_opens_moderates_and_closes_a_debate(
    journey_context, live_server, debates_site, screenshot_dir
):
    from debates.models import DebateIndexPage, DebatePage

    base = live_server.url
    space = DebateIndexPage.objects.get(
        url_path__endswith="/revisio-formula-2027/", locale__language_code="ca"
    )
    editor = journey_context(height=1000, locale="en-GB")
    autosave_allow(editor)
    admin_login(editor, base)

    # ---- Create a debate that opens next week ----
    next_week = timezone.now() + timedelta(days=7)
    editor.goto(f"{base}/admin/pages/{space.pk}/")
    editor.locator(f"a[href$='/admin/pages/{space.pk}/add_subpage/']").first.click()
    editor.wait_for_load_state()
    if "/add_subpage/" in editor.url:
        editor.locator(f"a[href*='/add/debates/debatepage/{space.pk}/']").first.click()
    editor.fill("#id_title", "Debat del cicle")
    editor.locator("#id_title").press("Tab")
    expect(editor.locator("#id_slug")).not_to_have_value("")
    editor.fill("#id_question", "Cal un mínim més alt per als municipis petits?")
    prefix = block_add(editor, "context", "Paragraph")
    rich_text_type(editor, prefix, "El context del debat.")
    date_fill(editor, "#id_opens_at", _local(next_week))
    date_fill(editor, "#id_closes_at", _local(next_week + timedelta(days=30)))
    publish(editor)
    editor.goto(f"{base}{SPACE}debat-del-cicle/")
    expect(editor.locator("main")).to_contain_text("El context del debat.")
    debate = DebatePage.objects.get(title="Debat del cicle", locale__language_code="ca")
    editor.goto(f"{base}{SPACE}")
    upcoming = editor.locator("section[aria-labelledby=upcoming-heading]")
    expect(upcoming).to_contain_text("Debat del cicle")
    # The space's calendar shows the debate's own dates.
    expect(editor.locator(".timeline")).to_contain_text("S'obre: Debat del cicle")
    expect(editor.locator(".timeline")).to_contain_text("Es tanca: Debat del cicle")

    # ---- It cannot be closed before it opens: not in the admin... ----
    editor.goto(f"{base}/admin/pages/{debate.pk}/edit/")
    editor.locator("#id_closed_manually").check()
    toggle = editor.locator("footer [data-w-dropdown-target=toggle]").first
    toggle.focus()
    editor.keyboard.press("Enter")
    button = editor.get_by_role("button", name=re.compile(r"^\s*Publish\s*$"))
    button.focus()
    with editor.expect_navigation():
        editor.keyboard.press("Enter")
    expect(editor.locator("main")).to_contain_text("cannot close before it opens")
    editor.screenshot(path=str(screenshot_dir / "editor-debate-close-refused.png"))
    # ...nor on its page, where the moderator's close form waits for the opening.
    editor.goto(f"{base}{debate.url}")
    expect(editor.locator(".panel--moderation")).to_contain_text(
        "Es podrà tancar quan s'hagi obert"
    )
    expect(editor.locator("details.close-debate")).to_have_count(0)

    # ---- Open it now ----
    editor.goto(f"{base}/admin/pages/{debate.pk}/edit/")
    date_fill(editor, "#id_opens_at", _local(timezone.now() - timedelta(minutes=5)))
    publish(editor)
    editor.goto(f"{base}{SPACE}")
    expect(editor.locator("section[aria-labelledby=open-heading]")).to_contain_text(
        "Debat del cicle"
    )

    # ---- An official of Vic takes part ----
    official = journey_context()
    site_login(official, base, *OFFICIAL_VIC)
    official.goto(f"{base}{debate.url}")
    official.fill("#id_comment", "Un comentari fora de to per provar la moderació.")
    official.locator("#comment-form button[type=submit]").click()
    expect(official.locator("#comments")).to_contain_text("fora de to")

    # ---- The editor hides it with a reason ----
    editor.goto(f"{base}{debate.url}")
    comment = editor.locator("article", has_text="fora de to").first
    comment.locator("summary", has_text="Modera").click()
    comment.locator("input[name=reason]").first.fill("Fora del tema del debat")
    comment.get_by_role("button", name="Amaga el comentari").click()
    expect(editor.locator("#comments")).to_contain_text("Fora del tema del debat")
    official.goto(f"{base}{debate.url}")
    expect(official.locator("#comments")).to_contain_text("Fora del tema del debat")
    expect(official.locator("#comments")).not_to_contain_text("fora de to per provar")

    # ---- Close it with conclusions in Markdown ----
    editor.goto(f"{base}{debate.url}")
    editor.locator("details.close-debate summary").click()
    editor.fill("#id_conclusions", "**Acord**: el mínim puja.\n\n- Revisar-ho el 2029")
    editor.fill("#id_answer", "La Diputació ho *estudiarà*.")
    editor.get_by_role("button", name="Tanca i publica les conclusions").click()
    outcome = editor.locator("section.outcome")
    expect(outcome.locator("strong", has_text="Acord")).to_be_visible()
    expect(outcome.locator("li", has_text="Revisar-ho el 2029")).to_be_visible()
    expect(outcome.locator("em", has_text="estudiarà")).to_be_visible()
    expect(outcome).not_to_contain_text("**")
    editor.screenshot(path=str(screenshot_dir / "editor-debate-closed.png"), full_page=True)
    # A visitor reads the outcome; the thread is closed.
    visitor = journey_context()
    visitor.goto(f"{base}{debate.url}")
    expect(visitor.locator("section.outcome strong", has_text="Acord")).to_be_visible()
    expect(visitor.locator("#comment-form")).to_have_count(0)
