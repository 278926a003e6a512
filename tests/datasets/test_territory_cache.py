"""The territory's one cache: re-read when the file changes (path, mtime, size), not before."""

from __future__ import annotations

import os
import shutil

from datasets.territory import (
    ENTITIES_PATH,
    boundaries_bytes,
    entities_by_code_cached,
    entities_cached,
    file_version,
)


def test_entities_are_read_again_only_when_the_file_changes(tmp_path):
    path = tmp_path / "entities.csv"
    shutil.copy(ENTITIES_PATH, path)
    first = entities_cached(province_code="08", path=path)
    assert entities_cached(province_code="08", path=path) is first  # unchanged: the same

    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [lines[0]] + [line for line in lines[1:] if not line.startswith("08019,")]
    stat = path.stat()
    path.write_text("".join(kept), encoding="utf-8")
    # Same modification time, other size: still a new version (a copy that kept mtimes).
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = entities_cached(province_code="08", path=path)
    assert len(second) == len(first) - 1
    assert "08019" not in entities_by_code_cached(province_code="08", path=path)
    assert "08019" in {entity.entity_code for entity in first}


def test_boundaries_follow_the_file(tmp_path):
    path = tmp_path / "boundaries.geojson"
    path.write_bytes(b'{"type": "FeatureCollection", "features": []}')
    assert boundaries_bytes(path=path).startswith(b'{"type"')
    version = file_version(path)
    path.write_bytes(b"{}")
    assert file_version(path) != version
    assert boundaries_bytes(path=path) == b"{}"
