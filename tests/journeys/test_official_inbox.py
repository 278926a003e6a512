"""An official's inbox, in Catalan and in English: official A comments, official B
replies, A's bell counts it, A opens the notification and lands on the reply, marks the
rest read, finds their municipality's debates, requests, actions and allocations on one
page, and deletes their own comment, whose replies stay visible to the public.
axe-core finds nothing serious or critical on the pages this journey adds."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.conftest import AXE_SCRIPT
from tests.journeys.conftest import OFFICIAL_VIC, site_login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OFFICIAL_TERRASSA = ("regidor.terrassa", "concertem-official")
AGENT = ("agent.centre", "concertem-agent")
DEBATE = {
    "ca": "/ca/revisio-formula-2027/pes-de-la-poblacio/",
    "en": "/en/formula-review-2027/weight-of-population/",
}
WORDS = {
    "ca": {
        "publish": "Publica",
        "reply": "Respon",
        "publish_reply": "Publica la resposta",
        "replied": "ha respost el teu comentari",
        "mark_all": "Marca-les totes com a llegides",
        "my_municipality": "El meu municipi",
        "delete": "Esborra",
        "confirm_delete": "Sí, esborra el meu comentari",
        "deleted": "Comentari esborrat pel seu autor.",
        "step_by_step": "Com s'ha calculat, pas a pas",
        "requests": "Sol·licituds de suport a l'oficina",
    },
    "en": {
        "publish": "Publish",
        "reply": "Reply",
        "publish_reply": "Publish reply",
        "replied": "replied to your comment",
        "mark_all": "Mark all as read",
        "my_municipality": "My municipality",
        "delete": "Delete",
        "confirm_delete": "Yes, delete my comment",
        "deleted": "Comment deleted by its author.",
        "step_by_step": "How it was computed, step by step",
        "requests": "Support requests to the office",
    },
}


@pytest.fixture
def demo(live_server):
    call_command("load_demo", verbosity=0)
    return live_server.url


def _bell_count(page) -> int:
    return int(page.locator(".account .bell").get_attribute("data-unread"))


def _axe_logged_in(browser, base: str, urls: list[str], user: tuple[str, str], lang: str):
    """axe-core on pages only a logged-in person sees (the axe_violations fixture's
    context has no login): the same check, in a context of our own that bypasses CSP."""
    context = browser.new_context(bypass_csp=True, locale=f"{lang}-ES")
    page = context.new_page()
    site_login(page, base, *user, lang=lang)
    found = {}
    for url in urls:
        page.goto(url)
        page.add_script_tag(path=str(AXE_SCRIPT))
        result = page.evaluate("async () => await axe.run(document)")
        serious = [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            found[url] = serious
    context.close()
    return found


@pytest.mark.parametrize("lang", ["ca", "en"])
def test_official_inbox(demo, journey_context, browser, axe_violations, screenshot_dir, lang):
    words = WORDS[lang]
    locale = "ca-ES" if lang == "ca" else "en-GB"
    debate_url = f"{demo}{DEBATE[lang]}"
    text_a = f"Vic ({lang}) demana comptar la població estacional."

    # ---- A (Vic) comments; the counter counts what is typed ----
    a = journey_context(locale=locale)
    site_login(a, demo, *OFFICIAL_VIC, lang=lang)
    a.goto(debate_url)
    counter = a.locator("#id_comment ~ .counter").first
    assert counter.inner_text() == "0 / 3000"
    a.fill("#id_comment", text_a)
    assert counter.inner_text() == f"{len(text_a)} / 3000"
    a.get_by_role("button", name=words["publish"], exact=True).click()
    # Posted in place (debates.js): the comment appears in the page, no reload.
    mine = a.locator("li.comment", has_text=text_a).first
    mine.wait_for()
    comment_id = int(mine.get_attribute("id")[1:])
    assert a.url.startswith(f"{demo}/{lang}/")
    before = _bell_count(a)

    # ---- B (Terrassa) replies to it, in the page ----
    b = journey_context(locale=locale)
    site_login(b, demo, *OFFICIAL_TERRASSA, lang=lang)
    b.goto(debate_url)
    card = b.locator(f"#c{comment_id}")
    card.locator("details.comment__reply > summary").first.click()
    card.locator("textarea").first.fill("Terrassa hi està d'acord / Terrassa agrees.")
    card.get_by_role("button", name=words["publish_reply"]).first.click()
    reply = card.locator("li.comment", has_text="Terrassa agrees").first
    reply.wait_for()
    reply_id = int(reply.get_attribute("id")[1:])

    # ---- A's bell counts the reply; the notification leads to it, and is read ----
    a.reload()
    assert _bell_count(a) == before + 1
    bell_name = a.locator(".account .bell").inner_text()  # what a screen reader says
    assert str(before + 1) in bell_name  # the number is in the words, not only a colour
    a.locator(".account .bell").click()
    a.wait_for_load_state()
    assert a.url == f"{demo}/{lang}/notifications/"
    item = a.locator(".notification", has_text=words["replied"]).first
    assert "notification--unread" in item.get_attribute("class")
    a.screenshot(path=str(screenshot_dir / f"inbox-notifications-{lang}.png"), full_page=True)
    item.locator("a.notification__text").click()
    a.wait_for_load_state()
    assert a.url.startswith(debate_url) and a.url.endswith(f"#c{reply_id}")
    assert a.locator(f"#c{reply_id}").is_visible()
    assert _bell_count(a) == before
    a.goto(f"{demo}/{lang}/notifications/")
    mark_all = a.get_by_role("button", name=words["mark_all"])
    if mark_all.count():
        mark_all.click()
        a.wait_for_load_state()
    assert _bell_count(a) == 0
    assert a.locator(".notification--unread").count() == 0

    # ---- A's municipality on one page, from the user menu ----
    a.locator(".account-menu > summary").click()
    a.get_by_role("link", name=words["my_municipality"], exact=True).click()
    a.wait_for_load_state()
    assert a.url == f"{demo}/{lang}/my-municipality/"
    body = a.locator("main").inner_text()
    assert "Vic" in body and words["requests"] in body
    assert a.locator("#my-debates ~ ul a, section[aria-labelledby=my-debates] a").count() >= 1
    assert a.locator("section[aria-labelledby=my-requests] li a").count() >= 1
    assert "OAM-" in a.locator("section[aria-labelledby=my-requests]").inner_text()
    assert a.locator("section[aria-labelledby=my-actions] li").count() >= 1
    a.screenshot(path=str(screenshot_dir / f"inbox-my-municipality-{lang}.png"), full_page=True)
    # On a phone: the page fits its width and the account menu opens inside the screen.
    a.set_viewport_size({"width": 375, "height": 800})
    assert a.evaluate("document.querySelector('main').scrollWidth") <= 375
    a.locator(".account-menu > summary").click()
    box = a.locator(".account-menu__list").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    a.screenshot(path=str(screenshot_dir / f"inbox-my-municipality-{lang}-375.png"), full_page=True)
    a.locator(".account-menu > summary").click()
    a.set_viewport_size({"width": 1280, "height": 900})
    allocations = a.locator("section[aria-labelledby=my-allocations]")
    allocations.locator("a", has_text=words["step_by_step"]).first.click()
    a.wait_for_load_state()
    assert "/08298/" in a.url

    # ---- A deletes their own comment, after confirming ----
    a.goto(debate_url)
    a.locator(f"#c{comment_id} > article .comment__actions").get_by_role(
        "link", name=words["delete"], exact=True
    ).click()
    a.wait_for_load_state()
    confirm_url = a.url
    assert text_a in a.locator("main").inner_text()
    report_url = f"{demo}/debates/comment/{reply_id}/report/?next={DEBATE[lang]}"
    pages = [f"{demo}/{lang}/notifications/", f"{demo}/{lang}/my-municipality/"]
    problems = _axe_logged_in(browser, demo, [*pages, confirm_url, report_url], OFFICIAL_VIC, lang)
    a.get_by_role("button", name=words["confirm_delete"]).click()
    a.wait_for_load_state()
    assert a.url.startswith(debate_url)

    # ---- The public sees the placeholder, and the reply still there ----
    visitor = journey_context(locale=locale)
    visitor.goto(debate_url)
    placeholder = visitor.locator(f"#c{comment_id} .comment__deleted")
    assert placeholder.inner_text() == words["deleted"]
    assert text_a not in visitor.locator("main").inner_text()
    assert "Terrassa agrees" in visitor.locator(f"#c{reply_id}").inner_text()
    visitor.screenshot(path=str(screenshot_dir / f"inbox-deleted-{lang}.png"), full_page=True)

    # ---- Accessibility of the pages this journey adds (an agent's page too) ----
    assert axe_violations(debate_url) == []
    assert problems == {}
    agent = _axe_logged_in(browser, demo, [f"{demo}/{lang}/my-territory/"], AGENT, lang)
    assert agent == {}
