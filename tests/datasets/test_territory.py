"""The territory reference tables and their readers."""

from __future__ import annotations

import csv
import itertools
import json
from decimal import Decimal
from pathlib import Path

import pytest

from datasets import reference_build
from datasets.geometry import polyline_simplify, ring_area_signed, topojson_arcs_decode
from datasets.territory import (
    BOUNDARIES_PATH,
    ENTITIES_PATH,
    REFERENCE_DIR,
    TerritoryFileError,
    TerritoryUnknownEntityError,
    entities_index,
    entities_load,
    entity_get,
    variables_catalog_load,
    variables_load,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "territory"

# The names the indicator builders rely on (see datasets/reference/README.md).
CONTRACT_VARIABLES = {
    "population": range(2015, 2023),
    "net_income_per_person": range(2015, 2023),
    "net_income_per_household": range(2015, 2023),
    "gini": range(2015, 2023),
    "p80p20": range(2015, 2023),
    "unemployment_rate": [2021],
    "share_population_over_64": [2021],
}


@pytest.fixture(scope="module")
def spain():
    return entities_load(province_code=None)


# ---- Entities ----


def test_default_scope_is_the_311_municipalities_of_the_province_of_barcelona():
    entities = entities_load()
    assert len(entities) == 311
    assert {e.province_code for e in entities} == {"08"}
    assert [e.entity_code for e in entities] == sorted(e.entity_code for e in entities)


def test_all_spanish_municipalities_are_there_once_with_their_leading_zeros(spain):
    codes = [e.entity_code for e in spain]
    assert len(codes) == len(set(codes)) == 8131
    assert all(len(code) == 5 and code.isdigit() for code in codes)
    assert codes[0] == "01001"
    assert {e.entity_type for e in spain} == {"municipality"}
    assert len({e.province_code for e in spain}) == 52


def test_catalan_municipalities_carry_idescat_code_comarca_and_centroid(spain):
    catalan = [e for e in spain if e.province_code in ("08", "17", "25", "43")]
    assert len(catalan) == 947
    for entity in catalan:
        assert entity.idescat_code[:5] == entity.entity_code and len(entity.idescat_code) == 6
        assert entity.comarca
        assert 0.1 < entity.lon < 3.4 and 40.5 < entity.lat < 42.9
    others = [e for e in spain if e.province_code not in ("08", "17", "25", "43")]
    assert not any(e.idescat_code or e.comarca or e.lon for e in others)


def test_barcelona_row_is_the_published_reference():
    barcelona = entity_get("08019", entities=entities_load())
    assert barcelona.name == "Barcelona"
    assert barcelona.idescat_code == "080193"
    assert barcelona.comarca == "Barcelonès"
    assert (barcelona.population, barcelona.population_year) == (1627559, 2021)
    assert barcelona.surface_km2 == pytest.approx(101.67)


def test_catalan_names_use_the_visor_display_form():
    names = {e.entity_code: e.name for e in entities_load()}
    assert names["08088"] == "La Garriga"
    assert names["08101"] == "L'Hospitalet de Llobregat"
    assert reference_build.catalan_name_display("Hostalets de Pierola, els") == (
        "Els Hostalets de Pierola"
    )
    assert reference_build.catalan_name_display("Abrera") == "Abrera"


def test_surface_is_known_for_the_province_of_barcelona_only(spain):
    with_surface = [e for e in spain if e.surface_km2 is not None]
    assert {e.province_code for e in with_surface} == {"08"} and len(with_surface) == 311
    # The province covers about 7,726 km².
    assert sum(e.surface_km2 for e in with_surface) == pytest.approx(7730.76, abs=0.01)


def test_scope_filters_by_province_and_entity_type(spain):
    girona = entities_load(province_code="17")
    assert len(girona) == 221 and {e.province_name for e in girona} == {"Girona"}
    assert entities_load(entity_types=["comarcal_council"]) == []
    assert len(entities_index(spain)) == 8131


def test_unknown_entity_code_is_refused_with_a_stable_code():
    with pytest.raises(TerritoryUnknownEntityError) as caught:
        entity_get("08999", entities=entities_load(path=DATA / "entities.csv"))
    assert caught.value.code == "territory-unknown-entity"


def test_a_broken_entities_file_names_the_file_and_line(tmp_path):
    broken = tmp_path / "entities.csv"
    text = (DATA / "entities.csv").read_text(encoding="utf-8")
    broken.write_text(text.replace(",12612,2021,", ",12.6k,2021,"), encoding="utf-8")
    with pytest.raises(TerritoryFileError) as caught:
        entities_load(path=broken)
    assert f"{broken}:2" in str(caught.value) and "08001" in str(caught.value)


# ---- Variables ----


def test_contract_variables_exist_for_every_year_promised():
    table = variables_load(variables=CONTRACT_VARIABLES, entity_codes={"08001", "08019"})
    for variable, years in CONTRACT_VARIABLES.items():
        assert table.years_of(variable) == list(years), variable
        for year in years:
            assert table.value_get(variable=variable, year=year, entity_code="08019") is not None


def test_variable_values_are_the_published_source_values():
    table = variables_load(
        variables=["net_income_per_person", "unemployment_rate", "share_population_over_64"],
        entity_codes={"08019"},
    )
    source = REFERENCE_DIR.parent / "sources" / "ine-atlas"
    with (source / "income_municipality.csv").open(encoding="utf-8") as handle:
        income = next(
            r for r in csv.DictReader(handle) if r["mun_code"] == "08019" and r["year"] == "2021"
        )
    with (source / "census_2021_municipality.csv").open(encoding="utf-8") as handle:
        census = next(r for r in csv.DictReader(handle) if r["mun_code"] == "08019")
    get = table.value_get
    assert get(variable="net_income_per_person", year=2021, entity_code="08019") == Decimal(
        income["net_income_pc"]
    )
    # Census shares are fractions in the source and percentages (2 decimals) here.
    for variable, column in (
        ("unemployment_rate", "unemployment_rate"),
        ("share_population_over_64", "pct_over64"),
    ):
        expected = (Decimal(census[column]) * 100).quantize(Decimal("0.01"))
        assert get(variable=variable, year=2021, entity_code="08019") == expected


def test_missing_values_are_absent_rows_not_empty_cells():
    table = variables_load(variables=["unemployment_rate"], path=DATA / "variables.csv")
    series = table.series_get(variable="unemployment_rate", year=2021)
    assert "08021" not in series  # Bellprat, 73 inhabitants: not published by the census
    assert series["08101"] == Decimal("14.48")


def test_every_catalogued_variable_is_documented_in_the_readme():
    catalog = variables_catalog_load()
    readme = (REFERENCE_DIR / "README.md").read_text(encoding="utf-8")
    assert set(CONTRACT_VARIABLES) <= set(catalog)
    for name, spec in catalog.items():
        assert f"`{name}`" in readme, name
        assert spec.unit and spec.source.startswith("ine-atlas/")


def test_a_bad_value_in_the_variables_file_names_the_line_and_entity(tmp_path):
    broken = tmp_path / "variables.csv"
    text = (DATA / "variables.csv").read_text(encoding="utf-8")
    broken.write_text(
        text.replace("08101,unemployment_rate,2021,14.48", "08101,unemployment_rate,2021,n/a")
    )
    with pytest.raises(TerritoryFileError) as caught:
        variables_load(path=broken)
    assert "08101" in str(caught.value) and str(broken) in str(caught.value)


# ---- Boundaries ----


def test_boundaries_are_the_311_in_wgs84_web_sized_and_well_formed():
    assert BOUNDARIES_PATH.stat().st_size < 1_500_000
    collection = json.loads(BOUNDARIES_PATH.read_text(encoding="utf-8"))
    names = {e.entity_code: e.name for e in entities_load()}
    features = collection["features"]
    assert len(features) == 311
    assert {f["properties"]["entity_code"]: f["properties"]["name"] for f in features} == names
    for feature in features:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            for position, ring in enumerate(polygon):
                assert len(ring) >= 4 and ring[0] == ring[-1]
                # RFC 7946 winding: exterior counter-clockwise, holes clockwise.
                assert (ring_area_signed([tuple(p) for p in ring]) > 0) == (position == 0)
                for lon, lat in ring:
                    assert 1.3 < lon < 2.8 and 41.1 < lat < 42.4
                    assert round(lon, 5) == lon and round(lat, 5) == lat


def test_every_outline_contains_its_generalitat_centroid():
    # Independent check of the reprojection: the Generalitat's WGS84 centroids (a different
    # source) fall inside the outlines we reprojected from UTM.
    collection = json.loads(BOUNDARIES_PATH.read_text(encoding="utf-8"))
    entities = entities_index(entities_load())
    outside = []
    for feature in collection["features"]:
        entity = entities[feature["id"]]
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        if not any(_inside(entity.lon, entity.lat, polygon[0]) for polygon in polygons):
            outside.append(entity.name)
    assert outside == []


def _inside(x: float, y: float, ring: list[list[float]]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_topojson_arcs_are_delta_decoded_with_the_transform():
    topology = {
        "transform": {"scale": [2, 10], "translate": [100, 1000]},
        "arcs": [[[0, 0], [1, 0], [0, 1]]],
    }
    assert topojson_arcs_decode(topology) == [[(100, 1000), (102, 1000), (102, 1010)]]


def test_simplification_keeps_endpoints_and_closed_rings_stay_rings():
    line = [(0.0, 0.0), (1.0, 0.01), (2.0, -0.01), (3.0, 0.0)]
    assert polyline_simplify(line, tolerance=0.1) == [(0.0, 0.0), (3.0, 0.0)]
    ring = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.5, 1.0001), (0.0, 1.0), (0.0, 0.0)]
    simplified = polyline_simplify(ring, tolerance=5.0)
    assert simplified[0] == simplified[-1] and len(set(simplified)) >= 3


# ---- Reproducibility ----


def test_committed_reference_tables_are_what_the_build_produces():
    rebuilt = reference_build.reference_texts_build()
    for name in ("entities.csv", "variables.csv", "variables_catalog.csv", "boundaries_08.geojson"):
        assert (REFERENCE_DIR / name).read_text(encoding="utf-8") == rebuilt[name], (
            f"{name} is stale: run python -m datasets.reference_build"
        )
    assert ENTITIES_PATH.exists()
