"""An editor drafts a new version of the allocation formula in the admin, previews its
effect, drafts the debate on it (Catalan, Spanish, English), sends it through review and
publishes it by approving it (issue 15). Each step checks what the public site shows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.journeys.conftest import admin_login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def formula_site(live_server):
    from concertem.dataportal.demo_content import portal_pages_load
    from concertem.home.demo_content import demo_site_load
    from debates.demo_content import demo_debates_load

    homes = demo_site_load()
    portal_pages_load(homes)
    demo_debates_load(homes)
    return homes


def test_editor_drafts_a_formula_and_publishes_its_debate_after_review(
    journey_context, live_server, formula_site, screenshot_dir
):
    from concertem.dataportal.models import FormulaDraft
    from debates.models import DebatePage

    base = live_server.url
    page = journey_context(height=1000, locale="en-GB")
    page.watch.allow(400, "/edit/")  # Wagtail 8's autosave of a half-filled form
    admin_login(page, base)

    # ---- A new draft starts from the current formula ----
    page.get_by_role("link", name="Formula drafts").first.click()
    page.goto(f"{base}/admin/snippets/dataportal/formuladraft/add/")
    text = page.locator("#id_text")
    expect(text).to_have_value(re.compile(r"weight = 0\.30"))
    page.fill("#id_title", "Més pes a l'atur")
    page.fill("#id_notes", "L'atur pesa més que la renda.")
    changed = text.input_value().replace("weight = 0.30", "weight = 0.20", 1)
    changed = changed.replace("weight = 0.18", "weight = 0.28", 1)
    text.fill(changed)
    page.get_by_role("button", name=re.compile(r"^\s*Save\s*$")).first.click()

    # ---- Its effect, before anything is public ----
    page.wait_for_url(re.compile(r".*/admin/formula-drafts/\d+/preview/"))
    expect(page.locator("main")).to_contain_text("municipalities gain")
    page.screenshot(path=str(screenshot_dir / "editor-formula-preview.png"), full_page=True)
    draft = FormulaDraft.objects.get()

    # ---- Draft its debate: three languages, waiting for review ----
    page.get_by_role("button", name=re.compile("Draft a debate on this draft")).click()
    expect(page.locator(".messages")).to_contain_text("sent for review")
    draft.refresh_from_db()
    pages = {
        p.locale.language_code: p
        for p in DebatePage.objects.filter(translation_key=draft.debate.translation_key)
    }
    assert sorted(pages) == ["ca", "en", "es"] and not any(p.live for p in pages.values())
    page.watch.allow(404, f"/proposal/{draft.pk}/")
    assert page.goto(f"{base}/ca/repartiment/proposal/{draft.pk}/").status == 404

    # ---- The reviewer approves each language from the editor; each goes live ----
    for language in ("ca", "es", "en"):
        page.goto(f"{base}/admin/pages/{pages[language].pk}/edit/")
        expect(page.locator("main")).to_contain_text(re.compile("Moderators approval", re.I))
        toggle = page.locator("footer [data-w-dropdown-target=toggle]").first
        toggle.focus()
        page.keyboard.press("Enter")
        approve = page.get_by_role("button", name=re.compile(r"^\s*Approve and Publish\s*$"))
        expect(approve).to_be_visible()
        approve.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator(".messages")).to_contain_text(
            re.compile("approved|published|updated", re.I)
        )
    page.screenshot(path=str(screenshot_dir / "editor-formula-approved.png"))

    # ---- Public: the debate in each language, numbers as each language writes them ----
    live = {code: DebatePage.objects.get(pk=p.pk) for code, p in pages.items()}
    assert all(p.live for p in live.values())
    page.goto(f"{base}{live['ca'].url}")
    table = page.locator("table.data-table").first
    expect(table).to_contain_text(re.compile(r"\d{1,3}(\.\d{3})+,\d{2}"))
    expect(page.locator("main")).to_contain_text("Què en penseu d'aquesta proposta")
    page.screenshot(path=str(screenshot_dir / "editor-formula-debate-ca.png"), full_page=True)
    page.goto(f"{base}{live['en'].url}")
    expect(page.locator("table.data-table").first).to_contain_text(
        re.compile(r"\d{1,3}(,\d{3})+\.\d{2}")
    )
    expect(page.locator("main")).to_contain_text("What do you think of this proposed")
    page.goto(f"{base}{live['es'].url}")
    expect(page.locator("main")).to_contain_text("¿Qué opináis de esta propuesta")
    # The proposal's comparison is public now that its debate is.
    page.goto(f"{base}/ca/repartiment/proposal/{draft.pk}/")
    expect(page.locator("main")).to_contain_text("Terrassa")
