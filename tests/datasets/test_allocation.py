"""The allocation formula engine: exact amounts, explanations, comparisons, refusals."""

from __future__ import annotations

import csv
import dataclasses
import json
import random
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from datasets.allocation import allocation_compute, formula_load, formula_parse
from datasets.allocation.compare import allocation_compare
from datasets.allocation.errors import FormulaFieldError
from datasets.allocation.formula import FORMULAS_DIR
from datasets.allocation.inputs import allocation_inputs_load
from datasets.allocation.output import allocation_write
from datasets.allocation.rounding import amounts_round
from datasets.allocation.summary import allocation_summarise, gini_compute
from datasets.allocation.tables import (
    SCHEMAS_DIR,
    allocation_explanation_rows,
    allocation_result_rows,
    allocation_schema_build,
    schema_text,
)
from datasets.errors import DatasetError
from datasets.territory import REFERENCE_DIR, entities_load, variables_load

DATA = Path(__file__).resolve().parents[1] / "data"
FORMULAS = DATA / "formulas"
SMALL = FORMULAS / "small.toml"
CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def small_territory():
    return (
        entities_load(province_code=None, path=DATA / "territory" / "entities.csv"),
        variables_load(path=DATA / "territory" / "variables.csv"),
    )


def small_compute(text: str | None = None, *, territory):
    formula = formula_parse(text, path="small.toml") if text else formula_load(SMALL)
    entities, variables = territory
    return allocation_compute(formula, entities=entities, variables=variables)


@pytest.fixture(scope="module")
def shipped():
    formula = formula_load(FORMULAS_DIR / "pgi-2024-2027.toml")
    entities, variables = allocation_inputs_load(formula)
    return allocation_compute(formula, entities=entities, variables=variables)


# ---- The shipped formula ----


def test_shipped_formula_gives_310_amounts_and_barcelona_apart_summing_to_the_budget(shipped):
    rows = {row.entity_code: row for row in shipped.rows}
    formula_rows = [row for row in shipped.rows if row.status == "formula"]
    assert len(rows) == 311 and len(formula_rows) == 310
    barcelona = rows["08019"]
    assert (barcelona.status, barcelona.amount_eur, barcelona.rank) == ("excluded", 0, None)
    assert shipped.total_eur == Decimal("260000000.00") == shipped.formula.total_eur
    assert all(row.amount_eur == row.amount_eur.quantize(CENT) for row in shipped.rows)
    assert all(row.amount_eur >= Decimal(100_000) for row in formula_rows)
    assert sorted(row.rank for row in formula_rows) == list(range(1, 311))
    # 52% of what is left after the 310 minimums goes by population.
    assert shipped.pools["population"] == (Decimal(260_000_000) - 310 * 100_000) * Decimal("0.52")


def _published(variable: str, year: int) -> dict[str, Fraction]:
    """Read one series straight from the published variables.csv, as a consumer would."""
    with (REFERENCE_DIR / "variables.csv").open(encoding="utf-8") as handle:
        return {
            row["entity_code"]: Fraction(row["value"])
            for row in csv.DictReader(handle)
            if row["variable"] == variable and row["year"] == str(year)
        }


def test_three_municipalities_recomputed_by_hand_from_the_published_inputs(shipped):
    """Abrera (mid-sized), Bellprat (73 inhabitants, no census unemployment rate: the median
    is used) and L'Hospitalet de Llobregat (the largest share), recomputed with fractions."""
    scope = [e.entity_code for e in entities_load() if e.entity_code != "08019"]
    population = {c: v for c, v in _published("population", 2022).items() if c in scope}
    income = _published("gross_income_per_person", 2021)
    unemployment = _published("unemployment_rate", 2021)
    assert len(population) == 310

    # Money to share after the minimums: 260,000,000 - 310 x 100,000 = 229,000,000.
    rest = Fraction(260_000_000 - 310 * 100_000)
    pool_population = rest * Fraction("0.52")  # 119,080,000
    pool_income = rest * Fraction("0.30")  # 68,700,000
    pool_unemployment = rest * Fraction("0.18")  # 41,220,000
    assert (pool_population, pool_income, pool_unemployment) == (
        119_080_000,
        68_700_000,
        41_220_000,
    )

    # Unemployment rate missing for 11 municipalities under 100 inhabitants: the median of
    # the 299 published rates in scope stands in for them.
    known = sorted(unemployment[c] for c in scope if c in unemployment)
    assert len(known) == 299
    median = known[149]
    rate = {c: unemployment.get(c, median) for c in scope}
    assert "08021" not in unemployment

    # Scores: population; population / income (less income, more money); population x rate.
    sum_population = sum(population.values())
    sum_income = sum(population[c] / income[c] for c in scope)
    sum_unemployment = sum(population[c] * rate[c] for c in scope)

    def by_hand(code: str) -> Fraction:
        return (
            100_000
            + pool_population * population[code] / sum_population
            + pool_income * (population[code] / income[code]) / sum_income
            + pool_unemployment * (population[code] * rate[code]) / sum_unemployment
        )

    expected_euros = {"08001": 777_326, "08021": 103_696, "08101": 16_465_679}
    for code, euros in expected_euros.items():
        exact = by_hand(code)
        assert int(exact) == euros
        amount = shipped.row_get(code).amount_eur
        # Largest-remainder rounding moves each amount by less than a cent, up or down to
        # the neighbouring cent.
        low = Decimal(exact.numerator) / Decimal(exact.denominator)
        assert amount in (low.quantize(CENT, ROUND_FLOOR), low.quantize(CENT, ROUND_CEILING))
    bellprat = shipped.row_get("08021").inputs[2]
    assert (
        bellprat.imputed and bellprat.input_value == Decimal(median.numerator) / median.denominator
    )


def test_shipped_schema_file_is_the_schema_of_the_shipped_formula():
    formula = formula_load(FORMULAS_DIR / "pgi-2024-2027.toml")
    text = (SCHEMAS_DIR / "allocations.json").read_text(encoding="utf-8")
    assert text == schema_text(allocation_schema_build(formula)), (
        "regenerate with: python -m datasets.allocation.tables"
    )


def test_alternative_formula_differs_only_in_weights():
    base = formula_load(FORMULAS_DIR / "pgi-2024-2027.toml")
    alt = formula_load(FORMULAS_DIR / "pgi-2024-2027-alt.toml")

    def mechanics(formula):
        blank = {"description": "", "description_ca": "", "description_es": ""}
        criteria = [
            dataclasses.replace(c, weight=0, source="", line=0, **blank) for c in formula.criteria
        ]
        exclusions = [dataclasses.replace(x, line=0) for x in formula.exclusions]
        return criteria, exclusions, formula.total_eur, formula.minimum_eur, formula.limits

    assert mechanics(base) == mechanics(alt)
    assert [c.weight for c in base.criteria] != [c.weight for c in alt.criteria]


# ---- The small formula, by hand ----


def test_small_formula_recomputed_by_hand(small_territory):
    result = small_compute(territory=small_territory)
    # Budget 10,000,000; Barcelona apart for 1,000,000; 5 x 100,000 minimums:
    # 8,500,000 to share, 50/30/20.
    assert result.distributable_eur == Decimal(8_500_000)
    population = {"08001": 12795, "08002": 293, "08003": 9762, "08021": 72, "08101": 272459}
    income = {"08001": 18526, "08002": 20948, "08003": 29327, "08021": 20879, "08101": 14633}
    # Bellprat (08021) has no rate: the median of 6.94, 6.94, 10.61, 14.48 is 8.775.
    rate = {
        "08001": Fraction("10.61"),
        "08002": Fraction("6.94"),
        "08003": Fraction("6.94"),
        "08021": Fraction("8.775"),
        "08101": Fraction("14.48"),
    }
    total_population = 12795 + 293 + 9762 + 72 + 272459
    assert total_population == 295381
    total_income = sum(Fraction(population[c], income[c]) for c in population)
    total_unemployment = sum(population[c] * rate[c] for c in population)
    for code in population:
        exact = (
            100_000
            + Fraction(4_250_000 * population[code], total_population)
            + 2_550_000 * Fraction(population[code], income[code]) / total_income
            + 1_700_000 * population[code] * rate[code] / total_unemployment
        )
        amount = result.row_get(code).amount_eur
        assert abs(Fraction(amount) - exact) < Fraction(1, 100), code
    # Abrera: 100,000 + 184,096.98 + 89,578.85 + 55,592.05 = 429,267.88
    assert result.row_get("08001").amount_eur == Decimal("429267.88")
    assert result.row_get("08019").amount_eur == Decimal("1000000.00")
    assert result.total_eur == Decimal("10000000.00")


def test_every_published_row_adds_up_exactly(small_territory, shipped):
    for result in (small_compute(territory=small_territory), shipped):
        for row in allocation_result_rows(result):
            parts = [value for key, value in row.items() if key.startswith("contribution_")]
            assert (
                row["fixed_eur"]
                + row["minimum_eur"]
                + sum(parts)
                + row["adjustment_eur"]
                + row["rounding_eur"]
                == row["amount_eur"]
            )
            assert abs(row["rounding_eur"]) <= Decimal("0.02")


def test_explanation_shares_and_contributions_are_consistent(small_territory):
    result = small_compute(territory=small_territory)
    rows = allocation_explanation_rows(result)
    assert len(rows) == 5 * 3
    for criterion in ("population", "income", "unemployment"):
        mine = [r for r in rows if r["criterion"] == criterion]
        assert abs(sum(r["share"] for r in mine) - 1) < Decimal("1e-11")
        assert abs(sum(r["contribution_eur"] for r in mine) - mine[0]["pool_eur"]) <= CENT * 3
    bellprat = next(
        r for r in rows if r["entity_code"] == "08021" and r["criterion"] == "unemployment"
    )
    assert bellprat["imputed"] is True and bellprat["input_value"] == Decimal("8.775")
    assert bellprat["weight_by"] == "population 2022" and bellprat["weight_by_value"] == 72


# ---- Rounding ----


def test_sum_is_exact_for_random_budgets(small_territory):
    formula = formula_load(SMALL)
    entities, variables = small_territory
    generator = random.Random(20240229)
    for _ in range(200):
        cents = generator.randint(150_000_000, 10**12)  # from 1.5 M€ (fixed + minimums) up
        budget = Decimal(cents) / 100
        result = allocation_compute(
            dataclasses.replace(formula, total_eur=budget), entities=entities, variables=variables
        )
        assert result.total_eur == budget
        assert all(row.amount_eur == row.amount_eur.quantize(CENT) for row in result.rows)


def test_largest_remainder_property_on_random_shares():
    generator = random.Random(7)
    for _ in range(300):
        count = generator.randint(1, 60)
        total = Decimal(generator.randint(0, 10**9)) / 100
        weights = [generator.randint(0, 1000) for _ in range(count)] or [1]
        if sum(weights) == 0:
            weights[0] = 1
        raw = {f"{i:05d}": total * w / sum(weights) for i, w in enumerate(weights)}
        rounded = amounts_round(raw, total=total)
        assert sum(rounded.values()) == total
        assert all(abs(rounded[k] - raw[k]) < CENT for k in raw)


def test_ties_go_to_the_smaller_entity_code_whatever_the_order():
    half = Decimal("0.005")
    assert amounts_round({"08002": half, "08001": half}, total=CENT) == {
        "08001": CENT,
        "08002": Decimal("0.00"),
    }
    assert amounts_round({"08001": half, "08002": half}, total=CENT)["08001"] == CENT


# ---- Transformations and limits ----


def _small_text() -> str:
    return SMALL.read_text(encoding="utf-8")


def test_cap_on_final_amounts_redistributes_the_excess_exactly(small_territory):
    text = _small_text() + '\n[limits]\nmax_amount_eur = 5_000_000\nsource = "assumption"\n'
    base = small_compute(territory=small_territory)
    capped = small_compute(text, territory=small_territory)
    hospitalet = capped.row_get("08101")
    assert hospitalet.amount_eur == Decimal("5000000.00")
    assert capped.total_eur == Decimal("10000000.00")
    for code in ("08001", "08002", "08003", "08021"):
        assert capped.row_get(code).amount_eur > base.row_get(code).amount_eur
        assert capped.row_get(code).adjustment_eur > 0
    assert hospitalet.adjustment_eur < 0
    # The other four share the 3,050,753.33 excess in proportion to their formula part:
    # (formula part + adjustment) / formula part is the same factor for all of them.
    factors = set()
    for code in ("08001", "08002", "08003", "08021"):
        row = capped.row_get(code)
        part = sum(row.contributions.values())
        factors.add(((part + row.adjustment_eur) / part).quantize(Decimal("1e-20")))
    assert len(factors) == 1


def test_floor_on_final_amounts(small_territory):
    text = _small_text() + '\n[limits]\nmin_amount_eur = 150_000\nsource = "assumption"\n'
    result = small_compute(text, territory=small_territory)
    amounts = {row.entity_code: row.amount_eur for row in result.rows if row.status == "formula"}
    assert min(amounts.values()) == Decimal("150000.00")
    assert amounts["08021"] == amounts["08002"] == Decimal("150000.00")
    assert result.total_eur == Decimal("10000000.00")


def test_impossible_limits_are_refused(small_territory):
    text = _small_text() + '\n[limits]\nmax_amount_eur = 1_000_000\nsource = "assumption"\n'
    with pytest.raises(DatasetError) as caught:
        small_compute(text, territory=small_territory)
    assert caught.value.code == "allocation-limits"


def test_cap_log_and_per_capita_transformations(small_territory):
    ageing = """
[[criteria]]
id = "ageing"
title = "Ageing"
source = "assumption"
weight = 0.1
variable = "share_population_over_64"
year = 2021
direction = "higher_gets_more"
transform = ["cap", "log"]
cap_max = 20
missing = "median"

[[criteria]]
id = "census_ratio"
title = "Census over ADRH population"
source = "assumption"
weight = 0.1
variable = "population_census"
year = 2021
direction = "higher_gets_more"
transform = ["per_capita"]
per_capita_of = { variable = "population", year = 2022 }
"""
    text = _small_text().replace("weight = 0.5\n", "weight = 0.3\n") + ageing
    result = small_compute(text, territory=small_territory)
    alella = {item.criterion_id: item for item in result.row_get("08003").inputs}
    # Alella: 21.64% over 64, capped at 20, then ln(1 + 20).
    assert abs(alella["ageing"].score - Decimal(21).ln()) < Decimal("1e-25")
    # Census 2021 population per ADRH 2022 inhabitant: 9,949 / 9,762.
    assert abs(alella["census_ratio"].score - Decimal(9949) / Decimal(9762)) < Decimal("1e-25")
    assert alella["census_ratio"].per_capita_value == 9762
    assert result.total_eur == Decimal("10000000.00")


# ---- Comparison ----


def test_comparison_lists_winners_and_losers_and_money_moved(small_territory):
    base = small_compute(territory=small_territory)
    alt_text = (
        _small_text()
        .replace("weight = 0.5\n", "weight = 0.2\n")
        .replace("weight = 0.3\n", "weight = 0.6\n")
    )
    other = small_compute(alt_text, territory=small_territory)
    comparison = allocation_compare(base, other)
    assert len(comparison.rows) == 6
    assert sum(row.difference_eur for row in comparison.rows) == 0
    assert comparison.moved_eur == -sum(row.difference_eur for row in comparison.losers)
    assert {row.entity_code for row in comparison.winners} | {
        row.entity_code for row in comparison.losers
    } | {row.entity_code for row in comparison.rows if row.change == "unchanged"} == {
        "08001",
        "08002",
        "08003",
        "08019",
        "08021",
        "08101",
    }
    barcelona = next(row for row in comparison.rows if row.entity_code == "08019")
    assert barcelona.change == "unchanged" and barcelona.difference_pct == 0
    gains = [row.difference_eur for row in comparison.winners]
    assert gains == sorted(gains, reverse=True)


def test_comparison_with_an_entity_on_one_side_only(small_territory):
    base = small_compute(territory=small_territory)
    wider = small_compute(
        _small_text().replace('province_codes = ["08"]', 'province_codes = ["08", "17"]'),
        territory=small_territory,
    )
    girona = next(row for row in allocation_compare(base, wider).rows if row.entity_code == "17079")
    assert girona.base_eur == 0 and girona.other_eur > 100_000
    assert girona.difference_pct is None and girona.base_rank is None and girona.change == "gains"


# ---- Summary ----


def test_summary_figures(small_territory):
    summary = allocation_summarise(small_compute(territory=small_territory))
    assert (summary.count, summary.excluded) == (5, 1)
    assert summary.total_eur == Decimal("10000000.00")
    assert summary.minimum_eur == Decimal("101741.94")
    assert summary.median_eur == Decimal("311374.27")
    assert summary.maximum_eur == Decimal("8050753.33")
    assert Decimal(0) < summary.gini_per_capita < 1


def test_gini():
    assert gini_compute([Decimal(5)] * 4) == 0
    assert gini_compute([Decimal(0), Decimal(0), Decimal(0), Decimal(4)]) == Decimal("0.75")
    assert gini_compute([]) is None


# ---- Bad input: each broken twin of small.toml ----

BROKEN = [
    ("malformed.toml", "formula-syntax", ":43:", None),
    ("unknown-variable.toml", "formula-unknown-variable", ":57:", None),
    ("weights-not-one.toml", "formula-weights", "0.95", None),
    ("negative-budget.toml", "formula-budget", ":15:", None),
    ("unknown-entity.toml", "formula-unknown-entity", ":23:", "08999"),
    ("missing-input.toml", "allocation-missing-input", ":57:", "08021"),
    ("budget-too-small.toml", "allocation-budget-too-small", ":15:", None),
    ("unknown-field.toml", "formula-field", "wieght", None),
    ("direction-mismatch.toml", "formula-field", "criteria[1].direction", None),
    ("exclusion-out-of-scope.toml", "allocation-scope", "17079", "17079"),
]


@pytest.mark.parametrize(("name", "code", "where", "entity"), BROKEN)
def test_broken_twin_is_refused_with_a_stable_code(name, code, where, entity, small_territory):
    path = FORMULAS / name
    entities, variables = small_territory
    with pytest.raises(DatasetError) as caught:
        allocation_compute(formula_load(path), entities=entities, variables=variables)
    error = caught.value
    assert error.code == code
    assert str(path) in str(error) and where in str(error)
    if entity:
        assert error.context["entity_code"] == entity and entity in str(error)


def test_a_year_without_data_is_refused(small_territory):
    text = _small_text().replace("year = 2021\ndirection", "year = 2019\ndirection", 1)
    with pytest.raises(DatasetError) as caught:
        small_compute(text, territory=small_territory)
    assert caught.value.code == "formula-unknown-variable" and "2019" in str(caught.value)


def test_a_missing_formula_file_is_refused():
    with pytest.raises(DatasetError) as caught:
        formula_load(FORMULAS / "nope.toml")
    assert caught.value.code == "formula-not-found"


def test_money_must_be_whole_cents():
    text = _small_text().replace("amount_eur = 100_000", 'amount_eur = "100000.005"')
    with pytest.raises(FormulaFieldError) as caught:
        formula_parse(text, path="x.toml")
    assert "minimum.amount_eur" in str(caught.value)


def test_every_item_states_whether_it_was_announced_or_assumed():
    for path in FORMULAS_DIR.glob("*.toml"):
        formula = formula_load(path)
        assert all(c.source in ("announcement", "assumption", "adopted") for c in formula.criteria)
    text = _small_text().replace('source = "assumption"\nweight = 0.5', "weight = 0.5")
    with pytest.raises(FormulaFieldError):
        formula_parse(text, path="x.toml")


# ---- Texts in Catalan, Spanish and English ----


def test_texts_in_each_language_fall_back_to_english():
    text = _small_text().replace(
        'title = "Population"\n',
        'title = "Population"\ntitle_ca = "Població"\ndescription_es = "Según la población."\n',
    )
    formula = formula_parse(text, path="x.toml")
    population = formula.criteria[0]
    assert population.title_in("ca") == "Població"
    assert population.title_in("es") == population.title_in("en") == "Population"
    assert population.description_in("es") == "Según la población."
    assert population.description_in("ca") == population.description  # no translation: English
    assert population.title_in("fr") == "Population"  # an unknown language: English
    # A file written before translations existed loads as before, English everywhere.
    small = formula_load(SMALL)
    assert [small.title_in(lang) for lang in ("ca", "es", "en")] == ["Small test formula"] * 3


def test_a_misspelt_translation_key_is_refused():
    text = _small_text().replace('title = "Population"\n', 'title = "Population"\ntitle_fr = "x"\n')
    with pytest.raises(FormulaFieldError) as caught:
        formula_parse(text, path="x.toml")
    assert "criteria[0].title_fr" in str(caught.value) and "title_ca" in str(caught.value)


def test_shipped_formulas_are_translated_and_keep_their_provenance_notes():
    for path in FORMULAS_DIR.glob("*.toml"):
        formula = formula_load(path)
        for item in (formula, *formula.criteria):
            for language in ("ca", "es"):
                for name in ("title", "description"):
                    english = getattr(item, name)
                    translated = getattr(item, f"{name}_in")(language)
                    assert translated.strip() and translated != english, (path.name, item, name)
            # What the English marks as an assumption, the translations mark too.
            marks = item.description.count("assumption")
            assert item.description_in("ca").count("supòsit") == marks, (path.name, item)
            assert item.description_in("es").count("supuesto") == marks, (path.name, item)
        # An exclusion's reason is shown on the pages: translated too.
        for exclusion in formula.exclusions:
            for language in ("ca", "es"):
                reason = exclusion.reason_in(language)
                assert reason.strip() and reason != exclusion.reason, (path.name, language)


def test_an_exclusion_reason_falls_back_to_english_and_a_misspelt_key_is_refused():
    reason = 'reason = "Handled apart for a fixed amount (test)."\n'
    text = _small_text()
    assert text.count(reason) == 1
    formula = formula_parse(
        text.replace(reason, reason + 'reason_ca = "Tractat a part (prova)."\n'), path="x.toml"
    )
    exclusion = formula.exclusions[0]
    assert exclusion.reason_in("ca") == "Tractat a part (prova)."
    english = "Handled apart for a fixed amount (test)."
    assert exclusion.reason_in("es") == exclusion.reason_in("en") == english
    # A file without translations loads as before, English everywhere.
    assert formula_load(SMALL).exclusions[0].reason_in("ca") == english
    with pytest.raises(FormulaFieldError) as caught:
        formula_parse(text.replace(reason, reason + 'reason_fr = "x"\n'), path="x.toml")
    assert "exclusions[0].reason_fr" in str(caught.value) and "reason_ca" in str(caught.value)


def test_allocation_datasets_are_titled_and_described_in_each_language():
    from datasets.catalog import allocation_spec

    spec = allocation_spec(FORMULAS_DIR / "pgi-2024-2027.toml")
    assert spec.title["ca"].endswith(
        "Programa General d'Inversions 2024-2027 (model de la fórmula anunciada)"
    )
    assert spec.title["es"].endswith(
        "Programa General de Inversiones 2024-2027 (modelo de la fórmula anunciada)"
    )
    assert "52% de la resta segons la població" in spec.description["ca"]
    assert "Criterios y pesos: Población, 52%; Renta por persona" in spec.description["es"]
    assert "Paro, 18%" in spec.description["es"] and "Atur, 18%" in spec.description["ca"]
    assert "Unemployment, 18%" in spec.description["en"]


def test_a_formula_that_does_not_load_keeps_the_catalogue_whole(tmp_path):
    from datasets.catalog import allocation_spec

    broken = tmp_path / "broken.toml"
    broken.write_text(_small_text().replace("weight = 0.5", "weight = 0.45"))
    spec = allocation_spec(broken)  # the build of this dataset will report the weights
    assert spec.name == "allocation-small"
    assert spec.title["ca"] == "Repartiment de recursos: Small test formula"


# ---- Files ----


def test_written_files_validate_against_their_table_schemas(shipped, tmp_path):
    from frictionless import Resource, Schema

    other = dataclasses.replace(shipped.formula, id="copy")
    comparison = allocation_compare(shipped, dataclasses.replace(shipped, formula=other))
    written = allocation_write(shipped, out_dir=tmp_path, comparison=comparison)
    assert {p.name for p in written} == {
        "allocations.csv",
        "allocations.schema.json",
        "allocation_explanations.csv",
        "allocations_copy.csv",
        "allocation_comparison.csv",
        "allocation_summary.json",
    }
    pairs = [
        ("allocations.csv", tmp_path / "allocations.schema.json"),
        ("allocation_explanations.csv", SCHEMAS_DIR / "allocation_explanations.json"),
        ("allocation_comparison.csv", SCHEMAS_DIR / "allocation_comparison.json"),
    ]
    for name, schema_path in pairs:
        descriptor = json.loads(schema_path.read_text(encoding="utf-8"))
        descriptor.pop("foreignKeys", None)  # checked by the Data Package, not here
        resource = Resource(
            path=name, basepath=str(tmp_path), schema=Schema.from_descriptor(descriptor)
        )
        report = resource.validate()
        assert report.valid, (name, report.flatten(["rowNumber", "fieldName", "note"])[:5])
    summary = json.loads((tmp_path / "allocation_summary.json").read_text())
    assert summary["summaries"][0]["total_eur"] == "260000000.00"


def test_no_mangled_formula_escapes_as_anything_but_a_dataset_error(small_territory):
    """Every value of small.toml replaced by odd values, and every line dropped in turn:
    the engine answers with a DatasetError (what the CLI prints on one line), never a crash."""
    entities, variables = small_territory
    lines = _small_text().splitlines()
    odd = ["-1", "0", '"x"', "true", "[]", "{}", "[1, 2]", '"1e400"', '"NaN"', "inf", '"08"']
    variants = [lines[:i] + lines[i + 1 :] for i in range(len(lines))]
    for i, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            key = line.split("=")[0]
            variants += [[*lines[:i], f"{key}= {value}", *lines[i + 1 :]] for value in odd]
    for variant in variants:
        try:
            formula = formula_parse("\n".join(variant), path="mangled.toml")
            allocation_compute(formula, entities=entities, variables=variables)
        except DatasetError as error:
            assert error.code and str(error).startswith("mangled.toml")
