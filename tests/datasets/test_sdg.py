from __future__ import annotations

import json

import pytest
from frictionless import Package, Resource, Schema

from datasets.sdg import (
    REFERENCE_DIR,
    SdgCodeUnknownError,
    sdg_code_sort_key,
    sdg_framework_load,
)
from datasets.sdg_build import RETIRED_INDICATORS, sdg_build

SCHEMAS_DIR = REFERENCE_DIR.parent / "schemas"
TABLES = ("sdg_goals", "sdg_targets", "sdg_indicators")


@pytest.fixture(scope="module")
def sdg():
    return sdg_framework_load()


def test_framework_counts(sdg):
    assert len(sdg.goals) == 17
    assert len(sdg.targets) == 169
    assert len(sdg.indicators) == 247
    # 13 indicators repeat under several targets: the UN counts 231 unique ones
    unique = {min((i.code, *i.same_as), key=sdg_code_sort_key) for i in sdg.indicators}
    assert len(unique) == 231


def test_retired_indicators_are_dropped(sdg):
    assert set(RETIRED_INDICATORS) == {"1.a.3", "8.9.2", "11.c.1", "13.3.2", "17.6.2"}
    codes = {indicator.code for indicator in sdg.indicators}
    assert not codes & set(RETIRED_INDICATORS)
    # the target of a deleted indicator stays: targets come from the 2030 Agenda itself
    assert sdg.target_exists("11.c")
    assert sdg.indicators_of_target("11.c") == ()


def test_official_codes_and_three_languages(sdg):
    indicator = sdg.indicator_get("11.7.1")
    assert indicator.target_code == "11.7"
    assert indicator.goal == 11
    assert indicator.name("en").startswith("Average share of the built-up area of cities")
    assert indicator.name("es").startswith("Proporción media de la superficie edificada")
    assert indicator.name("ca").startswith("Proporció mitjana de la superfície edificada")
    goal = sdg.goal_get(11)
    assert goal.short_name("en") == "Sustainable cities and communities"
    assert sdg.target_get("1.a").goal == 1
    for item in (*sdg.goals, *sdg.targets, *sdg.indicators):
        assert all(item.names[lang] for lang in ("ca", "es", "en"))


def test_natural_order(sdg):
    target_codes = [t.code for t in sdg.targets_of_goal(1)]
    assert target_codes == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b"]
    codes = [t.code for t in sdg.targets_of_goal(8)]
    assert codes.index("8.10") == codes.index("8.9") + 1


def test_stale_catalan_titles_are_replaced(sdg):
    # open-sdg's Catalan 17.6.1 still describes the indicator deleted in 2020
    broadband = sdg.indicator_get("17.6.1")
    assert "banda ampla" in broadband.name("ca")
    assert broadband.name_ca_origin == "concertem"
    # added in 2020, no Catalan title at the source
    assert sdg.indicator_get("10.4.2").name("ca") == "Efecte redistributiu de la política fiscal"
    assert sdg.indicator_get("1.1.1").name_ca_origin == "open-sdg"


def test_source_defects_are_fixed(sdg):
    spanish = sdg.indicator_get("17.12.1").name("es")
    assert "desarrolloPromedio" not in spanish
    assert spanish.endswith("en desarrollo")


def test_repeated_indicators_point_to_each_other(sdg):
    assert sdg.indicator_get("1.5.1").same_as == ("11.5.1", "13.1.1")
    assert sdg.indicator_get("15.c.1").same_as == ("15.7.1",)


def test_unknown_codes_raise_with_a_stable_code(sdg):
    with pytest.raises(SdgCodeUnknownError) as caught:
        sdg.indicator_get("11.c.1")
    assert caught.value.code == "sdg-code-unknown"
    with pytest.raises(SdgCodeUnknownError):
        sdg.goal_get(18)


def test_build_reproduces_the_committed_tables(tmp_path):
    result = sdg_build(reference_dir=tmp_path)
    assert (result.goals, result.targets, result.indicators) == (17, 169, 247)
    for name in TABLES:
        committed = (REFERENCE_DIR / f"{name}.csv").read_bytes()
        assert (tmp_path / f"{name}.csv").read_bytes() == committed, name


def _schema(name: str) -> Schema:
    return Schema.from_descriptor(json.loads((SCHEMAS_DIR / f"{name}.json").read_text()))


def test_tables_validate_against_their_schemas():
    package = Package(
        resources=[
            Resource(path=f"{name}.csv", name=name, schema=_schema(name)) for name in TABLES
        ],
        basepath=str(REFERENCE_DIR),
    )
    report = package.validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])
