"""The ``allocation-<formula>`` datasets: one per formula file in ``datasets/formulas/``.

Each carries the amounts, the per-criterion explanation, the formula file itself and the
inputs anyone needs to recompute it; the allocation is computed once per process for all
of them (``_Memo``), and again only when the formula or a territory table changes.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from datasets.catalog.blocks import LANGUAGES, Text, text
from datasets.catalog.facts import CC_BY_4_0, SOURCE_CONCERTEM, SOURCE_INE_ATLAS, SOURCE_INE_CODES
from datasets.catalog.paths import schema_path
from datasets.catalog.types import Check, DatasetSpec, ResourceSpec, Table
from datasets.errors import DatasetError


def _allocation_result(formula_path: Path) -> Any:
    from datasets.allocation.inputs import allocation_of_file

    return allocation_of_file(formula_path)


def _allocation_tables(formula_path: Path) -> dict[str, Any]:
    """Result, explanations and inputs of one formula, computed once per build."""
    from datasets.allocation.tables import (
        allocation_explanation_rows,
        allocation_fields,
        allocation_result_rows,
        allocation_schema_build,
    )
    from datasets.territory import ENTITY_FIELDS, entity_row

    result = _allocation_result(formula_path)
    fields = allocation_fields(result.formula)
    explanations = allocation_explanation_rows(result)
    explanation_fields = [
        f["name"] for f in json.loads(schema_path("allocation_explanations").read_text())["fields"]
    ]
    # The inputs anyone needs to recompute: each (variable, year) the formula reads, for
    # every entity in scope, exactly as variables.csv has it.
    needed = sorted({(ref.variable, str(ref.year)) for ref in result.formula.variables_needed()})
    codes = {row.entity_code for row in result.rows}
    from datasets.territory import VARIABLES_PATH

    with VARIABLES_PATH.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        inputs_header = tuple(next(reader))
        inputs = [row for row in reader if row[0] in codes and (row[1], row[2]) in set(needed)]
    inputs.sort(key=lambda row: (row[0], row[1], row[2]))
    entities = sorted((row.entity for row in result.rows), key=lambda e: e.entity_code)
    return {
        "result": result,
        "allocations": Table(
            header=tuple(fields),
            rows=[[row[name] for name in fields] for row in allocation_result_rows(result)],
        ),
        "allocations_schema": allocation_schema_build(result.formula),
        "explanations": Table(
            header=tuple(explanation_fields),
            rows=[[row[name] for name in explanation_fields] for row in explanations],
        ),
        "inputs": Table(header=inputs_header, rows=inputs),
        "entities": Table(
            header=ENTITY_FIELDS,
            rows=[[entity_row(e)[name] for name in ENTITY_FIELDS] for e in entities],
        ),
    }


# Allocation tables by formula path, for the whole process: the site's background task and
# the benchmark build the catalogue more than once, with specs made anew each time.
_ALLOCATIONS: dict[Path, tuple[tuple[tuple[int, int], ...], dict[str, Any]]] = {}


class _Memo:
    """Compute an allocation once per run, however many resources and specs read from it."""

    def __init__(self, formula_path: Path) -> None:
        self.formula_path = formula_path.resolve()

    def get(self) -> dict[str, Any]:
        from datasets.territory import ENTITIES_PATH, VARIABLE_CATALOG_PATH, VARIABLES_PATH

        # Recomputed when the formula or a territory table it reads changes on disk.
        paths = (self.formula_path, ENTITIES_PATH, VARIABLES_PATH, VARIABLE_CATALOG_PATH)
        key = tuple((stat.st_mtime_ns, stat.st_size) for stat in (p.stat() for p in paths))
        cached = _ALLOCATIONS.get(self.formula_path)
        if cached is None or cached[0] != key:
            cached = _ALLOCATIONS[self.formula_path] = (key, _allocation_tables(self.formula_path))
        return cached[1]


def _formula_header(formula_path: Path) -> dict[str, Any]:
    import tomllib

    data = tomllib.loads(formula_path.read_text(encoding="utf-8"))
    return {**data.get("formula", {}), "total_eur": data.get("budget", {}).get("total_eur")}


def _formula_texts(formula_path: Path, header: Mapping[str, Any]) -> tuple[Text, Text]:
    """The formula's title and description in ca/es/en, with its criteria and weights.

    A formula that does not load keeps its English texts here: the build of its dataset
    reports the error, and the rest of the catalogue is not held up by it.
    """
    from datasets.allocation.formula import formula_load

    try:
        formula = formula_load(formula_path)
    except DatasetError:
        title = str(header.get("title") or formula_path.stem)
        description = " ".join(str(header.get("description", "")).split())
        return text(title, title, title), text(description, description, description)
    words = {"ca": "Criteris i pesos", "es": "Criterios y pesos", "en": "Criteria and weights"}
    titles, descriptions = {}, {}
    for language in LANGUAGES:
        comma = "." if language == "en" else ","  # Catalan and Spanish: decimal comma
        criteria = "; ".join(
            f"{criterion.title_in(language)}, "
            + format((criterion.weight * 100).normalize(), "f").replace(".", comma)
            + "%"
            for criterion in formula.criteria
        )
        titles[language] = formula.title_in(language)
        summary = " ".join(formula.description_in(language).split())
        descriptions[language] = f"{summary} {words[language]}: {criteria}.".strip()
    return titles, descriptions


def _formula_recipe(formula_path: Path, formula_id: str) -> Text:
    """How to recompute the allocation: the tool, then every step by hand (from the file)."""
    from datasets.allocation.formula import formula_load
    from datasets.allocation.recipe import recipe_text

    tool = text(
        f"Amb el projecte instal·lat: `concertem allocate {formula_id}`. A mà:",
        f"Con el proyecto instalado: `concertem allocate {formula_id}`. A mano:",
        f"With the project installed: `concertem allocate {formula_id}`. By hand:",
    )
    try:
        formula = formula_load(formula_path)
    except DatasetError:
        return tool  # the build of this dataset reports the formula's error
    return {
        language: tool[language]
        + "\n\n"
        + recipe_text(formula, file_name=formula_path.name, language=language)
        for language in LANGUAGES
    }


def _formula_period(formula_id: str) -> tuple[str, str]:
    """The programme period a formula id names ("pgi-2024-2027"); else the id's one year."""
    years = re.findall(r"(?<![0-9])(20[0-9]{2})(?![0-9])", formula_id)
    if not years:
        return ("", "")
    return (f"{min(years)}-01-01", f"{max(years)}-12-31")


def allocation_spec(formula_path: Path) -> DatasetSpec:
    header = _formula_header(formula_path)
    formula_id = str(header.get("id") or formula_path.stem)
    formula_title, formula_description = _formula_texts(formula_path, header)
    memo = _Memo(formula_path)
    status = str(header.get("status", ""))
    caveat = (
        text(
            " Model il·lustratiu: els imports NO són els que la Diputació va concedir.",
            " Modelo ilustrativo: los importes NO son los que concedió la Diputación.",
            " Illustrative model: the amounts are NOT those the Diputació granted.",
        )
        if status == "illustrative"
        else text("", "", "")
    )
    return DatasetSpec(
        name=f"allocation-{formula_id}",
        title=text(
            f"Repartiment de recursos: {formula_title['ca']}",
            f"Reparto de recursos: {formula_title['es']}",
            f"Allocation of resources: {formula_title['en']}",
        ),
        description=text(
            "Import que correspon a cada ens local segons la fórmula de repartiment "
            f"«{formula_id}», amb la fórmula declarativa (TOML), les dades d'entrada i "
            "l'explicació de quant aporta cada criteri a cada municipi, perquè qualsevol "
            "persona pugui recalcular-ho al cèntim. " + formula_description["ca"] + caveat["ca"],
            "Importe que corresponde a cada ente local según la fórmula de reparto "
            f"«{formula_id}», con la fórmula declarativa (TOML), los datos de entrada y la "
            "explicación de cuánto aporta cada criterio a cada municipio, para que "
            "cualquiera pueda recalcularlo al céntimo. " + formula_description["es"] + caveat["es"],
            f"The amount each local entity gets under the allocation formula '{formula_id}', "
            "with the declarative formula (TOML), its input data and, per municipality, how "
            "much each criterion contributed, so that anyone can recompute it to the cent. "
            + formula_description["en"]
            + caveat["en"],
        ),
        keywords={
            "ca": ("repartiment", "cooperació local", "fórmula", "municipis", "pressupost"),
            "es": ("reparto", "cooperación local", "fórmula", "municipios", "presupuesto"),
            "en": ("allocation", "local cooperation", "formula", "municipalities", "budget"),
        },
        licence=CC_BY_4_0,
        sources=(SOURCE_CONCERTEM, SOURCE_INE_ATLAS, SOURCE_INE_CODES),
        derived_from=("territory", "socioeconomic-variables"),
        temporal=_formula_period(formula_id),
        frequency="IRREG",
        themes=("GOVE", "ECON", "REGI"),
        dataset_type="STATISTICAL",
        resources=(
            ResourceSpec(
                name="allocations",
                path="data/allocations.csv",
                title=text(
                    "Imports per ens local", "Importes por ente local", "Amounts per local entity"
                ),
                description=text(
                    "Una fila per ens: mínim, aportació de cada criteri, arrodoniment i import.",
                    "Una fila por ente: mínimo, aportación de cada criterio, redondeo e importe.",
                    "One row per entity: minimum, contribution of each criterion, rounding "
                    "and amount; minimum + contributions + adjustment + rounding = amount.",
                ),
                table=lambda: memo.get()["allocations"],
                inputs=(formula_path,),
                schema=lambda: memo.get()["allocations_schema"],
            ),
            ResourceSpec(
                name="allocation_explanations",
                path="data/allocation_explanations.csv",
                title=text(
                    "Explicació per criteri",
                    "Explicación por criterio",
                    "Explanation per criterion",
                ),
                description=text(
                    "Per a cada ens i criteri: el valor d'entrada, la puntuació, la quota i "
                    "l'aportació en euros.",
                    "Para cada ente y criterio: el valor de entrada, la puntuación, la cuota "
                    "y la aportación en euros.",
                    "For each entity and criterion: the input value, score, share and "
                    "contribution in euros.",
                ),
                table=lambda: memo.get()["explanations"],
                inputs=(formula_path,),
                schema=schema_path("allocation_explanations"),
            ),
            ResourceSpec(
                name="inputs",
                path="data/inputs.csv",
                title=text("Dades d'entrada", "Datos de entrada", "Input data"),
                description=text(
                    "Les variables socioeconòmiques (i anys) que llegeix la fórmula, per a "
                    "cada ens del seu àmbit, tal com són a variables.csv.",
                    "Las variables socioeconómicas (y años) que lee la fórmula, para cada "
                    "ente de su ámbito, tal como están en variables.csv.",
                    "The socio-economic variables (and years) the formula reads, for every "
                    "entity in its scope, exactly as in variables.csv.",
                ),
                table=lambda: memo.get()["inputs"],
                inputs=(formula_path,),
                schema=schema_path("variables"),
            ),
            ResourceSpec(
                name="entities",
                path="data/entities.csv",
                title=text(
                    "Ens locals de l'àmbit", "Entes locales del ámbito", "Local entities in scope"
                ),
                description=text(
                    "Els ens locals als quals s'aplica la fórmula.",
                    "Los entes locales a los que se aplica la fórmula.",
                    "The local entities the formula applies to.",
                ),
                table=lambda: memo.get()["entities"],
                inputs=(formula_path,),
                schema=schema_path("municipalities"),  # the packages carry municipalities only
            ),
            ResourceSpec(
                name="formula",
                path=f"formula/{formula_path.name}",
                title=text("Fórmula (TOML)", "Fórmula (TOML)", "Formula (TOML)"),
                description=text(
                    "La fórmula declarativa, executable amb `concertem allocate`.",
                    "La fórmula declarativa, ejecutable con `concertem allocate`.",
                    "The declarative formula, executable with `concertem allocate`.",
                ),
                file=formula_path,
            ),
        ),
        checks=(
            Check("entity-code-exists", resource="allocations", field="entity_code"),
            Check("entity-code-exists", resource="inputs", field="entity_code"),
            Check(
                "amounts-sum-to-budget",
                resource="allocations",
                field="amount_eur",
                params={"budget_eur": str(header.get("total_eur", ""))},
            ),
        ),
        recompute=_formula_recipe(formula_path, formula_id),
        declared_version=str(header["version"]) if header.get("version") else None,
        declared_version_where=f"`[formula].version` in {formula_path}",
    )
