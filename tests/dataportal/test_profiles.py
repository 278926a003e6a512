"""Municipality profiles as a visitor reads them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

BARCELONA, ALELLA, BELLPRAT = "08019", "08003", "08021"


def test_index_lists_every_municipality_of_the_province(client, portal_site):
    html = client.get("/ca/municipis/").content.decode()
    assert "311 de 311" in html or "311 of 311" in html
    assert 'href="08298/">Vic</a>' in html


def test_index_filters_by_name_and_comarca(client, portal_site):
    html = client.get("/ca/municipis/", {"q": "vic"}).content.decode()
    assert ">Vic</a>" in html and ">Terrassa</a>" not in html
    html = client.get("/ca/municipis/", {"comarca": "Osona"}).content.decode()
    assert ">Vic</a>" in html and ">Terrassa</a>" not in html


@pytest.mark.parametrize(
    ("code", "name", "population_text"),
    [(BARCELONA, "Barcelona", "1.6"), (ALELLA, "Alella", "9.9"), (BELLPRAT, "Bellprat", "7")],
)
def test_profile_shows_key_figures_and_allocations(
    client, portal_site, code, name, population_text
):
    response = client.get(f"/ca/municipis/{code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{name}</h1>" in html
    assert population_text in html
    assert "Net income per person" in html or "Renda neta per persona" in html
    # every formula shipped has a section, with a link to the step-by-step explanation
    assert f'/ca/repartiment/{code}/"' in html


def test_barcelona_is_shown_as_excluded(client, portal_site):
    html = client.get(f"/ca/municipis/{BARCELONA}/").content.decode()
    assert "Barcelona city is excluded" in html


def test_profile_in_other_languages(client, portal_site):
    assert client.get(f"/es/municipios/{ALELLA}/").status_code == 200
    assert client.get(f"/en/municipalities/{ALELLA}/").status_code == 200


def test_unknown_entity_is_404(client, portal_site):
    assert client.get("/ca/municipis/99999/").status_code == 404
    assert client.get("/ca/municipis/abc/").status_code == 404


def test_profile_query_count_is_bounded(client, portal_site, django_assert_max_num_queries):
    client.get(f"/ca/municipis/{ALELLA}/")  # warm the in-memory data
    # 26: one is the data bank's version, read on every request so that no server shows
    # indicator values older than the last import (concertem.databank.selectors).
    with django_assert_max_num_queries(26):
        client.get(f"/ca/municipis/{BELLPRAT}/")


def test_entity_api(client, portal_site):
    data = client.get(f"/api/v2/entities/{ALELLA}/").json()
    assert data["entity"]["name"] == "Alella"
    assert data["allocations"]["pgi-2024-2027"]["rank"] >= 1
    assert client.get("/api/v2/entities/99999/").status_code == 404
    listing = client.get("/api/v2/entities/").json()
    assert listing["meta"]["total_count"] == 311


def test_profile_lists_the_debates_its_officials_took_part_in(
    client, portal_site, django_assert_max_num_queries
):
    from debates.demo_content import demo_debates_load

    demo_debates_load()
    html = client.get("/ca/municipis/08279/").content.decode()  # Terrassa: a demo official
    assert 'class="debate-participation"' in html
    assert "/ca/revisio-formula-2027/" in html
    spanish = client.get("/es/municipios/08279/").content.decode()
    assert 'class="debate-participation"' in spanish
    assert "/ca/revisio-formula-2027/" not in spanish  # the Spanish translation is linked
    quiet = client.get("/ca/municipis/08021/").content.decode()  # Bellprat: nobody spoke
    assert 'class="debate-participation"' not in quiet
    with django_assert_max_num_queries(30):
        client.get("/ca/municipis/08279/")
