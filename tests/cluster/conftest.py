"""A real two-node cluster for the tests here: a fresh database in the PostgreSQL that
DATABASE_URL points at (scripts/with_postgres.sh makes one), Redis, two gunicorn nodes
with production settings and HAProxy (deploy/cluster.py). `make test-cluster` runs
them; elsewhere (SQLite, no haproxy) they are skipped."""

from __future__ import annotations

import os
import re
import secrets
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from deploy import cluster as nodes

PASSWORD = "pw-for-tests"  # tests.debates.factories.PASSWORD

FIXTURES = """
from django.contrib.auth import get_user_model
from concertem.dataportal.demo_content import portal_pages_load
from concertem.home.demo_content import home_tree_ensure
from tests.debates.factories import OfficialFactory, UserFactory, make_debate, make_space
homes = home_tree_ensure()
space = make_space(homes["ca"], slug="cluster-space")
debate = make_debate(space, slug="cluster-debate")
OfficialFactory(user=UserFactory(username="vic"), entity_code="08298")
editor = UserFactory(username="editor", is_staff=True, is_superuser=True)
profiles = portal_pages_load(homes)["profiles"]["ca"]
print("DEBATE", debate.pk, debate.url, "HOME", homes["ca"].pk, "PROFILES", profiles.url)
"""


def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


def requirements_missing() -> str:
    if not postgres_url():
        return "needs PostgreSQL (make test-cluster runs it in a throwaway one)"
    for program in ("haproxy", "redis-server"):
        if not (shutil.which(program) or Path(f"/usr/sbin/{program}").exists()):
            return f"{program} is not installed (scripts/system_deps.sh)"
    return ""


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    missing = requirements_missing()
    if missing:
        pytest.skip(missing)
    import psycopg

    base = postgres_url()
    name = f"cluster_{secrets.token_hex(4)}"
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    database_url = re.sub(r"/[^/?]*(\?|$)", f"/{name}\\1", base.split("://", 1)[1], count=1)
    database_url = base.split("://", 1)[0] + "://" + database_url
    folder = tmp_path_factory.mktemp("cluster")
    env = nodes.environment(folder, database_url, PYTHONPATH=str(nodes.REPO))
    running = None
    try:
        nodes.manage(env, "migrate", "--no-input", "-v", "0")
        nodes.manage(env, "collectstatic", "--no-input", "-v", "0")
        out = nodes.manage(env, "shell", "-c", FIXTURES).split()
        debate_id, debate_url = int(out[out.index("DEBATE") + 1]), out[out.index("DEBATE") + 2]
        home_id = int(out[out.index("HOME") + 1])
        profiles_url = out[out.index("PROFILES") + 1]
        running = nodes.Cluster(folder=folder, env=env)
        nodes.redis_start(running)
        nodes.nodes_start(running)
        nodes.worker_start(running)
        nodes.balancer_start(running)
        running.debate_id, running.debate_url, running.home_id = debate_id, debate_url, home_id
        running.profiles_url = profiles_url
        workers_warm(running, ["/ca/", debate_url, "/ca/accounts/login/", f"{profiles_url}08298/"])
        yield running
    finally:
        if running is not None:
            running.stop()
        with psycopg.connect(base, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def workers_warm(running, paths: list[str]) -> None:
    """Render each page once in every worker of every node (distinct queries: misses), so
    the timings measure what a write costs, not a worker's first template compilation."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    urls = [
        f"{node}{path}?warm={number}"
        for node in running.node_urls
        for path in paths
        for number in range(6)
    ]
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda url: requests.get(url, timeout=120).status_code, urls))


class FormFields(HTMLParser):
    """The fields of the first form whose action contains ``action`` (``""``: the first
    form posting to its own page; ``"#name"``: the form with that id)."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.found, self.fields = action, False, False, {}

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        target = attributes.get("action") or ""
        if self.action.startswith("#"):
            wanted = attributes.get("id") == self.action[1:]
        else:
            wanted = self.action in target if self.action else not target
        if tag == "form" and not self.found and wanted:
            self.inside = self.found = True
        elif tag == "input" and self.inside and attributes.get("name"):
            if attributes.get("type") in ("checkbox", "radio") and "checked" not in attributes:
                return
            self.fields[attributes["name"]] = attributes.get("value") or ""

    def handle_endtag(self, tag) -> None:
        if tag == "form":
            self.inside = False


def form_fields(html: str, action: str) -> dict[str, str]:
    parser = FormFields(action)
    parser.feed(html)
    assert parser.found, f"no form posting to {action}"
    return parser.fields


def browser_session():
    """A requests session that sends back the production settings' Secure cookies over
    the loopback's plain HTTP, as browsers do for 127.0.0.1 (a trustworthy origin)."""
    import requests

    class Session(requests.Session):
        def send(self, request, **kwargs):
            response = super().send(request, **kwargs)
            for cookie in self.cookies:
                cookie.secure = False
            return response

        def request(self, *args, **kwargs):
            for cookie in self.cookies:
                cookie.secure = False
            return super().request(*args, **kwargs)

    return Session()


def login(session, base_url: str, username: str) -> None:
    page = session.get(f"{base_url}/ca/accounts/login/")
    assert page.status_code == 200
    fields = form_fields(page.text, "")
    fields.update(username=username, password=PASSWORD)
    answer = session.post(f"{base_url}/ca/accounts/login/", data=fields, allow_redirects=False)
    assert answer.status_code == 302, answer.text[:500]
