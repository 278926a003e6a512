"""The data bank written as files: the reference format (TOML + tidy CSV)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from concertem.databank.catalog_io import catalog_toml, indicator_raw
from concertem.databank.models import DataVersion, Indicator
from concertem.databank.services import values_rows_all
from datasets.indicators.values import values_rows_write

CATALOG_NAME = "indicators.toml"
VALUES_NAME = "indicator_values.csv"


def databank_catalog_text() -> str:
    version = DataVersion.objects.filter(pk=1).first()
    # Pending translations are written with the Catalan text in their place (and the flag),
    # so the exported file passes the catalogue check the build runs on it.
    raws = [indicator_raw(row) for row in Indicator.objects.order_by("position", "code")]
    return catalog_toml(raws, preamble=version.catalog_preamble if version else "")


def _text_write(path: Path, text: str) -> None:
    # Next to the destination, then renamed: a build reading it never sees half a file.
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def databank_files_write(*, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    catalog_path = out_dir / CATALOG_NAME
    _text_write(catalog_path, databank_catalog_text())
    values_path = out_dir / VALUES_NAME
    values_rows_write(path=values_path, rows=values_rows_all())
    return [catalog_path, values_path]
