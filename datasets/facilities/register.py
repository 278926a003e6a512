"""The facility record, the committed register table, and the figures the map shows.

``datasets/reference/facilities.csv`` is the register: one row per facility, tidy (no derived
columns: names and populations of entities come from ``datasets.territory``), sorted by
``facility_id`` so that a rebuild of unchanged data is byte-identical.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from datasets.catalog.paths import REFERENCE_DIR, SCHEMAS_DIR
from datasets.facilities.errors import FacilityFileError
from datasets.table_io import table_write

SCHEMA_DIR = SCHEMAS_DIR
REGISTER_PATH = REFERENCE_DIR / "facilities.csv"
SCHEMA_PATH = SCHEMA_DIR / "facilities.json"

# The categories of the register. Labels live in the site (translated); these are codes.
CATEGORIES: tuple[str, ...] = (
    "sport",
    "culture",
    "education",
    "health",
    "social",
    "administration",
    "information",
    "parks",
    "other",
)
ACCESSIBILITY: tuple[str, ...] = ("", "accessible", "partial", "not_accessible")
OWNERS: tuple[str, ...] = ("", "municipal", "provincial", "regional", "state", "private", "other")

# A facility further than this from its municipality's centroid has swapped or wrong
# coordinates: the largest municipalities of Catalonia are ~20 km across.
MAX_KM_FROM_CENTROID = 25.0


@dataclass(frozen=True, slots=True)
class Facility:
    facility_id: str
    name: str
    category: str
    subcategory: str
    owner: str
    address: str
    postcode: str
    entity_code: str
    lon: float
    lat: float
    opening_year: int | None
    accessibility: str
    source: str
    source_id: str
    source_modified: str


FACILITY_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Facility))


def facility_row(facility: Facility) -> list[str]:
    values = []
    for value in astuple(facility):
        if value is None:
            values.append("")
        elif isinstance(value, float):
            values.append(f"{value:.6f}")
        else:
            values.append(str(value))
    return values


def facility_parse(row: Mapping[str, str]) -> Facility:
    """A register row back into a record (the register is trusted: it was validated)."""
    return Facility(
        facility_id=row["facility_id"],
        name=row["name"],
        category=row["category"],
        subcategory=row["subcategory"],
        owner=row["owner"],
        address=row["address"],
        postcode=row["postcode"],
        entity_code=row["entity_code"],
        lon=float(row["lon"]),
        lat=float(row["lat"]),
        opening_year=int(row["opening_year"]) if row["opening_year"] else None,
        accessibility=row["accessibility"],
        source=row["source"],
        source_id=row["source_id"],
        source_modified=row["source_modified"],
    )


# ---- The register table ----


def facilities_load(*, path: Path | None = None) -> list[Facility]:
    source = path or REGISTER_PATH
    try:
        with source.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != FACILITY_FIELDS:
                raise FacilityFileError(
                    f"{source}: unexpected header {reader.fieldnames}", path=str(source)
                )
            return [facility_parse(row) for row in reader]
    except FileNotFoundError as error:
        raise FacilityFileError(f"{source}: file not found", path=str(source)) from error
    except (KeyError, ValueError) as error:
        raise FacilityFileError(f"{source}: unreadable row: {error}", path=str(source)) from error


def facilities_write(facilities: Iterable[Facility], *, path: Path | None = None) -> int:
    ordered = sorted(facilities, key=lambda facility: facility.facility_id)
    return table_write(
        path=path or REGISTER_PATH,
        header=FACILITY_FIELDS,
        rows=(facility_row(facility) for facility in ordered),
    )


# ---- Geometry ----


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (haversine); plenty precise at the scale of a municipality."""
    radius = 6371.0
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(a))


# ---- Figures ----


@dataclass(frozen=True, slots=True)
class EntityFacilityCount:
    entity_code: str
    count: int
    population: int | None
    per_1000: Decimal | None  # facilities per 1,000 inhabitants, 2 decimals


def facilities_count_by_entity(
    facilities: Iterable[Facility], *, populations: Mapping[str, int | None]
) -> list[EntityFacilityCount]:
    """Counts per entity, with facilities per 1,000 inhabitants; most facilities first."""
    counts = Counter(facility.entity_code for facility in facilities)
    result = []
    for code, count in counts.items():
        population = populations.get(code)
        per_1000 = None
        if population:
            per_1000 = (Decimal(count) * 1000 / Decimal(population)).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
        result.append(EntityFacilityCount(code, count, population, per_1000))
    result.sort(key=lambda item: (-item.count, item.entity_code))
    return result


def facilities_filter(
    facilities: Iterable[Facility],
    *,
    category: str | None = None,
    entity_code: str | None = None,
) -> list[Facility]:
    return [
        facility
        for facility in facilities
        if (not category or facility.category == category)
        and (not entity_code or facility.entity_code == entity_code)
    ]


def facilities_geojson(facilities: Iterable[Facility]) -> dict:
    """A GeoJSON FeatureCollection (RFC 7946: lon, lat in WGS84)."""
    features = []
    for facility in facilities:
        properties = {
            name: value
            for name, value in zip(FACILITY_FIELDS, astuple(facility), strict=True)
            if name not in ("lon", "lat")
        }
        features.append(
            {
                "type": "Feature",
                "id": facility.facility_id,
                "geometry": {"type": "Point", "coordinates": [facility.lon, facility.lat]},
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}
