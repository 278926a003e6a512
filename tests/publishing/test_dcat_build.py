"""The build's own DCAT-AP 3 JSON-LD (build/dcat/catalog.jsonld) passes the DCAT-AP 3.0.1
shapes too, and says the same things CKAN does: datasets as sources, landing pages."""

from __future__ import annotations

import dataclasses

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from publishing.pipeline import catalog_publish
from tests.publishing.helpers import allocation_spec, territory_spec
from tests.publishing.shacl import shacl_results

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")


def test_build_catalogue_conforms_to_dcat_ap_3(tmp_path, fake_ckan, ckan_config):
    config = ckan_config.with_(site_url="https://concertem.example")
    derived = dataclasses.replace(allocation_spec(), derived_from=("mini-territory",))
    report = catalog_publish(
        config=config,
        specs=[territory_spec(), derived],
        gateway=fake_ckan,
        build_dir=tmp_path / "build",
        ledger_path=tmp_path / "ledger.json",
    )
    data = Graph().parse(report.dcat_path, format="json-ld")
    assert shacl_results(data, "shapes.ttl") == []
    assert shacl_results(data, "shapes_recommended.ttl") == []
    datasets = set(data.subjects(RDF.type, DCAT.Dataset))
    territory = URIRef("http://ckan.test/dataset/mini-territory")
    assert territory in datasets and len(datasets) == 2
    [allocation] = datasets - {territory}
    assert territory in set(data.objects(allocation, DCT.source))
    assert str(data.value(territory, DCAT.landingPage)) == (
        "https://concertem.example/ca/dades/mini-territory/"
    )
