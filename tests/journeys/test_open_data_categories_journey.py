"""An anonymous open-data user, in Catalan and in English, reads a categorical indicator on its
goal page, follows "Download the data" to the indicators dataset, downloads the categorical
values and the categories tables from the site, and turns Vic's stored code into the label
the goal page showed, in the page's language; the ordinal scale comes in its declared order,
and a breakdown by a declared dimension (season) turns into its label the same way.

The indicator and its values are put in the data bank's tables first (as an import leaves
them), then exported and built into the Data Package as ``export_open_data`` and ``concertem
build`` do; everything after that is clicks. No console error, no 4xx/5xx, axe-clean pages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from tests.dataportal.category_fixtures import RISK, VIC, categorical_indicators_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SDG_PATH = {"ca": "ods", "en": "sdg"}
WORDS = {
    "ca": {
        "name": "Risc d'incendi",
        "table": "Taula",
        "download_data": "Descarrega les dades",
        "download": "Descarrega des d'aquest lloc",
        "categories": "Categories dels indicadors",
        "values": "Valors categòrics",
        "dimensions": "Valors de les desagregacions",
        "scale": ["Baixa", "Mitja", "Alta"],
        "summer": ("Estació", "Estiu"),
    },
    "en": {
        "name": "Fire risk",
        "table": "Table",
        "download_data": "Download the data",
        "download": "Download from this site",
        "categories": "Indicator categories",
        "values": "Categorical values",
        "dimensions": "Breakdown dimension values",
        "scale": ["Low", "Medium", "High"],
        "summer": ("Season", "Summer"),
    },
}


@pytest.fixture
def published_site(live_server, settings, tmp_path, monkeypatch) -> str:
    from django.core.management import call_command

    from concertem.common.pages import wagtail_roots_ensure
    from concertem.dataportal.demo_content import portal_pages_load
    from concertem.home.demo_content import demo_site_load
    from datasets.catalog.indicators import indicators_spec
    from datasets.packaging import package_build
    from datasets.versioning import VersionLedger

    build = tmp_path / "build"
    settings.CONCERTEM_BUILD_DIR = build
    monkeypatch.setenv("CONCERTEM_BUILD_DIR", str(build))
    wagtail_roots_ensure()  # a flush between transactional tests can leave no root page
    portal_pages_load(demo_site_load())
    categorical_indicators_create()
    call_command("databank_export", stdout=io.StringIO())
    package_build(
        spec=indicators_spec(),
        out_dir=build / "datapackages",
        ledger=VersionLedger(build / "versions.json"),
        today=dt.date(2026, 12, 5),
    )
    return live_server.url


def _download(page, section, link_name: str) -> list[dict[str, str]]:
    """Click the section's download link as a person does; the CSV's rows."""
    with page.expect_download() as download:
        section.get_by_role("link", name=link_name).click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("lang", ["ca", "en"])
def test_open_data_user_turns_category_codes_into_labels(
    journey_context, published_site, axe_violations, screenshot_dir, lang
):
    base = published_site
    words = WORDS[lang]
    page = journey_context(locale="ca-ES" if lang == "ca" else "en-GB")
    violations: list[dict] = []

    # ---- The goal page shows Vic's category as a label ----
    page.goto(f"{base}/{lang}/{SDG_PATH[lang]}/")
    page.locator('.goal-card a[href="13/"]').click()
    page.wait_for_url(re.compile(rf".*/{SDG_PATH[lang]}/13/$"))
    page.locator(".indicator-tabs").first.get_by_role("link", name=words["name"]).click()
    page.wait_for_url(re.compile(rf".*/13/\?indicator={RISK}$"))
    page.locator("#indicator-panel nav").get_by_role("link", name=words["table"]).click()
    page.wait_for_url(re.compile(r".*tab=table#indicator-panel$"))
    vic_row = page.locator("details.data-details[open] table tbody tr").filter(
        has=page.get_by_role("link", name="Vic", exact=True)
    )
    shown_for_vic = vic_row.locator(":nth-child(3)").inner_text().strip()
    assert shown_for_vic == words["scale"][2]  # what the page says: Vic is high risk in 2023

    # ---- Follow "Download the data" to the indicators dataset ----
    page.get_by_role("link", name=words["download_data"]).first.click()
    page.wait_for_url(re.compile(r".*/territorial-indicators/$"))
    assert page.locator("html").get_attribute("lang") == lang
    sections = {
        key: page.locator("section.resource").filter(
            has=page.get_by_role("heading", name=re.compile(rf"^{re.escape(words[key])}\b"))
        )
        for key in ("categories", "values", "dimensions")
    }
    for key, section in sections.items():
        assert section.count() == 1, key
    violations += axe_violations(page.url)
    page.screenshot(
        path=str(screenshot_dir / f"journey-open-data-categories-{lang}-dataset.png"),
        full_page=True,
    )

    # ---- Download the values and the categories; join Vic's code to its label ----
    values = _download(page, sections["values"], words["download"])
    categories = _download(page, sections["categories"], words["download"])
    labels = {
        (row["indicator_code"], row["category_code"]): row[f"label_{lang}"] for row in categories
    }
    [vic] = [
        row
        for row in values
        if row["indicator_code"] == RISK
        and row["entity_code"] == VIC
        and row["year"] == "2023"
        and row["disaggregation"] == "_T"
    ]
    assert vic["category_code"] != shown_for_vic  # the file holds a code, not the word
    assert labels[(RISK, vic["category_code"])] == shown_for_vic
    scale = sorted(
        (row for row in categories if row["indicator_code"] == RISK),
        key=lambda row: int(row["position"]),
    )
    assert [row[f"label_{lang}"] for row in scale] == words["scale"]

    # ---- A breakdown by the declared season: its code, then its labels ----
    dimensions = _download(page, sections["dimensions"], words["download"])
    by_code = {
        (row["indicator_code"], f"{row['dimension']}={row['value_code']}"): row
        for row in dimensions
    }
    [summer] = [
        row
        for row in values
        if row["indicator_code"] == RISK
        and row["entity_code"] == VIC
        and row["disaggregation"].startswith("season=")
        and labels[(RISK, row["category_code"])] == shown_for_vic
    ]
    season = by_code[(RISK, summer["disaggregation"])]
    assert (season[f"dimension_label_{lang}"], season[f"label_{lang}"]) == words["summer"]

    assert violations == [], violations
