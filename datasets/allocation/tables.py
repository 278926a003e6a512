"""An allocation as data: tidy rows for the site and the publishing pipeline, and their schemas.

Rows hold typed values (``Decimal`` euros rounded to the cent, ``int``, ``str``, ``None``);
``output.py`` turns them into CSV. In ``allocations.csv`` every row adds up exactly:
``fixed_eur + minimum_eur + sum(contribution_*_eur) + adjustment_eur + rounding_eur
== amount_eur``.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

from datasets.allocation.compare import AllocationComparison
from datasets.allocation.compute import AllocationResult
from datasets.allocation.formula import Formula
from datasets.allocation.rounding import CENT
from datasets.allocation.summary import amount_per_capita
from datasets.catalog.paths import SCHEMAS_DIR

SHARE_PLACES = Decimal(1).scaleb(-12)


def contribution_field(criterion_id: str) -> str:
    return f"contribution_{criterion_id}_eur"


def allocation_fields(formula: Formula) -> list[str]:
    return [
        "formula_id",
        "formula_version",
        "entity_code",
        "name",
        "status",
        "census_population_2021",
        "fixed_eur",
        "minimum_eur",
        *(contribution_field(c.id) for c in formula.criteria),
        "adjustment_eur",
        "rounding_eur",
        "amount_eur",
        "amount_per_capita_eur",
        "rank",
        "note",
    ]


def allocation_result_rows(result: AllocationResult) -> list[dict[str, Any]]:
    """One row per entity in scope (exclusions included, with their fixed amount)."""
    formula = result.formula
    rows = []
    for row in result.rows:
        contributions = {
            contribution_field(c.id): _cents(row.contributions[c.id], formula)
            for c in formula.criteria
        }
        adjustment = _cents(row.adjustment_eur, formula)
        rounding = (
            row.amount_eur
            - row.fixed_eur
            - row.minimum_eur
            - sum(contributions.values())
            - adjustment
        )
        rows.append(
            {
                "formula_id": formula.id,
                "formula_version": formula.version,
                "entity_code": row.entity_code,
                "name": row.entity.name,
                "status": row.status,
                "census_population_2021": row.entity.population,
                "fixed_eur": row.fixed_eur.quantize(CENT),
                "minimum_eur": row.minimum_eur.quantize(CENT),
                **contributions,
                "adjustment_eur": adjustment,
                "rounding_eur": rounding,
                "amount_eur": row.amount_eur,
                "amount_per_capita_eur": amount_per_capita(row),
                "rank": row.rank,
                "note": row.note,
            }
        )
    return rows


def allocation_explanation_rows(result: AllocationResult) -> list[dict[str, Any]]:
    """Long table: for each entity and criterion, the input used and what it earned.

    ``share`` is score / sum of scores; ``contribution_eur`` = ``pool_eur`` × ``share``.
    With these and ``variables.csv`` anyone can recompute the allocation.
    """
    criteria = {c.id: c for c in result.formula.criteria}
    rows = []
    for row in result.rows:
        for item in row.inputs:
            criterion = criteria[item.criterion_id]
            rows.append(
                {
                    "formula_id": result.formula.id,
                    "entity_code": row.entity_code,
                    "name": row.entity.name,
                    "criterion": item.criterion_id,
                    "weight": criterion.weight,
                    "pool_eur": _cents(result.pools[item.criterion_id], result.formula),
                    "variable": item.variable,
                    "year": item.year,
                    "input_value": item.input_value,
                    "imputed": item.imputed,
                    "direction": criterion.direction,
                    "transform": " ".join(criterion.transform),
                    "per_capita_of": str(criterion.per_capita_of or ""),
                    "per_capita_value": item.per_capita_value,
                    "weight_by": str(criterion.weight_by or ""),
                    "weight_by_value": item.weight_by_value,
                    "score": _places(item.score),
                    "share": _places(item.share),
                    "contribution_eur": _cents(item.contribution_eur, result.formula),
                }
            )
    return rows


def allocation_comparison_rows(comparison: AllocationComparison) -> list[dict[str, Any]]:
    return [
        {
            "base_formula_id": comparison.base.formula.id,
            "other_formula_id": comparison.other.formula.id,
            "entity_code": row.entity_code,
            "name": row.name,
            "base_eur": row.base_eur,
            "other_eur": row.other_eur,
            "difference_eur": row.difference_eur,
            "difference_pct": row.difference_pct,
            "base_rank": row.base_rank,
            "other_rank": row.other_rank,
            "change": row.change,
        }
        for row in comparison.rows
    ]


# ---- Schemas ----


def schema_load(name: str) -> dict[str, Any]:
    with (SCHEMAS_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def allocation_schema_build(formula: Formula) -> dict[str, Any]:
    """Table Schema of ``allocations.csv`` for this formula (its criteria are columns).

    Texts are (English, Catalan, Spanish): English is the field's ``title``/``description``,
    the others go to its ``concertem`` translations, which the dataset pages show.
    """
    fields = [
        _field("formula_id", "string", ("Formula", "Fórmula", "Fórmula"), required=True),
        _field(
            "formula_version",
            "string",
            ("Formula version", "Versió de la fórmula", "Versión de la fórmula"),
            (
                "[formula].version of the formula file; also the version of this dataset",
                "[formula].version del fitxer de la fórmula; també la versió d'aquest conjunt "
                "de dades",
                "[formula].version del fichero de la fórmula; también la versión de este "
                "conjunto de datos",
            ),
            required=True,
        ),
        _field(
            "entity_code",
            "string",
            ("INE code", "Codi INE", "Código INE"),
            required=True,
            pattern="[0-9]{5}",
        ),
        _field("name", "string", ("Name", "Nom", "Nombre"), required=True),
        _field(
            "status",
            "string",
            ("How the amount was set", "Com s'ha fixat l'import", "Cómo se ha fijado el importe"),
            (
                "formula: shared by the formula; excluded: handled apart for a fixed amount "
                "(see note)",
                "formula: repartit per la fórmula; excluded: tractat a part amb un import fix "
                "(vegeu note)",
                "formula: repartido por la fórmula; excluded: tratado aparte con un importe fijo "
                "(véase note)",
            ),
            required=True,
            enum=["formula", "excluded"],
        ),
        _field(
            "census_population_2021",
            "integer",
            ("Census population 2021", "Població del cens 2021", "Población del censo 2021"),
            (
                "Census 2021 (population in entities.csv); NOT a formula input (the criteria read "
                "the population of the year the formula names, in inputs.csv); divides "
                "amount_per_capita_eur",
                "Cens 2021 (population a entities.csv); NO és una entrada de la fórmula (els "
                "criteris llegeixen la població de l'any que indica la fórmula, a inputs.csv); "
                "divideix amount_per_capita_eur",
                "Censo 2021 (population en entities.csv); NO es una entrada de la fórmula (los "
                "criterios leen la población del año que indica la fórmula, en inputs.csv); "
                "divide amount_per_capita_eur",
            ),
            minimum=0,
        ),
        _field(
            "fixed_eur",
            "number",
            ("Fixed amount (EUR)", "Import fix (EUR)", "Importe fijo (EUR)"),
            (
                "Set by the formula for an entity handled apart (status excluded); 0 otherwise",
                "Fixat per la fórmula per a un ens tractat a part (status excluded); 0 en els "
                "altres casos",
                "Fijado por la fórmula para un ente tratado aparte (status excluded); 0 en los "
                "demás casos",
            ),
            required=True,
            minimum=0,
        ),
        _field(
            "minimum_eur",
            "number",
            ("Fixed minimum (EUR)", "Mínim fix (EUR)", "Mínimo fijo (EUR)"),
            (
                "The minimum every entity shared by the formula gets",
                "El mínim que rep cada ens repartit per la fórmula",
                "El mínimo que recibe cada ente repartido por la fórmula",
            ),
            required=True,
            minimum=0,
        ),
    ]
    for criterion in formula.criteria:
        fields.append(
            _field(
                contribution_field(criterion.id),
                "number",
                tuple(f"{criterion.title_in(language)} (EUR)" for language in ("en", "ca", "es")),
                (
                    f"Contribution of criterion {criterion.id!r} (weight {criterion.weight}, "
                    f"{criterion.input}), rounded to the cent",
                    f"Aportació del criteri {criterion.id!r} (pes {criterion.weight}, "
                    f"{criterion.input}), arrodonida al cèntim",
                    f"Aportación del criterio {criterion.id!r} (peso {criterion.weight}, "
                    f"{criterion.input}), redondeada al céntimo",
                ),
                required=True,
                minimum=0,
            )
        )
    fields += [
        _field(
            "adjustment_eur",
            "number",
            (
                "Caps/floors adjustment (EUR)",
                "Ajust per límits màxims/mínims (EUR)",
                "Ajuste por límites máximos/mínimos (EUR)",
            ),
            (
                "Change due to the formula's limits on final amounts (0 without limits)",
                "Canvi degut als límits de la fórmula sobre els imports finals (0 sense límits)",
                "Cambio debido a los límites de la fórmula sobre los importes finales (0 sin "
                "límites)",
            ),
            required=True,
        ),
        _field(
            "rounding_eur",
            "number",
            ("Rounding (EUR)", "Arrodoniment (EUR)", "Redondeo (EUR)"),
            (
                "What the cent rounding adds so that the row adds up: "
                "fixed + minimum + contributions + adjustment + rounding = amount",
                "El que afegeix l'arrodoniment al cèntim perquè la fila quadri: "
                "fix + mínim + aportacions + ajust + arrodoniment = import",
                "Lo que añade el redondeo al céntimo para que la fila cuadre: "
                "fijo + mínimo + aportaciones + ajuste + redondeo = importe",
            ),
            required=True,
        ),
        _field(
            "amount_eur",
            "number",
            ("Amount (EUR)", "Import (EUR)", "Importe (EUR)"),
            (
                "Final amount; all amounts add up exactly to the budget",
                "Import final; tots els imports sumen exactament el pressupost",
                "Importe final; todos los importes suman exactamente el presupuesto",
            ),
            required=True,
            minimum=0,
        ),
        _field(
            "amount_per_capita_eur",
            "number",
            (
                "Amount per inhabitant (EUR)",
                "Import per habitant (EUR)",
                "Importe por habitante (EUR)",
            ),
            (
                "amount_eur / census_population_2021, rounded to the cent (half to even); "
                "for reading only",
                "amount_eur / census_population_2021, arrodonit al cèntim (meitats al parell); "
                "només per a la lectura",
                "amount_eur / census_population_2021, redondeado al céntimo (mitades al par); "
                "solo para la lectura",
            ),
            minimum=0,
        ),
        _field(
            "rank",
            "integer",
            ("Rank", "Posició", "Posición"),
            (
                "1 = largest amount; ties by code; empty when excluded",
                "1 = import més gran; empats per codi; buit quan l'ens és exclòs",
                "1 = importe mayor; empates por código; vacío cuando el ente está excluido",
            ),
            minimum=1,
        ),
        _field(
            "note",
            "string",
            ("Note", "Nota", "Nota"),
            (
                "Why an entity is handled apart",
                "Per què un ens es tracta a part",
                "Por qué un ente se trata aparte",
            ),
        ),
    ]
    entities = {"resource": "entities", "fields": ["entity_code"]}
    return {
        "fields": fields,
        "primaryKey": ["formula_id", "entity_code"],
        "foreignKeys": [{"fields": ["entity_code"], "reference": entities}],
        "missingValues": [""],
    }


def _field(
    name: str,
    kind: str,
    titles: tuple[str, ...],
    descriptions: tuple[str, ...] = (),
    **constraints: object,
) -> dict[str, Any]:
    """A Table Schema field; ``titles``/``descriptions`` are (English, Catalan, Spanish)."""
    field: dict[str, Any] = {"name": name, "type": kind, "title": titles[0]}
    translations: dict[str, Any] = {"title": {"ca": titles[1], "es": titles[2]}}
    if descriptions:
        field["description"] = descriptions[0]
        translations["description"] = {"ca": descriptions[1], "es": descriptions[2]}
    if constraints:
        field["constraints"] = constraints
    field["concertem"] = translations
    return field


# How the formula's [rounding].components rounds a component (a contribution, a pool) to
# the cent; the final amounts are rounded by largest remainder in compute.py instead.
COMPONENT_MODES = {"half_even": ROUND_HALF_EVEN, "half_up": ROUND_HALF_UP}


def _cents(value: Decimal, formula: Formula) -> Decimal:
    return value.quantize(CENT, rounding=COMPONENT_MODES[formula.rounding.components])


def _places(value: Decimal) -> Decimal:
    return value.quantize(SHARE_PLACES, rounding=ROUND_HALF_EVEN).normalize()


def schema_text(schema: dict[str, Any]) -> str:
    """JSON with one field per line, like the other schemas in ``datasets/schemas/``."""
    fields = ",\n".join(f"    {json.dumps(f, ensure_ascii=False)}" for f in schema["fields"])
    rest = ",\n".join(
        f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
        for key, value in schema.items()
        if key != "fields"
    )
    return f'{{\n  "fields": [\n{fields}\n  ],\n{rest}\n}}\n'


if __name__ == "__main__":
    # Regenerate the published schema of the shipped formula:
    #   python -m datasets.allocation.tables
    from datasets.allocation.formula import FORMULAS_DIR, formula_load

    shipped = formula_load(FORMULAS_DIR / "pgi-2024-2027.toml")
    (SCHEMAS_DIR / "allocations.json").write_text(
        schema_text(allocation_schema_build(shipped)), encoding="utf-8"
    )
