"""The territory: local entities and the socio-economic variables measured on them.

Reads the committed reference tables in ``datasets/reference/`` (built by
``python -m datasets.reference_build``). Nothing here assumes the 311 municipalities of the
province of Barcelona: scope is always a parameter, so comarcal councils or other provinces
fit the same model.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from datasets.catalog.paths import REFERENCE_DIR
from datasets.errors import DatasetError

ENTITIES_PATH = REFERENCE_DIR / "entities.csv"
VARIABLES_PATH = REFERENCE_DIR / "variables.csv"
VARIABLE_CATALOG_PATH = REFERENCE_DIR / "variables_catalog.csv"
BOUNDARIES_PATH = REFERENCE_DIR / "boundaries_08.geojson"

# Entity types the model knows. The reference table holds municipalities and, built from
# them (datasets.territory_levels), comarques, consells comarcals, the AMB and the province.
ENTITY_TYPES: tuple[str, ...] = (
    "municipality",
    "comarca",
    "consell_comarcal",
    "metropolitan_area",
    "province",
    "comarcal_council",
    "decentralised_municipal_entity",
    "metropolitan_entity",
)
MUNICIPALITY_TYPES: tuple[str, ...] = ("municipality",)


class TerritoryError(DatasetError):
    code = "territory-error"


class TerritoryFileError(TerritoryError):
    code = "territory-file"


class TerritoryUnknownEntityError(TerritoryError):
    code = "territory-unknown-entity"


@dataclass(frozen=True, slots=True)
class Entity:
    entity_code: str
    name: str
    entity_type: str
    province_code: str
    province_name: str
    idescat_code: str = ""
    comarca: str = ""
    population: int | None = None
    population_year: int | None = None
    surface_km2: float | None = None
    lon: float | None = None
    lat: float | None = None


ENTITY_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Entity))


@dataclass(frozen=True, slots=True)
class VariableSpec:
    variable: str
    title: str
    unit: str
    source: str
    years: str
    description: str


@dataclass(frozen=True)
class VariableTable:
    """Values keyed by (variable, year), then entity code. Missing values are simply absent."""

    series: dict[tuple[str, int], dict[str, Decimal]] = field(default_factory=dict)

    def series_get(self, *, variable: str, year: int) -> Mapping[str, Decimal]:
        return self.series.get((variable, year), {})

    def value_get(self, *, variable: str, year: int, entity_code: str) -> Decimal | None:
        return self.series.get((variable, year), {}).get(entity_code)

    def years_of(self, variable: str) -> list[int]:
        return sorted(year for name, year in self.series if name == variable)

    def variables(self) -> list[str]:
        return sorted({name for name, _ in self.series})


# ---- Entities ----


def entities_load(
    *,
    province_code: str | None = "08",
    entity_types: Collection[str] | None = MUNICIPALITY_TYPES,
    path: Path | None = None,
) -> list[Entity]:
    """Entities sorted by code; ``province_code=None`` means every province.

    Municipalities only unless ``entity_types`` says otherwise (``None``: every level): the
    comarques and other bodies above them are not municipalities to count, rank or map.
    """
    source = path or ENTITIES_PATH
    entities = []
    for line, row in _csv_rows(source, required=ENTITY_FIELDS):
        if province_code is not None and row["province_code"] != province_code:
            continue
        if entity_types is not None and row["entity_type"] not in entity_types:
            continue
        entities.append(_entity_parse(row, source=source, line=line))
    entities.sort(key=lambda entity: entity.entity_code)
    return entities


# ---- Cached per file version ----
# One refresh rule for every reader that keeps the territory in memory (the site's pages):
# a table is re-read when its file changes (path, modification time or size), never
# otherwise, so a rebuilt reference table is seen without a restart.

FileVersion = tuple[str, int, int]


def file_version(path: Path) -> FileVersion:
    """What identifies one version of a file: its path, modification time and size."""
    stat = path.stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _entities_cached(version: FileVersion, province_code: str | None) -> tuple[Entity, ...]:
    return tuple(entities_load(province_code=province_code, path=Path(version[0])))


@lru_cache(maxsize=8)
def _entities_index_cached(version: FileVersion, province_code: str | None) -> Mapping[str, Entity]:
    return MappingProxyType(entities_index(_entities_cached(version, province_code)))


def entities_cached(
    *, province_code: str | None = "08", path: Path = ENTITIES_PATH
) -> tuple[Entity, ...]:
    """``entities_load``, re-read only when the file changes (``file_version``)."""
    return _entities_cached(file_version(path), province_code)


def entities_by_code_cached(
    *, province_code: str | None = "08", path: Path = ENTITIES_PATH
) -> Mapping[str, Entity]:
    """The entities by code (read-only), re-read only when the file changes."""
    return _entities_index_cached(file_version(path), province_code)


@lru_cache(maxsize=2)
def _bytes_cached(version: FileVersion) -> bytes:
    return Path(version[0]).read_bytes()


def boundaries_bytes(*, path: Path = BOUNDARIES_PATH) -> bytes:
    """The boundaries file as served, re-read only when the file changes."""
    return _bytes_cached(file_version(path))


def entities_index(entities: Iterable[Entity]) -> dict[str, Entity]:
    return {entity.entity_code: entity for entity in entities}


def entity_get(entity_code: str, *, entities: Iterable[Entity] | None = None) -> Entity:
    pool = entities if entities is not None else entities_load(province_code=None)
    for entity in pool:
        if entity.entity_code == entity_code:
            return entity
    raise TerritoryUnknownEntityError(
        f"unknown entity code {entity_code!r}", entity_code=entity_code
    )


def entity_row(entity: Entity) -> dict[str, str]:
    """The CSV form of an entity (empty string for unknown values)."""
    row = {}
    for name in ENTITY_FIELDS:
        value = getattr(entity, name)
        row[name] = "" if value is None else str(value)
    return row


def _entity_parse(row: dict[str, str], *, source: Path, line: int) -> Entity:
    try:
        return Entity(
            entity_code=row["entity_code"],
            name=row["name"],
            entity_type=row["entity_type"],
            province_code=row["province_code"],
            province_name=row["province_name"],
            idescat_code=row["idescat_code"],
            comarca=row["comarca"],
            population=int(row["population"]) if row["population"] else None,
            population_year=int(row["population_year"]) if row["population_year"] else None,
            surface_km2=float(row["surface_km2"]) if row["surface_km2"] else None,
            lon=float(row["lon"]) if row["lon"] else None,
            lat=float(row["lat"]) if row["lat"] else None,
        )
    except ValueError as error:
        raise TerritoryFileError(
            f"{source}:{line}: entity {row.get('entity_code')!r}: {error}",
            path=str(source),
            line=line,
        ) from error


# ---- Variables ----


def variables_load(
    *,
    variables: Collection[str] | None = None,
    years: Collection[int] | None = None,
    entity_codes: Collection[str] | None = None,
    path: Path | None = None,
) -> VariableTable:
    """Read the long table ``entity_code, variable, year, value``, keeping only what is asked.

    Filtering happens before the Decimal conversion: a formula needs a handful of series
    out of ~400,000 rows, and parsing only those is what keeps loading fast.
    """
    source = path or VARIABLES_PATH
    wanted_variables = set(variables) if variables is not None else None
    wanted_years = {str(year) for year in years} if years is not None else None
    wanted_codes = set(entity_codes) if entity_codes is not None else None
    series: dict[tuple[str, int], dict[str, Decimal]] = {}
    try:
        with source.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header != ["entity_code", "variable", "year", "value"]:
                raise TerritoryFileError(
                    f"{source}:1: expected header entity_code,variable,year,value, got {header}",
                    path=str(source),
                )
            for line, (code, variable, year, value) in enumerate(reader, start=2):
                if wanted_variables is not None and variable not in wanted_variables:
                    continue
                if wanted_years is not None and year not in wanted_years:
                    continue
                if wanted_codes is not None and code not in wanted_codes:
                    continue
                try:
                    series.setdefault((variable, int(year)), {})[code] = Decimal(value)
                except (ValueError, InvalidOperation) as error:
                    raise TerritoryFileError(
                        f"{source}:{line}: entity {code}: bad {variable} value {value!r}",
                        path=str(source),
                        line=line,
                        entity_code=code,
                    ) from error
    except FileNotFoundError as error:
        raise TerritoryFileError(f"{source}: file not found", path=str(source)) from error
    except (UnicodeDecodeError, csv.Error, ValueError) as error:
        # ValueError: a row without exactly four cells cannot be unpacked.
        raise TerritoryFileError(
            f"{source}: not a variables table: {error}", path=str(source)
        ) from error
    return VariableTable(series=series)


def variables_catalog_load(*, path: Path | None = None) -> dict[str, VariableSpec]:
    source = path or VARIABLE_CATALOG_PATH
    required = tuple(f.name for f in fields(VariableSpec))
    return {
        row["variable"]: VariableSpec(**{name: row[name] for name in required})
        for _, row in _csv_rows(source, required=required)
    }


# ---- CSV ----


def _csv_rows(source: Path, *, required: Collection[str]) -> Iterable[tuple[int, dict[str, str]]]:
    try:
        handle = source.open(encoding="utf-8", newline="")
    except FileNotFoundError as error:
        raise TerritoryFileError(f"{source}: file not found", path=str(source)) from error
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
        except (UnicodeDecodeError, csv.Error) as error:
            raise TerritoryFileError(
                f"{source}: unreadable CSV: {error}", path=str(source)
            ) from error
        missing = [name for name in required if name not in header]
        if missing:
            raise TerritoryFileError(
                f"{source}:1: missing column(s) {', '.join(missing)}", path=str(source)
            )
        try:
            yield from enumerate(reader, start=2)
        except (UnicodeDecodeError, csv.Error) as error:
            raise TerritoryFileError(
                f"{source}: unreadable CSV: {error}", path=str(source)
            ) from error
