"""Small CSV helpers: one dialect and atomic writes for the reference-table builds, and the
streaming encoding check the importers of user files share.

Every committed table is written the same way (UTF-8, comma, ``\\n`` line ends, minimal
quoting) so that rebuilding unchanged data gives byte-identical files and clean diffs.
"""

from __future__ import annotations

import codecs
import csv
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO


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


# ---- Reading user files as a stream ----

# Bytes decoded at a time when checking a file's encoding: memory stays at a few MB
# whatever the size of the file.
DECODE_CHUNK = 1 << 18


@dataclass(frozen=True, slots=True)
class DecodeFailure:
    """Where a file stops being valid in an encoding."""

    position: int  # offset of the first bad byte in the file (0-based)
    line: int  # line of that byte (1-based: newlines before it + 1)
    bad_bytes: bytes  # up to 4 bytes from ``position``
    reason: str  # the codec's reason ('invalid start byte', 'truncated data', ...)


def decode_check(
    handle: BinaryIO, encoding: str, *, chunk_size: int = DECODE_CHUNK
) -> DecodeFailure | None:
    """None if the whole of ``handle`` decodes in ``encoding``, else the first failure.

    The file is decoded chunk by chunk with an incremental decoder (a character split
    across two chunks is carried over) and the text is thrown away, so a file of any size
    is checked in constant memory before any of it is used. ``utf-8-sig`` skips a UTF-8
    BOM; positions are always offsets in the file. Leaves ``handle`` at its start.
    """
    handle.seek(0)
    fed = newlines = 0
    if codecs.lookup(encoding).name == "utf-8-sig":
        if handle.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8:
            fed = len(codecs.BOM_UTF8)
        else:
            handle.seek(0)
        encoding = "utf-8"
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    failure = None
    while True:
        chunk = handle.read(chunk_size)
        pending = _decoder_pending(decoder)
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            data = pending + chunk
            position = fed - len(pending) + error.start
            line = newlines - pending.count(b"\n") + data[: error.start].count(b"\n") + 1
            handle.seek(position)
            failure = DecodeFailure(position, line, handle.read(4), str(error.reason))
            break
        except UnicodeError as error:  # e.g. 'UTF-16 stream does not start with BOM'
            handle.seek(fed - len(pending))
            failure = DecodeFailure(fed - len(pending), newlines + 1, handle.read(4), str(error))
            break
        if not chunk:
            break
        fed += len(chunk)
        newlines += chunk.count(b"\n")
    handle.seek(0)
    return failure


def _decoder_pending(decoder: codecs.IncrementalDecoder) -> bytes:
    """Bytes an incremental decoder holds back (a character not complete yet)."""
    state = decoder.getstate()
    pending = state[0] if isinstance(state, tuple) and state else b""
    return pending if isinstance(pending, bytes) else b""
