"""The debate page reads a fixed number of queries, whatever the number of comments."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_comments.models import CommentFlag
from django_comments_xtd.models import LIKEDIT_FLAG, XtdComment

from debates.demo_content import comments_bulk_create
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
    assert comments_bulk_create(debate=large, officials=officials, count=1000) == 1000
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
    # The large page shows 20 whole threads (depth 3) and a pager, not 1,000 comments.
    assert html.count('class="comment comment--level-0') == 20
    assert 'class="comment comment--level-3' in html
    assert 'rel="next"' in html
    # Warm: the same page again costs fewer queries for an anonymous reader (the threads
    # come from the cache, and none of the comment tables is read).
    warm_count, warm_html = _queries(client, large.url, cold=False)
    if viewer == "anonymous":
        assert warm_count <= large_count - 3, (warm_count, large_count)
        assert warm_html.split('id="comments"')[1] == html.split('id="comments"')[1]


def test_every_page_of_threads_is_reachable(client, space):
    officials = _officials()
    debate = make_debate(space, slug="paged")
    comments_bulk_create(debate=debate, officials=officials, count=1000)
    roots = XtdComment.objects.filter(level=0).count()
    seen = 0
    for page in range(1, roots // 20 + 2):
        html = client.get(f"{debate.url}?page={page}").content.decode()
        seen += html.count('class="comment comment--level-0')
    assert seen == roots
    assert client.get(f"{debate.url}?page=abc").status_code == 200
    assert client.get(f"{debate.url}?page=9999").status_code == 200
