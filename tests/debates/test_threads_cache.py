"""Anonymous readers get a debate's threads from the cache, and never stale ones: every
change a reader can see gives the debate a new comments version."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from debates import commenting, moderation, threads_cache
from debates.threads import id_param
from tests.debates.factories import make_comment, make_debate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _read(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _threads(html: str) -> str:
    """The comments section of a page (the rest carries per-request nonces)."""
    return html.split('id="comments"', 1)[1].split("</section>", 1)[0]


def _cached_keys() -> list[str]:
    return [key for key in cache._cache if threads_cache.KEY_PREFIX in key]  # LocMemCache


def test_a_second_anonymous_read_comes_from_the_cache(client, debate, people):
    make_comment(debate, people.invited, text="First **words**.")
    first = _read(client, debate.url)
    assert "<strong>words</strong>" in first
    assert len(_cached_keys()) == 1
    with CaptureQueriesContext(connection) as queries:
        second = _read(client, debate.url)
    assert _threads(second) == _threads(first)
    assert not any("django_comments" in query["sql"] for query in queries), [
        query["sql"] for query in queries if "django_comments" in query["sql"]
    ]


def test_every_visible_change_shows_at_once(client, debate, people):
    comment = commenting.comment_post(user=people.invited.user, debate=debate, text="Original text")
    assert "Original text" in _read(client, debate.url)

    commenting.comment_post(
        user=people.invited.user, debate=debate, text="Second thoughts", parent_id=comment.pk
    )
    assert "Second thoughts" in _read(client, debate.url)

    commenting.comment_edit(user=people.invited.user, comment=comment, text="Edited text")
    html = _read(client, debate.url)
    assert "Edited text" in html and "Original text" not in html

    commenting.comment_like(user=people.other.user, comment=comment)
    assert "chip--static" in _read(client, debate.url)  # "1 agrees", for readers

    moderation.comment_hide(moderator=people.moderator, comment=comment, reason="Off topic here")
    html = _read(client, debate.url)
    assert "Off topic here" in html and "Edited text" not in html

    moderation.comment_unhide(moderator=people.moderator, comment=comment)
    html = _read(client, debate.url)
    assert "Edited text" in html and "Off topic here" not in html


def test_a_report_does_not_throw_the_cache_away(client, debate, people):
    """Reports are for moderators' eyes: readers' cached threads stay valid."""
    comment = make_comment(debate, people.invited, text="Reported text")
    _read(client, debate.url)
    before = threads_cache.comments_version_get(debate.pk)
    commenting.comment_flag(user=people.other.user, comment=comment)
    assert threads_cache.comments_version_get(debate.pk) == before
    commenting.comment_like(user=people.other.user, comment=comment)
    assert threads_cache.comments_version_get(debate.pk) > before


def test_logged_in_people_always_get_live_threads(client, debate, people):
    make_comment(debate, people.other, text="Someone else's view")
    _read(client, debate.url)  # cached for anonymous readers
    client.force_login(people.invited.user)
    html = _read(client, debate.url)
    # Their own actions on the comment: a reply form, a reaction; never in cached HTML.
    assert "reply-form" in html and "data-reaction" in html
    client.logout()
    assert "reply-form" not in _read(client, debate.url)


def test_each_language_and_window_has_its_own_entry(client, space, people):
    from debates.demo_content import comments_bulk_create

    debate = make_debate(space, slug="long")
    comments_bulk_create(debate=debate, officials=[people.invited, people.other], count=500)
    first = _read(client, debate.url)
    after = re.search(r'href="\?after=(\d+)#comments"', first).group(1)
    second = _read(client, f"{debate.url}?after={after}")
    assert _threads(first) != _threads(second)
    ignored = _read(client, f"{debate.url}?page=abc")  # the old pager's parameter: page 1
    assert _threads(ignored) == _threads(first)
    assert len(_cached_keys()) == 2
    assert client.get(f"{debate.url}?after=abc").status_code == 400  # never a cache key


def test_versions_only_go_up(debate):
    first = threads_cache.comments_version_get(debate.pk)
    assert threads_cache.comments_version_get(debate.pk) == first
    threads_cache.comments_version_bump(debate.pk)
    second = threads_cache.comments_version_get(debate.pk)
    threads_cache.comments_version_bump(debate.pk)
    assert first < second < threads_cache.comments_version_get(debate.pk)


@pytest.mark.parametrize(("raw", "expected"), [(None, None), ("", None), ("3", 3), ("007", 7)])
def test_window_ids_in_keys_are_digits(raw, expected):
    query = QueryDict(mutable=True)
    if raw is not None:
        query["after"] = raw
    assert id_param(query, "after") == expected


@pytest.mark.parametrize("raw", ["0", "-2", "x", "9" * 13, "١٢", "3 ", "1e3"])
def test_window_ids_that_are_not_ids_are_refused(raw):
    query = QueryDict(mutable=True)
    query["after"] = raw
    with pytest.raises(BadRequest):
        id_param(query, "after")
