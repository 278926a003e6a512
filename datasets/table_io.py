"""Small CSV helpers shared by the reference-table builds: one dialect, atomic writes.

Every committed table is written the same way (UTF-8, comma, ``\\n`` line ends, minimal
quoting) so that rebuilding unchanged data gives byte-identical files and clean diffs.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path


def table_write(*, path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write ``rows`` under ``header`` to ``path`` atomically; return the number of rows.

    The file is written next to its destination and renamed into place, so a reader (or a
    crash half-way) never sees a half-written table.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    count = 0
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(header)
            rows = rows if isinstance(rows, list) else list(rows)
            writer.writerows(rows)  # one C loop, not a Python call per row
            count = len(rows)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return count


def table_read(*, path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))
