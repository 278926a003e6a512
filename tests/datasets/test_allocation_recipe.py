"""The recipe a formula file declares is the one the engine follows: imputation population,
rounding method, order, tie-break and the cent rule of the columns."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from datasets.allocation import allocation_compute, formula_load, formula_parse
from datasets.allocation.errors import FormulaFieldError
from datasets.allocation.formula import FORMULAS_DIR, Imputation, Rounding
from datasets.allocation.inputs import allocation_inputs_load
from datasets.allocation.recipe import recipe_text
from datasets.allocation.tables import allocation_result_rows
from datasets.catalog import allocation_spec

SMALL = Path(__file__).resolve().parents[1] / "data" / "formulas" / "small.toml"
SHIPPED = sorted(FORMULAS_DIR.glob("*.toml"))


def _small(replace: tuple[str, str] | None = None, extra: str = "") -> str:
    text = SMALL.read_text(encoding="utf-8")
    if replace:
        assert replace[0] in text
        text = text.replace(*replace)
    return text + extra


@pytest.fixture(scope="module")
def shipped_inputs():
    formula = formula_load(SHIPPED[0])
    return allocation_inputs_load(formula)


def _imputed_rates(formula, inputs) -> set[Decimal]:
    entities, variables = inputs
    result = allocation_compute(formula, entities=entities, variables=variables)
    return {
        item.input_value
        for row in result.rows
        for item in row.inputs
        if item.criterion_id == "unemployment" and item.imputed
    }


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_shipped_formulas_declare_the_population_the_median_is_taken_over(path):
    formula = formula_load(path)
    [unemployment] = [c for c in formula.criteria if c.id == "unemployment"]
    assert unemployment.imputation == Imputation(
        "median", "receiving", unemployment.imputation.note
    )
    assert "Barcelona city is not counted" in unemployment.imputation.note
    for language in ("en", "ca", "es"):
        assert "299" in unemployment.description_in(language)
    assert formula.rounding == Rounding(note=formula.rounding.note)
    assert "UNROUNDED" in formula.rounding.note and "half a cent" in formula.rounding.note


def test_the_engine_takes_the_median_over_the_declared_population(shipped_inputs):
    text = SHIPPED[0].read_text(encoding="utf-8")
    receiving = formula_parse(text, path="x.toml")
    scope = formula_parse(
        text.replace('population = "receiving"', 'population = "scope"'), path="x.toml"
    )
    # 11 municipalities have no published rate; Barcelona city has one (and is excluded).
    assert _imputed_rates(receiving, shipped_inputs) == {Decimal("10.86")}
    assert _imputed_rates(scope, shipped_inputs) == {Decimal("10.865")}


def test_missing_median_is_the_old_spelling_of_the_receiving_median():
    formula = formula_load(SMALL)
    [unemployment] = [c for c in formula.criteria if c.id == "unemployment"]
    assert unemployment.imputation == Imputation("median", "receiving")
    assert unemployment.missing == "median"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'missing = "median"',
            'missing = "median"\nimputation = { method = "median", population = "scope" }',
            "give imputation or missing, not both",
        ),
        (
            'missing = "median"',
            'imputation = { method = "mean", population = "scope" }',
            "method must be one of median",
        ),
        (
            'missing = "median"',
            'imputation = { method = "median", population = "everyone" }',
            "population must be one of receiving, scope",
        ),
    ],
)
def test_a_wrong_imputation_is_refused_with_its_line(old, new, message):
    with pytest.raises(FormulaFieldError, match=message) as caught:
        formula_parse(_small((old, new)), path="small.toml")
    assert str(caught.value).startswith("small.toml:")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[rounding]\nmethod = "half_up"\n', "rounding.method: must be one of largest_remainder"),
        ('[rounding]\nties = "larger_entity_code"\n', "rounding.ties"),
        ("[rounding]\nunit_eur = 1\n", "only 0.01"),
        ('[rounding]\nwhen = "later"\n', "rounding.when: unknown field"),
    ],
)
def test_a_rounding_the_engine_does_not_do_is_refused(table, message):
    with pytest.raises(FormulaFieldError, match=message):
        formula_parse(_small(extra="\n" + table), path="small.toml")


def test_the_component_rounding_is_read_by_the_engine(shipped_inputs):
    """half_up and half_even differ on some contribution columns; the amounts do not move,
    and every row still adds up (rounding_eur takes the difference)."""
    text = SHIPPED[0].read_text(encoding="utf-8")
    entities, variables = shipped_inputs
    rows = {}
    for mode in ("half_even", "half_up"):
        formula = formula_parse(
            text.replace('components = "half_even"', f'components = "{mode}"'), path="x.toml"
        )
        result = allocation_compute(formula, entities=entities, variables=variables)
        rows[mode] = allocation_result_rows(result)
    assert [r["amount_eur"] for r in rows["half_even"]] == [
        r["amount_eur"] for r in rows["half_up"]
    ]
    for mode_rows in rows.values():
        for row in mode_rows:
            parts = [value for key, value in row.items() if key.startswith("contribution_")]
            total = row["fixed_eur"] + row["minimum_eur"] + sum(parts) + row["adjustment_eur"]
            assert total + row["rounding_eur"] == row["amount_eur"]


def test_census_population_is_named_as_not_an_input():
    spec = allocation_spec(SHIPPED[0])
    schema = spec.resource_get("allocations").schema_load()
    fields = {field["name"]: field for field in schema["fields"]}
    assert "population" not in fields
    assert "NOT a formula input" in fields["census_population_2021"]["description"]


@pytest.mark.parametrize("language", ["en", "ca", "es"])
def test_the_readme_recipe_covers_imputation_and_rounding_order(language):
    spec = allocation_spec(SHIPPED[0])
    recipe = spec.recompute[language]
    assert "concertem allocate pgi-2024-2027" in recipe
    assert "concertem verify" in recipe
    assert "census_population_2021" in recipe
    for step in range(1, 10):
        assert f"\n{step}. " in recipe
    words = {
        "en": ("median", "exclusions are not counted", "largest remainder", "smaller INE code"),
        "ca": ("mediana", "exclusions no hi compten", "residu més gran", "codi INE més petit"),
        "es": ("mediana", "exclusiones no cuentan", "resto mayor", "código INE menor"),
    }[language]
    for word in words:
        assert word in recipe, word


def test_the_recipe_follows_the_file_not_a_fixed_text():
    text = SHIPPED[0].read_text(encoding="utf-8")
    scope = formula_parse(
        text.replace('population = "receiving"', 'population = "scope"'), path="x.toml"
    )
    recipe = recipe_text(scope, file_name="x.toml", language="en")
    assert "every entity in scope that has one (exclusions included)" in recipe


def test_half_a_cent_in_a_column_follows_the_declared_rule():
    from datasets.allocation.tables import _cents

    half_even = formula_parse(_small(), path="small.toml")
    half_up = formula_parse(_small(extra='\n[rounding]\ncomponents = "half_up"\n'), path="s")
    assert _cents(Decimal("0.005"), half_even) == Decimal("0.00")
    assert _cents(Decimal("0.015"), half_even) == Decimal("0.02")
    assert _cents(Decimal("0.005"), half_up) == Decimal("0.01")


def test_the_text_states_the_counts_the_engine_uses(shipped_inputs):
    """ "299 rates, the 150th in increasing order" is what the engine takes: the receiving
    municipalities with a published rate, and the middle one of them."""
    formula = formula_load(SHIPPED[0])
    entities, variables = shipped_inputs
    rates = variables.series_get(variable="unemployment_rate", year=2021)
    excluded = {x.entity_code for x in formula.exclusions}
    receiving = [
        e.entity_code
        for e in entities
        if e.province_code == "08"
        and e.entity_type == "municipality"
        and e.entity_code not in excluded
    ]
    values = sorted(rates[code] for code in receiving if code in rates)
    assert (len(receiving), len(values)) == (310, 299)
    assert values[149] == Decimal("10.86")  # the 150th
    [unemployment] = [c for c in formula.criteria if c.id == "unemployment"]
    assert "299" in unemployment.description and "150th" in unemployment.description
    assert _imputed_rates(formula, shipped_inputs) == {values[149]}
