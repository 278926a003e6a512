"""The debate in a real browser: an official comments and replies, an editor hides a
comment and closes the debate with conclusions, an anonymous visitor reads it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEBATE = "/ca/revisio-formula-2027/pes-de-la-poblacio/"


@pytest.fixture
def site_url(live_server):
    from debates.demo_content import demo_debates_load

    demo_debates_load()
    return live_server.url


def _log_in(page, site_url, username, password, next_path=DEBATE):
    page.goto(f"{site_url}/ca/accounts/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{site_url}{next_path}")


def test_official_editor_and_visitor(browser, site_url, screenshot_dir):
    errors: list[str] = []

    # ---- An official of Vic comments and replies ----
    official = browser.new_context(viewport={"width": 1280, "height": 900})
    page = official.new_page()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    _log_in(page, site_url, "alcaldessa.vic", "concertem-official")
    page.fill("#id_comment", "Vic proposa que la **població estacional** compti a la fórmula.")
    page.get_by_role("button", name="Publica", exact=True).click()
    page.wait_for_load_state()
    new_comment = page.locator(".comment", has_text="població estacional compti").first
    assert new_comment.locator("strong").inner_text() == "població estacional"
    assert "Alcaldessa" in new_comment.inner_text() or "Vic" in new_comment.inner_text()

    thread = page.locator(".comment--level-0").first
    thread.locator("details.comment__reply > summary").first.click()
    thread.locator("textarea").first.fill("Resposta des de Vic: hi estem d'acord.")
    thread.get_by_role("button", name="Publica la resposta").first.click()
    page.wait_for_load_state()
    reply = page.locator(".comment--level-1", has_text="Resposta des de Vic")
    reply.wait_for()  # posted in place (debates.js): no reload to wait for
    assert reply.count() == 1
    page.screenshot(path=str(screenshot_dir / "debate-official-1280.png"), full_page=True)
    official.close()

    # ---- The editor hides a comment and closes the debate ----
    editor = browser.new_context(viewport={"width": 1280, "height": 900})
    page = editor.new_page()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    _log_in(page, site_url, "editor", "concertem-editor")
    target = page.locator(".comment__card", has_text="Una proposta tècnica").first
    target.locator("details.comment__moderate > summary").first.click()
    target.locator("input[name=reason]").first.fill("Conté dades personals")
    target.get_by_role("button", name="Amaga el comentari").first.click()
    page.wait_for_load_state()
    hidden = page.locator(".comment--hidden").first
    assert "Conté dades personals" in hidden.inner_text()
    page.locator("details.close-debate > summary").click()
    page.fill(
        "#id_conclusions", "Es manté el 52% per població i s'estudiarà la població estacional."
    )
    page.fill("#id_answer", "La Diputació incorporarà la població estacional el 2028.")
    page.get_by_role("button", name="Tanca i publica les conclusions").click()
    page.wait_for_load_state()
    assert page.locator(".debate-header .state").text_content() == "Tancat"
    editor.close()

    # ---- An anonymous visitor reads it, on a desktop and on a phone ----
    for width in (1280, 375):
        visitor = browser.new_context(viewport={"width": width, "height": 900})
        page = visitor.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(f"{site_url}{DEBATE}")
        # Threads show their first replies; the reader opens the rest, in place.
        more = page.locator("[data-more-replies] a")
        while more.count():
            left = more.count()
            more.first.click()
            expect(more).to_have_count(left - 1)
        text = page.locator("main").inner_text()
        assert "Es manté el 52% per població" in text
        assert "La Diputació incorporarà la població estacional" in text
        assert "Conté dades personals" in text and "Una proposta tècnica" not in text
        # The hidden comment's replies are still there.
        assert "A Castellcir no tenim seccions" in text
        assert "Vic proposa que la" in text
        assert page.locator("#id_comment").count() == 0  # closed: no form
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(screenshot_dir / f"debate-visitor-{width}.png"), full_page=True)
        visitor.close()
    assert errors == []
