"""The facility map page through the test client: filters, list, counts, data endpoints."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

URLS = {"ca": "/ca/equipaments/", "es": "/es/equipamientos/", "en": "/en/facilities/"}


@pytest.fixture
def map_pages(demo_site):
    from concertem.facilities.demo import demo_facilities_load

    return demo_facilities_load(demo_site)


@pytest.mark.parametrize(
    ("language", "heading"),
    [("ca", "Mapa d'equipaments"), ("es", "Mapa de equipamientos"), ("en", "Facilities map")],
)
def test_map_page_in_each_language(client, map_pages, language, heading):
    response = client.get(URLS[language])
    assert response.status_code == 200
    html = response.content.decode()
    assert heading.replace("'", "&#x27;") in html
    assert 'id="facility-map-config" type="application/json"' in html
    assert "<script>" not in html  # no inline script: the CSP forbids it
    assert html.count("<tr>") >= 25 + 311  # a page of the list and every municipality
    count = {"ca": "3.048 equipaments", "es": "3.048 equipamientos", "en": "3,048 facilities"}[
        language
    ]
    assert count in html


def test_filters_narrow_the_list_counts_and_data_url(client, map_pages):
    response = client.get(URLS["en"] + "?category=sport&entity=08187")
    context = response.context
    assert context["facility_total"] == len([r for r in context["facility_rows"]])
    assert all(
        f.category == "sport" and f.entity_code == "08187"
        for f, _label, _entity in context["facility_rows"]
    )
    config = context["map_config"]
    assert config["dataUrl"] == "/data/facilities/facilities.geojson?category=sport&entity=08187"
    assert config["tilesUrl"] == ""  # offline by default
    (sabadell,) = context["entity_counts"]
    assert sabadell.name == "Sabadell" and sabadell.count == context["facility_total"]


def test_unknown_filters_are_ignored_and_pagination_keeps_filters(client, map_pages):
    response = client.get(URLS["ca"] + "?category=<script>&entity=99999&page=9999")
    assert response.status_code == 200
    assert response.context["filters"].category == ""
    html = client.get(URLS["ca"] + "?category=parks&page=2").content.decode()
    assert "?category=parks&amp;page=3#facility-list" in html


def test_entity_counts_include_municipalities_without_facilities(client, map_pages):
    rows = client.get(URLS["en"]).context["entity_counts"]
    assert len(rows) == 311
    barcelona = next(row for row in rows if row.entity_code == "08019")
    assert rows[0] is barcelona
    assert any(row.count == 0 for row in rows)


def test_geojson_csv_and_boundaries_endpoints(client):
    collection = json.loads(
        client.get("/data/facilities/facilities.geojson?category=sport").content
    )
    assert collection["type"] == "FeatureCollection"
    assert {f["properties"]["category"] for f in collection["features"]} == {"sport"}
    lon, lat = collection["features"][0]["geometry"]["coordinates"]
    assert 0 < lon < 4 and 40 < lat < 43
    csv_lines = client.get("/data/facilities/facilities.csv").content.decode().splitlines()
    assert csv_lines[0].startswith("facility_id,name,category")
    assert len(csv_lines) == 3048 + 1
    boundaries = json.loads(client.get("/data/facilities/boundaries.geojson").content)
    assert len(boundaries["features"]) == 311


def test_export_writes_csv_geojson_and_schema(tmp_path):
    from datasets.facilities.export import facilities_export

    written = facilities_export(out_dir=tmp_path)
    assert [path.name for path in written] == [
        "facilities.csv",
        "facilities.geojson",
        "facilities.schema.json",
    ]
    assert len(json.loads((tmp_path / "facilities.geojson").read_text())["features"]) == 3048
