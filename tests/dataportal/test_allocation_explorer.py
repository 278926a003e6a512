"""The allocation explorer: the formula explained, every amount, one entity, a comparison."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def test_overview_explains_the_formula_and_lists_every_municipality(client, portal_site):
    html = client.get("/ca/repartiment/").content.decode()
    assert "260.000.000,00\u00a0€" in html  # amounts to the cent, a no-break space before €
    assert "from the public announcement" in html or "anunci" in html
    assert "illustrative assumption" in html or "hipòtesi" in html
    assert "[budget]" in html  # the formal definition: the formula file itself
    rows = re.findall(r'<th scope="row"><a href="(\d{5})/">', html)
    assert len(rows) == 311  # 310 shared by the formula + Barcelona, excluded


def test_overview_table_sorts_and_searches(client, portal_site):
    html = client.get("/ca/repartiment/", {"sort": "name"}).content.decode()
    names = re.findall(r'<th scope="row"><a href="\d{5}/">([^<]+)</a>', html)
    assert names[0].startswith("Abrera")
    html = client.get("/ca/repartiment/", {"q": "sant cugat"}).content.decode()
    assert re.findall(r'<th scope="row"><a href="\d{5}/">([^<]+)</a>', html) == [
        "Sant Cugat del Vallès",
        "Sant Cugat Sesgarrigues",
    ]
    assert client.get("/ca/repartiment/", {"sort": "'; drop table"}).status_code == 200


def test_overview_map_values_are_per_inhabitant(client, portal_site):
    html = client.get("/ca/repartiment/").content.decode()
    assert 'class="map js-choropleth"' in html
    assert '<script type="application/json" id="map-values">' in html
    assert client.get("/data/boundaries-08.geojson").status_code == 200


def test_entity_explanation_adds_up(client, portal_site):
    from concertem.dataportal import portal_data

    response = client.get("/ca/repartiment/08298/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<title>" in html  # the accessible chart
    row = portal_data.allocation("pgi-2024-2027").by_code["08298"]
    parts = row.minimum_eur + sum(row.contributions.values()) + row.adjustment_eur
    # contributions are exact; the amount is rounded to the cent
    assert abs(parts - row.amount_eur) < Decimal("0.01")
    assert client.get("/ca/repartiment/99999/").status_code == 404


def test_comparison_lists_winners_and_losers(client, portal_site):
    response = client.get("/ca/repartiment/compare/", {"other": "pgi-2024-2027-alt"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="num gain"' in html and 'class="num loss"' in html
    # an unknown version or the same one goes back to the overview instead of failing
    assert client.get("/ca/repartiment/compare/", {"other": "nope"}).status_code == 302
    assert client.get("/ca/repartiment/compare/", {"other": "pgi-2024-2027"}).status_code == 302


def test_allocation_api_sums_to_the_budget(client, portal_site):
    data = client.get("/api/v2/allocations/pgi-2024-2027/").json()
    total = sum(Decimal(item["amount_eur"]) for item in data["items"])
    assert total == Decimal("260000000")
    assert data["meta"]["total_count"] == 311
    # Every item adds up to the cent, as in allocations.csv.
    for item in data["items"]:
        parts = [item["fixed_eur"], item["minimum_eur"], *item["contributions_eur"].values()]
        parts += [item["adjustment_eur"], item["rounding_eur"]]
        assert sum(Decimal(part) for part in parts) == Decimal(item["amount_eur"]), item
        assert all(Decimal(part).as_tuple().exponent >= -2 for part in parts), item
    assert client.get("/api/v2/allocations/nope/").status_code == 404


def test_explorer_query_count_is_bounded(client, portal_site, django_assert_max_num_queries):
    client.get("/ca/repartiment/")
    with django_assert_max_num_queries(25):
        client.get("/ca/repartiment/")
