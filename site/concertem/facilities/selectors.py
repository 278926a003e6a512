"""Reads for the facility map: the register, the territory, filters and figures.

The register is a committed CSV (3,000 rows, ~10 ms to parse); it is cached per file
modification time so that an import (``concertem facilities import``) shows up without a
restart, and the entities of the province come from the site's territory adapter (same rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from concertem.common.territory import entities_by_code
from concertem.facilities.categories import CATEGORY_LABELS
from datasets.facilities.register import (
    CATEGORIES,
    REGISTER_PATH,
    EntityFacilityCount,
    Facility,
    facilities_count_by_entity,
    facilities_filter,
    facilities_load,
)
from datasets.territory import boundaries_bytes


def register_path() -> Path:
    return Path(getattr(settings, "FACILITIES_REGISTER_PATH", REGISTER_PATH))


@lru_cache(maxsize=2)
def _register_cached(path: str, mtime: float) -> tuple[Facility, ...]:
    return tuple(facilities_load(path=Path(path)))


def facilities_all() -> tuple[Facility, ...]:
    path = register_path()
    return _register_cached(str(path), path.stat().st_mtime)


def boundaries_json() -> bytes:
    """The province's municipal boundaries, served as-is (already WGS84 and simplified)."""
    return boundaries_bytes()


@dataclass(frozen=True)
class FacilityFilters:
    category: str = ""
    entity_code: str = ""

    @classmethod
    def from_query(cls, query) -> FacilityFilters:
        """Unknown values are ignored rather than refused: a stale bookmark still works."""
        category = query.get("category", "")
        entity_code = query.get("entity", "")
        return cls(
            category=category if category in CATEGORIES else "",
            entity_code=entity_code if entity_code in entities_by_code() else "",
        )

    def as_query(self) -> str:
        parts = []
        if self.category:
            parts.append(f"category={self.category}")
        if self.entity_code:
            parts.append(f"entity={self.entity_code}")
        return "&".join(parts)


def facilities_filtered(filters: FacilityFilters) -> list[Facility]:
    rows = facilities_filter(
        facilities_all(), category=filters.category or None, entity_code=filters.entity_code or None
    )
    names = entities_by_code()
    rows.sort(
        key=lambda facility: (
            names[facility.entity_code].name if facility.entity_code in names else "",
            facility.name.casefold(),
            facility.facility_id,
        )
    )
    return rows


@dataclass(frozen=True)
class EntityRow:
    entity_code: str
    name: str
    comarca: str
    count: int
    population: int | None
    per_1000: object


def entity_counts(filters: FacilityFilters) -> list[EntityRow]:
    """Every municipality of the province (zero included: gaps matter), most facilities first."""
    entities = entities_by_code()
    rows = facilities_filter(facilities_all(), category=filters.category or None)
    counted: dict[str, EntityFacilityCount] = {
        item.entity_code: item
        for item in facilities_count_by_entity(
            rows, populations={code: entity.population for code, entity in entities.items()}
        )
    }
    result = []
    for code, entity in entities.items():
        if filters.entity_code and code != filters.entity_code:
            continue
        item = counted.get(code)
        result.append(
            EntityRow(
                entity_code=code,
                name=entity.name,
                comarca=entity.comarca,
                count=item.count if item else 0,
                population=entity.population,
                per_1000=item.per_1000 if item else (0 if entity.population else None),
            )
        )
    result.sort(key=lambda row: (-row.count, row.name))
    return result


def category_counts(filters: FacilityFilters) -> list[tuple[str, str, int]]:
    rows = facilities_filter(facilities_all(), entity_code=filters.entity_code or None)
    counts = {code: 0 for code in CATEGORIES}
    for facility in rows:
        counts[facility.category] = counts.get(facility.category, 0) + 1
    return [(code, str(CATEGORY_LABELS.get(code, code)), counts[code]) for code in CATEGORIES]


def map_config(*, data_url: str, boundaries_url: str) -> dict[str, object]:
    """What the map script reads from the page's ``json_script`` element (data, not code)."""
    return {
        "dataUrl": data_url,
        "boundariesUrl": boundaries_url,
        "tilesUrl": getattr(settings, "CONCERTEM_MAP_TILES_URL", ""),
        "tilesAttribution": getattr(settings, "CONCERTEM_MAP_TILES_ATTRIBUTION", ""),
        "categories": {code: str(label) for code, label in CATEGORY_LABELS.items()},
    }
