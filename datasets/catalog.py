"""The catalogue: every dataset the project publishes, described once, in ca/es/en.

A ``DatasetSpec`` says what a dataset is (titles, descriptions, keywords, licence, sources,
publisher, temporal and spatial coverage, update frequency, themes) and where each of its
resources comes from: a function of the ``datasets`` package that yields rows, or a committed
reference file. ``datasets.packaging`` turns a spec into a frictionless Data Package,
``datasets.validation`` checks it, and ``publishing`` pushes it to CKAN; none of them knows
any dataset by name. Adding a dataset is adding one ``DatasetSpec`` to ``catalog_specs()``.

Nothing here reads data at import time: producers are functions, called at build time.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasets.errors import DatasetError
from datasets.schema_texts import schema_translate

DATASETS_DIR = Path(__file__).resolve().parent
REFERENCE_DIR = DATASETS_DIR / "reference"
SCHEMAS_DIR = DATASETS_DIR / "schemas"
FORMULAS_DIR = DATASETS_DIR / "formulas"
LANGUAGES: tuple[str, ...] = ("ca", "es", "en")
# The province the programme covers; the published territory is scoped to it.
PROVINCE_CODE = "08"

Text = Mapping[str, str]


class CatalogError(DatasetError):
    code = "catalog-error"


class CatalogUnknownDatasetError(CatalogError):
    code = "catalog-unknown-dataset"


class CatalogSourceMissingError(CatalogError):
    """A file produced outside ``datasets`` (a site export) is not there yet."""

    code = "catalog-source-missing"


def text(ca: str, es: str, en: str) -> dict[str, str]:
    return {"ca": ca, "es": es, "en": en}


# ---- Descriptive building blocks ----


@dataclass(frozen=True)
class Licence:
    id: str  # SPDX identifier, as Data Package `licenses[].name`
    title: str
    url: str
    # The id in CKAN's licence list: the SPDX id, which names the version (the local CKAN
    # lists licences by SPDX id; CKAN's stock list has only the unversioned "cc-by").
    ckan_id: str


@dataclass(frozen=True)
class Source:
    """Where a dataset's data come from. ``title`` and ``attribution`` are English (the Data
    Package and CKAN carry them); the ``_ca``/``_es`` texts are for the dataset pages."""

    title: str
    url: str
    licence: str
    attribution: str
    title_ca: str = ""
    title_es: str = ""
    attribution_ca: str = ""
    attribution_es: str = ""

    def title_in(self, language: str) -> str:
        return getattr(self, f"title_{language}", "") or self.title

    def attribution_in(self, language: str) -> str:
        return getattr(self, f"attribution_{language}", "") or self.attribution


@dataclass(frozen=True)
class Publisher:
    name: str
    url: str
    email: str
    # EU publisher-type vocabulary (ADMS): a local authority
    type_uri: str = "http://purl.org/adms/publishertype/LocalAuthority"


@dataclass(frozen=True)
class Spatial:
    uri: str
    label: Text


@dataclass(frozen=True)
class Table:
    """Rows as the datasets package produces them; packaging writes them as CSV."""

    header: tuple[str, ...]
    rows: Iterable[Sequence[object]]


@dataclass(frozen=True)
class ResourceSpec:
    """One file of a package. Exactly one of ``table`` and ``file`` is set.

    ``table``: a function returning rows (written as UTF-8 CSV). ``file``: a committed file
    copied byte for byte (GeoJSON, TOML, or a reference CSV). ``schema`` (a Table Schema,
    or a path to one) makes a resource tabular; it is then loaded into the CKAN DataStore.

    ``inputs``: the files outside the ``datasets`` package that a producer (``table``, or a
    callable ``file``/``schema``) reads; ``()`` when it reads only the package's own code
    and reference data. The build cache keys a package on those, its files and schemas and
    the whole ``datasets`` tree. ``None`` (the default) means "not declared": the resource
    is then produced anew on every build, since an undeclared input could change unseen.
    """

    name: str
    path: str
    title: Text
    description: Text
    table: Callable[[], Table] | None = None
    file: Path | Callable[[], Path] | None = None
    schema: Path | Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None
    licences: tuple[Licence, ...] = ()
    inputs: tuple[Path, ...] | None = None

    @property
    def tabular(self) -> bool:
        return self.schema is not None

    def schema_load(self) -> dict[str, Any] | None:
        if self.schema is None:
            return None
        if isinstance(self.schema, Path):
            return json.loads(self.schema.read_text(encoding="utf-8"))
        if callable(self.schema):
            return dict(self.schema())
        return json.loads(json.dumps(self.schema))  # a deep copy: callers may edit it

    def file_path(self) -> Path | None:
        if self.file is None:
            return None
        return self.file() if callable(self.file) else self.file


@dataclass(frozen=True)
class Check:
    """A domain rule ``datasets.validation`` applies to a built package.

    ``rule`` names a check in ``validation.DOMAIN_CHECKS``; ``resource`` and ``field`` say
    where; ``params`` carries the rest (a budget, a reference set).
    """

    rule: str
    resource: str
    field: str | None = None
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    title: Text
    description: Text
    keywords: Mapping[str, tuple[str, ...]]
    licence: Licence
    sources: tuple[Source, ...]
    resources: tuple[ResourceSpec, ...]
    temporal: tuple[str, str]  # ISO dates, start and end
    frequency: str  # EU frequency code: ANNUAL, IRREG, NEVER, ...
    themes: tuple[str, ...]  # EU data-theme codes: REGI, GOVE, ECON, SOCI, ...
    publisher: Publisher = dataclasses.field(default_factory=lambda: DIBA)
    spatial: Spatial = dataclasses.field(default_factory=lambda: PROVINCE_BARCELONA)
    checks: tuple[Check, ...] = ()
    recompute: Text | None = None  # how to reproduce the data (README); allocations only
    dataset_type: str = "STATISTICAL"  # EU dataset-type code
    # The version the dataset's source declares (an allocation's formula): the dataset
    # carries it (datasets.versioning); ``declared_version_where`` says where it is written.
    declared_version: str | None = None
    declared_version_where: str = ""
    # The catalogue's datasets this one is computed from: DCAT's dct:source names them.
    derived_from: tuple[str, ...] = ()

    def resource_get(self, name: str) -> ResourceSpec:
        for resource in self.resources:
            if resource.name == name:
                return resource
        raise CatalogError(f"{self.name}: no resource named {name!r}", dataset=self.name)


# ---- Shared facts ----

DIBA = Publisher(
    name="Diputació de Barcelona",
    url="https://www.diba.cat",
    email="dadesobertes@diba.cat",
)
PROVINCE_BARCELONA = Spatial(
    # NUTS 3 region ES511 is the province of Barcelona.
    uri="http://data.europa.eu/nuts/code/ES511",
    label=text("Província de Barcelona", "Provincia de Barcelona", "Province of Barcelona"),
)
CC_BY_4_0 = Licence(
    id="CC-BY-4.0",
    title="Creative Commons Attribution 4.0",
    url="https://creativecommons.org/licenses/by/4.0/",
    ckan_id="CC-BY-4.0",
)
MIT = Licence(
    id="MIT", title="MIT License", url="https://opensource.org/licenses/MIT", ckan_id="MIT"
)
AGPL_3_0 = Licence(
    id="AGPL-3.0-only",
    title="GNU Affero General Public License v3.0",
    url="https://www.gnu.org/licenses/agpl-3.0.html",
    ckan_id="AGPL-3.0-only",
)

SOURCE_INE_ATLAS = Source(
    title="INE, Atlas de Distribución de Renta de los Hogares (ADRH) and Censo de Población 2021",
    url="https://www.ine.es/experimental/atlas/experimental_atlas.htm",
    licence="CC-BY-4.0",
    attribution="Instituto Nacional de Estadística (INE), compiled by ineAtlas.data (pablogguz)",
    title_ca="INE, Atlas de Distribució de Renda de les Llars (ADRH) i Cens de Població 2021",
    title_es="INE, Atlas de Distribución de Renta de los Hogares (ADRH) y Censo de Población 2021",
    attribution_ca="Institut Nacional d'Estadística (INE), recopilat per ineAtlas.data (pablogguz)",
    attribution_es=(
        "Instituto Nacional de Estadística (INE), recopilado por ineAtlas.data (pablogguz)"
    ),
)
SOURCE_INE_CODES = Source(
    title="INE municipality codes (codeforspain/ds-organizacion-administrativa)",
    url="https://github.com/codeforspain/ds-organizacion-administrativa",
    licence="ODC-PDDL-1.0",
    attribution="Instituto Nacional de Estadística (INE), via codeforspain",
    title_ca="Codis de municipi de l'INE (codeforspain/ds-organizacion-administrativa)",
    title_es="Códigos de municipio del INE (codeforspain/ds-organizacion-administrativa)",
    attribution_ca="Institut Nacional d'Estadística (INE), a través de codeforspain",
    attribution_es="Instituto Nacional de Estadística (INE), a través de codeforspain",
)
SOURCE_GENCAT = Source(
    title="Municipis Catalunya Geo (Generalitat de Catalunya open data)",
    url="https://analisi.transparenciacatalunya.cat/d/9aju-tpwc",
    licence="Llicència oberta d'ús d'informació - Catalunya",
    attribution="Idescat / Institut Cartogràfic i Geològic de Catalunya (ICGC)",
    title_ca="Municipis Catalunya Geo (dades obertes de la Generalitat de Catalunya)",
    title_es="Municipis Catalunya Geo (datos abiertos de la Generalitat de Catalunya)",
)
SOURCE_VISOR = Source(
    title="Visor Agenda 2030 de la Diputació de Barcelona",
    url="https://github.com/DiputacioBarcelona/Visor2030-Front",
    licence="AGPL-3.0-only",
    attribution="© Diputació de Barcelona; municipal boundaries by the ICGC",
    title_ca="Visor Agenda 2030 de la Diputació de Barcelona",
    title_es="Visor Agenda 2030 de la Diputació de Barcelona",
    attribution_ca="© Diputació de Barcelona; límits municipals de l'ICGC",
    attribution_es="© Diputació de Barcelona; límites municipales del ICGC",
)
SOURCE_OPEN_SDG = Source(
    title="Open SDG translations of the UN global SDG indicator framework",
    url="https://github.com/open-sdg/sdg-translations",
    licence="MIT",
    attribution="Open SDG; titles from the UN global indicator framework (A/RES/71/313)",
    title_ca="Traduccions d'Open SDG del marc mundial d'indicadors dels ODS de l'ONU",
    title_es="Traducciones de Open SDG del marco mundial de indicadores de los ODS de la ONU",
    attribution_ca="Open SDG; títols del marc mundial d'indicadors de l'ONU (A/RES/71/313)",
    attribution_es="Open SDG; títulos del marco mundial de indicadores de la ONU (A/RES/71/313)",
)
SOURCE_CONCERTEM = Source(
    title="Concertem (this project): formulas, indicator catalogue and translations",
    url="https://www.diba.cat",
    licence="CC-BY-4.0",
    attribution="Diputació de Barcelona, Concertem en xarxa",
    title_ca="Concertem (aquest projecte): fórmules, catàleg d'indicadors i traduccions",
    title_es="Concertem (este proyecto): fórmulas, catálogo de indicadores y traducciones",
)


# ---- Producers: small functions over the datasets package ----


def _schema(name: str) -> Path:
    return SCHEMAS_DIR / f"{name}.json"


def _reference(name: str) -> Path:
    return REFERENCE_DIR / name


def _province_entities_table() -> Table:
    from datasets.territory import ENTITY_FIELDS, entities_load, entity_row

    entities = entities_load(province_code=PROVINCE_CODE)
    return Table(
        header=ENTITY_FIELDS,
        rows=[[entity_row(entity)[name] for name in ENTITY_FIELDS] for entity in entities],
    )


def _province_variables_table() -> Table:
    """The long variables table, restricted to the province (the file covers all Spain)."""
    from datasets.territory import VARIABLES_PATH

    with VARIABLES_PATH.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = tuple(next(reader))
        rows = [row for row in reader if row[0].startswith(PROVINCE_CODE)]
    return Table(header=header, rows=rows)


# The variables catalogue has no schema file of its own; its columns are described here.
VARIABLES_CATALOG_SCHEMA: dict[str, Any] = {
    "fields": [
        {
            "name": "variable",
            "type": "string",
            "title": "Variable",
            "constraints": {"required": True, "unique": True, "pattern": "[a-z][a-z0-9_]*"},
        },
        {"name": "title", "type": "string", "title": "Title", "constraints": {"required": True}},
        {"name": "unit", "type": "string", "title": "Unit", "constraints": {"required": True}},
        {
            "name": "source",
            "type": "string",
            "title": "Source file and column",
            "description": "folder/file#column under datasets/sources/ in the project repository",
        },
        {"name": "years", "type": "string", "title": "Years available"},
        {"name": "description", "type": "string", "title": "Description"},
    ],
    "primaryKey": ["variable"],
    "missingValues": [""],
}
schema_translate(
    VARIABLES_CATALOG_SCHEMA,
    {
        "variable": ("Variable", "Variable"),
        "title": ("Títol", "Título"),
        "unit": ("Unitat", "Unidad"),
        "source": (
            "Fitxer i columna d'origen",
            "Fichero y columna de origen",
            "carpeta/fitxer#columna dins de datasets/sources/ al repositori del projecte",
            "carpeta/fichero#columna dentro de datasets/sources/ en el repositorio del proyecto",
        ),
        "years": ("Anys disponibles", "Años disponibles"),
        "description": ("Descripció", "Descripción"),
    },
)


def _variables_schema() -> dict[str, Any]:
    schema = json.loads(_schema("variables").read_text(encoding="utf-8"))
    schema.setdefault("foreignKeys", []).append(
        {
            "fields": ["variable"],
            "reference": {"resource": "variables_catalog", "fields": ["variable"]},
        }
    )
    return schema


def _indicators_table() -> Table:
    from datasets.indicators.catalog import (
        CATALOG_HEADER,
        indicator_catalog_load,
        indicator_catalog_rows,
    )

    return Table(header=CATALOG_HEADER, rows=indicator_catalog_rows(indicator_catalog_load()))


def _indicator_targets_table() -> Table:
    from datasets.indicators.catalog import (
        TARGET_LINK_HEADER,
        indicator_catalog_load,
        indicator_target_rows,
    )

    return Table(header=TARGET_LINK_HEADER, rows=indicator_target_rows(indicator_catalog_load()))


def _indicator_values_table() -> Table:
    from datasets.indicators.values import VALUES_HEADER, values_rows_read

    rows = [row for row in values_rows_read() if row[1].startswith(PROVINCE_CODE)]
    return Table(header=VALUES_HEADER, rows=rows)


def _sdg_targets_table() -> Table:
    """The SDG targets table, for the foreign keys of indicator_sdg_targets."""
    return _csv_table(_reference("sdg_targets.csv"))


def _csv_table(path: Path) -> Table:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = tuple(next(reader))
        return Table(header=header, rows=list(reader))


# ---- Allocations: one dataset per formula in datasets/formulas/ ----


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
        f["name"] for f in json.loads(_schema("allocation_explanations").read_text())["fields"]
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
                schema=_schema("allocation_explanations"),
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
                schema=_schema("variables"),
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
                schema=_schema("entities"),
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


# ---- Debate contributions: exported by the site, published here ----
# The debates app (Django) writes its public contributions, a CSV and its Table Schema, with
# `python site/manage.py export_debate_contributions` into build/contributions/ (the site's
# CONCERTEM_BUILD_DIR). This package only reads that export back, so it stays free of Django.
# The names mirror debates/export.py; a test keeps them in step.

CONTRIBUTIONS_CSV = "debate_contributions.csv"
CONTRIBUTIONS_SCHEMA = "debate_contributions.schema.json"
CONTRIBUTIONS_EXPORT_COMMAND = "python site/manage.py export_debate_contributions"

SOURCE_DEBATES = Source(
    title="Concertem en xarxa: debate spaces of the local entities (this project's site)",
    url="https://www.diba.cat",
    licence="CC-BY-4.0",
    attribution="Officials of the local entities of the province of Barcelona, in the "
    "Concertem debate spaces; compiled by the Diputació de Barcelona",
    title_ca="Concertem en xarxa: espais de debat dels ens locals (el web d'aquest projecte)",
    title_es=(
        "Concertem en xarxa: espacios de debate de los entes locales (el sitio de este proyecto)"
    ),
    attribution_ca="Càrrecs dels ens locals de la província de Barcelona, als espais de debat de "
    "Concertem; recopilat per la Diputació de Barcelona",
    attribution_es="Cargos de los entes locales de la provincia de Barcelona, en los espacios de "
    "debate de Concertem; recopilado por la Diputació de Barcelona",
)


def site_build_dir() -> Path:
    """Where the site writes its exports: ``CONCERTEM_BUILD_DIR``, as the site reads it."""
    import os

    return Path(os.environ.get("CONCERTEM_BUILD_DIR") or DATASETS_DIR.parent / "build")


def contributions_export_paths() -> tuple[Path, Path]:
    directory = site_build_dir() / "contributions"
    return directory / CONTRIBUTIONS_CSV, directory / CONTRIBUTIONS_SCHEMA


def _contributions_export(which: int) -> Path:
    """One file of the export; a missing export says how to produce it."""
    paths = contributions_export_paths()
    missing = [path for path in paths if not path.is_file()]
    if missing:
        raise CatalogSourceMissingError(
            f"{' and '.join(str(path) for path in missing)} not found: the debates app "
            f"exports the contributions; run `{CONTRIBUTIONS_EXPORT_COMMAND}` (it writes the "
            f"CSV and its Table Schema to {paths[0].parent}/; `python site/manage.py "
            "export_open_data` exports every database-held dataset), then build again. The "
            "other datasets are not affected.",
            dataset="debate-contributions",
            paths=[str(path) for path in missing],
        )
    return paths[which]


def _contributions_schema() -> dict[str, Any]:
    path = _contributions_export(1)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise CatalogError(
            f"{path}: not a Table Schema ({error}); export it again with "
            f"`{CONTRIBUTIONS_EXPORT_COMMAND}`",
            dataset="debate-contributions",
        ) from error


def debate_contributions_spec() -> DatasetSpec:
    csv_path, schema_path = contributions_export_paths()
    return DatasetSpec(
        name="debate-contributions",
        title=text(
            "Aportacions als debats dels ens locals",
            "Aportaciones a los debates de los entes locales",
            "Contributions to the debates of the local entities",
        ),
        description=text(
            "Les aportacions públiques dels càrrecs electes i tècnics dels ens locals als "
            "espais de debat de Concertem en xarxa: debat, ens local (codi INE), càrrec, data, "
            "fil de respostes i text. Sense dades personals: ni noms, ni adreces electròniques, "
            "ni adreces IP; l'ens i el càrrec donen compte de cada aportació. Una aportació "
            "amagada per moderació hi és sense el text, perquè les respostes no quedin òrfenes.",
            "Las aportaciones públicas de los cargos electos y técnicos de los entes locales a "
            "los espacios de debate de Concertem en xarxa: debate, ente local (código INE), "
            "cargo, fecha, hilo de respuestas y texto. Sin datos personales: ni nombres, ni "
            "direcciones de correo electrónico, ni direcciones IP; el ente y el cargo dan "
            "cuenta de cada aportación. Una aportación ocultada por moderación figura sin el "
            "texto, para que las respuestas no queden huérfanas.",
            "The public contributions of elected officials and technical staff of the local "
            "entities to the Concertem en xarxa debate spaces: debate, local entity (INE "
            "code), role, date, reply thread and text. No personal data: no names, e-mail "
            "addresses or IP addresses; the entity and the role carry the accountability. A "
            "contribution hidden by moderation is listed without its text, so that replies "
            "keep their parent.",
        ),
        keywords={
            "ca": ("debats", "participació", "ens locals", "cooperació local"),
            "es": ("debates", "participación", "entes locales", "cooperación local"),
            "en": ("debates", "participation", "local entities", "local cooperation"),
        },
        licence=CC_BY_4_0,
        sources=(SOURCE_DEBATES,),
        # The debates are about the General Investment Programme 2024-2027.
        temporal=("2024-01-01", "2027-12-31"),
        frequency="IRREG",
        themes=("GOVE",),
        resources=(
            ResourceSpec(
                name="debate_contributions",
                path=f"data/{CONTRIBUTIONS_CSV}",
                title=text("Aportacions", "Aportaciones", "Contributions"),
                description=text(
                    "Una fila per aportació; `parent_id` és l'aportació a la qual respon.",
                    "Una fila por aportación; `parent_id` es la aportación a la que responde.",
                    "One row per contribution; `parent_id` is the one it replies to.",
                ),
                file=lambda: _contributions_export(0),
                schema=_contributions_schema,
                inputs=(csv_path, schema_path),
            ),
        ),
        checks=(
            Check("entity-code-exists", resource="debate_contributions", field="entity_code"),
            # The text is free: an official may have typed an e-mail address into it.
            Check("no-personal-data", resource="debate_contributions"),
        ),
    )


# ---- The catalogue ----


def territory_spec() -> DatasetSpec:
    return DatasetSpec(
        name="territory",
        title=text(
            "Municipis de la província de Barcelona",
            "Municipios de la provincia de Barcelona",
            "Municipalities of the province of Barcelona",
        ),
        description=text(
            "Els 311 municipis de la província de Barcelona: codi INE i Idescat, nom, "
            "comarca, població (Cens 2021), superfície, centroide i límits municipals "
            "(GeoJSON, WGS84).",
            "Los 311 municipios de la provincia de Barcelona: código INE e Idescat, nombre, "
            "comarca, población (Censo 2021), superficie, centroide y límites municipales "
            "(GeoJSON, WGS84).",
            "The 311 municipalities of the province of Barcelona: INE and Idescat codes, "
            "name, comarca, population (Census 2021), surface, centroid and municipal "
            "boundaries (GeoJSON, WGS84).",
        ),
        keywords={
            "ca": ("municipis", "territori", "límits municipals", "comarques"),
            "es": ("municipios", "territorio", "límites municipales", "comarcas"),
            "en": ("municipalities", "territory", "boundaries", "comarcas"),
        },
        licence=CC_BY_4_0,
        sources=(SOURCE_INE_ATLAS, SOURCE_INE_CODES, SOURCE_GENCAT, SOURCE_VISOR),
        temporal=("2021-01-01", "2021-12-31"),
        frequency="IRREG",
        themes=("REGI", "GOVE"),
        dataset_type="GEOSPATIAL",
        resources=(
            ResourceSpec(
                name="entities",
                path="data/entities.csv",
                title=text("Ens locals", "Entes locales", "Local entities"),
                description=text(
                    "Un registre per municipi de la província de Barcelona.",
                    "Un registro por municipio de la provincia de Barcelona.",
                    "One row per municipality of the province of Barcelona.",
                ),
                table=_province_entities_table,
                inputs=(),  # reference tables under datasets/
                schema=_schema("entities"),
            ),
            ResourceSpec(
                name="boundaries",
                path="data/boundaries_08.geojson",
                title=text("Límits municipals", "Límites municipales", "Municipal boundaries"),
                description=text(
                    "Límits dels 311 municipis (ICGC, via el Visor 2030), simplificats a 10 m, "
                    "WGS84; `id` és el codi INE.",
                    "Límites de los 311 municipios (ICGC, vía el Visor 2030), simplificados a "
                    "10 m, WGS84; `id` es el código INE.",
                    "Boundaries of the 311 municipalities (ICGC, via the Visor 2030), "
                    "simplified at 10 m, WGS84; `id` is the INE code.",
                ),
                file=_reference("boundaries_08.geojson"),
                licences=(AGPL_3_0,),
            ),
        ),
        checks=(
            Check("entity-code-exists", resource="entities", field="entity_code"),
            Check(
                "features-match-entities",
                resource="boundaries",
                field="entity_code",
                params={"entities": "entities"},
            ),
        ),
    )


def variables_spec() -> DatasetSpec:
    return DatasetSpec(
        name="socioeconomic-variables",
        title=text(
            "Variables socioeconòmiques dels municipis",
            "Variables socioeconómicas de los municipios",
            "Socio-economic variables of the municipalities",
        ),
        description=text(
            "Renda per persona i per llar, índex de Gini, P80/P20, població, atur, "
            "activitat, estructura d'edat, nacionalitat i estudis dels municipis de la "
            "província de Barcelona (INE: Atles de distribució de renda de les llars "
            "2015-2022 i Cens 2021). Taula llarga: una fila per municipi, variable i any.",
            "Renta por persona y por hogar, índice de Gini, P80/P20, población, paro, "
            "actividad, estructura de edad, nacionalidad y estudios de los municipios de la "
            "provincia de Barcelona (INE: Atlas de distribución de renta de los hogares "
            "2015-2022 y Censo 2021). Tabla larga: una fila por municipio, variable y año.",
            "Income per person and per household, Gini index, P80/P20, population, "
            "unemployment, activity, age structure, nationality and education of the "
            "municipalities of the province of Barcelona (INE Household Income Distribution "
            "Atlas 2015-2022 and Census 2021). Long table: one row per municipality, "
            "variable and year; missing values are absent rows.",
        ),
        keywords={
            "ca": ("renda", "atur", "població", "desigualtat", "cens"),
            "es": ("renta", "paro", "población", "desigualdad", "censo"),
            "en": ("income", "unemployment", "population", "inequality", "census"),
        },
        licence=CC_BY_4_0,
        sources=(SOURCE_INE_ATLAS,),
        temporal=("2015-01-01", "2022-12-31"),
        frequency="ANNUAL",
        themes=("ECON", "SOCI", "REGI"),
        resources=(
            ResourceSpec(
                name="variables",
                path="data/variables.csv",
                title=text("Valors", "Valores", "Values"),
                description=text(
                    "entity_code, variable, year, value.",
                    "entity_code, variable, year, value.",
                    "entity_code, variable, year, value.",
                ),
                table=_province_variables_table,
                inputs=(),  # reference tables under datasets/
                schema=_variables_schema,
            ),
            ResourceSpec(
                name="variables_catalog",
                path="data/variables_catalog.csv",
                title=text("Catàleg de variables", "Catálogo de variables", "Variable catalogue"),
                description=text(
                    "Títol, unitat, font i anys de cada variable.",
                    "Título, unidad, fuente y años de cada variable.",
                    "Title, unit, source and years of each variable.",
                ),
                file=_reference("variables_catalog.csv"),
                schema=VARIABLES_CATALOG_SCHEMA,
            ),
        ),
        checks=(Check("entity-code-exists", resource="variables", field="entity_code"),),
    )


def sdg_spec() -> DatasetSpec:
    return DatasetSpec(
        name="sdg-framework",
        title=text(
            "Marc global dels Objectius de Desenvolupament Sostenible (ODS)",
            "Marco global de los Objetivos de Desarrollo Sostenible (ODS)",
            "Global framework of the Sustainable Development Goals (SDGs)",
        ),
        description=text(
            "Els 17 objectius, 169 metes i els indicadors globals vigents de l'Agenda 2030 "
            "de les Nacions Unides, en català, castellà i anglès.",
            "Los 17 objetivos, 169 metas y los indicadores globales vigentes de la Agenda "
            "2030 de las Naciones Unidas, en catalán, castellano e inglés.",
            "The 17 goals, 169 targets and the current global indicators of the United "
            "Nations 2030 Agenda, in Catalan, Spanish and English.",
        ),
        keywords={
            "ca": ("ODS", "Agenda 2030", "indicadors", "metes"),
            "es": ("ODS", "Agenda 2030", "indicadores", "metas"),
            "en": ("SDG", "2030 Agenda", "indicators", "targets"),
        },
        licence=MIT,
        sources=(SOURCE_OPEN_SDG, SOURCE_CONCERTEM),
        temporal=("2015-09-25", "2030-12-31"),
        frequency="ANNUAL",
        themes=("SOCI", "ENVI", "INTR"),
        spatial=Spatial(
            uri="http://publications.europa.eu/resource/authority/continent/WORLD",
            label=text("Món", "Mundo", "World"),
        ),
        dataset_type="CODE_LIST",
        resources=(
            ResourceSpec(
                name="sdg_goals",
                path="data/sdg_goals.csv",
                title=text("Objectius", "Objetivos", "Goals"),
                description=text("Els 17 ODS.", "Los 17 ODS.", "The 17 SDGs."),
                file=_reference("sdg_goals.csv"),
                schema=_schema("sdg_goals"),
            ),
            ResourceSpec(
                name="sdg_targets",
                path="data/sdg_targets.csv",
                title=text("Metes", "Metas", "Targets"),
                description=text("Les 169 metes.", "Las 169 metas.", "The 169 targets."),
                file=_reference("sdg_targets.csv"),
                schema=_schema("sdg_targets"),
            ),
            ResourceSpec(
                name="sdg_indicators",
                path="data/sdg_indicators.csv",
                title=text("Indicadors globals", "Indicadores globales", "Global indicators"),
                description=text(
                    "Indicadors globals vigents (els retirats per l'ONU no hi són).",
                    "Indicadores globales vigentes (los retirados por la ONU no están).",
                    "Current global indicators (those retired by the UN are not listed).",
                ),
                file=_reference("sdg_indicators.csv"),
                schema=_schema("sdg_indicators"),
            ),
        ),
        checks=(
            Check("sdg-goal-range", resource="sdg_goals", field="goal"),
            Check("sdg-goal-range", resource="sdg_targets", field="goal"),
            Check("sdg-goal-range", resource="sdg_indicators", field="goal"),
        ),
    )


def indicators_spec() -> DatasetSpec:
    return DatasetSpec(
        name="territorial-indicators",
        title=text(
            "Sistema únic d'indicadors territorials i ODS",
            "Sistema único de indicadores territoriales y ODS",
            "Single territorial indicator system and SDGs",
        ),
        description=text(
            "El catàleg d'indicadors del territori (definició, mètode, unitat, font i metes "
            "ODS que segueix cada indicador) i els seus valors per municipi i any.",
            "El catálogo de indicadores del territorio (definición, método, unidad, fuente "
            "y metas ODS que sigue cada indicador) y sus valores por municipio y año.",
            "The territory's indicator catalogue (definition, method, unit, source and the "
            "SDG targets each indicator monitors) and its values per municipality and year.",
        ),
        keywords={
            "ca": ("indicadors", "ODS", "Agenda 2030", "municipis"),
            "es": ("indicadores", "ODS", "Agenda 2030", "municipios"),
            "en": ("indicators", "SDG", "2030 Agenda", "municipalities"),
        },
        licence=CC_BY_4_0,
        sources=(SOURCE_CONCERTEM, SOURCE_INE_ATLAS, SOURCE_OPEN_SDG),
        derived_from=("socioeconomic-variables", "sdg-framework"),
        temporal=("2015-01-01", "2022-12-31"),
        frequency="ANNUAL",
        themes=("SOCI", "ECON", "REGI"),
        resources=(
            ResourceSpec(
                name="indicators",
                path="data/indicators.csv",
                title=text(
                    "Catàleg d'indicadors", "Catálogo de indicadores", "Indicator catalogue"
                ),
                description=text(
                    "Un registre per indicador, amb els textos en ca/es/en.",
                    "Un registro por indicador, con los textos en ca/es/en.",
                    "One row per indicator, texts in ca/es/en.",
                ),
                table=_indicators_table,
                inputs=(),  # reference tables under datasets/
                schema=_schema("indicators"),
            ),
            ResourceSpec(
                name="indicator_sdg_targets",
                path="data/indicator_sdg_targets.csv",
                title=text(
                    "Indicadors i metes ODS",
                    "Indicadores y metas ODS",
                    "Indicators and SDG targets",
                ),
                description=text(
                    "Quines metes ODS segueix cada indicador (relació molts a molts).",
                    "Qué metas ODS sigue cada indicador (relación muchos a muchos).",
                    "Which SDG targets each indicator monitors (many-to-many).",
                ),
                table=_indicator_targets_table,
                inputs=(),  # reference tables under datasets/
                schema=_schema("indicator_sdg_targets"),
            ),
            ResourceSpec(
                name="sdg_targets",
                path="data/sdg_targets.csv",
                title=text("Metes ODS", "Metas ODS", "SDG targets"),
                description=text(
                    "Les metes ODS (referència de la taula anterior).",
                    "Las metas ODS (referencia de la tabla anterior).",
                    "The SDG targets (referenced by the table above).",
                ),
                table=_sdg_targets_table,
                inputs=(),  # reference tables under datasets/
                schema=_schema("sdg_targets"),
            ),
            ResourceSpec(
                name="indicator_values",
                path="data/indicator_values.csv",
                title=text("Valors", "Valores", "Values"),
                description=text(
                    "Valor de cada indicador per municipi, any i desagregació.",
                    "Valor de cada indicador por municipio, año y desagregación.",
                    "Value of each indicator per municipality, year and disaggregation.",
                ),
                table=_indicator_values_table,
                inputs=(),  # reference tables under datasets/
                schema=_schema("indicator_values"),
            ),
        ),
        checks=(
            Check("indicator-code-exists", resource="indicator_values", field="indicator_code"),
            Check(
                "indicator-code-exists", resource="indicator_sdg_targets", field="indicator_code"
            ),
            Check("entity-code-exists", resource="indicator_values", field="entity_code"),
            Check("sdg-goal-range", resource="indicator_sdg_targets", field="goal"),
            Check("sdg-target-exists", resource="indicator_sdg_targets", field="target_code"),
        ),
    )


# ---- The office for attention to municipalities: service metrics ----
# The site (Django) computes the metrics and exports them to build/office/ with
# `manage.py export_office_metrics`; this package only reads that export back, so it stays
# free of Django. Until the first export the dataset is published empty (header only).

OFFICE_METRICS_CSV = "office_metrics.csv"
OFFICE_METRICS_SCHEMA_NAME = "office_metrics.schema.json"


def _days_field(name: str, title: str) -> dict[str, Any]:
    return {
        "name": name,
        "type": "number",
        "title": title,
        "description": "Days (one decimal); empty when no request qualifies.",
        "constraints": {"minimum": 0},
    }


OFFICE_METRICS_SCHEMA: dict[str, Any] = {
    "fields": [
        {
            "name": "dimension",
            "type": "string",
            "title": "Grouping",
            "description": "all (every request), area (of the service catalogue) or comarca.",
            "constraints": {"required": True, "enum": ["all", "area", "comarca"]},
        },
        {
            "name": "group_code",
            "type": "string",
            "title": "Group code",
            "description": "'all', the area code, or the comarca's name.",
            "constraints": {"required": True},
        },
        {
            "name": "group_label",
            "type": "string",
            "title": "Group",
            "constraints": {"required": True},
        },
        {
            "name": "requests",
            "type": "integer",
            "title": "Requests filed",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "open",
            "type": "integer",
            "title": "Requests still open",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "resolved",
            "type": "integer",
            "title": "Requests resolved",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "declined",
            "type": "integer",
            "title": "Requests declined",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "share_resolved",
            "type": "number",
            "title": "Share resolved",
            "description": "resolved / requests (0 to 1); empty when there are no requests.",
            "constraints": {"minimum": 0, "maximum": 1},
        },
        _days_field("first_answer_median_days", "Days to first answer (median)"),
        _days_field("first_answer_p90_days", "Days to first answer (90th percentile)"),
        _days_field("resolution_median_days", "Days to resolution (median)"),
        _days_field("resolution_p90_days", "Days to resolution (90th percentile)"),
        {
            "name": "as_of",
            "type": "date",
            "title": "Computed on",
            "constraints": {"required": True},
        },
    ],
    "primaryKey": ["dimension", "group_code"],
    "missingValues": [""],
}
schema_translate(
    OFFICE_METRICS_SCHEMA,
    {
        "dimension": (
            "Agrupació",
            "Agrupación",
            "all (totes les sol·licituds), area (del catàleg de serveis) o comarca.",
            "all (todas las solicitudes), area (del catálogo de servicios) o comarca.",
        ),
        "group_code": (
            "Codi del grup",
            "Código del grupo",
            "'all', el codi de l'àrea o el nom de la comarca.",
            "'all', el código del área o el nombre de la comarca.",
        ),
        "group_label": ("Grup", "Grupo"),
        "requests": ("Sol·licituds presentades", "Solicitudes presentadas"),
        "open": ("Sol·licituds encara obertes", "Solicitudes todavía abiertas"),
        "resolved": ("Sol·licituds resoltes", "Solicitudes resueltas"),
        "declined": ("Sol·licituds desestimades", "Solicitudes desestimadas"),
        "share_resolved": (
            "Proporció resolta",
            "Proporción resuelta",
            "resolved / requests (de 0 a 1); buit quan no hi ha sol·licituds.",
            "resolved / requests (de 0 a 1); vacío cuando no hay solicitudes.",
        ),
        "first_answer_median_days": (
            "Dies fins a la primera resposta (mediana)",
            "Días hasta la primera respuesta (mediana)",
            "Dies (un decimal); buit quan cap sol·licitud no hi entra.",
            "Días (un decimal); vacío cuando ninguna solicitud entra.",
        ),
        "first_answer_p90_days": (
            "Dies fins a la primera resposta (percentil 90)",
            "Días hasta la primera respuesta (percentil 90)",
            "Dies (un decimal); buit quan cap sol·licitud no hi entra.",
            "Días (un decimal); vacío cuando ninguna solicitud entra.",
        ),
        "resolution_median_days": (
            "Dies fins a la resolució (mediana)",
            "Días hasta la resolución (mediana)",
            "Dies (un decimal); buit quan cap sol·licitud no hi entra.",
            "Días (un decimal); vacío cuando ninguna solicitud entra.",
        ),
        "resolution_p90_days": (
            "Dies fins a la resolució (percentil 90)",
            "Días hasta la resolución (percentil 90)",
            "Dies (un decimal); buit quan cap sol·licitud no hi entra.",
            "Días (un decimal); vacío cuando ninguna solicitud entra.",
        ),
        "as_of": ("Calculat el", "Calculado el"),
    },
)


def exported_table_read(
    *, path: Path, header: tuple[str, ...], dataset: str, command: str
) -> Table:
    """Rows of a CSV that the site exports from its database (debates, survey, office...).

    A missing export is refused, never read as an empty table: publishing an empty table
    would replace the real data on the portal with nothing.
    """
    if not path.is_file():
        raise CatalogSourceMissingError(
            f"{path} not found: it is exported from the site's database; run `{command}`, "
            "then build again. The other datasets are not affected.",
            dataset=dataset,
            paths=[str(path)],
        )
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [name for name in header if name not in (reader.fieldnames or ())]
        if missing:
            raise CatalogError(f"{path}: columns missing: {', '.join(missing)}", dataset=dataset)
        rows = [[row[name] for name in header] for row in reader]
    return Table(header=header, rows=rows)


def office_metrics_path() -> Path:
    """The site's export, read at build time (CONCERTEM_BUILD_DIR, as the site sets it)."""
    import os

    build_dir = Path(os.environ.get("CONCERTEM_BUILD_DIR", DATASETS_DIR.parent / "build"))
    return build_dir / "office" / OFFICE_METRICS_CSV


def _office_metrics_table() -> Table:
    return exported_table_read(
        path=office_metrics_path(),
        header=tuple(field["name"] for field in OFFICE_METRICS_SCHEMA["fields"]),
        dataset="office-metrics",
        command="python site/manage.py export_office_metrics",
    )


def office_metrics_spec() -> DatasetSpec:
    return DatasetSpec(
        name="office-metrics",
        title=text(
            "Oficina d'atenció als municipis: indicadors del servei",
            "Oficina de atención a los municipios: indicadores del servicio",
            "Office for attention to municipalities: service metrics",
        ),
        description=text(
            "Sol·licituds de suport dels ens locals a l'Oficina d'atenció als municipis, per "
            "àmbit del catàleg de serveis i per comarca: quantes, quantes resoltes, i els "
            "dies fins a la primera resposta i fins a la resolució (mediana i percentil 90). "
            "Sense dades personals.",
            "Solicitudes de apoyo de los entes locales a la Oficina de atención a los "
            "municipios, por ámbito del catálogo de servicios y por comarca: cuántas, cuántas "
            "resueltas, y los días hasta la primera respuesta y hasta la resolución (mediana "
            "y percentil 90). Sin datos personales.",
            "Support requests from local entities to the Office for attention to "
            "municipalities, per area of the service catalogue and per comarca: how many, "
            "how many resolved, and the days to a first answer and to resolution (median "
            "and 90th percentile). No personal data.",
        ),
        keywords={
            "ca": ("oficina d'atenció als municipis", "suport tècnic", "agents territorials"),
            "es": (
                "oficina de atención a los municipios",
                "apoyo técnico",
                "agentes territoriales",
            ),
            "en": ("office for municipalities", "technical support", "territorial agents"),
        },
        licence=CC_BY_4_0,
        sources=(SOURCE_CONCERTEM,),
        temporal=("2025-01-01", "2030-12-31"),
        frequency="DAILY",
        themes=("GOVE", "REGI"),
        resources=(
            ResourceSpec(
                name="office_metrics",
                path="data/office_metrics.csv",
                title=text("Indicadors del servei", "Indicadores del servicio", "Service metrics"),
                description=text(
                    "Una fila per al total, per àmbit i per comarca.",
                    "Una fila para el total, por ámbito y por comarca.",
                    "One row for the total, per area and per comarca.",
                ),
                table=_office_metrics_table,
                schema=OFFICE_METRICS_SCHEMA,
            ),
        ),
    )


def catalog_specs(*, formulas_dir: Path = FORMULAS_DIR) -> tuple[DatasetSpec, ...]:
    """Every dataset of the catalogue, in publishing order (references first)."""
    specs = [
        territory_spec(),
        variables_spec(),
        sdg_spec(),
        indicators_spec(),
        debate_contributions_spec(),
    ]
    specs += [allocation_spec(path) for path in sorted(formulas_dir.glob("*.toml"))]
    # Imported here: these modules build on the descriptive blocks defined above.
    from datasets.execution.spec import cooperation_actions_spec, survey_results_spec
    from datasets.facilities.spec import facilities_spec

    specs += [facilities_spec(), cooperation_actions_spec(), survey_results_spec()]
    specs.append(office_metrics_spec())
    from datasets.office_services import office_services_spec

    specs.append(office_services_spec())
    return tuple(specs)


def catalog_select(
    specs: Sequence[DatasetSpec], only: Iterable[str] | None = None
) -> tuple[DatasetSpec, ...]:
    """The specs named in ``only`` (all when None), in catalogue order."""
    if only is None:
        return tuple(specs)
    wanted = list(dict.fromkeys(only))
    known = {spec.name for spec in specs}
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise CatalogUnknownDatasetError(
            f"unknown dataset {', '.join(unknown)}; the catalogue has: {', '.join(sorted(known))}",
            names=unknown,
        )
    return tuple(spec for spec in specs if spec.name in wanted)
