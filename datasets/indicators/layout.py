"""Finding the shape of a publisher's CSV: encoding, delimiter, header line, and which column
plays which role (code, year, value, breakdowns), in long or wide (one column per year) layout.

Headers are recognised in Catalan, Spanish and English after ``label_normalise`` ('Codi INE',
'Código', 'Any', 'Año', 'Valor', 'Sexe'...). A mapping file overrides any of it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from dataclasses import dataclass, field
from typing import BinaryIO

from datasets.indicators.catalog import Indicator
from datasets.indicators.cells import label_normalise
from datasets.indicators.mapping import ImportMapping
from datasets.table_io import decode_check

HEADER_SEARCH_LINES = 30
# The header is searched for in this many characters from the start of the file.
HEAD_CHARS = 65536
DELIMITERS = (";", ",", "\t", "|")

ROLE_HEADERS: dict[str, frozenset[str]] = {
    "entity_code": frozenset(
        {
            "codi",
            "codi ine",
            "codi municipi",
            "codi del municipi",
            "codi municipal",
            "codi ens",
            "codi territorial",
            "codi idescat",
            "codi ine municipi",
            "codigo",
            "codigo ine",
            "codigo municipio",
            "codigo del municipio",
            "codigo ine municipio",
            "cod ine",
            "cod municipio",
            "ine",
            "idescat",
            "entity code",
            "municipality code",
            "code",
            "mun code",
            "codi_ine",
            "codi comarca",
            "codi de comarca",
            "codigo comarca",
            "cod comarca",
            "comarca code",
        }
    ),
    "entity_name": frozenset(
        {
            "municipi",
            "municipio",
            "nom",
            "nom municipi",
            "nom del municipi",
            "nombre",
            "nombre municipio",
            "nombre del municipio",
            "name",
            "municipality",
            "entity name",
            "territori",
            "territorio",
            "ens",
            "ens local",
            "mun name",
            "entitat",
            "nom ens",
            "nom de l ens",
            "nombre ente",
            "ambit",
            "ambit territorial",
            "ambito",
            "ambito territorial",
        }
    ),
    "year": frozenset(
        {
            "any",
            "ano",
            "year",
            "periode",
            "periodo",
            "period",
            "exercici",
            "ejercicio",
            "any de referencia",
            "ano de referencia",
            "time period",
        }
    ),
    "value": frozenset(
        {
            "valor",
            "value",
            "dada",
            "dato",
            "obs value",
            "valor indicador",
            "valor de l indicador",
            "valor del indicador",
            "resultat",
            "resultado",
            "valor final",
            "final value",
        }
    ),
    "status": frozenset(
        {
            "estat",
            "estado",
            "status",
            "obs status",
            "flag",
            "marca",
            "estat de la dada",
            "estado del dato",
        }
    ),
    "indicator_code": frozenset(
        {
            "indicador",
            "indicator",
            "indicator code",
            "codi indicador",
            "codigo indicador",
            "codi de l indicador",
        }
    ),
    "disaggregation": frozenset({"disaggregation", "desagregacio", "desagregacion"}),
}
DIMENSION_HEADERS: dict[str, frozenset[str]] = {
    "sex": frozenset({"sexe", "sexo", "sex", "genere", "genero", "gender"}),
    "age_group": frozenset(
        {
            "edat",
            "edad",
            "age",
            "grup d edat",
            "grup edat",
            "grups d edat",
            "grupo de edad",
            "grupo edad",
            "grupos de edad",
            "age group",
            "franja d edat",
            "tram d edat",
            "tramo de edad",
        }
    ),
}
# Headers naming the entity column when the indicator is published for these levels (a
# municipal file's 'Comarca' column is only a label, so these are not entity names there).
LEVEL_NAME_HEADERS: dict[str, frozenset[str]] = {
    "comarca": frozenset({"comarca", "nom comarca", "nom de la comarca", "nombre comarca"}),
    "consell_comarcal": frozenset(
        {"consell comarcal", "consejo comarcal", "comarca", "nom comarca"}
    ),
}
# Rows after the header looked at to tell a delimiter the rows do not use.
DELIMITER_CHECK_ROWS = 20
_YEAR_HEADER = re.compile(r"(?:any |ano |year )?(\d{4})")


class LayoutError(Exception):
    """The file's shape cannot be understood; ``code`` and ``column`` go into the report."""

    def __init__(
        self, code: str, message: str, *, column: str | None = None, row: int | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.column = column
        self.row = row


@dataclass(slots=True)
class FileLayout:
    encoding: str
    delimiter: str
    header_row: int
    header: list[str]
    roles: dict[str, int] = field(default_factory=dict)
    dimensions: dict[str, int] = field(default_factory=dict)
    year_columns: dict[int, int] = field(default_factory=dict)  # column index -> year
    unmapped: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    entity_code_hint: str | None = None

    @property
    def layout(self) -> str:
        return "wide" if self.year_columns else "long"


# ---- Encoding ----


def encoding_detect(handle: BinaryIO, *, encoding: str | None = None) -> str:
    """The encoding to read the file in: the mapping's, else a BOM's, else UTF-8, else
    Windows-1252 (the superset of Latin-1 that spreadsheets on Windows write), else Latin-1.

    Each candidate is tried on the whole file, decoded in chunks and thrown away
    (``decode_check``): a byte that is not UTF-8 near the end makes the whole file
    Windows-1252, as when the file was decoded whole, in constant memory.
    """
    start = handle.read(4)
    handle.seek(0)
    if encoding is not None:
        name = codecs.lookup(encoding).name
        boms = {
            "utf-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE),
            "utf-32": (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE),
        }.get(name)
        if boms and not start.startswith(boms):
            # without a BOM, Python reads UTF-16 in the machine's byte order; a stream
            # decoder insists on the BOM, so name the byte order
            encoding = f"{name}-{'le' if sys.byteorder == 'little' else 'be'}"
        candidates: tuple[str, ...] = (encoding,)
    elif start.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    elif start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", "cp1252", "latin-1")
    failure = None
    for candidate in candidates:
        failure = decode_check(handle, candidate)
        if failure is None:
            return candidate
    assert failure is not None
    raise LayoutError(
        "encoding-invalid", f"not valid {encoding or candidates[-1]} at byte {failure.position}"
    )


# ---- Header and roles ----


def _role_of(normalised: str, extra_names: frozenset[str] = frozenset()) -> str | None:
    for role, names in ROLE_HEADERS.items():
        if normalised in names:
            return role
    return "entity_name" if normalised in extra_names else None


def _dimension_of(normalised: str, indicator: Indicator | None) -> str | None:
    for dim, names in DIMENSION_HEADERS.items():
        if normalised in names:
            return dim
    for dimension in indicator.dimensions if indicator is not None else ():
        spellings = (dimension.code, *dimension.labels.values())
        if normalised in {label_normalise(text) for text in spellings}:
            return dimension.code
    return None


def level_name_headers(indicator: Indicator | None) -> frozenset[str]:
    """Extra headers that name the entity column for ``indicator``'s levels."""
    levels = indicator.territorial_levels if indicator is not None else ()
    return frozenset().union(*(LEVEL_NAME_HEADERS.get(level, frozenset()) for level in levels))


def _head_rows(text: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text[:HEAD_CHARS], newline=""), delimiter=delimiter)
    rows = []
    for row in reader:
        rows.append(row)
        if len(rows) >= HEADER_SEARCH_LINES:
            break
    return rows


def _names_entity_column(row: list[str], mapping: ImportMapping, extra: frozenset[str]) -> bool:
    wanted = mapping.columns.get("entity_code") or mapping.columns.get("entity_name")
    if wanted is not None:
        return wanted in (cell.strip() for cell in row)
    return any(
        _role_of(label_normalise(cell), extra) in ("entity_code", "entity_name") for cell in row
    )


def _rank(candidate: tuple[int, int, str, list[str]]) -> tuple[int, int]:
    return candidate[0], candidate[1]


def _header_find(
    text: str, mapping: ImportMapping, extra: frozenset[str] = frozenset()
) -> tuple[str, int, list[str]]:
    """(delimiter, 1-based header line, header cells)."""
    delimiters = (mapping.delimiter,) if mapping.delimiter else DELIMITERS
    best: tuple[int, int, str, list[str]] | None = None
    for delimiter in delimiters:
        rows = _head_rows(text, delimiter)
        if mapping.header_row is not None:
            if len(rows) >= mapping.header_row:
                row = rows[mapping.header_row - 1]
                candidate = (len(row), -mapping.header_row, delimiter, row)
                best = max(best, candidate, key=_rank) if best else candidate
            continue
        for index, row in enumerate(rows):
            if len(row) > 1 and _names_entity_column(row, mapping, extra):
                # the delimiter that splits the header into most columns wins
                candidate = (len(row), -(index + 1), delimiter, row)
                best = max(best, candidate, key=_rank) if best else candidate
                break
    if best is None:
        raise LayoutError(
            "header-not-found",
            "no header line naming an entity column (a code: 'Codi', 'Código INE'; or a "
            f"name: 'Municipi', 'Ens') in the first {HEADER_SEARCH_LINES} lines; give one "
            "with --mapping [columns]",
            column="entity_code",
        )
    _, negative_row, delimiter, header = best
    return delimiter, -negative_row, header


def _delimiter_check(text: str, delimiter: str, header_row: int, width: int) -> None:
    """Refuse, as one file-level problem, rows written with another delimiter than the
    header's (every row would otherwise be reported malformed)."""
    rows = _head_rows(text, delimiter)[header_row : header_row + DELIMITER_CHECK_ROWS]
    lines = text[:HEAD_CHARS].splitlines()[header_row : header_row + DELIMITER_CHECK_ROWS]
    filled = [(row, line) for row, line in zip(rows, lines, strict=False) if line.strip()]
    if not filled or sum(len(row) != width for row, _ in filled) * 2 <= len(filled):
        return
    for other in DELIMITERS:
        if other == delimiter:
            continue
        widths = {len(next(csv.reader([line], delimiter=other))) for _, line in filled}
        if len(widths) == 1 and (count := widths.pop()) > 1:
            raise LayoutError(
                "delimiter-mismatch",
                f"rows have {count} cells separated by {other!r} while the header uses "
                f"{delimiter!r} ({width} cells)",
                row=header_row + 1,
            )


def layout_detect(
    text: str, *, encoding: str, mapping: ImportMapping, indicator: Indicator | None = None
) -> FileLayout:
    """The layout of a file from its start: ``text`` needs only its first ``HEAD_CHARS``.

    ``indicator`` adds its declared dimensions' headers, the entity-name headers of its
    levels, and lets a count indicator (one row per record) have no value column.
    """
    extra = level_name_headers(indicator)
    delimiter, header_row, header = _header_find(text, mapping, extra)
    if mapping.delimiter is None:
        _delimiter_check(text, delimiter, header_row, len(header))
    layout = FileLayout(
        encoding=encoding, delimiter=delimiter, header_row=header_row, header=header
    )
    stripped = [cell.strip().lstrip("\ufeff") for cell in header]
    by_name = {name: index for index, name in enumerate(stripped)}
    taken: set[int] = set()

    def _take(name: str, what: str) -> int:
        if name not in by_name:
            raise LayoutError(
                "column-missing",
                f"mapping names {what} column {name!r}, not in the header",
                column=name,
                row=header_row,
            )
        taken.add(by_name[name])
        return by_name[name]

    for role, name in mapping.columns.items():
        layout.roles[role] = _take(name, role)
    for dim, name in mapping.disaggregations.items():
        layout.dimensions[dim] = _take(name, dim)
    ignored = {by_name[name] for name in mapping.ignore if name in by_name}

    for index, cell in enumerate(stripped):
        if index in taken:
            continue
        normalised = label_normalise(cell)
        role = _role_of(normalised, extra)
        if index in ignored:
            if role == "indicator_code" and role not in layout.roles:
                # the one check that the file is this indicator's: ignoring the column
                # must not switch it off
                layout.roles[role] = index
                layout.assumptions.append(
                    f"column {cell!r} is listed under [ignore] but, holding the indicator's "
                    "code, is still checked against it"
                )
            continue
        if role is not None and role not in layout.roles:
            layout.roles[role] = index
            continue
        dim = _dimension_of(normalised, indicator)
        if dim is not None and dim not in layout.dimensions:
            layout.dimensions[dim] = index
            continue
        year_match = _YEAR_HEADER.fullmatch(normalised)
        if year_match is not None and "year" not in mapping.columns:
            layout.year_columns[index] = int(year_match[1])
            continue
        layout.unmapped.append(cell)

    if "entity_code" in layout.roles:
        entity_header = label_normalise(stripped[layout.roles["entity_code"]])
        words = set(entity_header.split())
        # 'Codi comarca': Idescat's 2-digit comarca codes ('13' is the Barcelonès)
        layout.entity_code_hint = (
            "idescat"
            if "idescat" in words
            else "ine"
            if "ine" in words
            else "comarca"
            if "comarca" in words
            else None
        )
    elif "entity_name" in layout.roles:
        layout.entity_code_hint = "name"
    else:
        raise LayoutError(
            "column-missing",
            "no entity column: a code ('Codi', 'Código INE') or a name ('Municipi', 'Ens')",
            column="entity_code",
            row=header_row,
        )

    if "year" in layout.roles and layout.year_columns:
        # a long file whose other columns happen to be named like years: they are unmapped
        layout.unmapped.extend(stripped[i] for i in layout.year_columns)
        layout.year_columns.clear()
    if not layout.year_columns:
        if "year" not in layout.roles:
            raise LayoutError(
                "column-missing",
                "no year column ('Any', 'Año', 'Year') and no year columns",
                column="year",
                row=header_row,
            )
        counting = indicator is not None and indicator.aggregation == "count"
        if "value" not in layout.roles and not counting:
            # One-indicator files often name the value column after the indicator
            # ('Taxa d'atur'): if exactly one column is left, that is the value.
            if len(layout.unmapped) == 1:
                name = layout.unmapped.pop()
                layout.roles["value"] = stripped.index(name.strip())
                layout.assumptions.append(f"column {name!r} read as the value")
            else:
                raise LayoutError(
                    "column-missing",
                    "no value column ('Valor', 'Value'); candidates: "
                    + (", ".join(repr(c) for c in layout.unmapped) or "none"),
                    column="value",
                    row=header_row,
                )
    return layout
