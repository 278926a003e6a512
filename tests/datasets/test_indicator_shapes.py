"""Shapes publishers send beyond one number per municipality: declared breakdowns, categorical
values with aliases, one row per record (counted), bodies above the municipality by name.
The indicators are test-only (tests/data/indicators/shapes/catalog_shapes.toml)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from datasets.indicators.catalog import CATALOG_PATH, indicator_catalog_parse
from datasets.indicators.errors import IndicatorCatalogError, IndicatorImportError
from datasets.indicators.importer import indicator_file_import
from datasets.indicators.values import values_rows_read
from datasets.sdg import sdg_framework_load

SHAPES = Path(__file__).resolve().parents[1] / "data" / "indicators" / "shapes"


@pytest.fixture(scope="module")
def catalog():
    text = CATALOG_PATH.read_text(encoding="utf-8")
    extra = (SHAPES / "catalog_shapes.toml").read_text(encoding="utf-8")
    return indicator_catalog_parse(text=text + "\n" + extra, sdg=sdg_framework_load())


def _import(path: Path, code: str, values_path: Path, catalog, **options):
    return indicator_file_import(
        path=path, indicator_code=code, values_path=values_path, catalog=catalog, **options
    )


def _values(path: Path, code: str) -> dict[tuple[str, str, str], tuple[str, str]]:
    return {(r[1], r[2], r[3]): (r[4], r[5]) for r in values_rows_read(path=path) if r[0] == code}


def _refused(path: Path, code: str, values_path: Path, catalog):
    before = values_path.read_bytes() if values_path.exists() else b""
    with pytest.raises(IndicatorImportError) as caught:
        _import(path, code, values_path, catalog)
    after = values_path.read_bytes() if values_path.exists() else b""
    assert hashlib.sha256(after).digest() == hashlib.sha256(before).digest()
    return caught.value.report


def test_catalogue_declares_dimensions_categories_count_and_levels(catalog):
    energy = catalog.get("energy_consumption")
    assert energy.publisher_code == "7.2.1"
    assert energy.territorial_levels == ("municipality", "comarca")
    assert energy.disaggregations == ("energy_source",)
    assert [v.code for v in energy.dimensions[0].values] == ["electricity", "natural_gas"]
    risk = catalog.find("15.3.9")
    assert risk is not None and risk.value_type == "ordinal"
    assert [c.code for c in risk.categories] == ["low", "medium", "high"]
    assert catalog.get("elected_officials").aggregation == "count"
    assert catalog.get("energy_consumption").unit_label("en") == "kWh"


def test_catalogue_refuses_a_spelling_shared_by_two_categories():
    bad = (SHAPES / "catalog_shapes.toml").read_text(encoding="utf-8")
    bad = bad.replace('aliases = ["Mitjana", "Mitjà"]', 'aliases = ["Mitjana", "Alta"]')
    with pytest.raises(IndicatorCatalogError) as caught:
        indicator_catalog_parse(text=bad, sdg=sdg_framework_load())
    assert "'Alta' spells both 'medium' and 'high'" in str(caught.value)


def test_comarques_by_name_with_a_declared_dimension(tmp_path, catalog):
    values_path = tmp_path / "v.csv"
    report = _import(SHAPES / "energy_by_comarca.csv", "7.2.1", values_path, catalog)
    assert report.entity_code_kind == "name"
    assert report.columns["disaggregation:energy_source"] == "Font d'energia"
    assert _values(values_path, "energy_consumption") == {
        ("com:07", "2022", "energy_source=electricity"): ("1234567", "final"),
        ("com:07", "2022", "energy_source=natural_gas"): ("234000.5", "final"),
        ("com:24", "2022", "energy_source=electricity"): ("998100", "final"),
        ("com:24", "2022", "energy_source=natural_gas"): ("120450", "final"),
        ("com:40", "2022", "_T"): ("9876543", "final"),
    }


def test_an_undeclared_dimension_value_is_refused_not_guessed(tmp_path, catalog):
    path = tmp_path / "energy_solar.csv"
    text = (SHAPES / "energy_by_comarca.csv").read_text(encoding="utf-8")
    path.write_text(text + "Bages;2022;Solar;1.000\n", encoding="utf-8")
    report = _refused(path, "energy_consumption", tmp_path / "v.csv", catalog)
    issue = report.issues[0]
    assert (issue.rule, issue.row, issue.column, issue.value) == (
        "dimension-value-unknown",
        7,
        "Font d'energia",
        "Solar",
    )
    assert "declared: Electricitat, Gas natural" in issue.message


def test_categorical_values_map_labels_and_declared_aliases(tmp_path, catalog):
    values_path = tmp_path / "v.csv"
    report = _import(SHAPES / "fire_risk.csv", "15.3.9", values_path, catalog)
    assert report.skipped_no_value == 1
    assert _values(values_path, "fire_risk_level") == {
        ("08001", "2023", "_T"): ("low", "final"),
        ("08002", "2023", "_T"): ("medium", "final"),
        ("08003", "2023", "_T"): ("high", "final"),
        ("08004", "2023", "_T"): ("medium", "final"),
    }


def test_a_category_typo_is_reported_with_a_hint_never_mapped(tmp_path, catalog):
    path = tmp_path / "fire_risk_typo.csv"
    path.write_text(
        (SHAPES / "fire_risk.csv").read_text(encoding="utf-8").replace("Mitjana", "Mitija"),
        encoding="utf-8",
    )
    report = _refused(path, "fire_risk_level", tmp_path / "v.csv", catalog)
    assert [(i.rule, i.row, i.column, i.value) for i in report.issues] == [
        ("category-unknown", 3, "valor_final", "Mitija")
    ]
    assert "did you mean 'medium'?" in report.issues[0].message
    assert report.file == str(path)


def test_one_row_per_record_is_counted_into_values(tmp_path, catalog):
    values_path = tmp_path / "v.csv"
    report = _import(SHAPES / "elected_people.csv", "elected_officials", values_path, catalog)
    assert report.rows_read == 6
    assert any("counts records: 6 rows counted into 4 values" in a for a in report.assumptions)
    assert _values(values_path, "elected_officials") == {
        ("08001", "2023", "sex=female"): ("2", "final"),
        ("08001", "2023", "sex=male"): ("1", "final"),
        ("08002", "2023", "sex=male"): ("1", "final"),
        ("08088", "2023", "sex=female"): ("2", "final"),
    }


def test_bodies_above_the_municipality_by_name_and_the_ambiguous_decimal_is_assumed(
    tmp_path, catalog
):
    values_path = tmp_path / "v.csv"
    report = _import(
        SHAPES / "supramunicipal_by_name.csv", "supramunicipal_budget", values_path, catalog
    )
    assert _values(values_path, "supramunicipal_budget") == {
        ("amb", "2024", "_T"): ("2589000000", "final"),
        ("prov:08", "2024", "_T"): ("1234000000", "final"),
        ("cc:07", "2024", "_T"): ("25000000", "final"),
        ("com:41", "2024", "_T"): ("1000", "final"),
    }
    assert any(
        a.startswith("decimal mark ',': no value settles it and '2.589.000.000' reads")
        for a in report.assumptions
    )


@pytest.mark.parametrize(
    ("replace", "rule", "message"),
    [
        (
            ("Vallès Oriental", "Sant Qualsevol"),
            "unknown-entity",
            "'Sant Qualsevol' is not the name of a known comarca or consell comarcal or "
            "metropolitan area or province (Diputació)",
        ),
        (
            ("Vallès Oriental", "Gironès"),
            "entity-other-province",
            "'Gironès' is Gironès (com:20), a comarca of province 17 Girona; this data bank "
            "holds province 08 Barcelona",
        ),
        (
            ("Vallès Oriental", "Sabadell"),
            "entity-level-not-allowed",
            "'Sabadell' is Sabadell (08187), a municipality of province 08 Barcelona; "
            "indicator supramunicipal_budget is published for: comarca, consell comarcal",
        ),
    ],
    ids=["unknown-name", "other-province", "wrong-level"],
)
def test_entities_refused_by_name_say_why(tmp_path, catalog, replace, rule, message):
    path = tmp_path / "twin.csv"
    text = (SHAPES / "supramunicipal_by_name.csv").read_text(encoding="utf-8")
    path.write_text(text.replace(*replace), encoding="utf-8")
    report = _refused(path, "supramunicipal_budget", tmp_path / "v.csv", catalog)
    issue = report.issues[0]
    assert (issue.rule, issue.row, issue.column) == (rule, 5, "Ens")
    assert issue.message.startswith(message), issue.message


def test_the_numeric_index_skips_category_codes():
    from datasets.indicators.values import indicator_values_index

    index = indicator_values_index(
        [
            ("fire_risk_level", "08001", "2023", "_T", "low", "final"),
            ("gini", "08001", "2023", "_T", "30.5", "final"),
        ]
    )
    assert index.years("fire_risk_level") == []
    assert index.year_values("gini", 2023)["08001"].value == 30.5


def test_comarques_by_idescat_comarca_code(tmp_path, catalog):
    path = tmp_path / "energy_codes.csv"
    path.write_text(
        "Codi comarca;Comarca;Any;Font d'energia;Valor\n"
        "07;Bages;2022;Electricitat;10\n"
        "13;Barcelonès;2022;Total;20\n",
        encoding="utf-8",
    )
    values_path = tmp_path / "v.csv"
    report = _import(path, "energy_consumption", values_path, catalog)
    assert report.entity_code_kind == "comarca"
    assert _values(values_path, "energy_consumption") == {
        ("com:07", "2022", "energy_source=electricity"): ("10", "final"),
        ("com:13", "2022", "_T"): ("20", "final"),
    }
