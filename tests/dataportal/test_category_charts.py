"""A categorical indicator's evolution and its metadata, on the goal page and on a profile.

The ordinal fire risk of ``category_fixtures`` (2022: 3 municipalities, 2023: 5) is drawn on
the goal page as one 100% bar per year of the province's municipalities in each category, and
on Vic's profile as its category per year on the ordinal scale. Both are ``<svg role="img">``
whose title names them and whose description reads every figure in words; legends, axes and
tooltips write the labels of the page's language in the declared order, never a code; the
year-by-year table stays beside the chart. The metadata view names the indicator's direction,
periodicity and territorial level in the page's language, from the catalogue's vocabulary.
"""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path

import pytest

from concertem.dataportal.category_charts import CATEGORY_COLOURS
from tests.dataportal.category_fixtures import BARCELONA, RISK, VIC, categorical_indicators_create
from tests.dataportal.test_category_labels import (
    HIGH,
    LOW,
    MEDIUM,
    PATHS,
    _get,
    _no_code_shown,
    _table,
)

pytestmark = pytest.mark.django_db

MAP_JS = Path(__file__).parents[2] / "site/concertem/dataportal/static/dataportal/map.js"
MUNICIPALITIES = {"ca": "municipis", "es": "municipios", "en": "municipalities"}
# Catalan and Spanish put a no-break space before the percent sign.
PERCENT = {
    "ca": tuple(f"{n}\u00a0%" for n in (67, 33, 0, 40, 20)),
    "es": tuple(f"{n}\u00a0%" for n in (67, 33, 0, 40, 20)),
    "en": ("67%", "33%", "0%", "40%", "20%"),
}
SHARES_TITLE = {
    "ca": "Risc d'incendi, de 2022 a 2023: municipis de la província en cada categoria",
    "es": "Riesgo de incendio, de 2022 a 2023: municipios de la provincia en cada categoría",
    "en": "Fire risk, 2022 to 2023: municipalities of the province in each category",
}
STEPS_TITLE = {
    "ca": "Risc d'incendi a Vic, de 2022 a 2023: la seva categoria any per any",
    "es": "Riesgo de incendio en Vic, de 2022 a 2023: su categoría año por año",
    "en": "Fire risk in Vic, 2022 to 2023: its category year by year",
}
IN_ORDER = {"ca": "Categories en ordre", "es": "Categorías en orden", "en": "Categories in order"}
YEARS_CAPTION = {
    "ca": "Risc d'incendi, any per any: municipis de la província en cada categoria",
    "es": "Riesgo de incendio, año por año: municipios de la provincia en cada categoría",
    "en": "Fire risk, year by year: municipalities of the province in each category",
}
METADATA = {
    "ca": {"Sentit": "més baix és millor", "Periodicitat": "anual"},
    "es": {"Sentido": "más bajo es mejor", "Periodicidad": "anual"},
    "en": {"Direction": "lower is better", "Periodicity": "annual"},
}
LEVEL = {
    "ca": ("Nivell territorial", "municipi"),
    "es": ("Nivel territorial", "municipio"),
    "en": ("Territorial level", "municipality"),
}


@pytest.fixture
def chart_site(portal_site):
    categorical_indicators_create()
    return portal_site


def _svg(page: str, kind: str) -> str:
    """The wide drawing of the chart of that kind (the narrow twin is hidden by CSS)."""
    found = re.findall(rf'<svg class="chart chart--{kind} chart--wide".*?</svg>', page, flags=re.S)
    assert len(found) == 1, f"{len(found)} {kind} charts"
    return found[0]


def _title_desc(svg: str) -> tuple[str, str]:
    found = re.match(r'<svg [^>]*role="img"[^>]*><title>(.*?)</title><desc>(.*?)</desc>', svg)
    assert found, svg[:200]
    return html_module.unescape(found[1]), html_module.unescape(found[2])


def _svg_texts(svg: str) -> list[str]:
    return [html_module.unescape(t) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg)]


def _tooltips(svg: str, element: str) -> list[str]:
    return [
        html_module.unescape(t)
        for t in re.findall(rf"<{element}\b[^>]*><title>(.*?)</title></{element}>", svg)
    ]


@pytest.mark.parametrize("lang", ["ca", "es", "en"])
def test_goal_page_draws_the_province_s_categories_year_by_year(client, chart_site, lang):
    sdg, _profiles = PATHS[lang]
    page = _get(client, f"/{lang}/{sdg}/13/?indicator={RISK}&tab=chart")
    _no_code_shown(page)
    svg = _svg(page, "shares")
    low, medium, high = LOW[lang], MEDIUM[lang], HIGH[lang]
    p67, p33, p0, p40, p20 = PERCENT[lang]
    title, desc = _title_desc(svg)
    assert title == SHARES_TITLE[lang]
    town = MUNICIPALITIES[lang]
    assert desc == (
        f"2022, 3 {town}: {low} 2 ({p67}), {medium} 1 ({p33}), {high} 0 ({p0}); "
        f"2023, 5 {town}: {low} 2 ({p40}), {medium} 1 ({p20}), {high} 2 ({p40})"
    )
    # the legend: the labels in declared order, before the axis and the bars
    assert _svg_texts(svg)[:3] == [low, medium, high]
    # each bar's segments, oldest year first, in declared order and colours lightest first
    assert _tooltips(svg, "rect") == [
        f"2022, {low}: 2 ({p67})",
        f"2022, {medium}: 1 ({p33})",
        f"2023, {low}: 2 ({p40})",
        f"2023, {medium}: 1 ({p20})",
        f"2023, {high}: 2 ({p40})",
    ]
    fills = re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"[^>]*><title>2023', svg)
    assert fills == [CATEGORY_COLOURS[0], CATEGORY_COLOURS[3], CATEGORY_COLOURS[6]]
    # the same figures as a table, under the chart and in the table view
    for tab_page in (page, _get(client, f"/{lang}/{sdg}/13/?indicator={RISK}&tab=table")):
        rows = _table(tab_page, YEARS_CAPTION[lang])
        assert rows[0][1:4] == [low, medium, high]
        assert rows[1:] == [["2022", "2", "1", "0", "3"], ["2023", "2", "1", "2", "5"]]


@pytest.mark.parametrize("lang", ["ca", "es", "en"])
def test_profile_draws_the_municipality_s_category_on_the_ordinal_scale(client, chart_site, lang):
    _sdg, profiles = PATHS[lang]
    page = _get(client, f"/{lang}/{profiles}/{VIC}/?indicator={RISK}&tab=chart")
    _no_code_shown(page)
    svg = _svg(page, "steps")
    low, medium, high = LOW[lang], MEDIUM[lang], HIGH[lang]
    title, desc = _title_desc(svg)
    assert title == STEPS_TITLE[lang]
    assert desc == f"{IN_ORDER[lang]}: {low}, {medium}, {high}. 2022: {medium}; 2023: {high}"
    # the y axis is the scale, first declared at the bottom; then the years
    assert _svg_texts(svg) == [low, medium, high, "2022", "2023"]
    axis_y = [float(y) for y in re.findall(r'<text x="\d+" y="([\d.]+)" text-anchor="end"', svg)]
    assert axis_y == sorted(axis_y, reverse=True)
    assert _tooltips(svg, "circle") == [f"2022: {medium}", f"2023: {high}"]
    # the table stays, as the accessible alternative
    caption = {"ca": "Categoria de Vic", "es": "Categoría de Vic", "en": "Category of Vic"}[lang]
    assert _table(page, caption)[1:] == [["2022", medium], ["2023", high]]


def test_one_year_draws_no_evolution(client, chart_site):
    """08002 has a category only in 2023: a one-dot chart would say nothing, the table does."""
    page = _get(client, f"/en/municipalities/08002/?indicator={RISK}&tab=chart")
    assert 'class="chart chart--steps' not in page
    assert _table(page, "Category of")[1:] == [["2023", "High"]]


def test_pending_translations_draw_the_catalan_labels(client, chart_site):
    from concertem.databank.models import Indicator
    from concertem.databank.services import version_bump
    from tests.dataportal.category_fixtures import RISK_CATEGORIES

    risk = Indicator.objects.get(code=RISK)
    risk.translation_pending = True
    risk.categories = [
        {**category, "labels": {"ca": category["labels"]["ca"], "es": "", "en": ""}}
        for category in RISK_CATEGORIES
    ]
    risk.save()
    version_bump()
    goal = _get(client, f"/en/sdg/13/?indicator={RISK}&tab=chart")
    _no_code_shown(goal)
    assert _svg_texts(_svg(goal, "shares"))[:3] == ["Baixa", "Mitja", "Alta"]
    profile = _get(client, f"/en/municipalities/{BARCELONA}/?indicator={RISK}&tab=chart")
    _no_code_shown(profile)
    assert _title_desc(_svg(profile, "steps"))[1].endswith("2022: Baixa; 2023: Baixa")


def _metadata(page: str) -> dict[str, str]:
    block = re.search(r'<dl class="metadata">(.*?)</dl>', page, flags=re.S)
    assert block, "no metadata list"
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block[1], flags=re.S)
    return {
        html_module.unescape(dt): html_module.unescape(re.sub(r"<[^>]+>", "", dd))
        for dt, dd in pairs
    }


@pytest.mark.parametrize("lang", ["ca", "es", "en"])
def test_metadata_names_direction_periodicity_and_level_in_the_language(client, chart_site, lang):
    sdg, profiles = PATHS[lang]
    for url in (
        f"/{lang}/{sdg}/13/?indicator={RISK}&tab=metadata",
        f"/{lang}/{profiles}/{VIC}/?indicator={RISK}&tab=metadata",
    ):
        found = _metadata(_get(client, url))
        for term, label in METADATA[lang].items():
            assert found.get(term) == label, (url, found)
        term, level = LEVEL[lang]
        assert found.get(term) == level, (url, found)


def test_chart_colours_are_the_map_s():
    """A category has one colour on the goal page's map and on its charts."""
    colours = re.search(r"var COLOURS = \[(.*?)\];", MAP_JS.read_text())
    assert colours, "map.js COLOURS"
    assert tuple(re.findall(r'"(#[0-9a-f]{6})"', colours[1])) == CATEGORY_COLOURS
