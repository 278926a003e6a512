"""The indicators Data Package carries what its codes mean: every category of a categorical or
ordinal indicator and every value of a declared breakdown dimension, with its labels in
ca/es/en and its declared order; categorical observations in a table of their own, keyed to
their category. Built here from a data bank export holding the test-only shapes catalogue
(tests/data/indicators/shapes/catalog_shapes.toml), as the site's export would hand it."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from datasets.catalog.indicators import indicators_spec
from datasets.indicators.catalog import CATALOG_PATH, indicator_catalog_parse
from datasets.indicators.label_tables import (
    indicator_category_rows,
    indicator_dimension_value_rows,
    indicator_values_split,
)
from datasets.indicators.values import VALUES_HEADER
from datasets.packaging import package_build
from datasets.sdg import sdg_framework_load
from datasets.validation import package_validate
from datasets.versioning import VersionLedger

SHAPES = Path(__file__).resolve().parents[1] / "data" / "indicators" / "shapes"
VIC, BARCELONA, BADALONA = "08298", "08019", "08015"
VALUES = [
    ("energy_consumption", BARCELONA, "2023", "energy_source=electricity", "300", "final"),
    ("energy_consumption", VIC, "2023", "energy_source=natural_gas", "80.25", "final"),
    ("fire_risk_level", BARCELONA, "2023", "_T", "low", "final"),
    ("fire_risk_level", BADALONA, "2023", "_T", "Mitjana", "final"),  # stored as an alias
    ("fire_risk_level", VIC, "2022", "_T", "", "confidential"),
    ("fire_risk_level", VIC, "2023", "_T", "high", "provisional"),
    ("gini", VIC, "2022", "_T", "31.5", "final"),
]


def _catalog_text() -> str:
    shapes = (SHAPES / "catalog_shapes.toml").read_text(encoding="utf-8")
    return CATALOG_PATH.read_text(encoding="utf-8") + "\n" + shapes


@pytest.fixture(scope="module")
def catalog():
    return indicator_catalog_parse(text=_catalog_text(), sdg=sdg_framework_load())


def test_every_category_in_its_declared_order_with_three_labels(catalog):
    rows = [row for row in indicator_category_rows(catalog) if row[0] == "fire_risk_level"]
    assert rows == [
        ("fire_risk_level", "low", 1, "Baixa", "Baja", "Low"),
        ("fire_risk_level", "medium", 2, "Mitja", "Media", "Medium"),
        ("fire_risk_level", "high", 3, "Alta", "Alta", "High"),
    ]
    # numeric indicators declare none
    assert {row[0] for row in indicator_category_rows(catalog)} == {"fire_risk_level"}


def test_every_declared_dimension_value_with_the_dimension_labels(catalog):
    assert indicator_dimension_value_rows(catalog) == [
        (
            "energy_consumption",
            "energy_source",
            "electricity",
            1,
            "Font d'energia",
            "Fuente de energía",
            "Energy source",
            "Electricitat",
            "Electricidad",
            "Electricity",
        ),
        (
            "energy_consumption",
            "energy_source",
            "natural_gas",
            2,
            "Font d'energia",
            "Fuente de energía",
            "Energy source",
            "Gas natural",
            "Gas natural",
            "Natural gas",
        ),
    ]


def test_split_moves_categories_out_as_declared_codes(catalog):
    rows = [*VALUES, ("fire_risk_level", "08001", "2023", "_T", "extreme", "final")]
    numeric, categorical = indicator_values_split(catalog, rows)
    assert categorical == [
        ("fire_risk_level", BARCELONA, "2023", "_T", "low", "final"),
        ("fire_risk_level", BADALONA, "2023", "_T", "medium", "final"),  # the alias's code
        ("fire_risk_level", VIC, "2023", "_T", "high", "provisional"),
        ("fire_risk_level", "08001", "2023", "_T", "extreme", "final"),  # kept: validation says
    ]
    # a withheld categorical value stays where an empty value means withheld
    assert ("fire_risk_level", VIC, "2022", "_T", "", "confidential") in numeric
    assert [row[0] for row in numeric] == [
        "energy_consumption",
        "energy_consumption",
        "fire_risk_level",
        "gini",
    ]


def _build(tmp_path: Path, monkeypatch, values: list[tuple[str, ...]]):
    """The package from a data bank export (catalogue + values) in the build folder."""
    export = tmp_path / "build" / "indicators"
    export.mkdir(parents=True)
    (export / "indicators.toml").write_text(_catalog_text(), encoding="utf-8")
    with (export / "indicator_values.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(VALUES_HEADER)
        writer.writerows(sorted(values))
    monkeypatch.setenv("CONCERTEM_BUILD_DIR", str(tmp_path / "build"))
    built = package_build(
        spec=indicators_spec(),
        out_dir=tmp_path / "out",
        ledger=VersionLedger(tmp_path / "ledger.json"),
        today=dt.date(2026, 12, 5),
    )
    return built, package_validate(built=built)


def _read(built, name: str) -> list[dict[str, str]]:
    with (built.directory / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_a_downloader_joins_each_category_code_to_its_label(tmp_path, monkeypatch):
    built, report = _build(tmp_path, monkeypatch, VALUES)
    assert report.valid, report.issues
    rows = {r.name: r.rows for r in built.resources}
    assert rows["indicator_categories"] == 3 + 0  # the reference catalogue declares none
    assert rows["indicator_category_values"] == 3
    assert rows["indicator_dimension_values"] == 2
    assert rows["indicator_values"] == 4

    categories = {
        (row["indicator_code"], row["category_code"]): row
        for row in _read(built, "indicator_categories")
    }
    labels = {}
    for value in _read(built, "indicator_category_values"):
        category = categories[(value["indicator_code"], value["category_code"])]
        labels[value["entity_code"]] = tuple(
            category[f"label_{lang}"] for lang in ("ca", "es", "en")
        )
    assert labels == {
        VIC: ("Alta", "Alta", "High"),
        BADALONA: ("Mitja", "Media", "Medium"),
        BARCELONA: ("Baixa", "Baja", "Low"),
    }
    # the ordinal scale, lowest first, from the published positions alone
    scale = sorted(
        (row for row in categories.values() if row["indicator_code"] == "fire_risk_level"),
        key=lambda row: int(row["position"]),
    )
    assert [row["label_en"] for row in scale] == ["Low", "Medium", "High"]
    indicators = {row["indicator_code"]: row for row in _read(built, "indicators")}
    assert indicators["fire_risk_level"]["value_type"] == "ordinal"

    dimension_values = {
        (row["indicator_code"], f"{row['dimension']}={row['value_code']}"): row
        for row in _read(built, "indicator_dimension_values")
    }
    broken_down = [
        dimension_values[(row["indicator_code"], row["disaggregation"])]
        for row in _read(built, "indicator_values")
        if row["indicator_code"] == "energy_consumption"
    ]
    assert [(r["dimension_label_es"], r["label_es"]) for r in broken_down] == [
        ("Fuente de energía", "Electricidad"),
        ("Fuente de energía", "Gas natural"),
    ]


def test_the_new_resources_are_described_in_three_languages(tmp_path, monkeypatch):
    built, _ = _build(tmp_path, monkeypatch, VALUES)
    descriptor = built.descriptor
    by_name = {resource["name"]: resource for resource in descriptor["resources"]}
    new = ("indicator_categories", "indicator_category_values", "indicator_dimension_values")
    for name in new:
        resource = by_name[name]
        for key in ("title", "description"):
            assert all(resource["concertem"][key][lang].strip() for lang in ("ca", "es", "en"))
        for field in resource["schema"]["fields"]:
            assert field["title"] and all(
                field["concertem"]["title"][lang] for lang in ("ca", "es")
            )
    keys = by_name["indicator_category_values"]["schema"]["foreignKeys"]
    assert {
        "fields": ["indicator_code", "category_code"],
        "reference": {
            "resource": "indicator_categories",
            "fields": ["indicator_code", "category_code"],
        },
    } in keys
    readme = (built.directory / "README.md").read_text(encoding="utf-8")
    assert "### `data/indicator_categories.csv` — Indicator categories" in readme
    assert "### `data/indicator_dimension_values.csv` — Breakdown dimension values" in readme


def test_an_undeclared_category_makes_the_package_invalid_naming_its_row(tmp_path, monkeypatch):
    values = [*VALUES, ("fire_risk_level", "08001", "2023", "_T", "extreme", "final")]
    _, report = _build(tmp_path, monkeypatch, values)
    assert not report.valid
    [issue] = [i for i in report.issues if i.severity == "error"]
    assert issue.file == "data/indicator_category_values.csv"
    assert (issue.rule, issue.row, issue.column) == (
        "foreign-key",
        2,  # the header is row 1; 08001 sorts first
        "indicator_code,category_code",
    )


def test_an_undeclared_breakdown_value_makes_the_package_invalid_naming_its_row(
    tmp_path, monkeypatch
):
    solar = ("energy_consumption", VIC, "2023", "energy_source=solar", "5", "final")
    _, report = _build(tmp_path, monkeypatch, [*VALUES, solar])
    assert not report.valid
    [issue] = [i for i in report.issues if i.severity == "error"]
    assert (issue.file, issue.rule, issue.column) == (
        "data/indicator_values.csv",
        "breakdown-value-declared",
        "disaggregation",
    )
    assert issue.row == 4  # header, Barcelona, Vic natural_gas, then Vic solar
    assert "'solar'" in issue.message and "'energy_source'" in issue.message
    # sex and age_group are built in: no label row needed
    women = ("gini", VIC, "2022", "sex=female", "30.1", "final")
    _, report = _build(tmp_path / "again", monkeypatch, [*VALUES, women])
    assert report.valid, report.issues
