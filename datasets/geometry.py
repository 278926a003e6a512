"""Small planar-geometry helpers for the reference build: TopoJSON arcs, areas, simplification.

Pure Python on purpose: the province has ~80,000 boundary vertices, which these loops handle
in well under a second, and it spares the project a GEOS/shapely dependency.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

Point = tuple[float, float]
Ring = list[Point]


def topojson_arcs_decode(topology: dict) -> list[list[Point]]:
    """Absolute coordinates of every arc of a quantized (delta-encoded) TopoJSON topology."""
    transform = topology.get("transform")
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points: list[Point] = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def topojson_ring_build(arc_indexes: Sequence[int], arcs: Sequence[list[Point]]) -> Ring:
    """Stitch a ring from arc references; ``~i`` (negative) means arc ``i`` reversed."""
    ring: Ring = []
    for index in arc_indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their junction point: keep it once.
        ring.extend(points if not ring else points[1:])
    return ring


def ring_area_signed(ring: Sequence[Point]) -> float:
    """Shoelace area; positive when the ring runs counter-clockwise."""
    total = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        total += x1 * y2 - x2 * y1
    return total / 2.0


def polyline_simplify(points: Sequence[Point], *, tolerance: float) -> list[Point]:
    """Douglas-Peucker, iterative, endpoints always kept.

    Arcs are simplified one by one, so a border shared by two municipalities is simplified once
    and both neighbours keep exactly the same vertices (no slivers or gaps between them).
    """
    count = len(points)
    if count <= 2:
        return list(points)
    keep = [False] * count
    keep[0] = keep[-1] = True
    stack = [(0, count - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        bx, by = points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        farthest, distance_max = -1, -1.0
        for index in range(first + 1, last):
            px, py = points[index]
            if length == 0.0:  # closed arc: measure from the shared start/end point
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs(dy * px - dx * py + bx * ay - by * ax) / length
            if distance > distance_max:
                farthest, distance_max = index, distance
        if farthest >= 0 and (distance_max > tolerance or length == 0.0):
            keep[farthest] = True
            stack.append((first, farthest))
            stack.append((farthest, last))
    if points[0] == points[-1]:
        # A closed arc (an island, an enclave) needs three distinct vertices to stay a ring.
        _closed_arc_pad(points, keep)
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _closed_arc_pad(points: Sequence[Point], keep: list[bool]) -> None:
    while sum(keep) < 4:
        kept = [index for index, flag in enumerate(keep) if flag]
        best, best_distance = -1, -1.0
        for first, last in itertools.pairwise(kept):
            ax, ay = points[first]
            bx, by = points[last]
            for index in range(first + 1, last):
                px, py = points[index]
                # Twice the triangle area: the vertex that widens the ring the most.
                distance = abs((bx - ax) * (py - ay) - (px - ax) * (by - ay))
                if distance > best_distance:
                    best, best_distance = index, distance
        if best < 0:
            return
        keep[best] = True
