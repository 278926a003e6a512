"""Site search finds municipalities by name (accents, case, apostrophes) and by INE or
Idescat code, datasets and pages; the allocation table's filter takes names and codes."""

from __future__ import annotations

import pytest

from concertem.dataportal.entity_search import entities_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal_site(demo_site):
    from concertem.dataportal.demo_content import portal_pages_load

    return portal_pages_load(demo_site)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Vic", "Vic"),
        ("vic", "Vic"),
        ("Manresa", "Manresa"),
        ("Hospitalet", "L'Hospitalet de Llobregat"),
        ("l'hospitalet", "L'Hospitalet de Llobregat"),
        ("L’HOSPITALET", "L'Hospitalet de Llobregat"),
        ("08298", "Vic"),
        ("082981", "Vic"),
        ("sant vicenc dels horts", "Sant Vicenç dels Horts"),
    ],
)
def test_entities_search_finds_by_name_and_code(query, expected):
    found = [entity.name for entity in entities_search(query)]
    assert found, query
    assert found[0] == expected


def test_entities_search_ranks_the_exact_name_first_and_finds_every_vilanova():
    assert entities_search("Vic")[0].entity_code == "08298"
    names = [entity.name for entity in entities_search("vilanova")]
    assert "Vilanova i la Geltrú" in names
    assert len(names) >= 3 and all("Vilanova" in name for name in names)


def test_entities_search_rejects_nothing_it_should_not_find():
    assert entities_search("xyzzy") == []
    assert entities_search("99999") == []


@pytest.mark.parametrize(
    ("lang", "query", "link"),
    [
        ("ca", "Vic", "/ca/municipis/08298/"),
        ("en", "manresa", "/en/municipalities/08113/"),
        ("es", "08298", "/es/municipios/08298/"),
        ("ca", "l'hospitalet", "/ca/municipis/08101/"),
    ],
)
def test_site_search_lists_municipalities(client, portal_site, lang, query, link):
    html = client.get(f"/{lang}/search/", {"q": query}).content.decode()
    assert f'href="{link}"' in html


def test_site_search_lists_datasets(client, portal_site):
    html = client.get("/en/search/", {"q": "allocation"}).content.decode()
    assert 'id="search-datasets"' in html
    assert "/en/data/" in html or "/en/open-data/" in html


@pytest.mark.parametrize("query", ["08298", "Vic", "vic"])
def test_allocation_filter_accepts_names_and_codes(client, demo_site, query):
    from concertem.dataportal.allocation_selectors import allocation_overview_context

    context = allocation_overview_context(
        formula_id="pgi-2024-2027", query=query, sort="rank", page="1"
    )
    assert context["rows"][0]["code"] == "08298"
    if query == "08298":
        assert context["matched"] == 1


def test_site_search_for_a_town_lists_no_unrelated_datasets(client, portal_site):
    html = client.get("/en/search/", {"q": "Vic"}).content.decode()
    assert 'id="search-entities"' in html
    assert 'id="search-datasets"' not in html  # "services" does not start with "vic"
