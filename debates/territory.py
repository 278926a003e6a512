"""The debates' view of `datasets.territory`: cached, and defensive.

The data domain reads CSV files of several hundred thousand rows; a page render must not
pay that twice, and a missing or half-built reference table must degrade to "no data"
rather than break a debate page. Everything here returns plain values and never raises
for missing data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.conf import settings

from datasets import territory

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class EntityInfo:
    entity_code: str
    name: str
    comarca: str
    population: int | None


def province_code() -> str:
    return getattr(settings, "DEBATES_PROVINCE_CODE", "08")


@lru_cache(maxsize=4)
def _entities(province: str, _version: object) -> dict[str, EntityInfo]:
    try:
        rows = territory.entities_cached(province_code=province)
    except Exception:  # the data module may be missing or mid-rebuild: degrade, log
        logger.exception("debates: could not load the territory's entities")
        return {}
    return {
        row.entity_code: EntityInfo(
            entity_code=row.entity_code,
            name=row.name,
            comarca=getattr(row, "comarca", "") or "",
            population=getattr(row, "population", None),
        )
        for row in rows
    }


def entities_by_code() -> dict[str, EntityInfo]:
    try:
        version: object = territory.file_version(territory.ENTITIES_PATH)
    except OSError:
        version = None  # missing: _entities degrades to no data, and logs why
    return _entities(province_code(), version)


def entity_get(entity_code: str) -> EntityInfo | None:
    return entities_by_code().get(entity_code)


def entity_name(entity_code: str) -> str:
    """The entity's name, or its code when the reference data does not know it."""
    entity = entity_get(entity_code)
    return entity.name if entity else entity_code


def province_population() -> int:
    return sum(entity.population or 0 for entity in entities_by_code().values())


@dataclass(frozen=True, slots=True)
class VariableInfo:
    variable: str
    title: str
    unit: str
    source: str


@lru_cache(maxsize=1)
def variables_catalog() -> dict[str, VariableInfo]:
    try:
        catalog = territory.variables_catalog_load()
    except Exception:
        logger.exception("debates: could not load the variable catalogue")
        return {}
    return {
        name: VariableInfo(variable=name, title=spec.title, unit=spec.unit, source=spec.source)
        for name, spec in catalog.items()
    }


@lru_cache(maxsize=64)
def variable_values(
    variables: tuple[str, ...], entity_codes: tuple[str, ...]
) -> dict[tuple[str, int], dict[str, Decimal]]:
    """(variable, year) -> {entity_code: value}; empty when the data cannot be read."""
    try:
        table = territory.variables_load(variables=variables, entity_codes=entity_codes)
    except Exception:
        logger.exception("debates: could not load variables %s", variables)
        return {}
    return dict(table.series)
