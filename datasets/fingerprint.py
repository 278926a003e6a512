"""sha256 of input files, remembered across runs by their stat, like git's index.

The build and validation caches are keyed on the content of what went in. Hashing the
whole ``datasets/`` tree (code, reference tables, sources: ~36 MB) on every run would cost
more than the rest of an unchanged re-publish, so a digest is kept in a small JSON file
next to the file's size, inode and mtime/ctime in nanoseconds, and the file is hashed
again as soon as any of those differ. ctime cannot be set back by a user, so an edit that
keeps size and mtime still shows. A file modified in the last two seconds is hashed but
not remembered: git's "racily clean" rule, in case it changes again within the same tick.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

from datasets.catalog.paths import DATASETS_DIR

# The version ledger moves when a version does; each dataset's history is keyed apart.
TREE_EXCLUDED_NAMES = frozenset({"__pycache__", "catalog_versions.json"})
# Documentation is read by people, not by producers (a README a package ships is a `file`
# resource, keyed by its own bytes): editing it must not throw every cached build away.
TREE_EXCLUDED_SUFFIXES = (".md",)
RACY_SECONDS = 2.0
FORMAT = 1


def sha256_path(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_json(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class FileDigests:
    """Content digests of files; ``path`` (optional) keeps them between runs."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._entries: dict[str, list[object]] = {}
        self._trees: dict[str, str] = {}
        self._changed = False
        if path is not None and path.exists():
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raw = {}  # a damaged memo only costs a rehash
            if isinstance(raw, dict) and raw.get("format") == FORMAT:
                self._entries = dict(raw.get("files", {}))

    def file_digest(self, path: Path) -> str:
        """sha256 of ``path``; raises FileNotFoundError like ``open`` would."""
        key = os.path.abspath(path)  # not resolve(): following links costs more than hashing
        stat = os.stat(key)
        signature = [stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns]
        entry = self._entries.get(key)
        if entry is not None and entry[:4] == signature:
            return str(entry[4])
        digest = sha256_path(path)
        if time.time() - max(stat.st_mtime, stat.st_ctime) > RACY_SECONDS:
            self._entries[key] = [*signature, digest]
            self._changed = True
        else:
            self._entries.pop(key, None)
        return digest

    def tree_digest(self, root: Path = DATASETS_DIR) -> str:
        """One digest for every file under ``root`` (names and contents); once per run."""
        top = os.path.abspath(root)
        if top not in self._trees:
            listing = {
                os.path.relpath(path, top): self.file_digest(Path(path))
                for path in sorted(_tree_files(top))
            }
            self._trees[top] = sha256_json(listing)
        return self._trees[top]

    def save(self) -> bool:
        if self.path is None or not self._changed:
            return False
        # Only files that still exist: the memo must not grow with every temp file.
        entries = {key: value for key, value in self._entries.items() if os.path.exists(key)}
        text = json.dumps({"format": FORMAT, "files": entries}, sort_keys=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        self._changed = False
        return True


def _tree_files(root: str) -> list[str]:
    files = []
    for directory, subdirectories, names in os.walk(root):
        # Hidden entries are editors' and mkstemp's temporary files, not inputs.
        subdirectories[:] = [
            name
            for name in subdirectories
            if name not in TREE_EXCLUDED_NAMES and not name.startswith(".")
        ]
        files += [
            os.path.join(directory, name)
            for name in names
            if name not in TREE_EXCLUDED_NAMES
            and not name.startswith(".")
            and not name.endswith(TREE_EXCLUDED_SUFFIXES)
        ]
    return files
