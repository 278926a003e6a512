"""An anonymous reader meets a categorical indicator, in Catalan and in English: on the goal
page the fire-risk table and the chart's accessible name and description say "Baixa / Mitja /
Alta" (or "Low / Medium / High") lowest first, never the stored codes; the evolution chart
(one 100% bar per year of the municipalities in each category) is one picture whose name and
description read its figures, its legend in order, its data behind "Data"; the breakdown view
writes the declared dimension's values (Hivern, Estiu); the metadata view names the
direction and the periodicity; following a municipality from the table, its profile draws and
writes its own category, year by year, in the same language.

The indicator and its values are put in the data bank's tables first (as an import leaves
them); everything after that is clicks. No console error, no 4xx/5xx, axe-clean pages.
"""

from __future__ import annotations

import re

import pytest

from tests.dataportal.category_fixtures import CODES, RISK, categorical_indicators_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PATHS = {"ca": ("ods", "municipis"), "en": ("sdg", "municipalities")}
WORDS = {
    "ca": {
        "name": "Risc d'incendi",
        "scale": ["Baixa", "Mitja", "Alta"],
        "seasons": ["Hivern", "Estiu"],
        "breakdowns": "Desagregacions",
        "table": "Taula",
        "by_season": "Risc d'incendi per estació, 2023",
        "series": "Categoria de Vic, any per any",
        "data": "Dades",
        "year": "Any",
        "distribution": "Risc d'incendi: municipis per categoria, 2023",
        "shares": "Risc d'incendi, de 2022 a 2023: municipis de la província en cada categoria",
        # a no-break space before the percent sign, as Catalan writes it
        "shares_desc": "2022, 3 municipis: Baixa 2 (67\u00a0%), Mitja 1 (33\u00a0%), "
        "Alta 0 (0\u00a0%); 2023, 5 municipis: Baixa 2 (40\u00a0%), Mitja 1 (20\u00a0%), "
        "Alta 2 (40\u00a0%)",
        "steps": "Risc d'incendi a Vic, de 2022 a 2023: la seva categoria any per any",
        "steps_desc": "Categories en ordre: Baixa, Mitja, Alta. 2022: Mitja; 2023: Alta",
        "metadata": "Metadades",
        "facts": {"Sentit": "més baix és millor", "Periodicitat": "anual"},
        "last_import": ("Darrera importació", ", fitxer visor2030_upload.csv"),
    },
    "en": {
        "name": "Fire risk",
        "scale": ["Low", "Medium", "High"],
        "seasons": ["Winter", "Summer"],
        "breakdowns": "Breakdowns",
        "table": "Table",
        "by_season": "Fire risk by season, 2023",
        "series": "Category of Vic, year by year",
        "data": "Data",
        "year": "Year",
        "distribution": "Fire risk: municipalities by category, 2023",
        "shares": "Fire risk, 2022 to 2023: municipalities of the province in each category",
        "shares_desc": "2022, 3 municipalities: Low 2 (67%), Medium 1 (33%), High 0 (0%); "
        "2023, 5 municipalities: Low 2 (40%), Medium 1 (20%), High 2 (40%)",
        "steps": "Fire risk in Vic, 2022 to 2023: its category year by year",
        "steps_desc": "Categories in order: Low, Medium, High. 2022: Medium; 2023: High",
        "metadata": "Metadata",
        "facts": {"Direction": "lower is better", "Periodicity": "annual"},
        "last_import": ("Last import", ", file visor2030_upload.csv"),
    },
}


@pytest.fixture
def category_site(live_server) -> str:
    from concertem.common.pages import wagtail_roots_ensure
    from concertem.dataportal.demo_content import portal_pages_load
    from concertem.home.demo_content import demo_site_load

    wagtail_roots_ensure()  # a flush between transactional tests can leave no root page
    portal_pages_load(demo_site_load())
    categorical_indicators_create()
    return live_server.url


def _no_code(text: str) -> None:
    assert [code for code in CODES if code in text] == [], text


def _ax_description(page, selector: str) -> str:
    """The accessible description Chromium computes (the SVG's <desc>), read from its own
    accessibility tree: what a screen reader is given."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    found = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})
    return found["nodes"][0].get("description", {}).get("value", "")


def _shape_index(page, entity_code: str) -> int:
    """Which of the map's shapes is this municipality (the boundaries file's order)."""
    return page.evaluate(
        """async ([url, code]) => {
            const geojson = await (await fetch(url)).json();
            return geojson.features.findIndex((f) => f.properties.entity_code === code);
        }""",
        [page.locator(".js-choropleth").get_attribute("data-boundaries"), entity_code],
    )


def _column(table, index: int) -> list[str]:
    return [
        cell.strip() for cell in table.locator(f"tbody tr > :nth-child({index})").all_inner_texts()
    ]


@pytest.mark.parametrize("lang", ["ca", "en"])
def test_reader_reads_category_labels_in_the_page_language(
    journey_context, category_site, axe_violations, screenshot_dir, lang
):
    base = category_site
    sdg_path, profiles_path = PATHS[lang]
    words = WORDS[lang]
    low, medium, high = words["scale"]
    page = journey_context(locale="ca-ES" if lang == "ca" else "en-GB")
    violations: list[dict] = []

    # ---- Goal 13, then the fire-risk indicator from the goal's own list ----
    page.goto(f"{base}/{lang}/{sdg_path}/")
    page.locator('.goal-card a[href="13/"]').click()
    page.wait_for_url(re.compile(rf".*/{sdg_path}/13/$"))
    page.locator(".indicator-tabs").first.get_by_role("link", name=words["name"]).click()
    page.wait_for_url(re.compile(rf".*/{sdg_path}/13/\?indicator={RISK}$"))

    # The evolution, as a screen reader meets it: one picture, named, read out in words.
    shares = page.locator("#indicator-panel svg.chart--shares.chart--wide")
    assert shares.is_visible()
    assert shares.evaluate("svg => svg.querySelector('title').textContent") == words["shares"]
    assert page.get_by_role("img", name=words["shares"], exact=True).count() == 1
    assert (
        _ax_description(page, "#indicator-panel svg.chart--shares.chart--wide")
        == (words["shares_desc"])
    )
    assert shares.locator("text").all_text_contents()[:3] == [low, medium, high]  # legend
    # ... and its figures as a table, behind "Data"
    figure = page.locator("#indicator-panel figure:has(svg.chart--shares)")
    figure.get_by_text(words["data"], exact=True).click()
    years = figure.locator("details[open] table")
    assert [h.strip() for h in years.locator("thead th").all_inner_texts()][:4] == [
        words["year"],
        low,
        medium,
        high,
    ]
    assert _column(years, 1) == ["2022", "2023"]

    # The latest year's distribution: its name and description carry the labels.
    chart = page.locator("#indicator-panel svg.chart--bars.chart--wide")
    assert chart.is_visible()
    name = chart.evaluate("svg => svg.querySelector('title').textContent")
    assert name.startswith(words["name"])
    img = page.get_by_role("img", name=name)
    assert img.count() == 1  # the phone drawing is hidden: one picture for a screen reader
    assert _ax_description(page, "#indicator-panel svg.chart--bars.chart--wide") == (
        f"{low}: 2; {medium}: 1; {high}: 2"
    )
    axis = chart.locator("text").all_text_contents()
    assert [axis[i] for i in (0, 2, 4)] == [low, medium, high]
    # The map's legend and a municipality's tooltip: the labels, lowest first.
    legend = page.locator(".js-choropleth .map-legend")
    legend.wait_for()
    assert legend.inner_text().split("\n") == [words["name"], low, medium, high]
    vic = page.locator(".js-choropleth path.leaflet-interactive").nth(_shape_index(page, "08298"))
    vic.hover(force=True)
    # Vic's own tooltip: one of a shape the pointer crossed on its way may still be fading.
    tooltip = page.locator(".leaflet-tooltip", has_text="Vic")
    tooltip.wait_for()
    assert tooltip.inner_text() == f"Vic: {high}"
    distribution = page.locator("#indicator-panel table").filter(has_text=words["distribution"])
    assert _column(distribution, 1) == [low, medium, high]
    _no_code(page.locator("main").inner_text())
    violations += axe_violations(page.url)
    page.screenshot(
        path=str(screenshot_dir / f"journey-categories-{lang}-1-goal.png"), full_page=True
    )

    # ---- The breakdown view: the declared dimension's values, by their labels ----
    page.locator("#indicator-panel nav").get_by_role("link", name=words["breakdowns"]).click()
    page.wait_for_url(re.compile(r".*tab=breakdowns#indicator-panel$"))
    by_season = page.locator("#indicator-panel table").filter(has_text=words["by_season"])
    assert by_season.count() == 1
    assert [h.strip() for h in by_season.locator("thead th").all_inner_texts()] == [
        by_season.locator("thead th").first.inner_text().strip(),
        low,
        medium,
        high,
    ]
    assert _column(by_season, 1) == words["seasons"]
    _no_code(page.locator("main").inner_text())
    violations += axe_violations(page.url)

    # ---- The metadata view: direction and periodicity in words of the page's language ----
    page.locator("#indicator-panel nav").get_by_role("link", name=words["metadata"]).click()
    page.wait_for_url(re.compile(r".*tab=metadata#indicator-panel$"))
    facts = page.locator("#indicator-panel dl.metadata")
    for term, label in words["facts"].items():
        assert (
            facts.locator("dt", has_text=term)
            .locator("xpath=following-sibling::dd[1]")
            .inner_text()
            == label
        )
    # ... and which import its values come from (the fixtures' one)
    term, ending = words["last_import"]
    last = facts.locator("dt", has_text=term).locator("xpath=following-sibling::dd[1]")
    assert last.inner_text().endswith(ending)
    violations += axe_violations(page.url)

    # ---- The table view: every municipality, lowest risk first ----
    page.locator("#indicator-panel nav").get_by_role("link", name=words["table"]).click()
    page.wait_for_url(re.compile(r".*tab=table#indicator-panel$"))
    everyone = page.locator("details.data-details[open] table")
    assert _column(everyone, 3) == [low, low, medium, high, high]
    _no_code(page.locator("main").inner_text())
    violations += axe_violations(page.url)

    # ---- Follow Vic (high risk) to its profile: the same labels, year by year ----
    everyone.get_by_role("link", name="Vic", exact=True).click()
    page.wait_for_url(re.compile(rf".*/{profiles_path}/08298/\?indicator={RISK}#indicator-panel$"))
    steps = page.locator("#indicator-panel svg.chart--steps.chart--wide")
    assert steps.is_visible()
    assert steps.evaluate("svg => svg.querySelector('title').textContent") == words["steps"]
    assert page.get_by_role("img", name=words["steps"], exact=True).count() == 1
    assert (
        _ax_description(page, "#indicator-panel svg.chart--steps.chart--wide")
        == (words["steps_desc"])
    )
    assert steps.locator("text").all_text_contents()[:3] == [low, medium, high]  # the y axis
    series = page.locator("#indicator-panel table").filter(has_text=words["series"])
    assert series.count() == 1
    assert _column(series, 2) == [medium, high]
    overview = page.locator(".sdg-overview").inner_text()
    assert f"{words['name']} — {high} (2023)" in overview
    _no_code(page.locator("main").inner_text())
    violations += axe_violations(page.url)
    page.screenshot(
        path=str(screenshot_dir / f"journey-categories-{lang}-2-profile.png"), full_page=True
    )

    assert violations == [], violations
