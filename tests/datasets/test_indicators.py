"""The catalogue, the seeded values, the cell readers and the views for the site."""

from __future__ import annotations

import json
import shutil
import statistics

import pytest
from frictionless import Package, Resource, Schema

from datasets.indicators import cells
from datasets.indicators.build import indicators_build
from datasets.indicators.catalog import (
    CATALOG_PATH,
    indicator_catalog_load,
    indicator_catalog_parse,
)
from datasets.indicators.errors import IndicatorCatalogError, IndicatorUnknownError
from datasets.indicators.values import TOTAL, VALUES_PATH, indicator_values_load
from datasets.indicators.views import (
    IndicatorEntityUnknownError,
    entity_goal_indicators,
    entity_indicator_series,
    entity_indicators_latest,
    entity_sdg_overview,
    indicator_views_load,
)
from datasets.sdg import sdg_framework_load
from datasets.territory import entities_load

REFERENCE_DIR = VALUES_PATH.parent
SCHEMAS_DIR = REFERENCE_DIR.parent / "schemas"
BARCELONA, SANT_CUGAT = "08019", "08205"


@pytest.fixture(scope="module")
def catalog():
    return indicator_catalog_load()


@pytest.fixture(scope="module")
def views():
    return indicator_views_load()


# ---- Catalogue ----


def test_catalogue_seeds_the_required_indicators_with_sdg_targets(catalog):
    expected = {
        "population": ("11.3",),
        "net_income_per_person": ("1.2", "10.1"),
        "net_income_per_household": ("1.2", "10.1"),
        "gini": ("10.1", "10.4"),
        "p80p20": ("10.1", "10.4"),
        "unemployment_rate": ("8.5",),
        "share_population_over_64": ("1.3", "11.2", "11.7"),
        "share_higher_education_completed": ("4.4",),
        "gross_income_per_person": ("17.1",),
        # the Diputació's Visor 2030 files, under the target of their publisher code
        "visor_1_2_3": ("1.2",),
        "organic_farmland_share": ("2.1",),
        "women_elected_share": ("5.5",),
        "visor_9_5_1": ("9.5",),
        "visor_13_2_2": ("13.2",),
        "visor_14_2_1": ("14.2",),
        "local_protection_land_share": ("15.1",),
        "visor_16_7_2": ("16.7",),
        "visor_16_10_1": ("16.10",),
    }
    # A subset: imports of the publishers' files add indicators to the same catalogue.
    found = {i.code: i.sdg_targets for i in catalog}
    assert {code: found.get(code) for code in expected} == expected
    assert catalog.get("unemployment_rate").sdg_indicators == ("8.5.2",)
    assert catalog.get("gini").direction == "lower_is_better"
    assert catalog.get("share_population_over_64").direction == "neutral"


def test_every_indicator_is_documented_in_three_languages(catalog):
    sdg = sdg_framework_load()
    for indicator in catalog:
        for texts in (indicator.names, indicator.definitions, indicator.methods):
            assert all(texts[lang] for lang in ("ca", "es", "en")), indicator.code
        assert indicator.source and indicator.licence and indicator.sdg_rationale
        assert all(sdg.target_exists(t) for t in indicator.sdg_targets)


def test_catalogue_lookups(catalog):
    assert [i.code for i in catalog.of_target("8.5")] == ["unemployment_rate"]
    assert {i.code for i in catalog.of_goal(10)} == {
        "net_income_per_person",
        "net_income_per_household",
        "gini",
        "p80p20",
    }
    with pytest.raises(IndicatorUnknownError) as caught:
        catalog.get("atur_registrat")
    assert caught.value.code == "unknown-indicator"


def _catalog_text(**overrides: str) -> str:
    fields = {"code": "x", "targets": '["8.5"]', "unit": "percent", "name_ca": "Nom"}
    fields.update(overrides)
    return f"""
[[indicator]]
code = "{fields["code"]}"
unit = "{fields["unit"]}"
direction = "neutral"
periodicity = "annual"
territorial_level = "municipality"
sdg_targets = {fields["targets"]}
source = "s"
licence = "CC-BY-4.0"
[indicator.name]
ca = "{fields["name_ca"]}"
es = "Nombre"
en = "Name"
[indicator.definition]
ca = "d"
es = "d"
en = "d"
[indicator.method]
ca = "m"
es = "m"
en = "m"
"""


def test_catalogue_problems_are_all_reported():
    sdg = sdg_framework_load()
    assert len(indicator_catalog_parse(text=_catalog_text(), sdg=sdg)) == 1
    with pytest.raises(IndicatorCatalogError) as caught:
        indicator_catalog_parse(
            text=_catalog_text(targets='["11.c.9", "18.1"]', unit="kg", name_ca=""), sdg=sdg
        )
    assert caught.value.code == "indicator-catalog-invalid"
    problems = caught.value.context["problems"]
    assert any("11.c.9" in p for p in problems)
    assert any("18.1" in p for p in problems)
    assert any("unit" in p for p in problems)
    assert any("name missing in ca" in p for p in problems)


# ---- Seeded values ----


def test_values_cover_the_province_every_year(views):
    province = {e.entity_code for e in entities_load(province_code="08")}
    assert len(province) == 311
    values = views.values
    assert values.years("population") == list(range(2015, 2023))
    assert set(values.year_values("population", 2022)) == province
    assert values.years("unemployment_rate") == [2021]
    # the census does not publish unemployment under 100 inhabitants: 300 of 311 have it
    assert len(values.year_values("unemployment_rate", 2021)) == 300
    assert values.year_values("gini", 2022)[BARCELONA].value == 35.1
    assert values.year_values("net_income_per_person", 2022)[BARCELONA].value == 18404


def test_build_reproduces_the_committed_tables(tmp_path):
    shutil.copy(CATALOG_PATH, tmp_path / "indicators.toml")
    shutil.copytree(REFERENCE_DIR / "visor2030", tmp_path / "visor2030")
    result = indicators_build(reference_dir=tmp_path)
    assert result.entities == 311
    assert len(result.seeded) == 9
    for name in (
        "indicator_values.csv",
        "indicators.csv",
        "indicator_sdg_targets.csv",
        "indicator_categories.csv",
        "indicator_dimension_values.csv",
    ):
        assert (tmp_path / name).read_bytes() == (REFERENCE_DIR / name).read_bytes(), name


def _schema(name: str) -> Schema:
    return Schema.from_descriptor(json.loads((SCHEMAS_DIR / f"{name}.json").read_text()))


def test_tables_validate_with_their_foreign_keys():
    names = (
        "indicator_values",
        "indicators",
        "indicator_sdg_targets",
        "indicator_categories",
        "indicator_dimension_values",
        "entities",
        "sdg_goals",
        "sdg_targets",
    )
    package = Package(
        resources=[Resource(path=f"{n}.csv", name=n, schema=_schema(n)) for n in names],
        basepath=str(REFERENCE_DIR),
    )
    report = package.validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])


def test_values_schema_rejects_what_the_importer_rejects(tmp_path):
    (tmp_path / "v.csv").write_text(
        "indicator_code,entity_code,year,disaggregation,value,status\n"
        "gini,8019,2201,sex=woman,abc,draft\n"
    )
    schema = json.loads((SCHEMAS_DIR / "indicator_values.json").read_text())
    schema.pop("foreignKeys")
    resource = Resource(path="v.csv", basepath=str(tmp_path), schema=Schema.from_descriptor(schema))
    fields = {row[0] for row in resource.validate().flatten(["fieldName"])}
    assert fields == {"entity_code", "year", "disaggregation", "value", "status"}


def test_values_schema_takes_declared_dimensions_and_other_levels(tmp_path):
    (tmp_path / "v.csv").write_text(
        "indicator_code,entity_code,year,disaggregation,value,status\n"
        "energy_consumption,com:07,2022,energy_source=natural_gas,234000.5,final\n"
        "energy_consumption,amb,2022,energy_source=solar;sex=female,1,final\n"
        "energy_consumption,prov:08,2022,sex=other,1,final\n"
    )
    schema = json.loads((SCHEMAS_DIR / "indicator_values.json").read_text())
    schema.pop("foreignKeys")
    resource = Resource(path="v.csv", basepath=str(tmp_path), schema=Schema.from_descriptor(schema))
    errors = resource.validate().flatten(["rowNumber", "fieldName"])
    assert errors == [[4, "disaggregation"]]  # sex has its own values; other dimensions any code


# ---- Cells ----


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("11,32", ",", 11.32),
        ("1.627.559", ",", 1627559.0),
        ("1.234,5", ",", 1234.5),
        ("16,894", ".", 16894.0),
        ("-3.5", ".", -3.5),
        ("1 234,5", ",", 1234.5),
        ("12,5 %", ",", 12.5),
        ("12,5", ".", None),  # a decimal comma in a decimal-point file is not a thousands group
        ("1.23.4", ",", None),
        ("nan", ".", None),
        ("1_000", ".", None),
        ("abc", ",", None),
    ],
)
def test_number_parse(text, decimal, expected):
    assert cells.number_parse(text, decimal) == expected


def test_decimal_detect():
    assert cells.decimal_detect(["12", "11,32"], delimiter=",") == ","
    assert cells.decimal_detect(["1.627.559", "853.285"], delimiter=";") == ","
    assert cells.decimal_detect(["16,894", "16,750"], delimiter=",") == "."
    assert cells.decimal_detect(["1,234.5"], delimiter=";") == "."
    assert cells.decimal_detect(["35.1"], delimiter=";") == "."


def test_entity_codes_with_and_without_leading_zero():
    resolver = cells.EntityCodeResolver(entities=[("08019", "080193"), ("25001", "250019")])
    assert resolver.resolve("8019", kind="ine") == "08019"
    assert resolver.resolve(" '08019' ", kind="ine") == "08019"
    assert resolver.resolve("8019.0", kind="ine") == "08019"
    assert resolver.resolve("80193", kind="idescat") == "08019"
    assert resolver.resolve("080193", kind="idescat") == "08019"
    assert resolver.resolve("80193", kind="ine") is None
    assert resolver.resolve("Barcelona", kind="ine") is None
    assert resolver.kind_detect(["80193", "250019"]) == "idescat"
    assert resolver.kind_detect(["8019", "25001"]) == "ine"
    assert resolver.kind_detect(["8019"], hint="idescat") == "idescat"


def test_labels():
    assert cells.sex_parse("Dones") == "female"
    assert cells.sex_parse("Hombres") == "male"
    assert cells.sex_parse("Ambdós sexes") == TOTAL
    assert cells.age_group_parse("De 0 a 15 anys") == "0-15"
    assert cells.age_group_parse("65 anys i més") == "65+"
    assert cells.age_group_parse("65+") == "65+"
    assert cells.age_group_parse("Menys de 16 anys") == "0-15"
    assert cells.age_group_parse("16-64") == "16-64"
    assert cells.age_group_parse("Totes les edats") == TOTAL
    assert cells.age_group_parse("jubilats") is None
    both = cells.disaggregation_key({"sex": "female", "age_group": "65+"})
    assert both == "age_group=65+;sex=female"
    assert cells.disaggregation_key({"sex": TOTAL}) == TOTAL
    assert cells.status_parse("Provisional") == "provisional"
    assert cells.status_parse("e") == "estimated"
    assert cells.flagged_split("12,5 (p)") == ("12,5", "provisional")


# ---- Views ----


def test_latest_values_with_rank_and_provincial_median(views):
    latest = {item.indicator.code: item for item in entity_indicators_latest(entity_code=BARCELONA)}
    assert set(latest) == {i.code for i in views.catalog}
    gini = latest["gini"]
    assert (gini.year, gini.value, gini.previous_year) == (2022, 35.1, 2021)
    province = {e.entity_code for e in entities_load(province_code="08")}
    peers = [
        o.value for code, o in views.values.year_values("gini", 2022).items() if code in province
    ]
    assert gini.peers == len(peers)
    assert gini.median == pytest.approx(statistics.median(peers))
    # lower is better: rank = 1 + municipalities with a lower Gini
    assert gini.rank == 1 + sum(1 for value in peers if value < 35.1)
    income = latest["net_income_per_person"]
    assert income.rank == 1 + sum(
        1
        for code, o in views.values.year_values("net_income_per_person", 2022).items()
        if code in province and o.value > income.value
    )
    assert latest["population"].rank == 1  # neutral: ranked by size, Barcelona is largest


def test_series_is_sorted_with_the_median(views):
    series = entity_indicator_series(entity_code=BARCELONA, indicator_code="gini")
    assert [point.year for point in series] == list(range(2015, 2023))
    assert series[0].value == 36.8
    assert all(point.median is not None for point in series)
    with pytest.raises(IndicatorUnknownError):
        entity_indicator_series(entity_code=BARCELONA, indicator_code="nope")


def test_goal_indicators_and_sdg_overview(views):
    goal_10 = entity_goal_indicators(entity_code=SANT_CUGAT, goal=10)
    assert {item.indicator.code for item in goal_10} == {
        "net_income_per_person",
        "net_income_per_household",
        "gini",
        "p80p20",
    }
    assert all(item.latest is not None for item in goal_10)
    overview = entity_sdg_overview(entity_code=SANT_CUGAT)
    assert [goal.goal.number for goal in overview] == list(range(1, 18))
    monitored = {goal.goal.number for goal in overview if goal.monitored}
    assert monitored == {1, 2, 4, 5, 8, 9, 10, 11, 13, 14, 15, 16, 17}
    goal_11 = overview[10]
    assert {i.indicator.code: i.targets for i in goal_11.indicators} == {
        "population": ("11.3",),
        "share_population_over_64": ("11.2", "11.7"),
    }


def test_views_for_every_municipality_of_the_province_are_fast(views):
    import time

    codes = [e.entity_code for e in entities_load(province_code="08")]
    started = time.perf_counter()
    for code in codes:
        entity_sdg_overview(entity_code=code, views=views)
        entity_indicators_latest(entity_code=code, views=views)
    assert time.perf_counter() - started < 5


def test_unknown_entity(views):
    with pytest.raises(IndicatorEntityUnknownError) as caught:
        entity_sdg_overview(entity_code="99999")
    assert caught.value.code == "unknown-entity"


def test_values_index_is_cached_per_file_version():
    assert indicator_values_load() is indicator_values_load()
