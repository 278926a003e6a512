"""The site's pages as a visitor meets them: three languages, search, errors."""

from __future__ import annotations

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from concertem.home.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "heading", "lang"),
    [
        ("/ca/", "Concertem en xarxa", "ca"),
        ("/es/", "Concertem en xarxa", "es"),
        ("/en/", "Concertem en xarxa", "en"),
        ("/ca/programa/", "El programa", "ca"),
        ("/es/programa/", "El programa", "es"),
        ("/en/programme/", "The programme", "en"),
    ],
)
def test_page_serves_in_each_language(client, demo_site, url, heading, lang):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    assert heading in html


def test_root_redirects_to_catalan(client, demo_site):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/ca/"


def test_language_switcher_links_to_the_translation(client, demo_site):
    html = client.get("/ca/programa/").content.decode()
    assert 'href="/en/programme/" lang="en"' in html
    assert 'href="/es/programa/" lang="es"' in html
    assert 'href="/ca/programa/" lang="ca" hreflang="ca" aria-current="true"' in html


def test_base_template_landmarks_and_skip_link(client, demo_site):
    html = client.get("/ca/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html
    assert 'role="search"' in html
    assert 'aria-label="Principal"' in html or 'aria-label="Main"' in html


def test_interface_strings_are_translated(client, demo_site):
    assert "Salta al contingut principal" in client.get("/ca/").content.decode()
    assert "Saltar al contenido principal" in client.get("/es/").content.decode()
    assert "Skip to main content" in client.get("/en/").content.decode()


def test_search_finds_pages_in_the_current_language(client, demo_site):
    from django.core.management import call_command

    call_command("update_index", verbosity=0)
    html = client.get("/en/search/", {"q": "programme"}).content.decode()
    assert "/en/programme/" in html
    assert "/ca/programa/" not in html
    empty = client.get("/ca/search/", {"q": "xyzzy-no-such-word"}).content.decode()
    assert "0 resultats" in empty


def test_search_survives_hostile_paging(client, demo_site):
    assert client.get("/ca/search/", {"q": "programa", "page": "abc"}).status_code == 200
    assert client.get("/ca/search/", {"q": "programa", "page": "999"}).status_code == 200


def test_unknown_page_is_a_friendly_404(client, demo_site):
    response = client.get("/ca/no-existeix/")
    assert response.status_code == 404
    assert "No s'ha trobat la pàgina" in response.content.decode()


def test_security_headers_on_public_pages(client, demo_site):
    response = client.get("/ca/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_demo_content_load_is_idempotent(demo_site):
    from concertem.home.demo_content import demo_site_load

    demo_site_load()
    assert HomePage.objects.count() == 3
    assert StandardPage.objects.count() == 3
    assert Page.objects.filter(depth=2).count() == 3


def test_api_lists_pages(client, demo_site):
    data = client.get("/api/v2/pages/", {"type": "home.StandardPage", "fields": "intro"}).json()
    assert data["meta"]["total_count"] == 3
    assert all(item["intro"] for item in data["items"])


def test_health_endpoint(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


class TestPageTree(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        from concertem.home.demo_content import demo_site_load

        cls.homes = demo_site_load()

    def test_page_types_allowed(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertCanNotCreateAt(StandardPage, HomePage)

    def test_pages_render(self):
        for home in self.homes.values():
            self.assertPageIsRenderable(home)
        for page in StandardPage.objects.all():
            self.assertPageIsRenderable(page)
