"""What a build wrote (``BuiltPackage``, ``BuiltResource``) and the byte-level helpers that
write it deterministically: the one CSV dialect, the JSON forms, atomic writes that keep
unchanged files (and their mtimes) untouched.

Shared by ``datasets.packaging`` (which builds), ``datasets.build_cache`` (which reuses a
build) and ``datasets.validation`` (which reads one back).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from datasets.catalog.types import DatasetSpec
from datasets.fingerprint import sha256_path
from datasets.versioning import Digests


@dataclass(frozen=True)
class BuiltResource:
    name: str
    path: str  # relative to the package directory
    file: Path
    sha256: str
    bytes: int
    format: str
    mediatype: str
    schema: dict[str, Any] | None
    rows: int | None  # data rows, for tables

    @property
    def tabular(self) -> bool:
        return self.schema is not None


@dataclass(frozen=True)
class BuiltPackage:
    spec: DatasetSpec
    directory: Path
    descriptor: dict[str, Any]
    resources: tuple[BuiltResource, ...]
    version: str
    change: str  # initial | major | minor | patch | unchanged
    digests: Digests
    # Foreign keys to resources published in another package, checked by domain rules.
    external_keys: tuple[dict[str, Any], ...] = ()

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def descriptor_path(self) -> Path:
        return self.directory / "datapackage.json"

    @property
    def bytes(self) -> int:
        return sum(resource.bytes for resource in self.resources)

    def resource_get(self, name: str) -> BuiltResource:
        for resource in self.resources:
            if resource.name == name:
                return resource
        raise KeyError(name)


# ---- Helpers ----


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_path(path)


def json_canonical(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def json_text(data: Any) -> str:
    """The on-disk JSON form: insertion order kept (it is fixed by the code), 2-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def table_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> tuple[bytes, int]:
    """The project's one CSV dialect: UTF-8, comma, ``\\n``, minimal quoting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([cell_text(value) for value in row])
        count += 1
    return buffer.getvalue().encode("utf-8"), count


def file_write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically, and only when the bytes differ (keeps mtimes of unchanged files)."""
    if path.exists() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)  # mkstemp makes 0600; published files are meant to be read
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True
