"""The register as open-data resources: CSV + GeoJSON + Table Schema, in ``build/facilities/``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from datasets.catalog.paths import build_dir
from datasets.facilities.register import (
    SCHEMA_PATH,
    Facility,
    facilities_geojson,
    facilities_load,
    facilities_write,
)


def facilities_export(
    *, out_dir: Path | None = None, facilities: list[Facility] | None = None
) -> list[Path]:
    """Write ``facilities.csv``, ``facilities.geojson`` and ``facilities.schema.json``
    (by default into ``facilities/`` of the build folder)."""
    out_dir = out_dir or build_dir() / "facilities"
    rows = facilities if facilities is not None else facilities_load()
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = out_dir / "facilities.csv"
    facilities_write(rows, path=csv_path)
    geojson_path = out_dir / "facilities.geojson"
    ordered = sorted(rows, key=lambda facility: facility.facility_id)
    geojson_path.write_text(
        json.dumps(facilities_geojson(ordered), ensure_ascii=False, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    schema_path = out_dir / "facilities.schema.json"
    shutil.copyfile(SCHEMA_PATH, schema_path)
    return [csv_path, geojson_path, schema_path]
