"""The register as open-data resources: CSV + GeoJSON + Table Schema, in ``build/facilities/``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from datasets.facilities.register import (
    SCHEMA_PATH,
    Facility,
    facilities_geojson,
    facilities_load,
    facilities_write,
)

DEFAULT_OUT = Path("build/facilities")


def facilities_export(
    *, out_dir: Path = DEFAULT_OUT, facilities: list[Facility] | None = None
) -> list[Path]:
    """Write ``facilities.csv``, ``facilities.geojson`` and ``facilities.schema.json``."""
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
