"""The build cache: what the last build of each package read and wrote, so that an
unchanged package is not rebuilt (see ``datasets.packaging``)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from datasets.built import (
    BuiltPackage,
    BuiltResource,
    file_write_if_changed,
    json_text,
    sha256_bytes,
)
from datasets.catalog.types import DatasetSpec, ResourceSpec
from datasets.errors import DatasetError
from datasets.fingerprint import DATASETS_DIR, FileDigests, sha256_json
from datasets.versioning import Digests, VersionLedger

# Bump when the build writes different bytes for the same inputs: every cached build is redone.
BUILD_CACHE_FORMAT = 1


class BuildCache:
    """What the last build of each package read and wrote, so that it can be skipped.

    ``<directory>/packages/<name>.json`` holds the key of the inputs and the sha256 of every
    file the build wrote; ``<directory>/files.json`` the digests of input files (see
    ``datasets.fingerprint``). A miss is never an error: the package is simply built.
    """

    def __init__(self, directory: Path, *, files: FileDigests | None = None) -> None:
        self.directory = directory
        self.files = files if files is not None else FileDigests(directory / "files.json")

    def manifest_path(self, name: str) -> Path:
        return self.directory / "packages" / f"{name}.json"

    # ---- Keys ----

    def inputs_view(self, spec: DatasetSpec) -> dict[str, Any] | None:
        """Everything the package's bytes depend on but its version history; None when an
        input is not known (a producer without declared ``inputs``) or a source file is
        missing (the build then says so)."""
        try:
            resources = [self._resource_view(resource) for resource in spec.resources]
        except (FileNotFoundError, DatasetError):
            return None
        if any(view is None for view in resources):
            return None
        described = {
            item.name: _plain(getattr(spec, item.name))
            for item in dataclasses.fields(spec)
            if item.name not in ("resources", "checks")  # checks only concern validation
        }
        return {
            "format": BUILD_CACHE_FORMAT,
            "spec": described,
            "resources": resources,
            # The producers' code and the reference tables they read all live here.
            "datasets": self.files.tree_digest(DATASETS_DIR),
        }

    def key_make(self, inputs: Mapping[str, Any], ledger: VersionLedger, name: str) -> str:
        return sha256_json({"inputs": inputs, "history": ledger.history_digest(name)})

    def _resource_view(self, resource: ResourceSpec) -> dict[str, Any] | None:
        declared = resource.inputs
        view: dict[str, Any] = {
            "name": resource.name,
            "path": resource.path,
            "title": dict(resource.title),
            "description": dict(resource.description),
            "licences": [_plain(licence) for licence in resource.licences],
            "inputs": None if declared is None else [self._input_view(p) for p in declared],
        }
        for role in ("table", "file", "schema"):
            value = getattr(resource, role)
            if callable(value):
                code = _code_file(value)
                if code is None or declared is None:
                    return None
                view[role] = {"code": value.__qualname__, "file": self.files.file_digest(code)}
            elif isinstance(value, Path):
                view[role] = self.files.file_digest(value)
            elif value is not None:
                view[role] = json.loads(json.dumps(value))
        if callable(resource.file):
            # What a file producer names is copied byte for byte: key on those bytes too.
            view["file_bytes"] = self.files.file_digest(resource.file())
        return view

    def _input_view(self, path: Path) -> list[str]:
        # A producer may read a missing export as "no rows yet"; its arrival changes the key.
        digest = self.files.file_digest(path) if path.is_file() else "absent"
        return [str(path), digest]

    # ---- Manifests ----

    def package_find(self, *, spec: DatasetSpec, key: str, directory: Path) -> BuiltPackage | None:
        """The previous build of ``spec`` if its key is ``key`` and its files are intact."""
        try:
            manifest = json.loads(self.manifest_path(spec.name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if manifest.get("format") != BUILD_CACHE_FORMAT or manifest.get("key") != key:
            return None
        files: dict[str, str] = manifest["files"]
        present = {
            path.relative_to(directory).as_posix()
            for path in directory.rglob("*")
            if path.is_file()
        }
        if present != set(files):
            return None
        descriptor_bytes = b""
        for relative, expected in files.items():
            data = (directory / relative).read_bytes()
            if sha256_bytes(data) != expected:
                return None  # edited by hand, or a build was interrupted: rebuild
            if relative == "datapackage.json":
                descriptor_bytes = data
        digests = manifest["digests"]
        return BuiltPackage(
            spec=spec,
            directory=directory,
            descriptor=json.loads(descriptor_bytes),
            resources=tuple(
                BuiltResource(file=directory / item["path"], **item)
                for item in manifest["resources"]
            ),
            version=manifest["version"],
            change="unchanged",  # the key holds the history, whose head is this build
            digests=Digests(**digests),
            external_keys=tuple(manifest["external_keys"]),
        )

    def package_store(self, *, built: BuiltPackage, key: str, files: Mapping[str, str]) -> None:
        manifest = {
            "format": BUILD_CACHE_FORMAT,
            "key": key,
            "version": built.version,
            "digests": dataclasses.asdict(built.digests),
            "external_keys": list(built.external_keys),
            "resources": [
                {
                    "name": resource.name,
                    "path": resource.path,
                    "sha256": resource.sha256,
                    "bytes": resource.bytes,
                    "format": resource.format,
                    "mediatype": resource.mediatype,
                    "schema": resource.schema,
                    "rows": resource.rows,
                }
                for resource in built.resources
            ],
            "files": dict(sorted(files.items())),
        }
        file_write_if_changed(self.manifest_path(built.name), json_text(manifest).encode())

    def save(self) -> None:
        self.files.save()


def _code_file(function: Callable[..., Any]) -> Path | None:
    code = getattr(function, "__code__", None)
    if code is None or not Path(code.co_filename).is_file():
        return None
    return Path(code.co_filename).resolve()


def _plain(value: Any) -> Any:
    """A JSON-able copy of spec values (dataclasses, mappings, tuples, paths)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    return value
