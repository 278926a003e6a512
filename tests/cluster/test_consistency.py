"""Two nodes, one balancer, caches on: what is written through one node is read through
the other within a second, and anonymous pages served from the page cache follow."""

from __future__ import annotations

import re
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


def seen_within(url: str, text: str, label: str, seconds: float = WITHIN_SECONDS) -> float:
    """Seconds until an anonymous reader of ``url`` sees ``text`` (fails past ``seconds``),
    printed after ``label`` with the reads it took and the time the last one took to serve
    (the first render after a write: the page cache missed)."""
    started = time.monotonic()
    reads = 0
    while True:
        response = anonymous(url)
        reads += 1
        assert response.status_code == 200
        if text in response.text:
            elapsed = time.monotonic() - started
            served = response.elapsed.total_seconds()
            cache = response.headers.get("X-Page-Cache")
            print(f"{label} in {elapsed:.3f} s ({reads} read(s), {cache} served in {served:.3f} s)")
            assert elapsed <= seconds, f"{text!r} on {url} only after {elapsed:.2f} s"
            return elapsed
        if time.monotonic() - started > seconds:
            pytest.fail(f"{text!r} not on {url} after {seconds} s")
        time.sleep(0.05)


def cached(url: str) -> requests.Response:
    """Read ``url`` until the page cache answers: at once if it holds the page, else on the
    read after the one that stored it. Nothing else writes meanwhile, so a second miss is
    an invalidation by something that should not invalidate (a worker's task rows did)."""
    reads = []
    for _attempt in range(2):
        response = anonymous(url)
        reads.append(response.headers.get("X-Page-Cache"))
        if reads[-1] == "hit":
            return response
    pytest.fail(f"{url} not kept in the page cache: reads {reads}, {dict(response.headers)}")


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
    seen_within(page_b, "Contribution through node A", "comment: node A -> node B")
    # And through the balancer, whichever node answers.
    seen_within(
        f"{cluster.balancer_url}{cluster.debate_url}",
        "Contribution through node A",
        "comment: node A -> balancer",
    )


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


def test_a_background_task_leaves_the_cached_pages_cached(cluster):
    """A task enqueued and run by the worker writes only the task's own row: the pages
    stay in the page cache (every enqueue, claim and finish used to invalidate them all)."""
    import psycopg

    page = f"{cluster.node_urls[0]}/ca/"
    cached(page)
    enqueue = "from tests.cluster.probe_tasks import probe_noop\nprint(probe_noop.enqueue().id)"
    task_id = nodes.manage(cluster.env, "shell", "-c", enqueue).split()[-1]
    deadline = time.monotonic() + 30
    with psycopg.connect(cluster.env["DATABASE_URL"], autocommit=True) as connection:
        query = "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s"
        while connection.execute(query, (task_id,)).fetchone()[0] != "SUCCESSFUL":
            assert time.monotonic() < deadline, "the worker did not run the task"
            time.sleep(0.1)
    assert anonymous(page).headers.get("X-Page-Cache") == "hit"


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
    seen_within(
        f"{node_b}/ca/", "Published through the admin of node A", "admin publish: node A -> node B"
    )


# The profile's indicator table: Vic's Gini index of 2022, 30.3 in the reference data the
# migration loads, formatted as the Catalan page shows it.
PROFILE_CODE = "08298"
GINI_FIGURE = 'data-figure="territorial-indicators|indicator_values|gini,08298,2022,_T|value">{}<'
GINI_STORED, GINI_IMPORTED = "30,3", "41,7"
GINI_FILE = b"codi_municipi,any,valor_final\n08298,2022,41.7\n"


def _databank_upload(editor, node: str) -> str:
    """Upload ``GINI_FILE`` for the Gini index in ``node``'s admin; the import's path."""
    index = editor.get(f"{node}/admin/databank/")
    assert index.status_code == 200, index.text[:500]
    gini = re.search(r'<option value="(\d+)">gini ', index.text)
    assert gini, "the Gini index is not in the upload form's indicators"
    fields = form_fields(index.text, "#databank-upload")
    fields["indicator"] = gini.group(1)
    sent = editor.post(
        f"{node}/admin/databank/",
        data=fields,
        files={"file": ("gini-vic-2022.csv", GINI_FILE, "text/csv")},
        allow_redirects=False,
    )
    assert sent.status_code == 302, sent.text[:500]
    path = re.fullmatch(r".*(/admin/databank/imports/\d+/)", sent.headers["Location"])
    assert path, sent.headers["Location"]
    return path.group(1)


def test_an_import_through_the_admin_of_node_b_is_read_through_node_a(cluster):
    """The data bank's import flow, as an editor goes through it in node B's admin: upload,
    dry-run report, confirm. Node A had the profile in its page cache; its readers see the
    new figure. The undo, through node A's admin, is read through node B's cache."""
    node_a, node_b = cluster.node_urls
    page_a = f"{node_a}{cluster.profiles_url}{PROFILE_CODE}/"
    page_b = f"{node_b}{cluster.profiles_url}{PROFILE_CODE}/"
    for page in (page_a, page_b):
        shown = cached(page).text
        assert GINI_FIGURE.format(GINI_STORED) in shown
        assert GINI_FIGURE.format(GINI_IMPORTED) not in shown
    editor = browser_session()
    login(editor, node_b, "editor")
    record = _databank_upload(editor, node_b)
    report = editor.get(f"{node_b}{record}").text
    for counted in ('data-state="checked"', 'data-count="added">0<', 'data-count="replaced">1<'):
        assert counted in report, counted
    # The dry run stored nothing: node A still serves the page it had cached.
    still = anonymous(page_a)
    assert still.headers.get("X-Page-Cache") == "hit"
    assert GINI_FIGURE.format(GINI_STORED) in still.text
    confirm = form_fields(report, f"{record}confirm/")
    sent = editor.post(f"{node_b}{record}confirm/", data=confirm, allow_redirects=False)
    assert sent.status_code == 302, sent.text[:500]
    assert 'data-state="applied"' in editor.get(f"{node_b}{record}").text
    seen_within(page_a, GINI_FIGURE.format(GINI_IMPORTED), "import: node B -> node A")

    assert GINI_FIGURE.format(GINI_IMPORTED) in cached(page_b).text
    other = browser_session()
    login(other, node_a, "editor")
    detail = other.get(f"{node_a}{record}").text
    undo = form_fields(detail, f"{record}undo/")
    sent = other.post(f"{node_a}{record}undo/", data=undo, allow_redirects=False)
    assert sent.status_code == 302, sent.text[:500]
    assert 'data-state="undone"' in other.get(f"{node_a}{record}").text
    seen_within(page_b, GINI_FIGURE.format(GINI_STORED), "import undone: node A -> node B")
