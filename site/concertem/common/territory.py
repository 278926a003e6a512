"""The territory as the site reads it: one adapter over ``datasets.territory``.

One refresh rule for every app, the data domain's: ``datasets.territory`` keeps the
entities per file version (path, modification time, size), and the groupings built here
are keyed on the same version, so a page view never parses the CSV and a rebuilt table is
picked up without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

from datasets.territory import ENTITIES_PATH, Entity, FileVersion, entities_cached, file_version


def portal_provinces() -> tuple[str, ...] | None:
    """The provinces whose entities get pages; None means every entity in the table."""
    provinces = getattr(settings, "CONCERTEM_PORTAL_PROVINCES", ("08",))
    return tuple(provinces) if provinces else None


@dataclass(frozen=True)
class Territory:
    entities: tuple[Entity, ...]
    by_code: dict[str, Entity]
    comarques: tuple[str, ...]
    province_population: int
    # Entities grouped by comarca (or by province where there are no comarques), so a
    # profile lists its neighbours without scanning the whole territory.
    groups: dict[str, tuple[Entity, ...]]

    @staticmethod
    def group_of(entity: Entity) -> str:
        return entity.comarca or entity.province_name


@lru_cache(maxsize=4)
def _territory_cached(provinces: tuple[str, ...] | None, _version: FileVersion) -> Territory:
    everything = entities_cached(province_code=None)
    entities = tuple(e for e in everything if provinces is None or e.province_code in provinces)
    groups: dict[str, list[Entity]] = {}
    for entity in entities:
        groups.setdefault(Territory.group_of(entity), []).append(entity)
    return Territory(
        entities=entities,
        by_code={e.entity_code: e for e in entities},
        comarques=tuple(sorted(groups)),
        province_population=sum(e.population or 0 for e in entities),
        groups={key: tuple(members) for key, members in groups.items()},
    )


def territory_get(provinces: tuple[str, ...] | None) -> Territory:
    """The entities of ``provinces`` (None: all of them), as of the table's current version."""
    return _territory_cached(provinces, file_version(ENTITIES_PATH))


def territory() -> Territory:
    """The portal's territory: the provinces of ``CONCERTEM_PORTAL_PROVINCES``."""
    return territory_get(portal_provinces())


def entities_by_code() -> dict[str, Entity]:
    """The province's entities by INE code (facilities, surveys, cooperation actions)."""
    province = getattr(settings, "FACILITIES_PROVINCE_CODE", "08")
    return territory_get((province,)).by_code


def territory_cache_clear() -> None:
    """Forget what was read (a benchmark switching provinces, a test replacing the file)."""
    _territory_cached.cache_clear()
