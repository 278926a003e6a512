"""Reading single cells the way statistical offices write them: numbers with decimal commas and
thousands separators, municipality codes with or without the leading zero (INE 5 digits or
Idescat 6 digits), years, sex and age-group labels in Catalan, Spanish or English, status flags.

Everything here is a pure function of the text; the importer caches results per distinct text,
so the cost per row is a dictionary look-up for codes, years and labels.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable

from datasets.indicators.values import TOTAL, YEAR_MAX, YEAR_MIN

# ---- Text normalisation ----


def label_normalise(text: str) -> str:
    """Lowercase, no accents, punctuation as single spaces: 'Codi Idescat' -> 'codi idescat',
    'Any de referència' -> 'any de referencia', 'Año' -> 'ano'."""
    text = text.replace("\ufeff", "").replace("+", " mes ").strip().lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


# ---- Numbers ----

_THOUSANDS = {
    ".": re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"),  # 1,234,567.5
    ",": re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?"),  # 1.234.567,5
}
_SPACED = re.compile(r"[+-]?\d{1,3}(?: \d{3})+(?:[.,]\d+)?")  # 1 234 567,5 (ca/fr style)
_UNIT_SUFFIXES = ("%", "€", "eur", "EUR")
_SPACES = str.maketrans({"\xa0": " ", "\u202f": " ", "\u2009": " "})


def number_parse(text: str, decimal: str) -> float | None:
    """The number in ``text`` with ``decimal`` ('.' or ',') as decimal mark, or None.

    Thousands separators are accepted only in well-formed groups of three, so a file whose
    decimal mark was guessed wrong fails loudly ('12,5' with decimal '.') instead of being read
    ten times too big.
    """
    s = text
    if decimal == ".":
        if "," in s:
            s = _slow_clean(s, decimal)
            if s is None:
                return None
    elif "." in s or " " in s or not s[-1:].isdigit():
        s = _slow_clean(s, decimal)
        if s is None:
            return None
    else:
        s = s.replace(",", ".")
    try:
        number = float(s)
    except ValueError:
        cleaned = _slow_clean(text, decimal)
        if cleaned is None or cleaned == s:
            return None
        try:
            number = float(cleaned)
        except ValueError:
            return None
        s = cleaned
    # float() also reads 'nan', 'inf' and '1_000': none of them is a published value
    if "_" in s or not math.isfinite(number):
        return None
    return number


def _slow_clean(text: str, decimal: str) -> str | None:
    s = text.translate(_SPACES).strip()
    for suffix in _UNIT_SUFFIXES:
        if s.endswith(suffix):
            s = s[: -len(suffix)].rstrip()
            break
    if " " in s:
        if not _SPACED.fullmatch(s):
            return None
        s = s.replace(" ", "")
    thousands = "," if decimal == "." else "."
    if thousands in s:
        if not _THOUSANDS[decimal].fullmatch(s):
            return None
        s = s.replace(thousands, "")
    if decimal == ",":
        s = s.replace(",", ".")
    return s


_AMBIGUOUS = {
    ",": re.compile(r"[+-]?\d{1,3}(?:,\d{3})+"),  # '12,489': thousands, or 12.489?
    ".": re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+"),  # '1.234': thousands, or 1.234?
}


def decimal_detect(samples: Iterable[str], *, delimiter: str) -> str:
    """The decimal mark of a file, from its value cells.

    A cell with both marks settles it (the last one is the decimal); so does a mark that cannot
    be a thousands separator ('12,5', '3.25'). When every cell is ambiguous ('1,234') we follow
    the delimiter: files separated by ';' are written with a decimal comma (the Catalan and
    Spanish convention), files separated by ',' with a decimal point.
    """
    for text in samples:
        mark = decimal_evidence(text)
        if mark is not None:
            return mark
    return decimal_default(delimiter)


def decimal_evidence(text: str) -> str | None:
    """The decimal mark one value cell settles, or None if it settles nothing."""
    has_comma, has_dot = "," in text, "." in text
    if has_comma and has_dot:
        return "," if text.rfind(",") > text.rfind(".") else "."
    if has_comma and not _AMBIGUOUS[","].fullmatch(text.strip()):
        return ","
    if has_dot and not _AMBIGUOUS["."].fullmatch(text.strip()):
        return "."
    return None


def decimal_ambiguous(text: str) -> bool:
    """'12,489' or '1.234': a thousands separator or a decimal mark, the cell cannot tell."""
    stripped = text.strip()
    return bool(_AMBIGUOUS[","].fullmatch(stripped) or _AMBIGUOUS["."].fullmatch(stripped))


def decimal_default(delimiter: str) -> str:
    """The decimal mark when no cell settles it: ',' under ';', else '.'."""
    return "," if delimiter == ";" else "."


# ---- Entity codes ----


def code_clean(text: str) -> str | None:
    """Digits of a code cell without quotes, spaces or a spreadsheet's '.0'; None if no code."""
    s = text.strip().strip("'\"").strip()
    if s.endswith(".0"):
        s = s[:-2]
    return s if s.isdigit() else None


class EntityCodeResolver:
    """Maps code cells to INE entity codes.

    INE codes have 5 digits (province + municipality: 08019); Idescat's add a control digit
    (080193). Spreadsheets drop the leading zero of both (8019, 80193). A 5-digit cell can
    therefore be an INE code or a zero-less Idescat code, which is why the kind is decided once
    per file (``kind_detect``), never row by row.
    """

    def __init__(self, *, entities: Iterable[tuple[str, str]]) -> None:
        self._ine: set[str] = set()
        self._idescat: dict[str, str] = {}
        for entity_code, idescat_code in entities:
            self._ine.add(entity_code)
            if idescat_code:
                self._idescat[idescat_code] = entity_code

    def resolve(self, text: str, *, kind: str) -> str | None:
        digits = code_clean(text)
        if digits is None:
            return None
        if kind == "ine":
            code = digits.zfill(5) if len(digits) <= 5 else None
            return code if code in self._ine else None
        return self._idescat.get(digits.zfill(6)) if len(digits) <= 6 else None

    def kind_detect(self, texts: Iterable[str], *, hint: str | None = None) -> str:
        distinct = set(texts)
        if hint in ("ine", "idescat"):
            return hint
        scores = {
            kind: sum(1 for text in distinct if self.resolve(text, kind=kind) is not None)
            for kind in ("ine", "idescat")
        }
        return "idescat" if scores["idescat"] > scores["ine"] else "ine"


# ---- Years ----


def year_parse(text: str) -> tuple[int | None, str | None]:
    """``(year, None)`` or ``(None, issue code)``."""
    s = text.strip()
    if s.endswith(".0"):
        s = s[:-2]
    if not s.isdigit():
        return None, "year-invalid"
    year = int(s)
    if not YEAR_MIN <= year <= YEAR_MAX:
        return None, "year-out-of-range"
    return year, None


# ---- Disaggregations ----

_SEX = {
    "female": {"dones", "dona", "nenes", "mujeres", "mujer", "female", "females", "women"},
    "male": {"homes", "home", "nens", "hombres", "hombre", "varones", "male", "males", "men"},
    TOTAL: {"total", "tots", "totes", "ambdos sexes", "ambos sexos", "both sexes", "all", "t"},
}
SEX_LABELS: dict[str, str] = {label: code for code, labels in _SEX.items() for label in labels}
SEX_LABELS["_t"] = TOTAL

_AGE_TOTAL = {"total", "totes les edats", "todas las edades", "all ages", "totes", "todas", "t"}
_AGE_RANGE = re.compile(
    r"(?:de |from )?(\d{1,3}) (?:a|i|y|to|fins a|hasta) (\d{1,3})(?: anys| anos| years)?"
)
_AGE_RANGE_COMPACT = re.compile(r"(\d{1,3}) (\d{1,3})(?: anys| anos| years)?")  # '0-15' normalised
_AGE_OPEN = re.compile(
    r"(?:de )?(\d{1,3})(?: anys| anos| years)? (?:i mes|y mas|o mas|and over|or more|mes|plus)"
)
_AGE_UNDER = re.compile(r"(?:menys de|menos de|under|less than) (\d{1,3})(?: anys| anos| years)?")
_AGE_OVER = re.compile(r"(?:mes de|mas de|over|more than) (\d{1,3})(?: anys| anos| years)?")


def age_group_parse(text: str) -> str | None:
    """Canonical age group ('0-15', '65+') or TOTAL; None when the label is not understood."""
    s = label_normalise(text)
    if s in _AGE_TOTAL or s == "_t":
        return TOTAL
    for pattern in (_AGE_RANGE, _AGE_RANGE_COMPACT):
        match = pattern.fullmatch(s)
        if match and int(match[1]) <= int(match[2]):
            return f"{int(match[1])}-{int(match[2])}"
    match = _AGE_OPEN.fullmatch(s)
    if match:
        return f"{int(match[1])}+"
    match = _AGE_UNDER.fullmatch(s)
    if match and int(match[1]) > 0:
        return f"0-{int(match[1]) - 1}"
    match = _AGE_OVER.fullmatch(s)
    if match:
        return f"{int(match[1]) + 1}+"
    return None


def sex_parse(text: str) -> str | None:
    return SEX_LABELS.get(label_normalise(text))


def disaggregation_key(parts: dict[str, str]) -> str:
    """'age_group=65+;sex=female' (dimensions sorted, totals left out) or TOTAL."""
    kept = sorted((dim, value) for dim, value in parts.items() if value != TOTAL)
    return ";".join(f"{dim}={value}" for dim, value in kept) if kept else TOTAL


_KEY_PART = re.compile(
    r"(sex)=(female|male)|(age_group)=(\d{1,3}-\d{1,3}|\d{1,3}\+)"
    # a declared dimension (energy_source=solar): checked against the catalogue when read
    r"|(?!sex=|age_group=)([a-z][a-z0-9_]*)=([a-z0-9][a-z0-9_.+-]*)"
)


def disaggregation_key_parse(text: str) -> dict[str, str] | None:
    """The dimensions of an already canonical key (tidy files); None if malformed."""
    s = text.strip()
    if s in ("", TOTAL):
        return {}
    parts: dict[str, str] = {}
    for piece in s.split(";"):
        match = _KEY_PART.fullmatch(piece.strip())
        if match is None:
            return None
        dim = match[1] or match[3] or match[5]
        if dim in parts:
            return None
        parts[dim] = match[2] or match[4] or match[6]
    return parts


# ---- Status flags and markers ----

STATUS_LABELS: dict[str, str] = {
    "": "final",
    "final": "final",
    "a": "final",
    "definitiu": "final",
    "definitivo": "final",
    "def": "final",
    "p": "provisional",
    "provisional": "provisional",
    "prov": "provisional",
    "e": "estimated",
    "estimat": "estimated",
    "estimado": "estimated",
    "estimated": "estimated",
    "est": "estimated",
    "avanc": "provisional",
    "avance": "provisional",
    "c": "confidential",
    "confidencial": "confidential",
    "confidential": "confidential",
    "secret estadistic": "confidential",
    "secreto estadistico": "confidential",
}

# Cells that mean "no observation": the row is skipped and counted, not an error.
MISSING_MARKERS = frozenset(
    {"", "..", "...", "-", "--", ":", "n.d.", "nd", "n/d", "na", "n/a", "s.d.", "sd", "—", "–"}
)
# Cells that mean "there is a value but it is withheld" (statistical confidentiality).
CONFIDENTIAL_MARKERS = frozenset(
    {"c", "(c)", "conf", "confidencial", "confidential", "s.e.", "secret", "secreto"}
)
_FLAGGED = re.compile(r"(.*?)\s*\(([pec])\)")  # '12,5 (p)' as Idescat marks provisional data
_FLAG_STATUS = {"p": "provisional", "e": "estimated", "c": "confidential"}


def status_parse(text: str) -> str | None:
    return STATUS_LABELS.get(label_normalise(text))


def flagged_split(text: str) -> tuple[str, str | None]:
    """'12,5 (p)' -> ('12,5', 'provisional'); other text unchanged with no status."""
    if not text.endswith(")"):
        return text, None
    match = _FLAGGED.fullmatch(text.strip())
    if match is None:
        return text, None
    return match[1], _FLAG_STATUS[match[2]]
