"""An official, in Catalan and in English, on a debate too long to show at once (issue 19):
the page shows a window of threads; "Show more comments" and "Show N more replies" bring
the next ones in place; a reply is published without reloading the page, the polite
live region reads that reply and nothing else, and focus moves to it; a refused reply
shows why next to its form, in the page's language, with the text still typed. The console stays
clean and the site answers no unexpected 4xx/5xx (journey_context)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.journeys.conftest import OFFICIAL_VIC, site_login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DEBATE = "/ca/revisio-formula-2027/pes-de-la-poblacio/"
REPLY = "Vic hi afegeix: cal comptar també la població flotant dels caps de setmana."
# What the official reads and clicks, in each language (the debates app's catalogues).
LABELS = {
    "ca": {
        "more": "Mostra més comentaris",
        "replies": "Mostra 18 respostes més",
        "publish": "Publica la resposta",
        "refused": "El vostre comentari no s'ha publicat.",
    },
    "en": {
        "more": "Show more comments",
        "replies": "Show 18 more replies",
        "publish": "Publish reply",
        "refused": "Your comment was not published.",
    },
}


@pytest.fixture
def open_debate(live_server):
    """The demo's open debate (its Catalan page), 300 more comments long."""
    from debates.demo_content import comments_bulk_create, demo_debates_load
    from debates.models import Official

    debates = demo_debates_load()
    officials = list(Official.objects.filter(verified=True).order_by("pk")[:4])
    comments_bulk_create(debate=debates["open"], officials=officials, count=300)
    return debates["open"]


@pytest.fixture
def long_debate(live_server, open_debate) -> str:
    return live_server.url


@pytest.fixture
def long_debate_en(open_debate) -> str:
    """The same debate's English page (its own thread), as long as the Catalan one."""
    from wagtail.models import Locale

    from debates.demo_content import comments_bulk_create
    from debates.models import Official

    english = open_debate.get_translation(Locale.objects.get(language_code="en"))
    officials = list(Official.objects.filter(verified=True).order_by("pk")[:4])
    comments_bulk_create(debate=english, officials=officials, count=300)
    return english.url


@pytest.mark.parametrize("lang", ["ca", "en"])
def test_official_replies_in_place_in_a_long_debate(
    journey_context, long_debate, request, screenshot_dir, lang
):
    from debates.threads import REPLIES_SHOWN, THREADS_PER_WINDOW

    base = long_debate
    path = DEBATE if lang == "ca" else request.getfixturevalue("long_debate_en")
    words = LABELS[lang]
    page = journey_context(locale="ca-ES" if lang == "ca" else "en-GB")
    site_login(page, base, *OFFICIAL_VIC, lang=lang)
    page.goto(f"{base}{path}")
    page.evaluate("window.__samePage = 'yes'")  # gone if the page reloads
    comments = page.locator("#comments")
    roots = comments.locator("li.comment--level-0")
    expect(roots).to_have_count(THREADS_PER_WINDOW)
    assert comments.locator("li.comment").count() <= THREADS_PER_WINDOW * (1 + REPLIES_SHOWN)

    # ---- More threads, then more replies of the first one, without leaving the page ----
    comments.get_by_role("link", name=words["more"]).click()
    expect(roots).to_have_count(2 * THREADS_PER_WINDOW)
    more_replies = page.get_by_role("link", name=words["replies"])
    thread_id = roots.filter(has=more_replies).first.get_attribute("id")  # 21: 3 shown
    first = page.locator(f"#{thread_id}")
    first.get_by_role("link", name=words["replies"]).click()
    expect(first.locator("li.comment")).to_have_count(20)  # the whole thread of 21
    expect(first.locator(".comment__more")).to_have_count(0)

    # ---- Replies: the reply arrives alone, read by the live region, focused ----
    count = page.locator("#comments-heading .count")
    before = int(count.get_attribute("data-count"))
    target = roots.nth(1)
    target_id = target.get_attribute("id")
    target.locator(":scope > article details.comment__reply > summary").click()
    target.locator(":scope > article textarea").fill(REPLY)
    target.locator(":scope > article").get_by_role("button", name=words["publish"]).click()
    reply = page.locator(f"li.comment--level-1[data-parent='{target_id[1:]}']", has_text=REPLY)
    expect(reply).to_have_count(1)
    expect(page.locator("#comment-announcer")).to_have_text(
        f"{reply.locator('.comment__author').inner_text().strip()}: {REPLY}"
    )
    assert page.evaluate("window.__samePage") == "yes"
    assert page.evaluate("document.activeElement.id") == reply.get_attribute("id")
    expect(count).to_have_attribute("data-count", str(before + 1))  # the heading counts it
    expect(count).to_have_text(str(before + 1))
    page.screenshot(path=str(screenshot_dir / f"debate-reply-in-place-{lang}.png"), full_page=False)

    # ---- A refused reply: the reason in the page's language, next to the form; text kept ----
    page.watch.allow(400, "/debates/")
    other = roots.nth(2)
    other.locator(":scope > article details.comment__reply > summary").click()
    box = other.locator(":scope > article textarea")
    box.fill("   ")  # only spaces: typed, but not a comment
    other.locator(":scope > article").get_by_role("button", name=words["publish"]).click()
    error = other.locator(":scope > article [data-post-error] [role=alert]")
    expect(error).to_contain_text(words["refused"])
    assert box.input_value() == "   "
    assert page.evaluate("window.__samePage") == "yes"
    expect(page.locator("#comment-announcer")).not_to_contain_text(words["refused"])


def test_a_bare_anchor_to_a_far_comment_still_lands_on_it(journey_context, long_debate):
    """Links written before the windows (#c123 alone: older e-mails, notifications
    stored with it) land on the comment: the script asks for the window that holds it."""
    from django_comments_xtd.models import XtdComment

    far = XtdComment.objects.filter(object_pk__isnull=False).order_by("-submit_date", "-pk")
    far = far.exclude(level=0).first()  # the newest reply: past the first window
    page = journey_context(locale="ca-ES")
    page.goto(f"{long_debate}{DEBATE}#c{far.pk}")
    page.wait_for_url(f"**?comment={far.pk}#c{far.pk}")
    expect(page.locator(f"#c{far.pk}")).to_be_visible()
