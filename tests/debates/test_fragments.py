"""Windows of threads and the fragments behind "Show more" and posting in place
(debates/threads.py, debates/fragments.py): window boundaries, the fragment endpoint
(status, content, access), links that land on any comment, and the no-JS fallbacks."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from debates.demo_content import comments_bulk_create
from debates.threads import REPLIES_PER_WINDOW, REPLIES_SHOWN, THREADS_PER_WINDOW
from tests.debates.factories import make_comment, make_debate

pytestmark = pytest.mark.django_db

FRAGMENT = {"HTTP_X_DEBATE_FRAGMENT": "1"}


def _ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li class="comment [^"]*" id="c(\d+)"', html)]


def _roots(debate) -> list[int]:
    return list(
        XtdComment.objects.filter(object_pk=str(debate.pk), level=0)
        .order_by("submit_date", "pk")
        .values_list("pk", flat=True)
    )


def _thread(root: int) -> list[int]:
    return list(
        XtdComment.objects.filter(thread_id=root).order_by("order").values_list("pk", flat=True)
    )


@pytest.fixture
def big(space, people):
    debate = make_debate(space, slug="big")
    comments_bulk_create(debate=debate, officials=[people.invited, people.other], count=400)
    return debate


def _fragment_url(debate, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('debates:comments', args=[debate.pk])}?{query}"


def test_first_window_boundaries(client, big):
    """The first THREADS_PER_WINDOW threads in date order, each with its first replies
    in reading order, the count of the rest, and the debate's total from one count."""
    html = client.get(big.url).content.decode()
    roots = _roots(big)
    expected = []
    for root in roots[:THREADS_PER_WINDOW]:
        expected += _thread(root)[: 1 + REPLIES_SHOWN]
    assert _ids(html) == expected
    assert f'href="?after={roots[THREADS_PER_WINDOW - 1]}#comments"' in html
    assert f"Mostra {21 - 1 - REPLIES_SHOWN} respostes més" in html
    assert '<span class="count" data-count="400">400</span>' in html
    assert "Torna als primers comentaris" not in html  # this is the first window


def test_the_count_has_the_language_thousands_separator(client, space, people):
    """1.200 is one thousand two hundred in Catalan (not 1.2); the script counts from
    data-count, never from the shown text."""
    debate = make_debate(space, slug="large")
    comments_bulk_create(debate=debate, officials=[people.invited], count=1200)
    html = client.get(debate.url).content.decode()
    assert '<span class="count" data-count="1200">1.200</span>' in html


def test_thread_window_fragment_continues_by_keyset(client, big):
    roots = _roots(big)
    response = client.get(_fragment_url(big, after=roots[THREADS_PER_WINDOW - 1]), **FRAGMENT)
    assert response.status_code == 200
    assert response["X-Debate-Fragment"] == "1"
    html = response.content.decode()
    assert "<html" not in html  # a fragment, not a page
    shown_roots = [pk for pk in _ids(html) if pk in roots]
    assert shown_roots == roots[THREADS_PER_WINDOW : 2 * THREADS_PER_WINDOW]
    assert "data-more-threads" in html
    last = client.get(_fragment_url(big, after=roots[-2])).content.decode()
    assert [pk for pk in _ids(last) if pk in roots] == roots[-1:]
    assert "data-more-threads" not in last  # the end


def test_replies_fragment_hangs_each_subtree_from_a_shown_comment(client, big):
    root = _roots(big)[0]
    thread = _thread(root)
    html = client.get(
        _fragment_url(big, thread=root, **{"from": 1 + REPLIES_SHOWN})
    ).content.decode()
    got = _ids(html)
    assert got == thread[1 + REPLIES_SHOWN : 1 + REPLIES_SHOWN + REPLIES_PER_WINDOW]
    parents = {
        int(p) for p in re.findall(r'<ol data-fragment-subtrees><li [^>]*data-parent="(\d+)"', html)
    }
    assert parents <= set(thread[: 1 + REPLIES_SHOWN])  # on the page already
    assert "data-more-replies" not in html  # 21 comments: all shown now


def test_no_js_more_replies_link_renders_a_full_page(client, big):
    root = _roots(big)[0]
    page = client.get(big.url).content.decode()
    href = re.search(rf'href="(\?thread={root}&amp;upto=\d+)#c{root}"', page).group(1)
    full = client.get(big.url + href.replace("&amp;", "&"))
    assert full.status_code == 200
    html = full.content.decode()
    assert "<html" in html
    assert set(_thread(root)) <= set(_ids(html))  # the whole thread (21 < upto)
    assert "Torna als primers comentaris" in html


def test_a_link_to_any_comment_renders_the_window_that_holds_it(client, big):
    """Links from e-mails and the inbox carry ?comment=; the comment is on the page,
    however far down the debate and its thread it is."""
    root = _roots(big)[-1]
    deep = _thread(root)[-1]
    html = client.get(f"{big.url}?comment={deep}").content.decode()
    assert f'id="c{deep}"' in html
    assert _ids(html)[0] == root


@pytest.mark.parametrize(
    "query",
    [
        "after=abc",
        "after=-1",
        "after=0",
        "thread=1x",
        "thread=5&from=",
        "thread=5&from=a",
        "after=" + "9" * 40,
        "comment=%00",
    ],
)
def test_malformed_parameters_are_400_never_500(client, big, query):
    if not query.startswith("comment="):  # the page's parameter; fragments ignore it
        assert (
            client.get(f"{reverse('debates:comments', args=[big.pk])}?{query}").status_code == 400
        )
    if not query.startswith("thread=5&from"):
        assert client.get(f"{big.url}?{query}").status_code == 400


def _final(client, url):
    """The status at the end: a 404 outside the language prefix is first redirected into
    it by the site's LocaleMiddleware (as for every /debates/ route), then is a 404."""
    return client.get(url, follow=True)


def test_ids_of_another_debate_are_404(client, big, space, people):
    other = make_debate(space, slug="other")
    foreign = make_comment(other, people.invited, text="Elsewhere")
    assert _final(client, _fragment_url(big, after=foreign.pk)).status_code == 404
    assert _final(client, _fragment_url(big, thread=foreign.pk, **{"from": 0})).status_code == 404
    assert _final(client, f"{big.url}?comment={foreign.pk}").status_code == 404
    assert _final(client, _fragment_url(big, after=10**11)).status_code == 404
    assert _final(client, reverse("debates:comments", args=[10**9])).status_code == 404


def test_fragments_follow_the_page_access_rules(client, restricted_space, people):
    """Same answer as the page: a restricted space sends anonymous readers to log in and
    refuses outsiders (403 with the reason); invited officials read; POST is refused."""
    debate = make_debate(restricted_space, slug="closed-doors")
    make_comment(debate, people.invited, text="Inside the room")
    url = reverse("debates:comments", args=[debate.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(people.other.user)  # an entity not invited
    refused = client.get(url)
    assert refused.status_code == 403 and 'role="alert"' in refused.content.decode()
    assert "Inside the room" not in refused.content.decode()
    client.force_login(people.invited.user)
    allowed = client.get(url)
    assert allowed.status_code == 200 and "Inside the room" in allowed.content.decode()
    assert client.post(url).status_code == 405
    draft = make_debate(restricted_space, slug="draft")
    draft.unpublish()
    assert _final(client, reverse("debates:comments", args=[draft.pk])).status_code == 404


def _post(client, debate, text, *, parent=None, fragment=True):
    from debates.forms import DebateCommentForm
    from debates.rules import debate_canonical

    form = DebateCommentForm(debate_canonical(debate))
    data = {name: form[name].value() for name in DebateCommentForm.SECURITY_FIELDS}
    data.update({"comment": text, "next": debate.url, "followup": "on"})
    if parent:
        data["parent"] = str(parent)
    headers = FRAGMENT if fragment else {}
    return client.post(reverse("debates:comment-post", args=[debate.pk]), data, **headers)


def test_a_reply_posted_in_place_comes_back_alone(client, debate, people):
    first = make_comment(debate, people.other, text="The first view")
    client.force_login(people.invited.user)
    response = _post(client, debate, "My **answer**", parent=first.pk)
    assert response.status_code == 201
    html = response.content.decode()
    reply = XtdComment.objects.get(parent_id=first.pk, level=1)
    assert _ids(html) == [reply.pk]  # the new comment, not the thread
    assert f'data-parent="{first.pk}"' in html and "<strong>answer</strong>" in html
    assert "The first view" not in html
    assert "Your comment has been published." not in client.get(debate.url).content.decode()


def test_refusals_come_back_in_the_page_language_next_to_the_form(client, space, people):
    debate = make_debate(space, slug="lang")
    spanish = debate.copy_for_translation(_locale("es"), copy_parents=True)
    spanish.save_revision().publish()
    client.force_login(people.unverified.user)
    refused = _post(client, spanish, "Hola")
    assert refused.status_code == 403
    assert refused["X-Debate-Fragment"] == "1"
    assert (
        "Tu comentario no se ha publicado." in refused.content.decode()
        or "no se ha publicado" in refused.content.decode()
    )
    client.force_login(people.invited.user)
    empty = _post(client, debate, "   ")
    assert empty.status_code == 400 and 'role="alert"' in empty.content.decode()
    assert "<html" not in empty.content.decode()


def test_rate_limit_refusal_is_a_fragment(client, debate, people, settings):
    settings.DEBATES_COMMENT_RATE_LIMIT = (1, 60)
    client.force_login(people.invited.user)
    assert _post(client, debate, "One").status_code == 201
    limited = _post(client, debate, "Two")
    assert limited.status_code == 429 and limited["X-Debate-Fragment"] == "1"


def test_without_javascript_a_post_still_redirects_to_the_comment(client, debate, people):
    client.force_login(people.invited.user)
    response = _post(client, debate, "Plain form post", fragment=False)
    assert response.status_code == 302
    comment = XtdComment.objects.get(comment="Plain form post")
    assert response["Location"].endswith(f"?comment={comment.pk}#c{comment.pk}")
    assert "Plain form post" in client.get(response["Location"]).content.decode()


def _locale(code):
    from wagtail.models import Locale

    return Locale.objects.get_or_create(language_code=code)[0]
