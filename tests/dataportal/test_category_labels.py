"""Categorical indicators and declared dimensions on the public pages: labels, never codes.

The indicators come from the data bank's tables (``category_fixtures``): an ordinal fire risk
whose labels differ by language (Baixa / Mitja / Alta, Baja / Media / Alta, Low / Medium / High)
and a numeric indicator broken down by a declared dimension. Every table, chart title and chart
description of the goal page and of a profile must write the label of the page's language, in
the declared order, and no stored code may reach the visible or accessible text.
"""

from __future__ import annotations

import html as html_module
import json
import re

import pytest

from tests.dataportal.category_fixtures import (
    BARCELONA,
    CODES,
    ENERGY,
    RISK,
    RISK_CATEGORIES,
    VIC,
    categorical_indicators_create,
)

pytestmark = pytest.mark.django_db

PATHS = {"ca": ("ods", "municipis"), "es": ("ods", "municipios"), "en": ("sdg", "municipalities")}
LOW, MEDIUM, HIGH = ({lang: c["labels"][lang] for lang in PATHS} for c in RISK_CATEGORIES)
WINTER = {"ca": "Hivern", "es": "Invierno", "en": "Winter"}
SUMMER = {"ca": "Estiu", "es": "Verano", "en": "Summer"}
GAS = {"ca": "Gas natural", "es": "Gas natural", "en": "Natural gas"}
ELECTRICITY = {"ca": "Electricitat", "es": "Electricidad", "en": "Electricity"}
RISK_NAME = {"ca": "Risc d'incendi", "es": "Riesgo de incendio", "en": "Fire risk"}
ENERGY_NAME = {"ca": "Consum d'energia", "es": "Consumo de energía", "en": "Energy consumption"}
BY = {"ca": "per", "es": "por", "en": "by"}
SEASON = {"ca": "estació", "es": "estación", "en": "season"}
SOURCE = {"ca": "font d'energia", "es": "fuente de energía", "en": "energy source"}


def _text(fragment: str) -> str:
    fragment = re.sub(r"<(script|style)\b.*?</\1>", " ", fragment, flags=re.S)
    return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def _visible(page: str) -> str:
    """What a reader sees or a screen reader says: the text (the charts' titles and
    descriptions included) and the aria-label / title / alt attributes."""
    spoken = re.findall(r'\b(?:aria-label|title|alt)="([^"]*)"', page)
    return _text(page) + " " + " ".join(html_module.unescape(s) for s in spoken)


def _tables(page: str) -> list[tuple[str, list[list[str]]]]:
    """(caption, rows with the header row first) of every table of the page."""
    found = []
    for table in re.findall(r"<table\b.*?</table>", page, flags=re.S):
        caption = re.search(r"<caption>(.*?)</caption>", table, flags=re.S)
        rows = [
            [_text(cell) for cell in re.findall(r"<t[hd]\b.*?</t[hd]>", row, flags=re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
        ]
        found.append((_text(caption[1]) if caption else "", rows))
    return found


def _table(page: str, caption_start: str) -> list[list[str]]:
    for caption, rows in _tables(page):
        if caption.startswith(caption_start):
            return rows
    raise AssertionError(f"no table captioned {caption_start!r}: {[c for c, _ in _tables(page)]}")


def _table_headed(page: str, header: list[str]) -> list[list[str]]:
    for _caption, rows in _tables(page):
        if rows and rows[0] == header:
            return rows[1:]
    raise AssertionError(f"no table headed {header!r}")


def _chart_texts(page: str, kind: str = "bars") -> list[str]:
    """Title and description of each chart of a kind (bars: the latest year's distribution;
    shares and steps: the evolution, see test_category_charts): its accessible name and
    description."""
    return [
        _text(f"{title} — {desc}")
        for title, desc in re.findall(
            rf'<svg class="chart chart--{kind}[^"]*chart--wide[^>]*><title>(.*?)</title>'
            r"<desc>(.*?)</desc>",
            page,
            flags=re.S,
        )
    ]


def _no_code_shown(page: str) -> None:
    visible = _visible(page)
    assert [code for code in CODES if code in visible] == []


@pytest.fixture
def categories_site(portal_site):
    categorical_indicators_create()
    return portal_site


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("lang", ["ca", "es", "en"])
def test_goal_page_writes_the_categories_in_the_language_and_declared_order(
    client, categories_site, lang
):
    sdg, _profiles = PATHS[lang]
    order = [LOW[lang], MEDIUM[lang], HIGH[lang]]
    for tab in ("chart", "breakdowns", "table"):
        page = _get(client, f"/{lang}/{sdg}/13/?indicator={RISK}&tab={tab}")
        _no_code_shown(page)
        distribution = _table(page, f"{RISK_NAME[lang]}: ")
        assert [row[0] for row in distribution[1:]] == order
        assert [row[1] for row in distribution[1:]] == ["2", "1", "2"]
        chart = _chart_texts(page)[0]
        assert chart.endswith(f"{order[0]}: 2; {order[1]}: 1; {order[2]}: 2"), chart
    # every municipality with its category, lowest risk first (not the labels' alphabet)
    page = _get(client, f"/{lang}/{sdg}/13/?indicator={RISK}&tab=table")
    header = {"ca": "Categoria", "es": "Categoría", "en": "Category"}[lang]
    municipality = {"ca": "Municipi", "es": "Municipio", "en": "Municipality"}[lang]
    rows = _table_headed(page, ["#", municipality, header])
    assert [row[2] for row in rows] == [order[0]] * 2 + [order[1]] + [order[2]] * 2
    assert rows[-1][1] == "Vic"


def _json_script(page: str, element_id: str):
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', page)
    assert found, element_id
    return json.loads(found[1])


@pytest.mark.parametrize("lang", ["ca", "es", "en"])
def test_goal_page_map_data_carries_labels_in_declared_order(client, categories_site, lang):
    sdg, _profiles = PATHS[lang]
    page = _get(client, f"/{lang}/{sdg}/13/?indicator={RISK}")
    legend = _json_script(page, "goal-map-categories")
    assert legend == [LOW[lang], MEDIUM[lang], HIGH[lang]]
    values = _json_script(page, "goal-map-values")
    assert values[VIC] == {"category": HIGH[lang], "rank": 2}
    assert values[BARCELONA] == {"category": LOW[lang], "rank": 0}
    assert 'data-categories="goal-map-categories"' in page
    assert [code for code in CODES if code in json.dumps(values)] == []


@pytest.mark.parametrize("lang", ["ca", "es", "en"])
def test_goal_page_breaks_a_categorical_indicator_down_by_its_declared_dimension(
    client, categories_site, lang
):
    sdg, _profiles = PATHS[lang]
    page = _get(client, f"/{lang}/{sdg}/13/?indicator={RISK}&tab=breakdowns")
    _no_code_shown(page)
    rows = _table(page, f"{RISK_NAME[lang]} {BY[lang]} {SEASON[lang]}, 2023")
    assert rows[0][1:] == [LOW[lang], MEDIUM[lang], HIGH[lang]]
    # declared order: winter, then summer; counts of Vic and Barcelona per category
    assert rows[1:] == [[WINTER[lang], "2", "0", "0"], [SUMMER[lang], "0", "1", "1"]]


@pytest.mark.parametrize("lang", ["ca", "es", "en"])
def test_profile_writes_the_municipality_s_category_in_the_language(client, categories_site, lang):
    _sdg, profiles = PATHS[lang]
    base = f"/{lang}/{profiles}/{VIC}/?indicator={RISK}"
    series_caption = {"ca": "Categoria de Vic", "es": "Categoría de Vic", "en": "Category of Vic"}
    for tab in ("chart", "table"):
        page = _get(client, f"{base}&tab={tab}")
        _no_code_shown(page)
        assert _table(page, series_caption[lang])[1:] == [
            ["2022", MEDIUM[lang]],
            ["2023", HIGH[lang]],
        ]
    text = _text(page)
    # the profile's table of categorical indicators, and the 17-goal overview
    assert f"{RISK_NAME[lang]} 2023 {HIGH[lang]} 13" in text
    assert f"{RISK_NAME[lang]} — {HIGH[lang]} (2023)" in text
    page = _get(client, f"{base}&tab=breakdowns")
    _no_code_shown(page)
    rows = _table(page, f"{RISK_NAME[lang]} {BY[lang]} {SEASON[lang]}, 2023")
    assert rows[0][1:] == ["Vic", LOW[lang], MEDIUM[lang], HIGH[lang]]
    assert [row[:2] for row in rows[1:]] == [[WINTER[lang], LOW[lang]], [SUMMER[lang], HIGH[lang]]]
    barcelona = _get(client, f"/{lang}/{profiles}/{BARCELONA}/?indicator={RISK}&tab=breakdowns")
    rows = _table(barcelona, f"{RISK_NAME[lang]} {BY[lang]} {SEASON[lang]}, 2023")
    assert [row[:2] for row in rows[1:]] == [
        [WINTER[lang], LOW[lang]],
        [SUMMER[lang], MEDIUM[lang]],
    ]


@pytest.mark.parametrize("lang", ["ca", "es", "en"])
def test_declared_dimension_values_show_their_labels_in_declared_order(
    client, categories_site, lang
):
    sdg, profiles = PATHS[lang]
    caption = f"{ENERGY_NAME[lang]} {BY[lang]} {SOURCE[lang]}, 2023"
    goal = _get(client, f"/{lang}/{sdg}/13/?indicator={ENERGY}&tab=breakdowns")
    _no_code_shown(goal)
    assert [row[0] for row in _table(goal, caption)[1:]] == [GAS[lang], ELECTRICITY[lang]]
    profile = _get(client, f"/{lang}/{profiles}/{VIC}/?indicator={ENERGY}&tab=breakdowns")
    _no_code_shown(profile)
    assert [row[0] for row in _table(profile, caption)[1:]] == [GAS[lang], ELECTRICITY[lang]]


def test_pending_translations_show_the_catalan_label(client, categories_site):
    """An editor saved the indicator with "translation pending": English and Spanish pages
    write the Catalan label, never the code."""
    from concertem.databank.models import Indicator
    from concertem.databank.services import version_bump

    risk = Indicator.objects.get(code=RISK)
    risk.translation_pending = True
    risk.categories = [
        {**category, "labels": {"ca": category["labels"]["ca"], "es": "", "en": ""}}
        for category in RISK_CATEGORIES
    ]
    risk.save()
    version_bump()
    for lang in ("es", "en"):
        sdg, _profiles = PATHS[lang]
        page = _get(client, f"/{lang}/{sdg}/13/?indicator={RISK}&tab=table")
        _no_code_shown(page)
        distribution = _table(page, f"{RISK_NAME[lang]}: ")
        assert [row[0] for row in distribution[1:]] == ["Baixa", "Mitja", "Alta"]


def test_a_value_stored_as_a_spelling_shows_its_category_label(client, categories_site):
    """A value written as an alias ("Mitjana") before the mapping existed counts in, and
    reads as, its declared category."""
    from concertem.databank.models import Indicator
    from concertem.databank.services import version_bump
    from tests.dataportal.category_fixtures import values_write

    values_write(Indicator.objects.get(code=RISK), [(VIC, 2023, "_T", "Mitjana")])
    version_bump()
    page = _get(client, f"/en/municipalities/{VIC}/?indicator={RISK}&tab=table")
    assert _table(page, "Category of Vic")[1:] == [["2022", "Medium"], ["2023", "Medium"]]
    assert [row[:2] for row in _table(page, "Fire risk: ")[1:]] == [
        ["Low", "2"],
        ["Medium", "2"],
        ["High", "1"],
    ]
    assert "Mitjana" not in _visible(page)
