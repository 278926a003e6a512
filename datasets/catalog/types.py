"""What a dataset is and where its files come from: ``DatasetSpec`` and its parts.

A ``DatasetSpec`` says what a dataset is (titles, descriptions, keywords, licence, sources,
publisher, temporal and spatial coverage, update frequency, themes) and where each of its
resources comes from: a function that yields rows (``Table``), or a committed file.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasets.catalog.blocks import CatalogError, Licence, Publisher, Source, Spatial, Text
from datasets.catalog.facts import DIBA, PROVINCE_BARCELONA


@dataclass(frozen=True)
class Table:
    """Rows as the datasets package produces them; packaging writes them as CSV."""

    header: tuple[str, ...]
    rows: Iterable[Sequence[object]]


@dataclass(frozen=True)
class ResourceSpec:
    """One file of a package. Exactly one of ``table`` and ``file`` is set.

    ``table``: a function returning rows (written as UTF-8 CSV). ``file``: a committed file
    copied byte for byte (GeoJSON, TOML, or a reference CSV). ``schema`` (a Table Schema,
    or a path to one) makes a resource tabular; it is then loaded into the CKAN DataStore.

    ``inputs``: the files outside the ``datasets`` package that a producer (``table``, or a
    callable ``file``/``schema``) reads; ``()`` when it reads only the package's own code
    and reference data. The build cache keys a package on those, its files and schemas and
    the whole ``datasets`` tree. ``None`` (the default) means "not declared": the resource
    is then produced anew on every build, since an undeclared input could change unseen.
    """

    name: str
    path: str
    title: Text
    description: Text
    table: Callable[[], Table] | None = None
    file: Path | Callable[[], Path] | None = None
    schema: Path | Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None
    licences: tuple[Licence, ...] = ()
    inputs: tuple[Path, ...] | None = None

    @property
    def tabular(self) -> bool:
        return self.schema is not None

    def schema_load(self) -> dict[str, Any] | None:
        if self.schema is None:
            return None
        if isinstance(self.schema, Path):
            return json.loads(self.schema.read_text(encoding="utf-8"))
        if callable(self.schema):
            return dict(self.schema())
        return json.loads(json.dumps(self.schema))  # a deep copy: callers may edit it

    def file_path(self) -> Path | None:
        if self.file is None:
            return None
        return self.file() if callable(self.file) else self.file


@dataclass(frozen=True)
class Check:
    """A domain rule ``datasets.validation`` applies to a built package.

    ``rule`` names a check in ``validation.DOMAIN_CHECKS``; ``resource`` and ``field`` say
    where; ``params`` carries the rest (a budget, a reference set).
    """

    rule: str
    resource: str
    field: str | None = None
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    title: Text
    description: Text
    keywords: Mapping[str, tuple[str, ...]]
    licence: Licence
    sources: tuple[Source, ...]
    resources: tuple[ResourceSpec, ...]
    temporal: tuple[str, str]  # ISO dates, start and end
    frequency: str  # EU frequency code: ANNUAL, IRREG, NEVER, ...
    themes: tuple[str, ...]  # EU data-theme codes: REGI, GOVE, ECON, SOCI, ...
    publisher: Publisher = dataclasses.field(default_factory=lambda: DIBA)
    spatial: Spatial = dataclasses.field(default_factory=lambda: PROVINCE_BARCELONA)
    checks: tuple[Check, ...] = ()
    recompute: Text | None = None  # how to reproduce the data (README); allocations only
    dataset_type: str = "STATISTICAL"  # EU dataset-type code
    # The version the dataset's source declares (an allocation's formula): the dataset
    # carries it (datasets.versioning); ``declared_version_where`` says where it is written.
    declared_version: str | None = None
    declared_version_where: str = ""
    # The catalogue's datasets this one is computed from: DCAT's dct:source names them.
    derived_from: tuple[str, ...] = ()

    def resource_get(self, name: str) -> ResourceSpec:
        for resource in self.resources:
            if resource.name == name:
                return resource
        raise CatalogError(f"{self.name}: no resource named {name!r}", dataset=self.name)


def csv_table(path: Path) -> Table:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = tuple(next(reader))
        return Table(header=header, rows=list(reader))
