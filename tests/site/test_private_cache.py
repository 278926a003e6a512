"""`Cache-Control: private` on every response that depends on who asks (and only those)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client, RequestFactory

from concertem.config.middleware import PrivateCacheMiddleware

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def run(request, response: HttpResponse) -> HttpResponse:
    return PrivateCacheMiddleware(lambda _request: response)(request)


def test_a_response_that_varies_on_the_cookie_becomes_private():
    response = HttpResponse("hi")
    response["Cache-Control"] = "public, max-age=60, s-maxage=600"
    response["Vary"] = "Accept-Language, Cookie"
    result = run(RequestFactory().get("/ca/"), response)
    assert directives(result) == {"private", "max-age=60"}


def test_a_request_with_a_session_gets_a_private_answer():
    request = RequestFactory().get("/data/", HTTP_COOKIE="sessionid=abc")
    assert "private" in directives(run(request, HttpResponse("x")))


def test_an_anonymous_response_that_depends_on_nobody_is_left_alone():
    response = HttpResponse("x")
    response["Cache-Control"] = "public, max-age=300"
    result = run(RequestFactory().get("/data/catalog.csv"), response)
    assert directives(result) == {"public", "max-age=300"}


def test_no_store_is_kept_as_it_is():
    response = HttpResponse("x")
    response["Cache-Control"] = "private, no-store"
    response["Vary"] = "Cookie"
    assert directives(run(RequestFactory().get("/"), response)) == {"private", "no-store"}
    alone = HttpResponse("x")
    alone["Cache-Control"] = "no-store"
    alone["Vary"] = "Cookie"
    assert directives(run(RequestFactory().get("/"), alone)) == {"no-store"}


def test_pages_seen_logged_in_are_private_and_health_is_not(demo_site):
    User.objects.create_user("someone", password="a-long-password-1")
    client = Client()
    client.login(username="someone", password="a-long-password-1")
    for url in ("/ca/", "/ca/search/?q=aigua", "/healthz"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "private" in directives(response), url
        assert "public" not in directives(response), url
    assert "private" not in directives(Client().get("/healthz"))
    # The login form carries a CSRF token for this visitor: private even when anonymous.
    assert "private" in directives(Client().get("/ca/accounts/login/"))


def test_a_public_data_file_fetched_from_a_page_stays_public(demo_site):
    """An anonymous map fetching the boundaries from a Catalan page: the locale middleware
    reads the Referer's language but must not load the session, or the file would vary
    on the cookie and lose its shared caching."""
    response = Client().get(
        "/data/boundaries-08.geojson", HTTP_REFERER="http://testserver/ca/repartiment/"
    )
    assert response.status_code == 200
    assert "public" in directives(response)
    assert "private" not in directives(response)
    assert "cookie" not in response.get("Vary", "").lower()
