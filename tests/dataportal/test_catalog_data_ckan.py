"""The site's CKAN links go through publishing's gateway, against the real local CKAN."""

from __future__ import annotations

import time
import uuid

import pytest

from concertem.dataportal import catalog_data

pytestmark = pytest.mark.integration


def test_links_of_a_published_dataset(ckan_server, ckan_client):
    name = f"concertem-test-links-{uuid.uuid4().hex[:8]}"
    dataset = ckan_client.action.package_create(
        name=name, title="Links", owner_org=ckan_server.owner_org, license_id="CC-BY-4.0"
    )
    try:
        ckan_client.action.resource_create(
            package_id=dataset["id"], name="table", url="https://example.org/t.csv"
        )
        links = catalog_data._ckan_links_fetch(ckan_server.url, name)
        assert links is not None
        assert links.dataset_url == f"{ckan_server.url}/dataset/{name}"
        assert links.resources["table"]["url"] == "https://example.org/t.csv"
        assert links.resources["table"]["datastore"] == ""
    finally:
        ckan_client.action.dataset_purge(id=dataset["id"])


def test_a_missing_dataset_or_a_dead_portal_is_no_links(ckan_server):
    assert catalog_data._ckan_links_fetch(ckan_server.url, "no-such-dataset-zq") is None
    started = time.monotonic()
    assert catalog_data._ckan_links_fetch("http://127.0.0.1:9", "anything") is None
    assert time.monotonic() - started < catalog_data.CKAN_TIMEOUT + 1  # no retry
    assert catalog_data._ckan_links_fetch("file:///etc/passwd", "x") is None
