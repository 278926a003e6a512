"""The catalogue editor's closed fields: unit, direction, periodicity, value type and
aggregation are selects, territorial levels are checkboxes; their options are the pure
catalogue's vocabularies, labelled in the editor's language, with the stored value selected.
A stored value that is not (any longer) a choice is shown selected with an error next to it,
in the editor's language, and is refused until the editor picks a valid one."""

from __future__ import annotations

import re
import tomllib
from html import unescape

import pytest

from concertem.databank.models import Indicator
from datasets.indicators.catalog_vocabulary import CHOICE_LABELS
from tests.databank.test_admin import ADD, _indicator_post

pytestmark = pytest.mark.django_db

LEGACY_ERROR = {
    "en": "“furlongs” is stored but is not one of the choices",
    "ca": "«furlongs» és el valor desat, però no és cap de les opcions",
    "es": "«furlongs» es el valor guardado, pero no es ninguna de las opciones",
}


def _edit_url(indicator: Indicator) -> str:
    return f"/admin/snippets/databank/indicator/edit/{indicator.pk}/"


def _options(html: str, name: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of a select's options, as the page writes them."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select named {name}"
    return [
        (unescape(value), unescape(label).strip(), bool(selected))
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select.group(1)
        )
    ]


def _checkboxes(html: str, name: str) -> list[tuple[str, bool, str]]:
    """(value, checked, label) of the checkboxes named ``name``."""
    return [
        (unescape(value), bool(checked), unescape(label).strip())
        for value, checked, label in re.findall(
            rf'<input type="checkbox" name="{name}" value="([^"]*)"[^>]*?( checked)?>'
            r"\s*([^<]*)</label>",
            html,
        )
    ]


def _field_errors(html: str, name: str) -> str:
    """The text of the error box Wagtail draws next to field ``name``."""
    box = re.search(
        rf'data-contentpath="{name}">\s*<div class="w-field__errors"[^>]*>(.*?)</div>', html, re.S
    )
    assert box, f"no field {name}"
    return unescape(re.sub(r"<[^>]+>", " ", box.group(1)))


@pytest.mark.parametrize(
    ("language", "percent", "higher", "decennial", "comarca"),
    [
        ("ca", "percentatge (%)", "més alt és millor", "decennal (cada deu anys)", "comarca"),
        ("es", "porcentaje (%)", "más alto es mejor", "decenal (cada diez años)", "comarca"),
        (
            "en",
            "percentage (%)",
            "higher is better",
            "decennial (every ten years)",
            "comarca (county)",
        ),
    ],
)
def test_the_closed_fields_offer_the_catalogue_vocabularies_in_the_editors_language(
    client, editor, language, percent, higher, decennial, comarca
):
    client.force_login(editor)
    html = client.get(ADD, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for name in ("unit", "direction", "periodicity", "value_type", "aggregation"):
        offered = [value for value, _label, _selected in _options(html, name) if value]
        assert offered == list(CHOICE_LABELS[name]), name
        labels = [label for value, label, _selected in _options(html, name) if value]
        assert labels == [CHOICE_LABELS[name][code][language] for code in offered], name
    assert ("percent", percent, False) in _options(html, "unit")
    assert ("higher_is_better", higher, False) in _options(html, "direction")
    assert ("decennial", decennial, False) in _options(html, "periodicity")
    levels = _checkboxes(html, "territorial_level")
    assert [value for value, _checked, _label in levels] == list(CHOICE_LABELS["territorial_level"])
    assert levels[0][:2] == ("municipality", True)  # a new indicator starts at municipality
    assert ("comarca", False, comarca) in levels
    # A new indicator has no unit yet: the editor must pick one (the blank is selected).
    assert [value for value, _label, selected in _options(html, "unit") if selected] == [""]
    assert ("neutral", True) in [(v, s) for v, _label, s in _options(html, "direction")]


def test_an_indicator_opens_with_its_stored_values_selected(client, editor):
    indicator = Indicator.objects.get(code="unemployment_rate")
    Indicator.objects.filter(pk=indicator.pk).update(territorial_level="comarca,municipality")
    client.force_login(editor)
    html = client.get(_edit_url(indicator), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    selected = {
        name: [value for value, _label, chosen in _options(html, name) if chosen]
        for name in ("unit", "direction", "periodicity", "value_type", "aggregation")
    }
    assert selected == {
        "unit": ["percent"],
        "direction": ["lower_is_better"],
        "periodicity": ["decennial"],
        "value_type": ["numeric"],
        "aggregation": ["value"],
    }
    checked = [value for value, on, _label in _checkboxes(html, "territorial_level") if on]
    assert checked == ["municipality", "comarca"]
    assert "w-field__errors-icon" not in html  # nothing stored is refused


def test_picked_values_are_saved_and_exported_with_the_levels_in_order(client, editor):
    from concertem.databank.exports import databank_catalog_text
    from concertem.databank.selectors import databank_catalog

    client.force_login(editor)
    data = _indicator_post(
        unit="eur_per_inhabitant",
        direction="lower_is_better",
        periodicity="decennial",
        aggregation="count",
        territorial_level=["municipality", "comarca"],
    )
    response = client.post(ADD, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302, response.content.decode()[-3000:]
    saved = Indicator.objects.get(code="organic_farmland_share_2")
    assert (saved.unit, saved.direction, saved.periodicity, saved.aggregation) == (
        "eur_per_inhabitant",
        "lower_is_better",
        "decennial",
        "count",
    )
    assert saved.territorial_level == "municipality,comarca"
    indicator = databank_catalog().get("organic_farmland_share_2")
    assert indicator.unit_label("ca") == "€ per habitant"
    assert indicator.territorial_levels == ("municipality", "comarca")
    exported = tomllib.loads(databank_catalog_text())
    row = next(i for i in exported["indicator"] if i["code"] == "organic_farmland_share_2")
    assert row["unit"] == "eur_per_inhabitant"
    assert row["direction"] == "lower_is_better"
    assert row["periodicity"] == "decennial"
    assert row["aggregation"] == "count"
    assert row["territorial_level"] == ["municipality", "comarca"]

    # Ticking one more level keeps the stored order: the first is the indicator's main level.
    Indicator.objects.filter(pk=saved.pk).update(territorial_level="comarca,municipality")
    data["territorial_level"] = ["municipality", "comarca", "province"]
    response = client.post(_edit_url(saved), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302, response.content.decode()[-3000:]
    saved.refresh_from_db()
    assert saved.territorial_level == "comarca,municipality,province"


def test_no_level_ticked_and_a_value_outside_the_lists_are_refused(client, editor):
    client.force_login(editor)
    page = client.post(
        ADD, _indicator_post(territorial_level=[], direction="sideways"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "This field is required." in _field_errors(page, "territorial_level")
    assert "Select a valid choice. sideways is not one of the available choices." in (
        _field_errors(page, "direction")
    )
    page = client.post(
        ADD,
        _indicator_post(territorial_level=["municipality", "borough"]),
        HTTP_ACCEPT_LANGUAGE="ca",
    ).content.decode()
    assert "borough" in _field_errors(page, "territorial_level")
    assert not Indicator.objects.filter(code="organic_farmland_share_2").exists()


@pytest.mark.parametrize("language", ["ca", "es", "en"])
def test_a_stored_value_outside_the_lists_is_shown_with_an_error_then_replaced(
    client, editor, language
):
    indicator = Indicator.objects.get(code="net_income_per_person")
    Indicator.objects.filter(pk=indicator.pk).update(
        unit="furlongs", direction="sideways", territorial_level="municipality,borough"
    )
    client.force_login(editor)
    response = client.get(_edit_url(indicator), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    # Shown as stored, selected (a save never swaps it silently for the first option) ...
    assert [v for v, _label, chosen in _options(html, "unit") if chosen] == ["furlongs"]
    assert [v for v, _label, chosen in _options(html, "direction") if chosen] == ["sideways"]
    checked = [v for v, on, _label in _checkboxes(html, "territorial_level") if on]
    assert checked == ["borough", "municipality"]
    # ... with the error next to each field, in the editor's language, before any save.
    assert LEGACY_ERROR[language] in _field_errors(html, "unit")
    assert "sideways" in _field_errors(html, "direction")
    assert "borough" in _field_errors(html, "territorial_level")
    assert _field_errors(html, "periodicity").strip() == ""

    # Saved as it is: refused, nothing changes.
    form = {
        **_indicator_post(
            code="net_income_per_person",
            unit="furlongs",
            direction="sideways",
            territorial_level=["borough", "municipality"],
        )
    }
    response = client.post(_edit_url(indicator), form, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert LEGACY_ERROR[language] in _field_errors(response.content.decode(), "unit")
    indicator.refresh_from_db()
    assert (indicator.unit, indicator.direction) == ("furlongs", "sideways")

    # The editor picks valid ones: saved.
    form.update(unit="eur", direction="higher_is_better", territorial_level=["municipality"])
    response = client.post(_edit_url(indicator), form, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302, response.content.decode()[-3000:]
    indicator.refresh_from_db()
    assert (indicator.unit, indicator.direction, indicator.territorial_level) == (
        "eur",
        "higher_is_better",
        "municipality",
    )


def test_the_listing_names_units_in_the_editors_language(client, editor):
    client.force_login(editor)
    html = client.get(
        "/admin/snippets/databank/indicator/", HTTP_ACCEPT_LANGUAGE="ca"
    ).content.decode()
    assert "percentatge (%)" in html
    assert "euros (€)" in html
    # The listing's unit filter offers the same labelled choices, and filters by the code.
    filtered = client.get(
        "/admin/snippets/databank/indicator/?unit=percent", HTTP_ACCEPT_LANGUAGE="ca"
    ).content.decode()
    assert "unemployment_rate" in filtered
    assert "net_income_per_person" not in filtered


def test_a_stored_value_out_of_the_lists_leaves_only_its_indicator_out_of_the_site(client, caplog):
    """A row edited outside the editor must not take every indicator page down: the site's
    catalogue leaves that indicator out, logs why, and the SDG pages still answer."""
    from concertem.databank.selectors import databank_catalog
    from concertem.databank.services import version_bump
    from concertem.dataportal.demo_content import portal_pages_load
    from concertem.home.demo_content import demo_site_load

    portal_pages_load(demo_site_load())

    Indicator.objects.filter(code="net_income_per_household").update(unit="euros_per_home")
    version_bump()
    catalog = databank_catalog()
    codes = {indicator.code for indicator in catalog.indicators}
    assert "net_income_per_household" not in codes
    assert "gini" in codes and len(codes) == Indicator.objects.count() - 1
    assert "net_income_per_household left out of the catalogue" in caplog.text
    assert client.get("/ca/ods/").status_code == 200
    assert client.get("/en/sdg/1/").status_code == 200
