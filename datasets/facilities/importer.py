"""Import more facilities into the register from a CSV or GeoJSON file, all or nothing.

Every row is checked first; each problem is reported with file, row, column and rule. If any
row fails, nothing is written. Otherwise the rows are upserted into the register by
``facility_id`` (same id: replaced; new id: added; every other row untouched).

CSV: UTF-8 (or UTF-16 with BOM), comma-separated, the register's columns; ``facility_id``,
``name``, ``category``, ``entity_code``, ``lon`` and ``lat`` are required. GeoJSON: a
FeatureCollection of Points whose properties carry the same names (``lon``/``lat`` come from
the geometry; the "row" of a feature is its position, 1-based).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from sys import intern

from datasets.facilities.csvcheck import (
    cell_choice,
    cell_float,
    cell_int,
    csv_records,
    records_keep,
    text_first_visible,
    text_open,
)
from datasets.facilities.errors import FacilityImportError
from datasets.facilities.register import (
    ACCESSIBILITY,
    CATEGORIES,
    FACILITY_FIELDS,
    MAX_KM_FROM_CENTROID,
    OWNERS,
    REGISTER_PATH,
    Facility,
    distance_km,
    facilities_load,
    facilities_write,
)
from datasets.issues import IssueList
from datasets.territory import Entity, entities_index, entities_load

REQUIRED: tuple[str, ...] = ("facility_id", "name", "category", "entity_code", "lon", "lat")
OPTIONAL: tuple[str, ...] = tuple(name for name in FACILITY_FIELDS if name not in REQUIRED)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$")


@dataclass(frozen=True, slots=True)
class FacilityImportResult:
    file: str
    rows: int
    added: int
    updated: int
    unchanged: int
    total: int
    written: bool


# ---- Reading ----


def facilities_read(
    path: Path, *, entities: Mapping[str, Entity]
) -> tuple[list[Facility], IssueList]:
    """Parse and check a file; the facilities are only meaningful if the issues are empty.

    A CSV is read one row at a time: what is kept is the valid facilities (to be written)
    and their ids, so memory follows the rows kept, not the size of the file. (A GeoJSON
    file is parsed whole: JSON has no rows to stream.)
    """
    issues = IssueList(path.name)
    with text_open(path, issues=issues) as stream:
        if stream is None:
            return [], issues
        if path.suffix.lower() in (".geojson", ".json") or text_first_visible(stream) == "{":
            records: Iterable[tuple[int, dict[str, str]]] | None = _geojson_records(
                stream.read(), issues=issues
            )
        else:
            records = csv_records(stream, required=REQUIRED, optional=OPTIONAL, issues=issues)
        if records is None:
            return [], issues
        default_source = f"import:{path.name}"
        facilities = records_keep(
            records,
            check=lambda line, row: facility_check(
                row, line=line, entities=entities, issues=issues, default_source=default_source
            ),
            key=lambda facility: facility.facility_id,
            column="facility_id",
            issues=issues,
        )
    return facilities, issues


def _geojson_records(text: str, *, issues: IssueList) -> list[tuple[int, dict[str, str]]] | None:
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as error:
        issues.add(error.lineno, None, "not-json", "", f"not valid JSON: {error.msg}")
        return None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        issues.add(
            None, None, "not-a-feature-collection", "", "expected a GeoJSON FeatureCollection"
        )
        return None
    records = []
    for position, feature in enumerate(collection.get("features") or [], start=1):
        geometry = (feature or {}).get("geometry") or {}
        properties = (feature or {}).get("properties") or {}
        coordinates = geometry.get("coordinates")
        if (
            geometry.get("type") != "Point"
            or not isinstance(coordinates, list)
            or len(coordinates) < 2
        ):
            issues.add(
                position,
                "geometry",
                "not-a-point",
                str(geometry.get("type")),
                "each feature must be a Point with [lon, lat]",
            )
            continue
        row = {
            name: "" if properties.get(name) is None else str(properties[name]).strip()
            for name in FACILITY_FIELDS
        }
        row["lon"], row["lat"] = str(coordinates[0]), str(coordinates[1])
        if not row["facility_id"] and feature.get("id") is not None:
            row["facility_id"] = str(feature["id"])
        records.append((position, row))
    if not records and not issues:
        issues.add(None, None, "no-rows", "", "the collection has no features")
    return records


# ---- Checking one record ----


def facility_check(
    row: Mapping[str, str],
    *,
    line: int,
    entities: Mapping[str, Entity],
    issues: IssueList,
    default_source: str = "",
) -> Facility | None:
    before = issues.total
    facility_id = row.get("facility_id", "")
    if not _ID.match(facility_id):
        issues.add(
            line,
            "facility_id",
            "bad-id",
            facility_id,
            "facility_id is required: letters, digits, '.', '_', ':' or '-', up to 80",
        )
    name = " ".join(row.get("name", "").split())
    if not name:
        issues.add(line, "name", "required", "", "name is required")
    elif len(name) > 200:
        issues.add(line, "name", "too-long", name[:40], "name is longer than 200 characters")
    category = cell_choice(row.get("category", ""), "category", line, issues, choices=CATEGORIES)
    cell_choice(row.get("owner", ""), "owner", line, issues, choices=OWNERS)
    cell_choice(row.get("accessibility", ""), "accessibility", line, issues, choices=ACCESSIBILITY)
    entity_code = row.get("entity_code", "")
    entity = entities.get(entity_code)
    if entity is None:
        issues.add(
            line,
            "entity_code",
            "unknown-entity",
            entity_code,
            f"{entity_code!r} is not the INE code (5 digits) of a known local entity",
        )
    postcode = row.get("postcode", "")
    if postcode and not re.fullmatch(r"\d{5}", postcode):
        issues.add(line, "postcode", "bad-postcode", postcode, "postcode must be 5 digits")
    opening_year = None
    if row.get("opening_year"):
        opening_year = cell_int(
            row["opening_year"],
            "opening_year",
            line,
            issues,
            minimum=1800,
            maximum=date.today().year + 5,
        )
    lon = cell_float(row.get("lon", ""), "lon", line, issues)
    lat = cell_float(row.get("lat", ""), "lat", line, issues)
    if lon is not None and lat is not None:
        _coordinates_check(lon, lat, entity, line=line, issues=issues)
    if issues.total > before or category is None or lon is None or lat is None:
        return None
    # Codes repeat from row to row: one string each (interned) keeps a big import compact.
    return Facility(
        facility_id=facility_id,
        name=name,
        category=intern(category),
        subcategory=intern(row.get("subcategory", "")),
        owner=intern(row.get("owner", "")),
        address=" ".join(row.get("address", "").split()),
        postcode=intern(postcode),
        entity_code=intern(entity_code),
        lon=round(lon, 6),
        lat=round(lat, 6),
        opening_year=opening_year,
        accessibility=intern(row.get("accessibility", "")),
        source=row.get("source") or default_source,
        source_id=row.get("source_id") or facility_id,
        source_modified=row.get("source_modified", ""),
    )


def _coordinates_check(
    lon: float, lat: float, entity: Entity | None, *, line: int, issues: IssueList
) -> None:
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        issues.add(
            line,
            "lon" if not -180 <= lon <= 180 else "lat",
            "coordinates-out-of-range",
            f"{lon},{lat}",
            "lon must be in -180..180 and lat in -90..90 (WGS84 degrees)",
        )
        return
    if entity is None or entity.lon is None or entity.lat is None:
        return
    far = distance_km(lon, lat, entity.lon, entity.lat)
    if far > MAX_KM_FROM_CENTROID:
        hint = ""
        if distance_km(lat, lon, entity.lon, entity.lat) <= MAX_KM_FROM_CENTROID:
            hint = " (lon and lat look swapped)"
        issues.add(
            line,
            "lon",
            "coordinates-far-from-entity",
            f"{lon},{lat}",
            f"the point is {far:.0f} km from {entity.name}{hint}",
        )


# ---- Importing ----


def facilities_import(
    path: Path,
    *,
    register_path: Path | None = None,
    entities: Mapping[str, Entity] | None = None,
    dry_run: bool = False,
) -> FacilityImportResult:
    """Check ``path`` and upsert its facilities into the register; raise if any row is bad."""
    index = entities if entities is not None else entities_index(entities_load(province_code=None))
    incoming, issues = facilities_read(path, entities=index)
    if issues:
        raise FacilityImportError(
            issues.summary("nothing was imported"), issues=list(issues), more=issues.more
        )
    target = register_path or REGISTER_PATH
    current = {facility.facility_id: facility for facility in facilities_load(path=target)}
    added = updated = unchanged = 0
    for facility in incoming:
        existing = current.get(facility.facility_id)
        if existing is None:
            added += 1
        elif existing == facility:
            unchanged += 1
            continue
        else:
            updated += 1
        current[facility.facility_id] = facility  # frozen: shared, not copied
    written = False
    if not dry_run and (added or updated):
        facilities_write(current.values(), path=target)
        written = True
    return FacilityImportResult(
        file=path.name,
        rows=len(incoming),
        added=added,
        updated=updated,
        unchanged=unchanged,
        total=len(current),
        written=written,
    )
