"""The language a person reads in is kept through forms, redirects and errors
(config/language.py), and the error pages are the site's, translated."""

from __future__ import annotations

import re

import pytest
from django.test import Client, RequestFactory

from concertem.config.language import path_with_language

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


@pytest.fixture
def debates(demo_site):
    from debates.demo_content import demo_debates_load

    return demo_debates_load(demo_site)


@pytest.fixture
def official(client, debates):
    client.login(username="alcaldessa.vic", password="concertem-official")
    return client


def test_path_with_language_prefixes_only_pages():
    assert path_with_language("/", "ca") == "/ca/"
    assert path_with_language("/accounts/login/?next=/x/", "es") == "/es/accounts/login/?next=/x/"
    assert path_with_language("/en/programme/", "ca") == "/en/programme/"
    assert path_with_language("/debates/notifications/", "ca") == "/debates/notifications/"
    assert path_with_language("https://example.org/", "ca") == "https://example.org/"
    assert path_with_language("//example.org/", "ca") == "//example.org/"


def test_login_in_catalan_with_an_english_browser_stays_catalan(client, debates):
    page = client.get("/ca/accounts/login/", **ENGLISH_BROWSER)
    assert '<html lang="ca"' in page.content.decode()
    response = client.post(
        "/ca/accounts/login/",
        {"username": "alcaldessa.vic", "password": "concertem-official"},
        **ENGLISH_BROWSER,
    )
    assert response.status_code == 302
    assert response["Location"] == "/ca/"


def test_root_goes_to_the_language_last_read(client, demo_site):
    client.get("/es/", **ENGLISH_BROWSER)
    response = client.get("/", **ENGLISH_BROWSER)
    assert response["Location"] == "/es/"


@pytest.mark.parametrize(
    ("lang", "saved"),
    [("ca", "han desat les preferències"), ("es", "han guardado las preferencias")],
)
def test_notification_preferences_keep_the_language_of_the_page(official, lang, saved):
    referer = f"http://testserver/{lang}/"
    page = official.get("/email-preferences/", HTTP_REFERER=referer, **ENGLISH_BROWSER)
    assert f'<html lang="{lang}"' in page.content.decode()
    response = official.post(
        "/email-preferences/",
        {"frequency": "daily"},
        HTTP_REFERER="http://testserver/email-preferences/",
        follow=True,
        **ENGLISH_BROWSER,
    )
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    assert saved in html.lower()


def comment_form_fields(client, url: str) -> dict[str, str]:
    """The hidden fields of the comment form (xtd's security hash, timestamp, next)."""
    html = client.get(url).content.decode()
    form = html[
        html.index('id="comment-form"') : html.index("</form>", html.index('id="comment-form"'))
    ]
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))


def test_comment_post_answers_in_the_language_of_the_debate_page(official, debates):
    debate = debates["open"]
    fields = comment_form_fields(official, debate.url)
    response = official.post(
        f"/debates/{debate.pk}/comment/",
        {**fields, "comment": "Una aportació sobre el pes de la població, ben argumentada."},
        HTTP_REFERER=f"http://testserver{debate.url}",
        follow=True,
        **ENGLISH_BROWSER,
    )
    html = response.content.decode()
    assert response.redirect_chain[0][0].startswith("/ca/")
    assert '<html lang="ca"' in html
    assert "S&#x27;ha publicat" in html or "S'ha publicat" in html


def test_a_refusal_on_an_unprefixed_action_is_in_the_page_language(client, debates):
    debate = debates["open"]
    official = Client()
    official.login(username="alcaldessa.vic", password="concertem-official")
    response = client.post(
        f"/debates/{debate.pk}/comment/",
        {**comment_form_fields(official, debate.url), "comment": "Sense sessió, però llarg."},
        HTTP_REFERER=f"http://testserver{debate.url}",
        **ENGLISH_BROWSER,
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="ca"' in html
    assert "Log in as an official" not in html


def test_language_parameter_on_an_unprefixed_page(official):
    page = official.get("/email-preferences/?language=es", **ENGLISH_BROWSER)
    assert '<html lang="es"' in page.content.decode()
    again = official.get("/email-preferences/", **ENGLISH_BROWSER)
    assert '<html lang="es"' in again.content.decode()


def test_another_sites_referer_is_not_trusted(client, official):
    page = official.get(
        "/email-preferences/", HTTP_REFERER="https://evil.example/es/", **ENGLISH_BROWSER
    )
    assert '<html lang="en"' in page.content.decode()


# ---- Error pages ----


@pytest.mark.parametrize(
    ("url", "lang", "text"),
    [
        ("/ca/no-existeix/", "ca", "No s'ha trobat la pàgina"),
        ("/es/no-existe/", "es", "No se ha encontrado la página"),
        ("/en/nowhere/", "en", "Page not found"),
    ],
)
def test_404_is_the_sites_page_in_the_urls_language(client, demo_site, url, lang, text):
    response = client.get(url, **ENGLISH_BROWSER)
    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{lang}"' in html
    assert text in html
    assert 'class="site-header"' in html


@pytest.mark.parametrize("debug", [True, False])
def test_no_technical_404_even_under_debug(client, demo_site, settings, debug):
    settings.DEBUG = debug
    for url in ("/ca/no-existeix/", "/api/v2/nowhere/"):
        response = client.get(url, HTTP_REFERER="http://testserver/ca/", follow=True)
        html = response.content.decode()
        assert response.status_code == 404
        assert "DEBUG = True" not in html and "URLconf" not in html
        assert "No s'ha trobat la pàgina" in html


def test_csrf_failure_is_a_translated_403(demo_site):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/es/accounts/login/", {"username": "x", "password": "y"})
    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="es"' in html
    assert "Forbidden" not in html
    assert 'data-code="csrf-failed"' in html
    assert "No puede abrir esta página" in html


@pytest.mark.parametrize("status", [400, 403, 429, 500])
def test_error_pages_render_translated_in_the_layout(demo_site, status):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from concertem.home import views

    request = RequestFactory().get("/ca/x/")
    request.user = AnonymousUser()
    with translation.override("ca"):
        if status == 500:
            response = views.server_error(request)
        elif status == 429:
            response = views.too_many_requests(request)
        else:
            handler = {400: views.bad_request, 403: views.permission_denied}[status]
            response = handler(request, Exception())
    html = response.content.decode()
    assert response.status_code == status
    assert '<html lang="ca"' in html
    assert f"Error {status}" in html
    assert 'class="site-header"' in html


def test_500_falls_back_to_a_plain_page_when_the_layout_fails(monkeypatch):
    from concertem.home import views

    def broken(*args, **kwargs):
        raise RuntimeError("template failure")

    monkeypatch.setattr(views, "error_page_render", broken)
    response = views.server_error(RequestFactory().get("/ca/"))
    assert response.status_code == 500
    assert "Server error" in response.content.decode()


def test_language_switcher_works_on_an_unprefixed_page(official):
    html = official.get(
        "/email-preferences/?next=/ca/", HTTP_REFERER="http://testserver/ca/"
    ).content.decode()
    assert '<html lang="ca"' in html
    assert 'href="/email-preferences/?next=%2Fca%2F&amp;language=en" lang="en"' in html
    switched = official.get(
        "/email-preferences/?next=/ca/&language=en", HTTP_REFERER="http://testserver/ca/"
    )
    assert '<html lang="en"' in switched.content.decode()


def test_emails_are_written_in_the_language_the_person_reads(official, debates):
    from django.contrib.auth import get_user_model
    from django.core import mail
    from django_comments_xtd.models import XtdComment

    from concertem.notifications.debate_emails import comment_email_send
    from debates.user_language import user_language

    user = get_user_model().objects.get(username="alcaldessa.vic")
    assert user_language(user) == "ca"  # nothing read yet: the site's language
    official.get("/es/", **ENGLISH_BROWSER)
    assert user_language(user) == "es"
    comments = list(XtdComment.objects.filter(is_public=True)[:2])
    comment_email_send(user=user, comments=comments, debate=None)
    assert "comentario(s) nuevo(s)" in mail.outbox[-1].subject
    body = mail.outbox[-1].body
    assert "/es/" in body and "/ca/revisio" not in body  # links to the Spanish debate
    official.get("/en/", **ENGLISH_BROWSER)
    assert user_language(user) == "en"


def test_an_editors_admin_language_is_left_alone(client, demo_site):
    from django.contrib.auth import get_user_model

    from debates.user_language import user_language

    client.login(username="editor", password="concertem-editor")
    client.get("/en/")
    assert user_language(get_user_model().objects.get(username="editor")) == "ca"


def test_reading_a_public_page_does_not_change_the_admins_language(client, demo_site):
    """The language cookie the public pages set is not the admin's: an editor with an
    English browser who checks a Catalan page still gets the admin in English."""
    client.login(username="editor", password="concertem-editor")
    client.get("/ca/", HTTP_ACCEPT_LANGUAGE="en")
    assert client.cookies["django_language"].value == "ca"
    admin = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert admin.status_code == 200
    assert '<html lang="en"' in admin.content.decode()


def test_a_forged_host_gets_a_translated_400(client, demo_site):
    response = client.get("/ca/", HTTP_HOST="evil.example")
    html = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="ca"' in html and "Error 400" in html
    assert "evil.example" not in html


def test_the_plain_error_page_when_the_layout_cannot_be_drawn(monkeypatch, demo_site):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from concertem.home import views

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(views, "render", broken)
    request = RequestFactory().get("/es/x/")
    request.user = AnonymousUser()
    with translation.override("es"):
        response = views.page_not_found(request, Exception())
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="es">' in html and "Error 404" in html
