"""Who a row of an indicator file is about: the entities of the territory reference table
(municipalities and the levels above them) by code or by name, with their level and province,
so the importer can refuse a comarca in a municipal indicator or a municipality of Girona in
the province of Barcelona's data bank, and say so.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from datasets.territory import ENTITIES_PATH, Entity
from datasets.territory_levels import entity_aliases, entity_name_key

LEVEL_LABELS = {
    "municipality": "municipality",
    "comarca": "comarca",
    "consell_comarcal": "consell comarcal",
    "metropolitan_area": "metropolitan area",
    "province": "province (Diputació)",
}


@dataclass(frozen=True, slots=True)
class EntityInfo:
    code: str
    name: str
    entity_type: str
    province_code: str
    province_name: str
    idescat_code: str = ""

    def describe(self) -> str:
        """'Girona (17079), a municipality of province 17 Girona'."""
        level = LEVEL_LABELS.get(self.entity_type, self.entity_type)
        return (
            f"{self.name} ({self.code}), a {level} of province "
            f"{self.province_code} {self.province_name}"
        )


class EntityDirectory:
    """Entities by code and by name (``entity_name_key`` of the name and its aliases)."""

    def __init__(self, infos: list[EntityInfo]) -> None:
        self.by_code: dict[str, EntityInfo] = {info.code: info for info in infos}
        self.by_name: dict[str, list[str]] = {}
        self.province_names: dict[str, str] = {}
        for info in infos:
            self.province_names.setdefault(info.province_code, info.province_name)
            entity = Entity(
                entity_code=info.code,
                name=info.name,
                entity_type=info.entity_type,
                province_code=info.province_code,
                province_name=info.province_name,
                comarca=info.name if info.entity_type == "comarca" else _comarca_of(info),
            )
            for text in (info.name, *entity_aliases(entity)):
                codes = self.by_name.setdefault(entity_name_key(text), [])
                if info.code not in codes:
                    codes.append(info.code)

    def pairs(self) -> list[tuple[str, str]]:
        """``(entity_code, idescat_code)`` for the code resolver."""
        return [(info.code, info.idescat_code) for info in self.by_code.values()]

    def named(self, text: str) -> list[EntityInfo]:
        return [self.by_code[code] for code in self.by_name.get(entity_name_key(text), ())]

    def province_label(self, province_code: str) -> str:
        return f"{province_code} {self.province_names.get(province_code, '?')}"


def _comarca_of(info: EntityInfo) -> str:
    # consells comarcals are named 'Consell Comarcal del Bages': their aliases need 'Bages'
    if info.entity_type != "consell_comarcal":
        return ""
    name = info.name.removeprefix("Consell Comarcal ")
    for article in ("de les ", "de la ", "de l'", "del ", "d'"):
        if name.startswith(article):
            return name[len(article) :]
    return name


@lru_cache(maxsize=2)
def _directory_cached(path: Path, mtime_ns: int) -> EntityDirectory:
    with path.open(encoding="utf-8", newline="") as stream:
        infos = [
            EntityInfo(
                code=row["entity_code"],
                name=row["name"],
                entity_type=row["entity_type"],
                province_code=row["province_code"],
                province_name=row["province_name"],
                idescat_code=row["idescat_code"],
            )
            for row in csv.DictReader(stream)
        ]
    return EntityDirectory(infos)


def entity_directory_load(*, path: Path = ENTITIES_PATH) -> EntityDirectory:
    """Every entity of the reference table (all levels, all provinces); cached per version."""
    path = path.resolve()
    return _directory_cached(path, path.stat().st_mtime_ns)
