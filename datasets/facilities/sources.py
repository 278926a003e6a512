"""Readers of the raw open-data files the register is seeded from, with their dedupe rules.

Two sources, each with its own quirks (documented in ``datasets/reference/facilities.md``):

* **gencat-equipaments-piscines**: the Generalitat's "Equipaments de Catalunya" filtered to
  swimming-pool sites, one GeoJSON per comarca. A site with several spaces appears once per
  space, and sites near a comarca border appear in two files (Moianès even has two files).
  Dedupe: one facility per ``idequipament``; the record with the latest ``data_modificacio``
  wins, ties broken by file name then position in the file.
* **opendatabcn-equipaments**: Barcelona city's facility lists (culture, information
  centres), UTF-16 with a BOM before every record. A facility appears once per map filter it
  is listed under (a civic centre is also a "WiFi BCN" point), and ten appear in both files.
  Dedupe: one facility per ``register_id`` across both files; its category is the highest in
  ``BCN_CATEGORY_PRIORITY`` among the filters it is listed under, the subcategory is that
  filter's name (ties: the lowest ``secondary_filters_asia_id``), the other fields come from
  the first row in file order (they are identical across the repeats). Private hospitality
  venues (bars, discotheques, restaurants…) that the city map also lists are not public
  facilities and are left out; so are the records without coordinates (telephone lines).

Both sources also carry UTM 31N coordinates (EPSG:25831). Some WGS84 points are wrong (0, 0;
a point in Costa Rica; a point 39 km away) while the UTM pair is right, so when the WGS84
point is further than ``MAX_KM_FROM_CENTROID`` from its municipality and the reprojected
UTM pair is not, the reprojected pair is used and counted in the build report.
Postcodes that are not 5 digits (``080``) are left empty rather than guessed.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from datasets.catalog.paths import SOURCES_DIR
from datasets.facilities.errors import FacilityFileError
from datasets.facilities.register import MAX_KM_FROM_CENTROID, Facility, distance_km
from datasets.territory import Entity, entities_index, entities_load

POOLS_DIR = SOURCES_DIR / "gencat-equipaments-piscines"
BCN_DIR = SOURCES_DIR / "opendatabcn-equipaments"
BCN_FILES: tuple[tuple[str, str], ...] = (
    ("opendatabcn_llista-equipaments_cultura-csv.csv", "culture"),
    ("opendatabcn_llista-equipaments_centres-informacio-csv.csv", "information"),
)
BARCELONA_CODE = "08019"

# Barcelona map filter (secondary_filters_name) -> register category; None = not a public
# facility (private hospitality venues), left out unless another filter lists it.
BCN_SUBCATEGORIES: dict[str, str | None] = {
    "Museus": "culture",
    "Museus municipals": "culture",
    "Biblioteques": "culture",
    "Biblioteques municipals": "culture",
    "Arxius municipals": "culture",
    "Teatres": "culture",
    "Auditoris": "culture",
    "Cinemes": "culture",
    "Ateneus de fabricació": "culture",
    "Zoo": "culture",
    "Sales d'estudi": "education",
    "Universitats": "education",
    "Formació professional": "education",
    "Centres cívics": "social",
    "Casals de barri": "social",
    "Casals d'avis": "social",
    "Casals i espais per a joves": "social",
    "Casals infantils": "social",
    "Bancs del Temps": "social",
    "Of. benestar social": "social",
    "Punts d'informació i atenció a les dones": "social",
    "OACs": "administration",
    "Guàrdia Urbana": "administration",
    "Barcelona Activa": "administration",
    "Instal·lacions esportives": "sport",
    "Altres esports": "sport",
    "Atletisme en pista": "sport",
    "Bàsquet": "sport",
    "Tennis taula": "sport",
    "Natació": "sport",
    "Parcs i jardins": "parks",
    "Interiors d'illa": "parks",
    "Àrees de jocs infantils": "parks",
    "Zones de joc": "parks",
    "Tibidabo": "parks",
    "WiFi BCN": "information",
    "Punts d'assessorament energètic": "information",
    "Estacions d'autobusos": "information",
    "Bars i pubs musicals": None,
    "Cocteleries": None,
    "Xampanyeries": None,
    "Discoteques": None,
    "Restaurants": None,
    "Tablaos flamencs": None,
    "Karaokes": None,
    "Salons de ball": None,
    "Sales de festes": None,
}
# When a facility is listed under several filters, the most specific public service wins;
# "information" comes last because "WiFi BCN" is an extra listing of other facilities.
BCN_CATEGORY_PRIORITY: tuple[str, ...] = (
    "administration",
    "health",
    "education",
    "social",
    "culture",
    "sport",
    "parks",
    "information",
)
# Filters whose facilities the city runs itself (the register's ``owner``).
BCN_MUNICIPAL: frozenset[str] = frozenset(
    {
        "Museus municipals",
        "Biblioteques municipals",
        "Arxius municipals",
        "Centres cívics",
        "Casals de barri",
        "Casals d'avis",
        "Casals infantils",
        "OACs",
        "Guàrdia Urbana",
        "Parcs i jardins",
        "Interiors d'illa",
        "Àrees de jocs infantils",
        "Barcelona Activa",
    }
)


@dataclass
class SourceStats:
    """What a reader saw, for the build report and the data documentation."""

    source: str
    records_read: int = 0
    records_in_scope: int = 0
    facilities: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)

    def as_lines(self) -> list[str]:
        lines = [
            f"{self.source}: {self.records_read} records read, {self.records_in_scope} in scope, "
            f"{self.facilities} facilities after dedupe"
        ]
        lines += [f"  dropped {count}: {reason}" for reason, count in sorted(self.dropped.items())]
        lines += [f"  note {count}: {reason}" for reason, count in sorted(self.notes.items())]
        return lines


# ---- Coordinates and postcodes ----


class _Locator:
    """Chooses between a source's WGS84 point and its UTM pair (see the module docstring)."""

    def __init__(self, entities: Mapping[str, Entity] | None = None) -> None:
        self.entities = (
            entities if entities is not None else entities_index(entities_load(province_code=None))
        )
        self._transformer = None

    def point(
        self, entity_code: str, lon: float, lat: float, utm_x: str, utm_y: str, stats: SourceStats
    ) -> tuple[float, float]:
        entity = self.entities.get(entity_code)
        if entity is None or entity.lon is None or entity.lat is None:
            return lon, lat
        if distance_km(lon, lat, entity.lon, entity.lat) <= MAX_KM_FROM_CENTROID:
            return lon, lat
        try:
            x, y = float(utm_x), float(utm_y)
        except ValueError:
            return lon, lat
        if self._transformer is None:
            from pyproj import Transformer  # only needed for the few broken points

            self._transformer = Transformer.from_crs("EPSG:25831", "EPSG:4326", always_xy=True)
        utm_lon, utm_lat = self._transformer.transform(x, y)
        if distance_km(utm_lon, utm_lat, entity.lon, entity.lat) <= MAX_KM_FROM_CENTROID:
            stats.notes["WGS84 point wrong, taken from the UTM coordinates"] += 1
            return utm_lon, utm_lat
        return lon, lat


def _postcode(text: str, stats: SourceStats) -> str:
    text = text.strip()
    if len(text) == 4 and text.isdigit():
        return "0" + text  # the Generalitat drops the leading zero of 08xxx
    if text and not (len(text) == 5 and text.isdigit()):
        stats.notes["postcode not 5 digits, left empty"] += 1
        return ""
    return text


# ---- Swimming pools (Generalitat) ----


def pools_read(
    *,
    folder: Path = POOLS_DIR,
    province_code: str = "08",
    entities: Mapping[str, Entity] | None = None,
) -> tuple[list[Facility], SourceStats]:
    stats = SourceStats(source="gencat-equipaments-piscines")
    locator = _Locator(entities)
    candidates: dict[str, list[tuple[str, str, int, dict, list[float]]]] = defaultdict(list)
    files = sorted(folder.glob("*.geojson"))
    if not files:
        raise FacilityFileError(f"{folder}: no GeoJSON files", path=str(folder))
    for path in files:
        collection = json.loads(path.read_text(encoding="utf-8"))
        for position, feature in enumerate(collection["features"]):
            stats.records_read += 1
            properties = feature["properties"]
            idescat = properties["codi_municipi"].strip().zfill(6)
            if not idescat.startswith(province_code):
                continue
            stats.records_in_scope += 1
            candidates[properties["idequipament"]].append(
                (
                    properties.get("data_modificacio", ""),
                    path.name,
                    position,
                    properties,
                    feature["geometry"]["coordinates"],
                )
            )
    facilities = []
    for source_id, records in candidates.items():
        # Latest modification wins; then the first file and position, for determinism.
        records.sort(key=lambda record: (record[1], record[2]))
        records.sort(key=lambda record: record[0], reverse=True)
        modified, _name, _position, properties, (lon, lat) = records[0]
        if len(records) > 1:
            stats.dropped["repeated idequipament (kept the latest modified)"] += len(records) - 1
        name = " ".join(properties["nom"].split())
        entity_code = properties["codi_municipi"].strip().zfill(6)[:5]
        lon, lat = locator.point(
            entity_code, float(lon), float(lat), properties["utmx"], properties["utmy"], stats
        )
        subcategory = properties["categoria"].split("|")[2].strip()
        facilities.append(
            Facility(
                facility_id=f"gencat-{source_id}",
                name=name,
                category="sport",
                subcategory=subcategory,
                owner="municipal" if "MUNICIPAL" in name.upper() else "",
                address=" ".join(properties["via"].split()),
                postcode=_postcode(properties["cpostal"], stats),
                entity_code=entity_code,
                lon=round(lon, 6),
                lat=round(lat, 6),
                opening_year=None,
                accessibility="",
                source=stats.source,
                source_id=source_id,
                source_modified=modified[:10],
            )
        )
    stats.facilities = len(facilities)
    return facilities, stats


# ---- Barcelona city (Open Data BCN) ----


def bcn_read(
    *, folder: Path = BCN_DIR, entities: Mapping[str, Entity] | None = None
) -> tuple[list[Facility], SourceStats]:
    stats = SourceStats(source="opendatabcn-equipaments")
    locator = _Locator(entities)
    groups: dict[str, list[tuple[str, Mapping[str, str]]]] = defaultdict(list)
    for file_name, default_category in BCN_FILES:
        text = (folder / file_name).read_bytes().decode("utf-16")
        for row in csv.DictReader(io.StringIO(text, newline="")):
            stats.records_read += 1
            register_id = row["register_id"].lstrip("\ufeff").strip()
            groups[register_id].append((default_category, row))
    facilities = []
    for register_id, rows in groups.items():
        stats.records_in_scope += 1
        first = rows[0][1]
        if len(rows) > 1:
            stats.dropped["repeated register_id (merged into one facility)"] += len(rows) - 1
        choice = _bcn_category_choose(rows)
        if choice is None:
            stats.dropped["private hospitality venue, not a public facility"] += 1
            continue
        category, subcategory = choice
        if (
            not first["geo_epgs_4326_lat"]
            or not first["geo_epgs_4326_lon"]
            or abs(float(first["geo_epgs_4326_lat"])) < 1
        ):
            # Telephone lines and web services carry a placeholder point next to (0, 0).
            stats.dropped["no coordinates (or a placeholder near 0, 0)"] += 1
            continue
        street = " ".join(first["addresses_road_name"].split())
        number = first["addresses_start_street_number"].strip()
        lon, lat = locator.point(
            BARCELONA_CODE,
            float(first["geo_epgs_4326_lon"]),
            float(first["geo_epgs_4326_lat"]),
            first["geo_epgs_25831_x"],
            first["geo_epgs_25831_y"],
            stats,
        )
        facilities.append(
            Facility(
                facility_id=f"bcn-{register_id}",
                name=" ".join(first["name"].split()),
                category=category,
                subcategory=subcategory,
                owner="municipal" if subcategory in BCN_MUNICIPAL else "",
                address=f"{street}, {number}" if street and number else street,
                postcode=_postcode(first["addresses_zip_code"], stats),
                entity_code=BARCELONA_CODE,
                lon=round(lon, 6),
                lat=round(lat, 6),
                opening_year=None,
                accessibility="",
                source=stats.source,
                source_id=register_id,
                source_modified=first["modified"][:10],
            )
        )
    stats.facilities = len(facilities)
    return facilities, stats


def _bcn_category_choose(rows: list[tuple[str, Mapping[str, str]]]) -> tuple[str, str] | None:
    options: list[tuple[int, str, str, str]] = []
    private_only = False
    for default_category, row in rows:
        name = row["secondary_filters_name"].strip()
        if not name:
            category, subcategory = default_category, ""
        elif name in BCN_SUBCATEGORIES:
            category, subcategory = BCN_SUBCATEGORIES[name], name
            if category is None:
                private_only = True
                continue
        else:
            category, subcategory = "other", name
        options.append(
            (
                BCN_CATEGORY_PRIORITY.index(category)
                if category in BCN_CATEGORY_PRIORITY
                else len(BCN_CATEGORY_PRIORITY),
                row["secondary_filters_asia_id"],
                category,
                subcategory,
            )
        )
    if not options:
        return None if private_only else ("other", "")
    options.sort()
    return options[0][2], options[0][3]
