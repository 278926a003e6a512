"""The debate page reads a fixed number of queries, whatever the number of comments, and
renders a bounded window of them (debates/threads.py)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_comments.models import CommentFlag
from django_comments_xtd.models import LIKEDIT_FLAG, XtdComment

from debates.demo_content import comments_bulk_create
from debates.threads import REPLIES_SHOWN, THREADS_PER_WINDOW
from tests.debates.factories import OfficialFactory, UserFactory, make_debate

pytestmark = pytest.mark.django_db


def _officials():
    return [
        OfficialFactory(user=UserFactory(username=f"o{code}"), entity_code=code)
        for code in ("08298", "08279", "08113", "08055")
    ]


def _queries(client, url, *, cold: bool = True) -> tuple[int, str]:
    """Queries of one request; cold: with no cached threads (anonymous readers get them
    from the cache when the comments have not changed: debates/threads_cache.py)."""
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("viewer", ["anonymous", "official", "moderator"])
def test_query_count_does_not_grow_with_comments(client, space, people, viewer):
    officials = _officials()
    small = make_debate(space, slug="small")
    large = make_debate(space, slug="large")
    assert comments_bulk_create(debate=small, officials=officials, count=10) == 10
    assert comments_bulk_create(debate=large, officials=officials, count=200) == 200
    for comment in XtdComment.objects.filter(level=1)[:50]:
        CommentFlag.objects.create(comment=comment, user=people.invited.user, flag=LIKEDIT_FLAG)
    if viewer == "official":
        client.force_login(people.invited.user)
    elif viewer == "moderator":
        client.force_login(people.moderator)
    client.get(small.url)  # warm the caches shared by both (content types, site, data)
    small_count, _html = _queries(client, small.url)
    large_count, html = _queries(client, large.url)
    assert large_count == small_count, (small_count, large_count)
    # The large page shows a window: the first threads, each with its first replies, and
    # links to the rest; not 200 comments.
    assert html.count('class="comment comment--level-0') == THREADS_PER_WINDOW
    assert html.count('class="comment comment--') == THREADS_PER_WINDOW * (1 + REPLIES_SHOWN)
    assert 'rel="next"' in html and "data-more-threads" in html
    assert html.count("data-more-replies=") == THREADS_PER_WINDOW
    # Warm: the same page again costs fewer queries for an anonymous reader (the threads
    # come from the cache, and none of the comment tables is read).
    warm_count, warm_html = _queries(client, large.url, cold=False)
    if viewer == "anonymous":
        assert warm_count <= large_count - 3, (warm_count, large_count)
        assert warm_html.split('id="comments"')[1] == html.split('id="comments"')[1]


def test_every_thread_is_reachable_through_the_more_links(client, space):
    """Following "Show more comments" from the first window reaches every thread once,
    in order, by keyset (?after=<root>), as a reader without JavaScript would."""
    officials = _officials()
    debate = make_debate(space, slug="paged")
    comments_bulk_create(debate=debate, officials=officials, count=400)
    roots = list(
        XtdComment.objects.filter(level=0)
        .order_by("submit_date", "pk")
        .values_list("pk", flat=True)
    )
    seen: list[int] = []
    url = debate.url
    while url:
        html = client.get(url).content.decode()
        seen += [
            int(pk) for pk in re.findall(r'class="comment comment--level-0[^"]*" id="c(\d+)"', html)
        ]
        after = re.search(r'href="\?after=(\d+)#comments"', html)
        url = f"{debate.url}?after={after.group(1)}" if after else None
    assert seen == roots
    assert client.get(f"{debate.url}?page=abc").status_code == 200  # the old pager's
    assert client.get(f"{debate.url}?page=9999").status_code == 200


def test_the_window_is_the_same_size_at_any_size(client, space):
    """10 comments: one thread, shown with its first replies and "Show 7 more replies"."""
    debate = make_debate(space, slug="ten")
    comments_bulk_create(debate=debate, officials=_officials(), count=10)
    html = client.get(debate.url).content.decode()
    assert html.count('class="comment comment--') == 1 + REPLIES_SHOWN
    assert f"Mostra {10 - 1 - REPLIES_SHOWN} respostes més" in html
