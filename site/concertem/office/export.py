"""The office's service metrics as an open dataset: a CSV and its Table Schema.

The schema is declared once, in ``datasets.catalog`` (``OFFICE_METRICS_SCHEMA``), where the
catalogue's ``office-metrics`` dataset reads this export back; the columns written here are
the schema's, in its order. Nothing personal goes out: areas, comarques, counts and
durations. Written atomically, so a reader never sees half a file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from django.conf import settings

from concertem.office.metrics import MetricRow
from concertem.office.selectors import metrics_rows
from datasets.catalog import OFFICE_METRICS_CSV, OFFICE_METRICS_SCHEMA, OFFICE_METRICS_SCHEMA_NAME
from datasets.catalog.exports import OFFICE_METRICS


def export_dir() -> Path:
    return OFFICE_METRICS.folder_path(Path(settings.CONCERTEM_BUILD_DIR))


def metrics_csv_text(rows: list[MetricRow]) -> str:
    names = [field["name"] for field in OFFICE_METRICS_SCHEMA["fields"]]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row.as_csv_row())
    return buffer.getvalue()


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def metrics_export(*, out_dir: Path | None = None) -> tuple[Path, Path]:
    """Write ``office_metrics.csv`` and its schema into ``out_dir`` (build/office/)."""
    out_dir = out_dir or export_dir()
    csv_path = out_dir / OFFICE_METRICS_CSV
    schema_path = out_dir / OFFICE_METRICS_SCHEMA_NAME
    _write_atomic(csv_path, metrics_csv_text(metrics_rows()))
    _write_atomic(
        schema_path, json.dumps(OFFICE_METRICS_SCHEMA, indent=2, ensure_ascii=False) + "\n"
    )
    return csv_path, schema_path
