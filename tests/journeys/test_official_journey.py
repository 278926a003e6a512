"""A local official, in Catalan and in English, with a browser set to the other language:
logs in, reads a debate, comments, replies, edits the comment, sets e-mail preferences,
files an office request with an attachment and sees its state change after the
territorial agent acts (in a second browser, through the UI). At every step the page is
still in the official's language (URL prefix and <html lang>), and axe-core finds no
serious or critical violation."""

from __future__ import annotations

import re

import pytest

from tests.journeys.conftest import OFFICIAL_VIC, site_login
from tests.journeys.language_helpers import axe_serious, journey_demo, language_assert

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

__all__ = ["journey_demo"]  # the fixture, imported for pytest

AGENT_OSONA = ("agent.centre", "concertem-agent")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
BROWSER_LOCALE = {"ca": "en-GB", "en": "ca-ES"}  # the browser says the other language

TEXT = {
    "ca": {
        "space": "/ca/revisio-formula-2027/",
        "debate": "Quin pes ha de tenir la població?",
        "office": "/ca/oficina-municipis/",
        "service_query": "auditoria",
        "comment": "Vic demana que la població estacional compti a la fórmula.",
        "reply": "Resposta des de Vic: cal comptar també els visitants.",
        "edited": "Vic demana que la població estacional i flotant compti a la fórmula.",
        "published": "S'ha publicat el vostre comentari.",
        "updated": "S'ha actualitzat el vostre comentari.",
        "saved": "S'han desat les preferències de correu.",
        "subject": "Auditoria del pavelló d'esports",
        "description": "El pavelló consumeix massa a l'hivern. Adjuntem les factures.",
    },
    "en": {
        "space": "/en/formula-review-2027/",
        "debate": "How much should population weigh?",
        "office": "/en/office-for-municipalities/",
        "service_query": "audit",
        "comment": "Vic asks for the seasonal population to count in the formula.",
        "reply": "A reply from Vic: visitors should count too.",
        "edited": "Vic asks for the seasonal and floating population to count in the formula.",
        "published": "Your comment has been published.",
        "updated": "Your comment has been updated.",
        "saved": "Your e-mail preferences are saved.",
        "subject": "Audit of the sports hall",
        "description": "The sports hall uses too much energy in winter. Bills attached.",
    },
}


def message_text(page) -> str:
    return page.locator("main .messages").inner_text()


@pytest.mark.parametrize("lang", ["ca", "en"])
def test_official_journey_stays_in_the_language(
    journey_context, journey_demo, screenshot_dir, lang
):
    base = journey_demo
    text = TEXT[lang]
    page = journey_context(locale=BROWSER_LOCALE[lang])
    violations: list[dict] = []
    shot = f"journey-official-{lang}"

    def check(*, prefixed: bool = True, name: str = "") -> None:
        language_assert(page, base, lang, prefixed=prefixed)
        violations.extend(axe_serious(page))
        if name:
            page.screenshot(path=str(screenshot_dir / f"{shot}-{name}.png"), full_page=True)

    # ---- Logs in (lands on the home page of the same language) ----
    site_login(page, base, *OFFICIAL_VIC, lang=lang)
    assert page.url == f"{base}/{lang}/"
    check(name="1-home")

    # ---- Reads the debate ----
    page.goto(f"{base}{text['space']}")
    check()
    page.get_by_role("link", name=text["debate"]).first.click()
    page.wait_for_load_state()
    debate_url = page.url
    check()

    # ---- Comments ----
    page.fill("#id_comment", text["comment"])
    page.locator("#comment-form button[type=submit]").click()
    # Posted in place (debates.js): the comment appears, the page is not reloaded.
    mine = page.locator(".comment", has_text=text["comment"]).first
    mine.wait_for()
    check(name="2-commented")

    # ---- Replies to it ----
    mine.locator("details.comment__reply > summary").first.click()
    mine.locator("details.comment__reply textarea").first.fill(text["reply"])
    mine.locator("details.comment__reply button[type=submit]").first.click()
    page.locator(".comment--level-1", has_text=text["reply"]).wait_for()
    check()
    assert page.locator(".comment--level-1", has_text=text["reply"]).count() == 1

    # ---- Edits the comment (the edit page has no prefix: its language is the debate's) ----
    mine = page.locator(".comment", has_text=text["comment"]).first
    mine.locator("a[href*='/edit/']").first.click()
    page.wait_for_url(re.compile(r".*/debates/comment/\d+/edit/.*"))
    check(prefixed=False, name="3-edit")
    assert text["debate"] in page.locator("main").inner_text()  # named in the same language
    page.fill("#id_comment", text["edited"])
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.url.split("#")[0].split("?")[0] == debate_url.split("#")[0].split("?")[0]
    check()
    assert text["updated"] in message_text(page)
    assert page.locator(".comment", has_text=text["edited"]).count() >= 1

    # ---- Sets the e-mail preferences ----
    # From the account menu in the header, as a person finds it.
    page.locator(".account-menu > summary").click()
    page.locator(".account-menu a[href$='/email-preferences/']").click()
    page.wait_for_url(re.compile(r".*/email-preferences/$"))
    check(prefixed=False)
    page.check("input[name=debates][value=daily]")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    check(prefixed=False, name="4-preferences")
    assert text["saved"] in message_text(page)
    assert page.locator("input[name=debates][value=daily]").is_checked()

    # ---- Files an office request with an attachment ----
    page.goto(f"{base}{text['office']}")
    check()
    page.fill("#service-q", text["service_query"])
    page.locator("form.filter-bar button[type=submit]").click()
    page.wait_for_load_state()
    check()
    page.locator(".service-card a").first.click()
    page.wait_for_load_state()
    check()
    page.locator(".panel--accent a.button").first.click()
    page.wait_for_url(re.compile(r".*/requests/new/.*"))
    check()
    page.fill("#id_subject", text["subject"])
    page.fill("#id_description", text["description"])
    page.set_input_files(
        "#id_attachments",
        files=[{"name": "factures-2025.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.locator("form.office-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/requests/OAM-[^/]+/$"))
    check(name="5-request-filed")
    request_url = page.url
    assert page.locator(".attachments a", has_text="factures-2025.pdf").count() == 1
    state_before = page.locator(".request-head .state").get_attribute("class")
    assert "state--in_progress" not in state_before

    # ---- The territorial agent acts, in another browser, through the UI ----
    agent = journey_context(locale=BROWSER_LOCALE[lang])
    site_login(agent, base, *AGENT_OSONA, lang=lang)
    agent.goto(request_url)
    language_assert(agent, base, lang)
    agent.locator("form.state-form:has(input[value=in_progress]) button").click()
    agent.wait_for_load_state()
    language_assert(agent, base, lang)
    violations.extend(axe_serious(agent))
    assert "state--in_progress" in agent.locator(".request-head .state").get_attribute("class")

    # ---- The official sees the new state ----
    page.reload()
    check(name="6-request-in-progress")
    assert "state--in_progress" in page.locator(".request-head .state").get_attribute("class")

    assert violations == [], violations
