"""DCAT-AP 3 served by CKAN itself (ckanext-dcat), checked with the official SHACL shapes,
and CKAN's own pages: the portal's texts, descriptions as text, table views."""

from __future__ import annotations

import pytest
import requests
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from ckanlocal.portal import SITE_TITLE
from tests.publishing.shacl import shacl_results

pytestmark = pytest.mark.integration

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
DCATAP = Namespace("http://data.europa.eu/r5r/")


def _get(url: str) -> requests.Response:
    response = requests.get(url, timeout=120)
    assert response.status_code == 200, url
    return response


def test_catalogue_served_by_ckan_conforms_to_dcat_ap_3(published_catalogue, ckan_server):
    report, config = published_catalogue
    data = Graph().parse(data=_get(f"{ckan_server.url}/catalog.ttl").text, format="turtle")
    ours = {URIRef(f"{config.site}/dataset/{result.ckan_name}") for result in report.datasets}
    assert ours <= set(data.subjects(RDF.type, DCAT.Dataset))
    assert shacl_results(data, "shapes.ttl") == []  # mandatory: sh:Violation
    assert shacl_results(data, "shapes_recommended.ttl") == []  # recommended: sh:Warning
    [catalog] = data.subjects(RDF.type, DCAT.Catalog)
    for prop in (DCT.issued, DCT.modified, DCT.license, DCT.spatial, DCAT.themeTaxonomy):
        assert data.value(catalog, prop) is not None, prop
    titles = {title.language for title in data.objects(catalog, DCT.title)}
    assert titles == {"ca", "es", "en"}
    # Harvesters ask for what changed since a date (a NOW range over the local search).
    since = Graph().parse(
        data=_get(f"{ckan_server.url}/catalog.ttl?modified_since=2020-01-01").text,
        format="turtle",
    )
    assert ours <= set(since.subjects(RDF.type, DCAT.Dataset))
    future = _get(f"{ckan_server.url}/catalog.ttl?modified_since=2999-01-01").text
    assert "dcat:Dataset" not in future


def test_each_dataset_is_served_as_rdf_with_what_the_pipeline_sent(
    published_catalogue, ckan_server
):
    report, config = published_catalogue
    [allocation] = [r for r in report.datasets if r.name == "allocation-pgi-2024-2027"]
    iri = URIRef(f"{config.site}/dataset/{allocation.ckan_name}")
    for suffix, fmt in ((".rdf", "xml"), (".ttl", "turtle")):
        url = f"{ckan_server.url}/dataset/{allocation.ckan_name}{suffix}"
        data = Graph().parse(data=_get(url).text, format=fmt)
        assert (iri, RDF.type, DCAT.Dataset) in data
    assert str(data.value(iri, DCAT.landingPage)) == (
        f"{config.site_url}/ca/dades/allocation-pgi-2024-2027/"
    )
    # Computed from two datasets of the catalogue: dct:source names them.
    sources = {str(source) for source in data.objects(iri, DCT.source)}
    for upstream in ("territory", "socioeconomic-variables"):
        assert f"{config.site}/dataset/{config.dataset_prefix}{upstream}" in sources
    assert "https://www.diba.cat" not in sources  # a home page, not a dataset
    distributions = list(data.objects(iri, DCAT.distribution))
    assert distributions
    for distribution in distributions:
        assert data.value(distribution, DCATAP.availability) is not None
        licence = str(data.value(distribution, DCT.license))
        assert licence == "https://creativecommons.org/licenses/by/4.0/", licence
    descriptions = {d.language: str(d) for d in data.objects(iri, DCT.description)}
    assert set(descriptions) == {"ca", "es", "en"}


def test_ckan_pages_show_the_portal_texts_and_tables(published_catalogue, ckan_server, ckan_client):
    report, _ = published_catalogue
    assert ckan_server_texts_shown(ckan_server.url)
    [territory] = [r for r in report.datasets if r.name == "territory"]
    package = ckan_client.action.package_show(id=territory.ckan_name)
    assert package["license_id"] == "CC-BY-4.0"
    for lang in ("ca", "en"):
        prefix = "" if lang == "ca" else f"/{lang}"
        page = _get(f"{ckan_server.url}{prefix}/dataset/{territory.ckan_name}").text
        first_words = package["notes_translated"][lang].split(",")[0]
        assert first_words in page, lang
        assert "{&#34;ca&#34;" not in page and '{"ca"' not in page  # never raw JSON
    tables = 0
    for result in report.datasets:
        for resource in ckan_client.action.package_show(id=result.ckan_name)["resources"]:
            if not resource.get("datastore_active"):
                continue
            tables += 1
            views = ckan_client.action.resource_view_list(id=resource["id"])
            assert [view["view_type"] for view in views] == ["datatables_view"], resource["name"]
    assert tables >= 11


def ckan_server_texts_shown(url: str) -> bool:
    home = _get(url).text
    about = _get(f"{url}/about").text
    return (
        SITE_TITLE in home
        and "Aquest portal publica" in about
        and "This portal publishes" in about
        and "Este portal publica" in about
    )
