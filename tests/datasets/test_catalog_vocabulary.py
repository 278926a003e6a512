"""The catalogue's closed vocabularies (units, directions, periodicities, levels, value types,
aggregations): one table each, labelled in ca/es/en, the same lists the catalogue table's
schema allows, and every unit (the new ones included) accepted by the parser and published."""

from __future__ import annotations

import csv
import json

import pytest
from frictionless import Resource, Schema

from datasets.indicators.catalog import (
    AGGREGATIONS,
    CATALOG_HEADER,
    DIRECTIONS,
    PERIODICITIES,
    TERRITORIAL_LEVELS,
    UNITS,
    VALUE_TYPES,
    indicator_catalog_parse,
    indicator_catalog_rows,
)
from datasets.indicators.catalog_vocabulary import CHOICE_LABELS, UNIT_LABELS, catalog_choices
from datasets.indicators.errors import IndicatorCatalogError
from datasets.sdg import LANGUAGES, sdg_framework_load
from tests.datasets.test_indicators import SCHEMAS_DIR, _catalog_text

# What publishers send that the first five units could not say (issue 17).
PUBLISHER_UNITS = (
    "kwh",
    "count",
    "score_0_10",
    "eur_per_inhabitant",
    "hectares",
    "category",
    "per_1000_inhabitants",
    "tonnes",
)


def _schema() -> dict:
    return json.loads((SCHEMAS_DIR / "indicators.json").read_text(encoding="utf-8"))


def test_the_schema_allows_exactly_the_catalogue_vocabularies():
    enums = {
        field["name"]: field["constraints"]["enum"]
        for field in _schema()["fields"]
        if "enum" in field.get("constraints", {})
    }
    assert enums == {
        "unit": list(UNITS),
        "direction": list(DIRECTIONS),
        "periodicity": list(PERIODICITIES),
        "value_type": list(VALUE_TYPES),
        "aggregation": list(AGGREGATIONS),
    }


def test_every_code_has_a_distinct_label_in_each_language():
    assert set(CHOICE_LABELS) == {
        "unit",
        "direction",
        "periodicity",
        "territorial_level",
        "value_type",
        "aggregation",
    }
    assert tuple(CHOICE_LABELS["territorial_level"]) == TERRITORIAL_LEVELS
    for field, labels in CHOICE_LABELS.items():
        for language in LANGUAGES:
            texts = [labels[code][language].strip() for code in labels]
            assert all(texts), (field, language)
            assert len(set(texts)) == len(texts), (field, language, texts)
    for code, unit in UNIT_LABELS.items():
        assert set(unit) == {"symbol", "name"}, code
        assert UNITS[code] == unit["symbol"]
        assert all(unit["symbol"][language] for language in LANGUAGES), code


def test_choices_are_labelled_in_the_asked_language():
    assert ("percent", "percentatge (%)") in catalog_choices("unit", "ca")
    assert ("percent", "porcentaje (%)") in catalog_choices("unit", "es")
    assert ("percent", "percentage (%)") in catalog_choices("unit", "en")
    assert catalog_choices("direction", "ca")[0] == ("higher_is_better", "més alt és millor")
    assert [code for code, _label in catalog_choices("periodicity", "en")] == list(PERIODICITIES)


@pytest.mark.parametrize("unit", PUBLISHER_UNITS)
def test_publisher_units_are_parsed_and_published(unit, tmp_path):
    catalog = indicator_catalog_parse(text=_catalog_text(unit=unit), sdg=sdg_framework_load())
    indicator = catalog.get("x")
    assert indicator.unit == unit
    assert indicator.unit_label("ca") == UNITS[unit]["ca"]
    path = tmp_path / "indicators.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(CATALOG_HEADER)
        writer.writerows(indicator_catalog_rows(catalog))
    schema = _schema()
    schema.pop("foreignKeys", None)
    report = Resource(
        path=path.name, basepath=str(tmp_path), schema=Schema.from_descriptor(schema)
    ).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "note"])


def test_a_unit_outside_the_vocabulary_is_refused_with_the_list():
    with pytest.raises(IndicatorCatalogError) as caught:
        indicator_catalog_parse(text=_catalog_text(unit="furlongs"), sdg=sdg_framework_load())
    (problem,) = caught.value.context["problems"]
    assert "unit 'furlongs' is not one of" in problem
    assert "eur_per_inhabitant" in problem
