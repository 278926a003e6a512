"""Bounding box and centroid of a dataset's spatial coverage, for DCAT-AP's dct:Location.

DCAT-AP 3 recommends both on every location. The province (NUTS ES511) is measured from
the municipal boundaries the catalogue publishes, so the figures follow the data; the
world is the whole WGS 84 range.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from datasets.catalog import PROVINCE_BARCELONA, REFERENCE_DIR
from datasets.geometry import ring_area_signed

BOUNDARIES = REFERENCE_DIR / "boundaries_08.geojson"
WORLD_URI = "http://publications.europa.eu/resource/authority/continent/WORLD"


@dataclass(frozen=True)
class Extent:
    west: float
    south: float
    east: float
    north: float
    centroid: tuple[float, float]  # longitude, latitude

    @property
    def bbox_geojson(self) -> str:
        w, s, e, n = (round(value, 6) for value in (self.west, self.south, self.east, self.north))
        ring = [[w, s], [e, s], [e, n], [w, n], [w, s]]
        return json.dumps({"type": "Polygon", "coordinates": [ring]})

    @property
    def centroid_geojson(self) -> str:
        lon, lat = (round(value, 6) for value in self.centroid)
        return json.dumps({"type": "Point", "coordinates": [lon, lat]})


def _ring_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Signed area and area-weighted centroid of a closed ring (shoelace)."""
    area = ring_area_signed(ring)
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return area, cx / (6 * area), cy / (6 * area)


@functools.cache
def boundaries_extent(path: Path = BOUNDARIES) -> Extent:
    """Bounding box and area-weighted centroid of every polygon in a GeoJSON file."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    xs: list[float] = []
    ys: list[float] = []
    total = sx = sy = 0.0
    for feature in features:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            for index, coordinates in enumerate(polygon):
                ring = [(float(x), float(y)) for x, y, *_ in coordinates]
                xs.extend(x for x, _ in ring)
                ys.extend(y for _, y in ring)
                area, cx, cy = _ring_centroid(ring)
                # The outer ring adds its area, holes take theirs away, whatever the winding.
                weight = abs(area) if index == 0 else -abs(area)
                total += weight
                sx += weight * cx
                sy += weight * cy
    return Extent(min(xs), min(ys), max(xs), max(ys), (sx / total, sy / total))


def spatial_extent(uri: str) -> Extent | None:
    """The extent of a coverage URI the catalogue uses, or None for one it does not know."""
    if uri == PROVINCE_BARCELONA.uri:
        return boundaries_extent()
    if uri == WORLD_URI:
        return Extent(-180.0, -90.0, 180.0, 90.0, (0.0, 0.0))
    return None
