"""Regenerate the reference tables in ``datasets/reference/`` from the raw files in ``sources/``.

    python -m datasets.reference_build            # rewrite the tables
    python -m datasets.reference_build --check    # exit 1 if the committed tables are stale

Every output is sorted and written with fixed formatting, so a rebuild from the same sources
is byte-identical and a change of source shows up as a readable diff.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from datasets.catalog.paths import SOURCES_DIR
from datasets.geometry import (
    Point,
    polyline_simplify,
    ring_area_signed,
    topojson_arcs_decode,
    topojson_ring_build,
)
from datasets.territory import ENTITY_FIELDS, REFERENCE_DIR, Entity, entity_row
from datasets.territory_levels import entities_supra_build

VISOR_DIR = SOURCES_DIR / "diba-visor2030"
INE_CODES_DIR = SOURCES_DIR / "ine-codes-codeforspain"
GENCAT_DIR = SOURCES_DIR / "gencat-municipis-geo"
ATLAS_DIR = SOURCES_DIR / "ine-atlas"

CATALAN_PROVINCES = ("08", "17", "25", "43")
CENSUS_YEAR = 2021
BOUNDARY_PROVINCE = "08"
# Douglas-Peucker tolerance in metres (UTM): invisible at the zoom levels of a province map,
# and it brings the GeoJSON from ~3.5 MB (80,000 vertices) to under 1 MB (48,000).
SIMPLIFY_TOLERANCE_M = 10.0
COORDINATE_DECIMALS = 5  # ~1 m at 41°N
MISSING = frozenset({"", "NA", "NaN", "nan"})


@dataclass(frozen=True, slots=True)
class VariableSource:
    variable: str
    file: str
    column: str
    title: str
    unit: str
    description: str
    scale: int = 1  # census shares are fractions in the source; we publish percentages
    decimals: int | None = None


# The published variable names are a contract with the indicator builders: add, never rename.
VARIABLE_SOURCES: tuple[VariableSource, ...] = (
    VariableSource(
        "population",
        "demographics_municipality.csv",
        "population",
        "Population (ADRH)",
        "persons",
        "Resident population used by the INE Household Income Distribution Atlas (ADRH); "
        "an estimate, not the official municipal register (padró).",
    ),
    VariableSource(
        "net_income_per_person",
        "income_municipality.csv",
        "net_income_pc",
        "Mean net income per person",
        "EUR per person per year",
        "ADRH mean net income per person; the year is the income year.",
    ),
    VariableSource(
        "net_income_per_household",
        "income_municipality.csv",
        "net_income_hh",
        "Mean net income per household",
        "EUR per household per year",
        "ADRH mean net income per household.",
    ),
    VariableSource(
        "gross_income_per_person",
        "income_municipality.csv",
        "gross_income_pc",
        "Mean gross income per person",
        "EUR per person per year",
        "ADRH mean gross income per person (closest open proxy of the income-tax base).",
    ),
    VariableSource(
        "gini",
        "gini_p80p20_municipality.csv",
        "gini",
        "Gini index of income",
        "index 0-100",
        "ADRH Gini index of equivalised income (0 = equality, 100 = one person has all).",
    ),
    VariableSource(
        "p80p20",
        "gini_p80p20_municipality.csv",
        "p80p20",
        "Income quintile share ratio P80/P20",
        "ratio",
        "ADRH ratio of the 80th to the 20th percentile of equivalised income.",
    ),
    VariableSource(
        "population_census",
        "census_2021_municipality.csv",
        "total_pop",
        "Population (Census 2021)",
        "persons",
        "Population and Housing Census 2021, reference date 1 January 2021.",
    ),
    VariableSource(
        "unemployment_rate",
        "census_2021_municipality.csv",
        "unemployment_rate",
        "Unemployment rate (Census 2021)",
        "percent of the active population",
        "Unemployed / active population, Census 2021. Not published for municipalities "
        "under 100 inhabitants.",
        scale=100,
        decimals=2,
    ),
    VariableSource(
        "employment_rate",
        "census_2021_municipality.csv",
        "employment_rate",
        "Employment rate (Census 2021)",
        "percent of the population aged 16+",
        "Employed / population aged 16 and over, Census 2021.",
        scale=100,
        decimals=2,
    ),
    VariableSource(
        "activity_rate",
        "census_2021_municipality.csv",
        "activity_rate",
        "Activity rate (Census 2021)",
        "percent of the population aged 16+",
        "Active (employed + unemployed) / population aged 16 and over, Census 2021.",
        scale=100,
        decimals=2,
    ),
    VariableSource(
        "share_population_over_64",
        "census_2021_municipality.csv",
        "pct_over64",
        "Population aged 65 and over (Census 2021)",
        "percent of the population",
        "Share of residents aged 65 or more, Census 2021 age structure.",
        scale=100,
        decimals=2,
    ),
    VariableSource(
        "share_population_under_16",
        "census_2021_municipality.csv",
        "pct_under16",
        "Population aged under 16 (Census 2021)",
        "percent of the population",
        "Share of residents aged 0-15, Census 2021 age structure.",
        scale=100,
        decimals=2,
    ),
    VariableSource(
        "share_foreign_nationality",
        "census_2021_municipality.csv",
        "pct_foreign",
        "Foreign nationality (Census 2021)",
        "percent of the population",
        "Share of residents with a non-Spanish nationality, Census 2021.",
        scale=100,
        decimals=2,
    ),
    VariableSource(
        "share_higher_education_completed",
        "census_2021_municipality.csv",
        "pct_higher_ed_completed",
        "Higher education completed (Census 2021)",
        "percent of the population",
        "Share of residents who completed higher (tertiary) education, Census 2021, as "
        "computed by ineAtlas.",
        scale=100,
        decimals=2,
    ),
)


# ---- Reading sources ----


def _csv_read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def catalan_name_display(sortable: str) -> str:
    """``'Garriga, la'`` -> ``'La Garriga'``: the display form the Diputació's Visor uses."""
    for article in ("l'", "la", "el", "les", "els"):
        suffix = f", {article}"
        if sortable.endswith(suffix):
            stem = sortable[: -len(suffix)]
            prefix = article.capitalize()
            return f"{prefix}{stem}" if article == "l'" else f"{prefix} {stem}"
    return sortable


def entities_build() -> list[Entity]:
    census = _csv_read(ATLAS_DIR / "census_2021_municipality.csv")
    atlas_names = {
        row["mun_code"]: row["mun_name"]
        for row in _csv_read(ATLAS_DIR / "income_municipality.csv")
        if row["year"] == "2022"
    }
    ine = {row["municipio_id"]: row for row in _csv_read(INE_CODES_DIR / "municipios.csv")}
    provinces = {
        row["provincia_id"]: row["nombre"] for row in _csv_read(INE_CODES_DIR / "provincias.csv")
    }
    gencat = {row["Codi"][:5]: row for row in _csv_read(GENCAT_DIR / "Municipis_Catalunya_Geo.csv")}
    visor = {row["MUN_INE"]: row for row in _csv_read(VISOR_DIR / "municipalities_2020.csv")}
    surfaces = _surfaces_read()

    entities = []
    for row in census:
        code = row["mun_code"]
        province = code[:2]
        catalan = gencat.get(code)
        if province in CATALAN_PROVINCES and catalan is None:
            raise SystemExit(f"{code}: Catalan municipality missing from the gencat file")
        if catalan is not None:
            idescat = catalan["Codi"]
            if code in ine and idescat != code + ine[code]["dc"]:
                raise SystemExit(f"{code}: Idescat code {idescat} disagrees with INE dc")
            name = catalan_name_display(catalan["Nom"])
            if code in visor and visor[code]["Municipi amb article"] != name:
                raise SystemExit(f"{code}: name {name!r} differs from the Visor's")
        else:
            idescat = ""
            name = atlas_names.get(code) or ine[code]["nombre"]
        entities.append(
            Entity(
                entity_code=code,
                name=name,
                entity_type="municipality",
                province_code=province,
                province_name=provinces[province],
                idescat_code=idescat,
                comarca=catalan["Nom comarca"] if catalan else "",
                population=int(row["total_pop"]),
                population_year=CENSUS_YEAR,
                surface_km2=surfaces.get(code),
                lon=round(float(catalan["Longitud"]), 6) if catalan else None,
                lat=round(float(catalan["Latitud"]), 6) if catalan else None,
            )
        )
    entities.sort(key=lambda entity: entity.entity_code)
    return entities


def entities_all_build(municipalities: list[Entity]) -> list[Entity]:
    """The municipalities, then the levels above them (codes 'amb', 'cc:..', 'com:..',
    'prov:..' sort after the INE digits, so the municipality rows never move)."""
    comarca_codes = {
        row["Nom comarca"]: row["Codi comarca"]
        for row in _csv_read(GENCAT_DIR / "Municipis_Catalunya_Geo.csv")
    }
    return municipalities + entities_supra_build(municipalities, comarca_codes)


def _topology_read() -> dict:
    with (VISOR_DIR / "municipis.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def _surfaces_read() -> dict[str, float]:
    geometries = _topology_read()["objects"]["municipis"]["geometries"]
    return {g["properties"]["MUNICIPI"][:5]: float(g["properties"]["SUP_MUNI"]) for g in geometries}


# ---- Variables ----


def variables_build(entity_codes: set[str]) -> list[tuple[str, str, int, str]]:
    rows: list[tuple[str, str, int, str]] = []
    cache: dict[str, list[dict[str, str]]] = {}
    for spec in VARIABLE_SOURCES:
        table = cache.setdefault(spec.file, _csv_read(ATLAS_DIR / spec.file))
        for source_row in table:
            code = source_row["mun_code"]
            raw = source_row[spec.column]
            # Codes of municipalities merged away before 2021 are dropped with their series.
            if code not in entity_codes or raw in MISSING:
                continue
            year = int(source_row.get("year") or CENSUS_YEAR)
            rows.append((code, spec.variable, year, _value_format(raw, spec)))
    rows.sort()
    return rows


def _value_format(raw: str, spec: VariableSource) -> str:
    value = Decimal(raw) * spec.scale
    if spec.decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-spec.decimals))
    text = format(value.normalize(), "f") if spec.decimals is None else format(value, "f")
    return text


# ---- Boundaries ----


def boundaries_build(entities: Sequence[Entity]) -> dict:
    from pyproj import Transformer  # imported here: only the build needs it

    topology = _topology_read()
    arcs_utm = topojson_arcs_decode(topology)
    # Reproject arc by arc, after simplification, so both sides of a shared border get
    # identical vertices.
    transformer = Transformer.from_crs("EPSG:25831", "EPSG:4326", always_xy=True)
    arcs_wgs84 = []
    for arc in arcs_utm:
        simplified = polyline_simplify(arc, tolerance=SIMPLIFY_TOLERANCE_M)
        lons, lats = transformer.transform([p[0] for p in simplified], [p[1] for p in simplified])
        arcs_wgs84.append(_arc_round(list(zip(lons, lats, strict=True))))

    names = {entity.entity_code: entity.name for entity in entities}
    features = []
    for geometry in topology["objects"]["municipis"]["geometries"]:
        code = geometry["properties"]["MUNICIPI"][:5]
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        coordinates = [_polygon_build(polygon, arcs_wgs84) for polygon in polygons]
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"entity_code": code, "name": names[code]},
                "geometry": (
                    {"type": "Polygon", "coordinates": coordinates[0]}
                    if len(coordinates) == 1
                    else {"type": "MultiPolygon", "coordinates": coordinates}
                ),
            }
        )
    features.sort(key=lambda feature: feature["id"])
    return {"type": "FeatureCollection", "features": features}


def _arc_round(points: Iterable[Point]) -> list[Point]:
    rounded: list[Point] = []
    for lon, lat in points:
        point = (round(lon, COORDINATE_DECIMALS), round(lat, COORDINATE_DECIMALS))
        if not rounded or point != rounded[-1]:
            rounded.append(point)
    return rounded


def _polygon_build(rings: Sequence[Sequence[int]], arcs: Sequence[list[Point]]) -> list:
    polygon = []
    for position, arc_indexes in enumerate(rings):
        ring = topojson_ring_build(arc_indexes, arcs)
        # RFC 7946: exterior rings counter-clockwise, holes clockwise.
        counter_clockwise = ring_area_signed(ring) > 0
        if counter_clockwise != (position == 0):
            ring = ring[::-1]
        polygon.append([[lon, lat] for lon, lat in ring])
    return polygon


def boundaries_area_check(entities: Sequence[Entity]) -> float:
    """Largest relative gap between the source surface and the planar area of the outline."""
    topology = _topology_read()
    arcs = topojson_arcs_decode(topology)
    surfaces = {e.entity_code: e.surface_km2 for e in entities if e.surface_km2}
    worst = 0.0
    for geometry in topology["objects"]["municipis"]["geometries"]:
        code = geometry["properties"]["MUNICIPI"][:5]
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        area_m2 = 0.0
        for polygon in polygons:
            for position, ring in enumerate(polygon):
                ring_area = abs(ring_area_signed(topojson_ring_build(ring, arcs)))
                area_m2 += ring_area if position == 0 else -ring_area
        worst = max(worst, abs(area_m2 / 1e6 - surfaces[code]) / surfaces[code])
    return worst


# ---- Writing ----


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _geojson_text(collection: dict) -> str:
    # One feature per line: compact, yet a boundary change is a one-line diff.
    lines = [
        json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        for feature in collection["features"]
    ]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def reference_texts_build() -> dict[str, str]:
    entities = entities_build()
    codes = {entity.entity_code for entity in entities}
    boundary_entities = [e for e in entities if e.province_code == BOUNDARY_PROVINCE]
    return {
        "entities.csv": _csv_text(
            ENTITY_FIELDS,
            ([entity_row(e)[name] for name in ENTITY_FIELDS] for e in entities_all_build(entities)),
        ),
        "variables.csv": _csv_text(
            ("entity_code", "variable", "year", "value"), variables_build(codes)
        ),
        "variables_catalog.csv": _csv_text(
            ("variable", "title", "unit", "source", "years", "description"),
            (
                (
                    s.variable,
                    s.title,
                    s.unit,
                    f"ine-atlas/{s.file}#{s.column}",
                    _years_describe(s),
                    s.description,
                )
                for s in VARIABLE_SOURCES
            ),
        ),
        f"boundaries_{BOUNDARY_PROVINCE}.geojson": _geojson_text(
            boundaries_build(boundary_entities)
        ),
    }


def _years_describe(spec: VariableSource) -> str:
    return str(CENSUS_YEAR) if spec.file.startswith("census") else "2015-2022"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m datasets.reference_build")
    parser.add_argument("--check", action="store_true", help="fail if the tables are stale")
    parser.add_argument("--out", type=Path, default=REFERENCE_DIR)
    args = parser.parse_args(argv)

    texts = reference_texts_build()
    gap = boundaries_area_check(entities_build())
    print(f"largest gap between source surface and outline area: {gap:.2%}")
    stale = []
    for name, text in texts.items():
        target = args.out / name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        stale.append(name)
        if not args.check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
    for name, text in texts.items():
        print(f"{name:32} {len(text.encode()):>12,} bytes {text.count(chr(10)) - 1:>9,} rows")
    if args.check:
        if stale:
            print(f"stale: {', '.join(stale)}", file=sys.stderr)
            return 1
        print("reference tables are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
