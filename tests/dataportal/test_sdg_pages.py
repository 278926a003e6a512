"""The SDG pages and the profile's indicator panel: what they show equals the values table.

The expected figures are read from ``indicator_values.csv`` with the csv module (not with the
site's code) and formatted by the language's number rule.
"""

from __future__ import annotations

import csv
import re
import statistics
from types import SimpleNamespace

import pytest

from datasets.indicators.catalog import IndicatorCatalog, indicator_catalog_load
from datasets.indicators.values import VALUES_PATH, values_rows_read
from datasets.number_display import number_format

pytestmark = pytest.mark.django_db
VIC = "08298"
TAG = re.compile(r"<[^>]+>")


def _text(html: str) -> str:
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", TAG.sub(" ", html))


def _csv_values(indicator: str) -> dict[tuple[str, int], float]:
    with VALUES_PATH.open(encoding="utf-8") as stream:
        return {
            (row["entity_code"], int(row["year"])): float(row["value"])
            for row in csv.DictReader(stream)
            if row["indicator_code"] == indicator and row["disaggregation"] == "_T" and row["value"]
        }


def _province_codes() -> set[str]:
    from datasets.territory import entities_load

    return {e.entity_code for e in entities_load(province_code="08")}


def _table_rows(html: str, caption: str) -> list[list[str]]:
    """The body rows (cell texts) of the table whose caption starts with ``caption``."""
    for table in re.findall(r"<table\b.*?</table>", html, flags=re.S):
        found = re.search(r"<caption>(.*?)</caption>", table, flags=re.S)
        if found and _text(found[1]).strip().startswith(caption):
            body = re.search(r"<tbody>(.*?)</tbody>", table, flags=re.S)[1]
            return [
                [_text(cell).strip() for cell in re.findall(r"<t[hd]\b.*?</t[hd]>", row, re.S)]
                for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
            ]
    raise AssertionError(f"no table captioned {caption!r}")


@pytest.mark.parametrize(
    ("url", "phrase"),
    [
        ("/ca/ods/", "Encara no hi ha cap indicador per als objectius"),
        ("/en/sdg/", "No indicator yet for goals"),
    ],
)
def test_index_names_the_goals_without_data(client, portal_site, url, phrase):
    catalog = indicator_catalog_load()
    with_data = {
        goal
        for indicator in catalog
        if any(row[0] == indicator.code for row in values_rows_read())
        for goal in indicator.sdg_goals
    }
    missing = [g for g in range(1, 18) if g not in with_data]
    text = _text(client.get(url).content.decode())
    assert f"{len(with_data)} " in text
    if missing:
        assert f"{phrase} {', '.join(map(str, missing))}." in text
    assert {4, 17} <= with_data


@pytest.mark.parametrize("language", ["ca", "en"])
def test_goal_series_table_is_the_median_of_the_values_table(client, portal_site, language):
    prefix = "/ca/ods/10/" if language == "ca" else "/en/sdg/10/"
    html = client.get(f"{prefix}?indicator=gini&tab=table").content.decode()
    values = _csv_values("gini")
    codes = _province_codes()
    caption = (
        "Índex de Gini de la renda, any per any"
        if language == "ca"
        else "Gini index of income, year by year"
    )
    rows = _table_rows(html, caption)
    years = sorted({year for _code, year in values})
    assert [int(row[0]) for row in rows] == years
    for row in rows:
        year = int(row[0])
        peers = [v for (code, y), v in values.items() if y == year and code in codes]
        assert row[1] == number_format(statistics.median(peers), 1, language)
        assert row[2] == number_format(len(peers), 0, language)
    # the table view also lists every municipality, each linking to its profile's panel
    assert html.count("?indicator=gini#indicator-panel") == len(
        [1 for (code, y) in values if y == years[-1] and code in codes]
    )


def test_goal_chart_view_states_the_progress_and_its_rule(client, portal_site):
    html = client.get("/en/sdg/10/?indicator=gini").content.decode()
    text = _text(html)
    values = _csv_values("gini")
    codes = _province_codes()
    first = statistics.median(v for (c, y), v in values.items() if y == 2015 and c in codes)
    last = statistics.median(v for (c, y), v in values.items() if y == 2022 and c in codes)
    # Gini: less is better, so a lower median is an improvement
    expected = (
        "Improving" if last < first * 0.99 else ("Worsening" if last > first * 1.01 else "Stable")
    )
    assert f"Progress: {expected} · 2015: {number_format(first, 1, 'en')}" in text
    assert "A change smaller than 1% of the first value is stable." in text
    assert 'aria-current="page">Evolution</a>' in html
    assert html.count("<svg") >= 2  # the series chart and the municipalities' bar chart


def test_goal_metadata_view(client, portal_site):
    html = client.get(
        "/ca/ods/4/?indicator=share_higher_education_completed&tab=metadata"
    ).content.decode()
    text = _text(html)
    assert "Població amb estudis superiors" in text
    assert "Definició" in text and "Mètode" in text and "CC-BY-4.0" in text
    assert 'href="https://www.ine.es/censos2021/"' in html
    assert "Conjunt de dades d'indicadors territorials, versió" in text


@pytest.mark.parametrize(
    "query", ["?tab=zzz", "?indicator=%3Cscript%3E&tab=", "?indicator=gini&tab=metadata%00"]
)
def test_odd_parameters_show_the_default_view(client, portal_site, query):
    response = client.get(f"/en/sdg/10/{query}")
    assert response.status_code == 200
    assert 'aria-current="page">Evolution</a>' in response.content.decode()


@pytest.mark.parametrize("language", ["ca", "en"])
def test_profile_panel_table_equals_the_values_table(client, portal_site, language):
    prefix = "/ca/municipis/" if language == "ca" else "/en/municipalities/"
    html = client.get(f"{prefix}{VIC}/?indicator=net_income_per_person&tab=table").content.decode()
    values = _csv_values("net_income_per_person")
    caption = (
        "Renda neta mitjana per persona, any per any"
        if language == "ca"
        else "Mean net income per person, year by year"
    )
    rows = _table_rows(html, caption)
    mine = sorted((year, value) for (code, year), value in values.items() if code == VIC)
    assert [(int(row[0]), row[1]) for row in rows] == [
        (year, number_format(value, 0, language)) for year, value in mine
    ]


# ---- A categorical indicator and a breakdown, through the same pages ----


def _with_categorical(monkeypatch):
    """The real tables plus a categorical indicator (goal 13) and a sex breakdown for Vic."""
    import datasets.indicators.views as views_module
    from datasets.sdg import sdg_framework_load
    from datasets.territory import entities_load

    texts = {"ca": "Risc climàtic", "es": "Riesgo climático", "en": "Climate risk"}
    risk = SimpleNamespace(
        code="climate_risk",
        names=texts,
        definitions=texts,
        methods=texts,
        name=lambda language="ca": texts[language],
        unit_label=lambda language="ca": "",
        decimals=0,
        direction="lower_is_better",
        periodicity="annual",
        territorial_level="municipality",
        source="Test source",
        source_url="",
        licence="CC-BY-4.0",
        sdg_targets=("13.1",),
        sdg_indicators=(),
        sdg_goals=(13,),
        value_type="ordinal",
        publisher_code="13.1.9",
        categories=(
            SimpleNamespace(code="low", labels={"ca": "Baix", "es": "Bajo", "en": "Low"}),
            SimpleNamespace(code="high", labels={"ca": "Alt", "es": "Alto", "en": "High"}),
        ),
    )
    real = indicator_catalog_load()
    indicators = (*real.indicators, risk)
    catalog = IndicatorCatalog(indicators=indicators, _index={i.code: i for i in indicators})
    rows = [
        *values_rows_read(),
        ("climate_risk", VIC, "2023", "_T", "high", "final"),
        ("climate_risk", "08019", "2023", "_T", "high", "final"),
        ("climate_risk", "08001", "2023", "_T", "low", "final"),
        ("gini", VIC, "2022", "sex=female", "31.5", "final"),
        ("gini", VIC, "2022", "sex=male", "29.1", "final"),
    ]
    views = views_module.IndicatorViews.from_rows(
        catalog=catalog,
        rows=rows,
        entities=entities_load(province_code=None),
        sdg=sdg_framework_load(),
    )
    monkeypatch.setattr("concertem.databank.selectors.databank_views", lambda: views)


def test_categorical_indicator_shows_a_distribution_not_numbers(client, portal_site, monkeypatch):
    _with_categorical(monkeypatch)
    html = client.get("/en/sdg/13/?indicator=climate_risk&tab=breakdowns").content.decode()
    rows = _table_rows(html, "Climate risk: municipalities by category, 2023")
    assert rows == [["Low", "1", "33.3%"], ["High", "2", "66.7%"]]
    index = _text(client.get("/en/sdg/").content.decode())
    assert "13" not in index.split("No indicator yet for goals")[1].split(".")[0]
    profile = client.get(f"/ca/municipis/{VIC}/?indicator=climate_risk").content.decode()
    assert _table_rows(profile, "Categoria de Vic, any per any") == [["2023", "Alt"]]
    metadata = _text(
        client.get(f"/ca/municipis/{VIC}/?indicator=climate_risk&tab=metadata").content.decode()
    )
    assert "Codi de l'editor 13.1.9" in metadata


@pytest.mark.parametrize("language", ["ca", "en"])
def test_profile_breakdowns_view(client, portal_site, monkeypatch, language):
    _with_categorical(monkeypatch)
    prefix = "/ca/municipis/" if language == "ca" else "/en/municipalities/"
    html = client.get(f"{prefix}{VIC}/?indicator=gini&tab=breakdowns").content.decode()
    caption = (
        "Índex de Gini de la renda per sexe, 2022"
        if language == "ca"
        else "Gini index of income by sex, 2022"
    )
    rows = _table_rows(html, caption)
    women, men = ("Dones", "Homes") if language == "ca" else ("Women", "Men")
    assert [row[:2] for row in rows] == [
        [women, number_format(31.5, 1, language)],
        [men, number_format(29.1, 1, language)],
    ]
    assert f"territorial-indicators|indicator_values|gini,{VIC},2022,sex=female|value" in html


def test_every_goal_and_view_answers(client, portal_site):
    """All 17 goals, each indicator's four views, for the province and for one municipality."""
    from concertem.databank.selectors import databank_views

    views = databank_views()
    for goal in range(1, 18):
        for indicator in views.catalog.of_goal(goal) or [None]:
            query = f"?indicator={indicator.code}" if indicator else "?"
            for tab in ("chart", "breakdowns", "table", "metadata"):
                response = client.get(f"/ca/ods/{goal}/{query}&tab={tab}")
                assert response.status_code == 200, (goal, query, tab)
                if indicator:
                    profile = client.get(f"/en/municipalities/{VIC}/{query}&tab={tab}")
                    assert profile.status_code == 200, (indicator.code, tab)
