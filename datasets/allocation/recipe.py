"""The by-hand recipe of an allocation, written from the formula file itself.

The dataset README ("How to recompute") and the site's dataset page print it. It is made
from the parsed formula, so every step it states — scope, exclusions, pools, each
criterion's input, imputation and transformations, limits, the rounding and its order — is
what the engine does and what ``concertem verify`` re-does from the published files.
"""

from __future__ import annotations

from datasets.allocation.formula import Criterion, Formula
from datasets.number_display import euros_format

LANGUAGES = ("ca", "es", "en")


def _criterion_steps(criterion: Criterion, language: str) -> str:
    words = WORDS[language]
    parts = [words["input"].format(variable=criterion.input.variable, year=criterion.input.year)]
    if criterion.imputation is not None:
        population = words[f"population_{criterion.imputation.population}"]
        parts.append(words["imputed"].format(population=population))
    else:
        parts.append(words["no_imputation"])
    for step in criterion.transform:
        if step == "per_capita":
            ref = criterion.per_capita_of
            assert ref is not None
            parts.append(words["per_capita"].format(variable=ref.variable, year=ref.year))
        elif step == "cap":
            parts.append(words["cap"].format(low=criterion.cap_min, high=criterion.cap_max))
        else:
            parts.append(words[step])
    if criterion.weight_by is not None:
        ref = criterion.weight_by
        parts.append(words["weight_by"].format(variable=ref.variable, year=ref.year))
    else:
        parts.append(words["score"])
    return "; ".join(parts)


def recipe_text(formula: Formula, *, file_name: str, language: str) -> str:
    """The numbered steps to recompute ``formula`` by hand from its published files."""
    words = WORDS[language]
    scope = words["scope"].format(
        types=", ".join(formula.entity_types),
        provinces=", ".join(formula.province_codes) if formula.province_codes else words["all"],
    )
    exclusions = (
        "; ".join(
            words["exclusion"].format(
                code=x.entity_code, amount=euros_format(x.amount_eur, language=language)
            )
            for x in formula.exclusions
        )
        or words["no_exclusions"]
    )
    steps = [
        words["files"].format(file=file_name),
        f"{scope} {words['exclusions']} {exclusions}. {words['receiving']}",
        words["pool"].format(
            total=euros_format(formula.total_eur, language=language),
            minimum=euros_format(formula.minimum_eur, language=language),
        ),
    ]
    for criterion in formula.criteria:
        steps.append(
            words["criterion"].format(
                id=criterion.id,
                weight=criterion.weight,
                steps=_criterion_steps(criterion, language),
            )
        )
    if formula.limits is not None:
        steps.append(words["limits"])
    steps.append(words["unrounded"])
    steps.append(words["rounding"].format(total=euros_format(formula.total_eur, language=language)))
    steps.append(words["check"].format(file=file_name))
    lines = [f"{number}. {step}" for number, step in enumerate(steps, start=1)]
    return "\n".join([words["intro"], "", *lines, "", words["not_inputs"]])


WORDS: dict[str, dict[str, str]] = {
    "en": {
        "intro": (
            "Everything below is in the files of this package; keep every figure exact "
            "(fractions or 40-digit decimals) until the last step."
        ),
        "files": (
            "Read `formula/{file}` (the recipe), `data/entities.csv` (who is in scope), "
            "`data/inputs.csv` (entity_code, variable, year, value: every input) and "
            "`data/allocations.csv` (the result to check)."
        ),
        "scope": "Scope: the rows of `data/entities.csv` of type {types} in province {provinces}.",
        "all": "any",
        "exclusions": "Exclusions (a fixed amount, no share of anything):",
        "exclusion": "{code} gets {amount}",
        "no_exclusions": "none",
        "receiving": "The other entities in scope are the receiving entities.",
        "pool": (
            "Distributable = {total} − the exclusions' fixed amounts − {minimum} (the "
            "minimum) × the number of receiving entities. Each criterion's pool = "
            "distributable × its weight (`pool_eur`, shown rounded, in "
            "`data/allocation_explanations.csv`)."
        ),
        "criterion": (
            "Criterion `{id}` (weight {weight}), for each receiving entity: {steps}. "
            "Share = score ÷ the sum of the scores of all receiving entities; contribution "
            "= pool × share, NOT rounded."
        ),
        "input": "input = `value` of `{variable}` {year} in `data/inputs.csv`",
        "imputed": (
            "an entity without that row takes the median of the values of {population} "
            "(with an even count, the mean of the two middle values); "
            "`allocation_explanations.csv` flags it `imputed`"
        ),
        "no_imputation": "every receiving entity must have it",
        "population_receiving": (
            "the receiving entities that have one (the exclusions are not counted)"
        ),
        "population_scope": "every entity in scope that has one (exclusions included)",
        "per_capita": "divide by `{variable}` {year}",
        "cap": "clamp between {low} and {high}",
        "log": "take ln(1 + x)",
        "inverse": "take 1 ÷ x",
        "weight_by": "score = the result × `{variable}` {year}",
        "score": "score = the result",
        "limits": (
            "Limits: each amount is clamp(minimum + k × its contributions, "
            "min_amount_eur, max_amount_eur), with one factor k for all, chosen so that the "
            "amounts add up to the budget less the exclusions (`adjustment_eur`)."
        ),
        "unrounded": (
            "Unrounded amount of a receiving entity = minimum + the sum of its exact "
            "contributions (+ adjustment); of an exclusion, its fixed amount."
        ),
        "rounding": (
            "Round as `[rounding]` says: largest remainder at the cent, applied to the "
            "unrounded amounts of the step above (adding the rounded contribution columns "
            "instead gives other cents and a total off the budget). Round every amount down "
            "to the cent; the cents missing to reach {total} go one each to the largest "
            "remainders; equal remainders go to the smaller INE code; a remainder of exactly "
            "half a cent is ranked like any other. The result is `amount_eur`."
        ),
        "check": (
            "Check: `concertem verify --dir <folder with these files>` does exactly this "
            "and prints a receipt (sha256 of every file, the amount per entity, match or not)."
        ),
        "not_inputs": (
            "Not formula inputs: `census_population_2021` (Census 2021, used only for "
            "`amount_per_capita_eur`), `amount_per_capita_eur`, `rank`; the contribution "
            "columns are each rounded half to even for reading, and `rounding_eur` makes "
            "each row add up to `amount_eur`."
        ),
    },
    "ca": {
        "intro": (
            "Tot el que segueix és als fitxers d'aquest paquet; manteniu cada xifra exacta "
            "(fraccions o decimals de 40 xifres) fins a l'últim pas."
        ),
        "files": (
            "Llegiu `formula/{file}` (la recepta), `data/entities.csv` (qui és a l'àmbit), "
            "`data/inputs.csv` (entity_code, variable, year, value: totes les entrades) i "
            "`data/allocations.csv` (el resultat a comprovar)."
        ),
        "scope": (
            "Àmbit: les files de `data/entities.csv` de tipus {types} de la província {provinces}."
        ),
        "all": "qualsevol",
        "exclusions": "Exclusions (un import fix, sense part de res):",
        "exclusion": "{code} rep {amount}",
        "no_exclusions": "cap",
        "receiving": "La resta d'ens de l'àmbit són els ens que reben.",
        "pool": (
            "Repartible = {total} − els imports fixos de les exclusions − {minimum} (el "
            "mínim) × el nombre d'ens que reben. Bossa de cada criteri = repartible × el seu "
            "pes (`pool_eur`, arrodonit, a `data/allocation_explanations.csv`)."
        ),
        "criterion": (
            "Criteri `{id}` (pes {weight}), per a cada ens que rep: {steps}. Quota = "
            "puntuació ÷ la suma de les puntuacions de tots els ens que reben; aportació = "
            "bossa × quota, SENSE arrodonir."
        ),
        "input": "entrada = `value` de `{variable}` {year} a `data/inputs.csv`",
        "imputed": (
            "un ens sense aquesta fila pren la mediana dels valors de {population} (amb un "
            "nombre parell, la mitjana dels dos centrals); `allocation_explanations.csv` el "
            "marca `imputed`"
        ),
        "no_imputation": "tots els ens que reben l'han de tenir",
        "population_receiving": "els ens que reben i en tenen (les exclusions no hi compten)",
        "population_scope": "tots els ens de l'àmbit que en tenen (exclusions incloses)",
        "per_capita": "dividiu per `{variable}` {year}",
        "cap": "limiteu entre {low} i {high}",
        "log": "preneu ln(1 + x)",
        "inverse": "preneu 1 ÷ x",
        "weight_by": "puntuació = el resultat × `{variable}` {year}",
        "score": "puntuació = el resultat",
        "limits": (
            "Límits: cada import és clamp(mínim + k × les seves aportacions, "
            "min_amount_eur, max_amount_eur), amb un sol factor k per a tothom, triat perquè "
            "els imports sumin el pressupost menys les exclusions (`adjustment_eur`)."
        ),
        "unrounded": (
            "Import sense arrodonir d'un ens que rep = mínim + la suma de les seves "
            "aportacions exactes (+ ajust); d'una exclusió, el seu import fix."
        ),
        "rounding": (
            "Arrodoniu com diu `[rounding]`: residu més gran al cèntim, aplicat als imports "
            "sense arrodonir del pas anterior (sumar les columnes d'aportació arrodonides "
            "dona altres cèntims i un total diferent del pressupost). Arrodoniu cada import "
            "cap avall al cèntim; els cèntims que falten per arribar a {total} van d'un en un "
            "als residus més grans; a igual residu, al codi INE més petit; un residu d'exactament "
            "mig cèntim s'ordena com qualsevol altre. El resultat és `amount_eur`."
        ),
        "check": (
            "Comprovació: `concertem verify --dir <carpeta amb aquests fitxers>` fa "
            "exactament això i imprimeix un rebut (sha256 de cada fitxer, l'import per ens, "
            "si coincideix o no)."
        ),
        "not_inputs": (
            "No són entrades de la fórmula: `census_population_2021` (Cens 2021, només per a "
            "`amount_per_capita_eur`), `amount_per_capita_eur`, `rank`; les columnes "
            "d'aportació s'arrodoneixen cadascuna a la meitat parella per llegir-les, i "
            "`rounding_eur` fa que cada fila sumi `amount_eur`."
        ),
    },
    "es": {
        "intro": (
            "Todo lo que sigue está en los ficheros de este paquete; mantenga cada cifra "
            "exacta (fracciones o decimales de 40 cifras) hasta el último paso."
        ),
        "files": (
            "Lea `formula/{file}` (la receta), `data/entities.csv` (quién está en el ámbito), "
            "`data/inputs.csv` (entity_code, variable, year, value: todas las entradas) y "
            "`data/allocations.csv` (el resultado a comprobar)."
        ),
        "scope": (
            "Ámbito: las filas de `data/entities.csv` de tipo {types} de la provincia {provinces}."
        ),
        "all": "cualquiera",
        "exclusions": "Exclusiones (un importe fijo, sin parte de nada):",
        "exclusion": "{code} recibe {amount}",
        "no_exclusions": "ninguna",
        "receiving": "El resto de entes del ámbito son los entes que reciben.",
        "pool": (
            "Repartible = {total} − los importes fijos de las exclusiones − {minimum} (el "
            "mínimo) × el número de entes que reciben. Bolsa de cada criterio = repartible × "
            "su peso (`pool_eur`, redondeado, en `data/allocation_explanations.csv`)."
        ),
        "criterion": (
            "Criterio `{id}` (peso {weight}), para cada ente que recibe: {steps}. Cuota = "
            "puntuación ÷ la suma de las puntuaciones de todos los entes que reciben; "
            "aportación = bolsa × cuota, SIN redondear."
        ),
        "input": "entrada = `value` de `{variable}` {year} en `data/inputs.csv`",
        "imputed": (
            "un ente sin esa fila toma la mediana de los valores de {population} (con un "
            "número par, la media de los dos centrales); `allocation_explanations.csv` lo "
            "marca `imputed`"
        ),
        "no_imputation": "todos los entes que reciben deben tenerla",
        "population_receiving": ("los entes que reciben y la tienen (las exclusiones no cuentan)"),
        "population_scope": "todos los entes del ámbito que la tienen (exclusiones incluidas)",
        "per_capita": "divida por `{variable}` {year}",
        "cap": "limite entre {low} y {high}",
        "log": "tome ln(1 + x)",
        "inverse": "tome 1 ÷ x",
        "weight_by": "puntuación = el resultado × `{variable}` {year}",
        "score": "puntuación = el resultado",
        "limits": (
            "Límites: cada importe es clamp(mínimo + k × sus aportaciones, "
            "min_amount_eur, max_amount_eur), con un solo factor k para todos, elegido para "
            "que los importes sumen el presupuesto menos las exclusiones (`adjustment_eur`)."
        ),
        "unrounded": (
            "Importe sin redondear de un ente que recibe = mínimo + la suma de sus "
            "aportaciones exactas (+ ajuste); de una exclusión, su importe fijo."
        ),
        "rounding": (
            "Redondee como dice `[rounding]`: resto mayor al céntimo, aplicado a los "
            "importes sin redondear del paso anterior (sumar las columnas de aportación "
            "redondeadas da otros céntimos y un total distinto del presupuesto). Redondee "
            "cada importe hacia abajo al céntimo; los céntimos que faltan para llegar a "
            "{total} van de uno en uno a los restos mayores; a igual resto, al código INE "
            "menor; un resto de exactamente medio céntimo se ordena como cualquier otro. El "
            "resultado es `amount_eur`."
        ),
        "check": (
            "Comprobación: `concertem verify --dir <carpeta con estos ficheros>` hace "
            "exactamente esto e imprime un recibo (sha256 de cada fichero, el importe por "
            "ente, si coincide o no)."
        ),
        "not_inputs": (
            "No son entradas de la fórmula: `census_population_2021` (Censo 2021, solo para "
            "`amount_per_capita_eur`), `amount_per_capita_eur`, `rank`; las columnas de "
            "aportación se redondean cada una a la mitad par para leerlas, y `rounding_eur` "
            "hace que cada fila sume `amount_eur`."
        ),
    },
}
