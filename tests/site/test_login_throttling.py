"""Every login form is throttled (django-axes): after the limit, even the right password is
refused with a lockout page in the language of the login the person used; no Basic auth."""

from __future__ import annotations

import base64

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-42"
LOGINS = {
    "public": "/ca/accounts/login/",
    "wagtail-admin": "/admin/login/",
}
# Django's own admin is not mounted (config/urls.py): no third login form to throttle.
LOCKED_TEXT = {
    "ca": "Massa intents",
    "es": "Demasiados intentos",
    "en": "Too many login attempts",
}


@pytest.fixture
def editor(db):
    return User.objects.create_user("editor1", password=PASSWORD, is_staff=True, is_superuser=True)


def attempt(client: Client, url: str, password: str, address: str = "10.9.9.9"):
    return client.post(url, {"username": "editor1", "password": password}, REMOTE_ADDR=address)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("path", LOGINS.values(), ids=LOGINS.keys())
def test_thirty_wrong_passwords_then_the_right_one_is_refused(editor, path):
    client = Client()
    statuses = [attempt(client, path, f"wrong-{index}").status_code for index in range(30)]
    assert statuses[0] == 200  # the form again, with its error
    assert statuses[-1] == 429
    right = attempt(client, path, PASSWORD)
    assert right.status_code == 429
    assert not logged_in(client)
    assert right["Retry-After"] and "private" in right["Cache-Control"]
    # Another address is not locked out: a real person elsewhere can still log in.
    other = Client()
    assert attempt(other, path, PASSWORD, address="10.9.9.10").status_code == 302
    assert logged_in(other)


@pytest.mark.parametrize("language", ["ca", "es", "en"])
def test_the_lockout_page_speaks_the_language_of_the_login(editor, language):
    client = Client()
    url = f"/{language}/accounts/login/"
    for index in range(12):
        response = attempt(client, url, f"wrong-{index}")
    assert response.status_code == 429
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert LOCKED_TEXT[language] in html
    others = set(LOCKED_TEXT.values()) - {LOCKED_TEXT[language]}
    assert not any(text in html for text in others)


def test_a_success_before_the_limit_resets_the_count(editor):
    client = Client()
    for index in range(5):
        attempt(client, LOGINS["public"], f"wrong-{index}")
    assert attempt(client, LOGINS["public"], PASSWORD).status_code == 302


def test_basic_auth_is_not_a_way_in(editor):
    """The comment API answers as for an anonymous visitor, whatever password is sent."""
    from rest_framework.settings import api_settings

    names = [cls.__name__ for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    assert names == ["SessionAuthentication"]
    token = base64.b64encode(f"editor1:{PASSWORD}".encode()).decode()
    # The only REST endpoints mounted are Wagtail's read-only API: a Basic header there is
    # ignored (the answer is the anonymous one), and no 401 invites a browser to send one.
    anonymous = Client().get("/api/v2/pages/")
    response = Client().get("/api/v2/pages/", HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 200
    assert response.json() == anonymous.json()
    assert "WWW-Authenticate" not in response or "Basic" not in response["WWW-Authenticate"]
