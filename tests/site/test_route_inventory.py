"""The route inventory cannot drift: every route the site answers has a row in
config/route_access.py (owner, who may use it, the test that proves it), every row is
a mounted route, and the rules the rows state hold over HTTP for every route at once.
"""

from __future__ import annotations

import ast
import sys
import types
from functools import cache
from pathlib import Path

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.test import Client
from django.urls import path, re_path

from concertem.config import route_access
from concertem.config.route_access import ROUTES, inventory_problems, routes_mounted
from tests.debates.factories import OfficialFactory, UserFactory, make_comment, make_debate

REPO_DIR = Path(__file__).resolve().parents[2]

# Routes whose pattern is a regular expression: a URL that matches each.
REGEX_SAMPLES = {
    r"documents/^(\d+)/(.*)$": "documents/1/x.pdf",
    r"{lang}/^((?:[\w\-]+/)*)$": "ca/",
    r"admin/^.*/$": "admin/nothing-here/",
    (
        r"admin/pages/^(?P<pk>\d+)/revisions/compare/"
        r"(?P<revision_id_a>live|earliest|\d+)\.\.\.(?P<revision_id_b>live|latest|\d+)/$"
    ): "admin/pages/{page}/revisions/compare/earliest...live/",
}
# Who may not use a route, per rule: these must be refused.
NEEDS_AN_ACCOUNT = {
    route_access.LOGGED_IN,
    route_access.VERIFIED_OFFICIAL,
    route_access.OFFICE_PARTY,
    route_access.EDITOR,
    route_access.MODERATOR,
}
STAFF_ONLY = {route_access.EDITOR, route_access.MODERATOR}


def test_every_mounted_route_has_a_row_and_every_row_is_mounted():
    problems = inventory_problems()
    assert not problems, "\n\n".join(problems)


def test_the_walk_sees_includes_i18n_patterns_and_routable_pages():
    patterns = {route.pattern for route in routes_mounted()}
    assert "debates/comment/<int:comment_id>/like/" in patterns  # through include()
    assert "{lang}/search/" in patterns  # inside i18n_patterns
    assert "admin/pages/<int:page_id>/edit/" in patterns  # Wagtail's admin, nested
    assert "{page:office.officepage}/requests/" in patterns  # a routable page's route


def test_media_is_served_by_django_only_under_debug():
    """The development server's media route is in the table, and production lacks it."""
    debug_only = {route.pattern for route in route_access.routes_mounted_in_debug()}
    assert debug_only == {r"^media/(?P<path>.*)$"}
    assert not debug_only & {route.pattern for route in routes_mounted()}


@pytest.fixture
def side_door_urlconf(settings):
    """The site's URLs plus two routes nobody decided about, one of them translated."""
    from concertem.config import urls as site_urls

    def side_door(request):
        return HttpResponse("open")

    module = types.ModuleType("tests_side_door_urls")
    module.urlpatterns = [
        path("side-door/<int:key>/", side_door),
        *site_urls.urlpatterns[:-1],
        *i18n_patterns(re_path(r"^back-door/(?P<key>[^/]+)/$", side_door)),
        site_urls.urlpatterns[-1],
    ]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    yield module
    del sys.modules[module.__name__]


def test_mounting_an_unlisted_route_fails_the_inventory(side_door_urlconf):
    problems = inventory_problems()
    assert len(problems) == 2, problems
    assert 'add:\n    ("side-door/<int:key>/", "django", "<who may use it:' in problems[0]
    assert '("{lang}/^back-door/(?P<key>[^/]+)/$"' in problems[1]
    assert all("tests/...py::test_that_proves_it" in problem for problem in problems)


def test_a_row_for_an_unmounted_route_fails_the_inventory(monkeypatch):
    stale = route_access.Route("comments/confirm/<key>/", "django", "anonymous", "x")
    monkeypatch.setitem(ROUTES, stale.pattern, stale)
    assert inventory_problems() == [f"row for a route no longer mounted; remove:\n{stale.as_row()}"]


@cache
def _test_functions(relative: str) -> frozenset[str]:
    tree = ast.parse((REPO_DIR / relative).read_text(encoding="utf-8"))
    return frozenset(node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef))


def test_every_row_names_a_known_owner_a_known_rule_and_an_existing_test():
    wrong = []
    for route in ROUTES.values():
        file, _, function = route.proof.partition("::")
        if route.owner not in route_access.OWNERS:
            wrong.append(f"{route.pattern}: unknown owner {route.owner!r}")
        if route.access not in route_access.ACCESS:
            wrong.append(f"{route.pattern}: unknown rule {route.access!r}")
        if not (REPO_DIR / file).is_file() or function not in _test_functions(file):
            wrong.append(f"{route.pattern}: no test {route.proof}")
    assert not wrong, "\n".join(wrong)


# ---- The rules, over HTTP, for every route at once ----


@pytest.fixture
def world(db):
    from concertem.home.demo_content import home_tree_ensure
    from tests.debates.factories import make_space

    homes = home_tree_ensure()
    debate = make_debate(make_space(homes["ca"], slug="inventory-space"), slug="inventory")
    official = OfficialFactory(user=UserFactory(username="inventory-official"))
    comment = make_comment(debate, official, "A comment.")
    return {"debate": debate, "official": official, "comment": comment}


def _sample_url(pattern: str, world: dict) -> str:
    ids = {
        "debate_id": world["debate"].pk,
        "page_id": world["debate"].pk,
        "comment_id": world["comment"].pk,
        "user_id": world["official"].user_id,
    }
    if pattern in REGEX_SAMPLES:
        return "/" + REGEX_SAMPLES[pattern].format(page=world["debate"].pk)
    url = pattern.replace("{lang}/", "ca/").replace("^", "")
    while "<" in url:
        start = url.index("<")
        end = url.index(">", start)
        converter, _, name = url[start + 1 : end].rpartition(":")
        value = str(ids.get(name, 1)) if converter == "int" else "x"
        url = url[:start] + value + url[end + 1 :]
    return "/" + url


def _resolver_routes(rules: set[str] | None = None) -> list[route_access.Route]:
    return [
        route
        for route in ROUTES.values()
        if not route.pattern.startswith("{page:") and (rules is None or route.access in rules)
    ]


def _refused(response) -> bool:
    if response.status_code == 302:
        return "login" in response["Location"]
    return response.status_code in (400, 401, 403, 404, 405)


def test_routes_for_staff_refuse_anonymous_and_officials(client, world):
    """Every route that needs an account refuses anonymous visitors (GET and POST), and
    every staff route (editor, moderator) refuses a verified official as well."""
    wrong = []
    official = Client()
    official.force_login(world["official"].user)
    for route in _resolver_routes(NEEDS_AN_ACCOUNT):
        url = _sample_url(route.pattern, world)
        callers = [("anonymous", client)]
        if route.access in STAFF_ONLY:
            callers.append(("official", official))
        for who, caller in callers:
            for method in ("get", "post"):
                response = getattr(caller, method)(url)
                if not _refused(response):
                    wrong.append(f"{method.upper()} {url} as {who}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_no_route_answers_a_server_error_to_anonymous(client, world):
    wrong = []
    for route in _resolver_routes():
        url = _sample_url(route.pattern, world)
        response = client.get(url)
        if response.status_code >= 500:
            wrong.append(f"GET {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
