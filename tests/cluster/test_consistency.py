"""Two nodes, one balancer, caches on: what is written through one node is read through
the other within a second, and anonymous pages served from the page cache follow."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
import requests

from deploy import cluster as nodes
from tests.cluster.conftest import browser_session, form_fields, login

pytestmark = pytest.mark.cluster

WITHIN_SECONDS = 1.0


def anonymous(url: str) -> requests.Response:
    return requests.get(url, timeout=30)  # a new visitor each time: no cookies


def seen_within(url: str, text: str, seconds: float = WITHIN_SECONDS) -> float:
    """Seconds until an anonymous reader of ``url`` sees ``text`` (fails past ``seconds``)."""
    started = time.monotonic()
    while True:
        response = anonymous(url)
        assert response.status_code == 200
        if text in response.text:
            elapsed = time.monotonic() - started
            assert elapsed <= seconds, f"{text!r} on {url} only after {elapsed:.2f} s"
            return elapsed
        if time.monotonic() - started > seconds:
            pytest.fail(f"{text!r} not on {url} after {seconds} s")
        time.sleep(0.05)


def cached(url: str) -> requests.Response:
    """Read until the page cache answers (a second read normally): the page is cached."""
    for _attempt in range(4):
        response = anonymous(url)
        if response.headers.get("X-Page-Cache") == "hit":
            return response
    pytest.fail(f"{url} never served from the page cache: {dict(response.headers)}")


def test_the_balancer_spreads_requests_over_both_nodes(cluster):
    served = {anonymous(f"{cluster.balancer_url}/ca/").headers["X-Served-By"] for _ in range(6)}
    assert served == {"node1", "node2"}


def test_a_comment_through_node_a_is_read_through_node_b(cluster):
    node_a, node_b = cluster.node_urls
    page_b = f"{node_b}{cluster.debate_url}"
    assert "Contribution through node A" not in cached(page_b).text
    official = browser_session()
    login(official, node_a, "vic")
    page = official.get(f"{node_a}{cluster.debate_url}")
    action = f"/debates/{cluster.debate_id}/comment/"
    fields = form_fields(page.text, action)
    fields["comment"] = "Contribution through node A"
    sent = official.post(f"{node_a}{action}", data=fields, allow_redirects=False)
    assert sent.status_code in (200, 302), sent.text[:500]
    elapsed = seen_within(page_b, "Contribution through node A")
    print(f"comment: node A -> node B in {elapsed:.3f} s")
    # And through the balancer, whichever node answers.
    seen_within(f"{cluster.balancer_url}{cluster.debate_url}", "Contribution through node A")


def _draft_save(cluster, hero_title: str) -> None:
    """An editor's saved draft (not yet public): a new revision, the page unchanged."""
    script = (
        "from concertem.home.models import HomePage\n"
        f"page = HomePage.objects.get(pk={cluster.home_id})\n"
        f"page.hero_title = {hero_title!r}\n"
        "page.save_revision()\n"
    )
    subprocess.run(
        [sys.executable, str(nodes.MANAGE), "shell", "-c", script],
        cwd=nodes.REPO,
        env=cluster.env,
        check=True,
        capture_output=True,
    )


def test_a_page_published_in_the_admin_of_node_a_is_read_through_node_b(cluster):
    node_a, node_b = cluster.node_urls
    _draft_save(cluster, "Published through the admin of node A")
    assert "Published through the admin of node A" not in cached(f"{node_b}/ca/").text
    editor = browser_session()
    login(editor, node_a, "editor")
    action = f"/admin/bulk/wagtailcore/page/publish/?id={cluster.home_id}"
    confirm = editor.get(f"{node_a}{action}")
    assert confirm.status_code == 200
    fields = form_fields(confirm.text, "/admin/bulk/wagtailcore/page/publish/")
    sent = editor.post(f"{node_a}{action}", data=fields, allow_redirects=False)
    assert sent.status_code == 302, sent.text[:500]
    elapsed = seen_within(f"{node_b}/ca/", "Published through the admin of node A")
    print(f"admin publish: node A -> node B in {elapsed:.3f} s")


def test_a_data_change_through_node_b_is_read_through_node_a(cluster):
    """The import path: the data bank's writer calls ``page_cache_invalidate`` after it
    writes. Here node B's admin publishes a page of data (a debate's new question, as an
    editor publishing an import's summary would), read through node A's cache."""
    node_a, node_b = cluster.node_urls
    page_a = f"{node_a}{cluster.debate_url}"
    cached(page_a)
    script = (
        "from debates.models import DebatePage\n"
        f"page = DebatePage.objects.get(pk={cluster.debate_id})\n"
        "page.question = 'A question written through node B'\n"
        "page.save_revision()\n"
    )
    subprocess.run(
        [sys.executable, str(nodes.MANAGE), "shell", "-c", script],
        cwd=nodes.REPO,
        env=cluster.env,
        check=True,
        capture_output=True,
    )
    editor = browser_session()
    login(editor, node_b, "editor")
    action = f"/admin/bulk/wagtailcore/page/publish/?id={cluster.debate_id}"
    fields = form_fields(
        editor.get(f"{node_b}{action}").text, "/admin/bulk/wagtailcore/page/publish/"
    )
    assert editor.post(f"{node_b}{action}", data=fields, allow_redirects=False).status_code == 302
    elapsed = seen_within(page_a, "A question written through node B")
    print(f"data change: node B -> node A in {elapsed:.3f} s")


def test_the_import_hook_through_node_b_reaches_node_a(cluster):
    """``page_cache_invalidate`` run with node B's settings (the import's call) makes
    node A render its pages again."""
    node_a, _node_b = cluster.node_urls
    cached(f"{node_a}/ca/")
    nodes.manage(cluster.env, "page_cache_invalidate")
    assert anonymous(f"{node_a}/ca/").headers.get("X-Page-Cache") == "miss"
