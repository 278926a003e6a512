"""A new comment reaches the open-data portal when an editor runs "Publish open data"
in the admin (issue 15: the run used to publish the last export, not the database).
The contributions CSV is downloaded from the real local CKAN and the comment's row is
found in it."""

from __future__ import annotations

import csv
import io
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.journeys.conftest import OFFICIAL_VIC, admin_login, site_login

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEBATE = "/ca/revisio-formula-2027/pes-de-la-poblacio/"
PREFIX = "journey-"


@pytest.fixture
def publish_site(live_server, ckan_server, monkeypatch):
    from debates.demo_content import demo_debates_load

    monkeypatch.setenv("CKAN_URL", ckan_server.url)
    monkeypatch.setenv("CKAN_API_KEY", ckan_server.api_key)
    monkeypatch.setenv("CKAN_OWNER_ORG", ckan_server.owner_org)
    monkeypatch.setenv("CKAN_DATASET_PREFIX", PREFIX)
    demo_debates_load()
    return ckan_server


def test_a_new_comment_is_in_the_csv_downloaded_from_ckan_after_publishing(
    journey_context, live_server, publish_site, ckan_client, screenshot_dir
):
    import requests

    base = live_server.url
    text = f"Aportació per a les dades obertes {uuid.uuid4().hex[:8]}"

    # ---- An official of Vic comments ----
    official = journey_context()
    site_login(official, base, *OFFICIAL_VIC)
    official.goto(f"{base}{DEBATE}")
    official.fill("#id_comment", text)
    official.locator("#comment-form button[type=submit]").click()
    expect(official.locator("#comments")).to_contain_text(text)

    # ---- The editor publishes the contributions from the admin ----
    editor = journey_context(locale="en-GB")
    admin_login(editor, base)
    editor.get_by_role("link", name="Publish open data").first.click()
    editor.locator("input[name=only][value=debate-contributions]").check()
    editor.locator("main form button[type=submit]").click()
    editor.wait_for_url(re.compile(r".*/admin/publish/\d+/"), timeout=300_000)
    expect(editor.locator("[data-status]")).to_have_attribute(
        "data-status", "succeeded", timeout=300_000
    )
    added = editor.locator("[data-rows-added=debate-contributions]")
    assert int(added.inner_text()) >= 1, "the run says no row was added"
    log = editor.locator("pre.publish-log")
    expect(log).to_contain_text("[export] ==> export_debate_contributions")
    expect(log).to_contain_text(
        re.compile(r"\[changes\] debate-contributions/.*(rows added|new resource)")
    )
    editor.screenshot(path=str(screenshot_dir / "editor-publish-run.png"), full_page=True)

    # ---- Download the CSV from CKAN: the comment's row is there ----
    package = ckan_client.action.package_show(id=f"{PREFIX}debate-contributions")
    urls = [r["url"] for r in package["resources"] if r["url"].endswith(".csv")]
    assert urls, package["resources"]
    rows = []
    for url in urls:
        response = requests.get(url, timeout=30)
        response.raise_for_status()
        rows += list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert any(text in " ".join(row.values()) for row in rows), (
        f"{len(rows)} rows from CKAN, none with the new comment"
    )
