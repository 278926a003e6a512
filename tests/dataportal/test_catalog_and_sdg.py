"""The dataset catalogue and the SDG dashboards, as pages."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def built_packages(settings, tmp_path_factory):
    """Build the real Data Packages once into a temp dir the site reads from."""
    from datasets.catalog import catalog_specs
    from datasets.packaging import package_build
    from datasets.versioning import VersionLedger

    build_dir = tmp_path_factory.getbasetemp() / "portal-build"
    if not (build_dir / "datapackages" / "territory" / "datapackage.json").exists():
        ledger = VersionLedger(build_dir / "versions.json")
        for spec in catalog_specs():
            if spec.name in ("territory", "territorial-indicators"):
                package_build(spec=spec, out_dir=build_dir / "datapackages", ledger=ledger)
    settings.CONCERTEM_BUILD_DIR = build_dir
    return build_dir


def test_catalog_lists_every_dataset(client, portal_site):
    from datasets.catalog import catalog_specs

    html = client.get("/ca/dades/").content.decode()
    names = re.findall(r'<h2><a href="([a-z0-9-]+)/">', html)
    assert sorted(names) == sorted(spec.name for spec in catalog_specs())
    # A goal that is a digit to Unicode but no number is no goal, not a server error.
    assert client.get("/ca/dades/", {"goal": "²"}).status_code == 200


def test_catalog_filters(client, portal_site):
    by_goal = client.get("/ca/dades/", {"goal": "8"}).content.decode()
    assert 'href="territorial-indicators/"' in by_goal
    assert 'href="territory/"' not in by_goal
    by_theme = client.get("/en/data/", {"theme": "ECON"}).content.decode()
    assert 'href="allocation-pgi-2024-2027/"' in by_theme
    assert 'href="sdg-framework/"' not in by_theme
    by_text = client.get("/es/datos/", {"q": "ODS"}).content.decode()
    assert 'href="sdg-framework/"' in by_text
    assert client.get("/ca/dades/", {"goal": "x'--"}).status_code == 200


def test_dataset_page_shows_columns_preview_and_downloads(client, portal_site, built_packages):
    html = client.get("/ca/dades/territory/").content.decode()
    assert "<code>entity_code</code>" in html  # the column dictionary from the Table Schema
    assert "Preview" in html or "Previsualització" in html
    assert "08001" in html  # first preview row
    assert 'href="/data/packages/territory/datapackage.json"' in html
    response = client.get("/data/packages/territory/datapackage.json")
    assert response.status_code == 200
    assert b'"name": "territory"' in b"".join(response.streaming_content)


def test_package_files_outside_the_descriptor_are_refused(client, portal_site, built_packages):
    assert client.get("/data/packages/territory/../../../etc/passwd").status_code == 404
    assert client.get("/data/packages/territory/nope.csv").status_code == 404
    assert client.get("/data/packages/nope/datapackage.json").status_code == 404


def test_unknown_dataset_is_404(client, portal_site):
    assert client.get("/ca/dades/no-such-dataset/").status_code == 404


def test_sdg_index_shows_17_goals(client, portal_site):
    html = client.get("/ca/ods/").content.decode()
    assert len(re.findall(r'<li class="goal-card goal-\d+">', html)) == 17


def test_goal_dashboard_maps_and_charts_an_indicator(client, portal_site):
    html = client.get("/en/sdg/8/").content.decode()
    assert 'class="map js-choropleth"' in html
    assert "<svg" in html and "Province median" in html
    rows = re.findall(r'<tr><td class="num">\d+</td><th scope="row">', html)
    assert len(rows) >= 300  # the data table beside the chart: every municipality


def test_goal_without_indicators_says_so(client, portal_site):
    # goal 6 (water): none of the catalogue's indicators, the Visor 2030 files included
    html = client.get("/en/sdg/6/").content.decode()
    assert "No indicator of the territory monitors this goal yet" in html


def test_unknown_goal_is_404(client, portal_site):
    assert client.get("/ca/ods/18/").status_code == 404
    assert client.get("/ca/ods/0/").status_code == 404


def test_profile_has_indicators_and_sdg_overview(client, portal_site):
    html = client.get("/ca/municipis/08298/").content.decode()
    assert 'id="indicators-heading"' in html
    assert len(re.findall(r'<li class="goal-\d+">', html)) == 17
    assert "/ca/ods/8/?indicator=unemployment_rate" in html
