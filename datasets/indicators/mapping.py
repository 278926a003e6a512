"""How a publisher's CSV maps to the tidy table: detected from the header, or told by a TOML file.

A mapping file only needs what detection gets wrong. Every key is optional::

    [file]
    encoding = "latin-1"        # default: UTF-8 (with or without BOM), else Windows-1252
    delimiter = ";"             # default: sniffed from the header line
    decimal = ","               # default: detected from the values
    entity_code_kind = "idescat"  # "ine" (5 digits) or "idescat" (6); default: detected
    header_row = 3              # line of the header; default: first line naming a code column

    [columns]                   # role = header as written in the file
    entity_code = "Codi"
    year = "Any"
    value = "Taxa d'atur (%)"
    status = "Estat"
    indicator_code = "Indicador"

    [disaggregations]           # dimension = header
    sex = "Sexe"

    [labels.sex]                # extra labels: text in the file = canonical value
    "D" = "female"
    "H" = "male"

    [labels.status]
    "(r)" = "provisional"

    [ignore]
    columns = ["Observacions"]  # listed so the report does not call them unmapped
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from datasets.indicators.errors import IndicatorMappingError
from datasets.indicators.values import STATUSES, TOTAL

ROLES = (
    "entity_code",
    "entity_name",
    "year",
    "value",
    "status",
    "indicator_code",
    "disaggregation",
)
ENCODINGS = ("utf-8", "utf-8-sig", "latin-1", "cp1252", "iso-8859-1", "iso-8859-15", "utf-16")


@dataclass(frozen=True, slots=True)
class ImportMapping:
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    entity_code_kind: str | None = None
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    disaggregations: dict[str, str] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()


def _problem(origin: str, message: str) -> IndicatorMappingError:
    return IndicatorMappingError(f"{origin}: {message}", mapping=origin)


def import_mapping_parse(*, text: str, origin: str = "mapping") -> ImportMapping:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _problem(origin, str(error)) from error
    unknown = set(data) - {"file", "columns", "disaggregations", "labels", "ignore"}
    if unknown:
        raise _problem(origin, f"unknown sections {sorted(unknown)}")
    options = data.get("file", {})
    encoding = options.get("encoding")
    if encoding is not None and encoding.lower() not in ENCODINGS:
        raise _problem(origin, f"encoding {encoding!r} not one of {', '.join(ENCODINGS)}")
    delimiter = options.get("delimiter")
    if delimiter is not None and (len(delimiter) != 1 or delimiter in "\"'\r\n"):
        raise _problem(origin, f"delimiter must be one character, not {delimiter!r}")
    decimal = options.get("decimal")
    if decimal not in (None, ".", ","):
        raise _problem(origin, f"decimal must be '.' or ',', not {decimal!r}")
    kind = options.get("entity_code_kind")
    if kind not in (None, "ine", "idescat"):
        raise _problem(origin, f"entity_code_kind must be 'ine' or 'idescat', not {kind!r}")
    header_row = options.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise _problem(origin, "header_row must be a line number (1 = first line)")
    columns = {str(k): str(v) for k, v in data.get("columns", {}).items()}
    bad_roles = sorted(set(columns) - set(ROLES))
    if bad_roles:
        raise _problem(origin, f"unknown column roles {bad_roles}; roles are {', '.join(ROLES)}")
    disaggregations = {str(k): str(v) for k, v in data.get("disaggregations", {}).items()}
    # sex and age_group, or a dimension the indicator declares (checked at import)
    bad_dims = sorted(d for d in disaggregations if not re.fullmatch(r"[a-z][a-z0-9_]*", d))
    if bad_dims:
        raise _problem(origin, f"unknown disaggregations {bad_dims}")
    labels = {
        str(dim): {str(k): str(v) for k, v in table.items()}
        for dim, table in data.get("labels", {}).items()
    }
    for dim, table in labels.items():
        if dim == "status":
            allowed = set(STATUSES)
        elif dim == "sex":
            allowed = {"female", "male", TOTAL}
        elif dim == "age_group" or re.fullmatch(r"[a-z][a-z0-9_]*", dim):
            allowed = None  # any canonical age group / declared value; checked when used
        else:
            raise _problem(origin, f"labels.{dim}: not a disaggregation nor 'status'")
        if allowed is not None:
            bad = sorted(v for v in table.values() if v not in allowed)
            if bad:
                raise _problem(origin, f"labels.{dim}: values {bad} not in {sorted(allowed)}")
    ignore = tuple(str(c) for c in data.get("ignore", {}).get("columns", ()))
    return ImportMapping(
        encoding=encoding,
        delimiter=delimiter,
        decimal=decimal,
        entity_code_kind=kind,
        header_row=header_row,
        columns=columns,
        disaggregations=disaggregations,
        labels=labels,
        ignore=ignore,
    )


def import_mapping_load(*, path: Path) -> ImportMapping:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise _problem(str(path), f"cannot read: {error.strerror}") from error
    return import_mapping_parse(text=text, origin=str(path))
