"""How the site writes a number: one rule, one format per language.

The rule: a figure is shown exactly as published, rounded (half away from zero,
never truncated) at the decimals its dataset declares. Amounts in euros show the
cent. The formats, decided once for the whole product:

=====  ==================  ==============  ========
lang   euros               number          percent
=====  ==================  ==============  ========
ca     1.234.567,89 €      1.234.567,89    14,5 %
es     1.234.567,89 €      1.234.567,89    14,5 %
en     €1,234,567.89       1,234,567.89    14.5%
=====  ==================  ==============  ========

Spanish follows the usage of Spain's administrations (INE, BOE tables) rather than
Django's default non-breaking-space grouping, so that a Catalan and a Spanish page of
the same figure read alike. The space before € and % is a non-breaking one, so a
figure never wraps away from its unit.

Pure Python (no Django): templates, SVG charts, debates and tests all call it, and
``number_parse`` reads a shown figure back (the crawler test uses it).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

NBSP = "\u00a0"
MISSING = "—"

# language -> (decimal separator, thousands separator)
SEPARATORS = {"ca": (",", "."), "es": (",", "."), "en": (".", ",")}
DEFAULT_LANGUAGE = "ca"


def _language(language: str | None) -> str:
    code = (language or DEFAULT_LANGUAGE).split("-")[0].lower()
    return code if code in SEPARATORS else DEFAULT_LANGUAGE


def number_decimal(value: object) -> Decimal | None:
    """``value`` as a Decimal (floats through their shortest repr), or None if not a number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def number_round(value: Decimal, places: int) -> Decimal:
    """Round half away from zero at ``places`` decimals (2.675 -> 2.68, -0.125 -> -0.13)."""
    with localcontext() as context:
        context.prec = 80  # amounts of billions with 12 decimals stay exact
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)  # never "-0,00"


def number_places(value: Decimal) -> int:
    """Decimals the value is written with (12.50 -> 2, 1E+3 -> 0)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def number_format(value: object, places: int | None = 0, language: str | None = None) -> str:
    """The number in the language's format, rounded at ``places`` decimals.

    ``places=None`` keeps the value's own decimals (a published value shown as it is);
    a negative ``places`` shows up to that many decimals, none for a whole number
    (``-2``: 3 -> "3", 3.456 -> "3,46"). A missing value is "—"; a value that is not a
    number is returned as text, unchanged.
    """
    number = number_decimal(value)
    if number is None:
        return MISSING if value is None or value == "" else str(value)
    if places is None:
        places = number_places(number)
    places = int(places)
    if places < 0:
        places = 0 if number == number.to_integral_value() else -places
    rounded = number_round(number, places)
    decimal_sep, group_sep = SEPARATORS[_language(language)]
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = group_sep.join(groups)
    if places:
        text = f"{text}{decimal_sep}{fraction.ljust(places, '0')[:places]}"
    return f"{sign}{text}"


def euros_format(value: object, places: int | None = 2, language: str | None = None) -> str:
    """An amount in euros: "1.234,56 €" in ca/es, "€1,234.56" in en."""
    text = number_format(value, places, language)
    if number_decimal(value) is None:
        return text
    if _language(language) == "en":
        return f"-€{text[1:]}" if text.startswith("-") else f"€{text}"
    return f"{text}{NBSP}€"


def percent_format(value: object, places: int | None = 1, language: str | None = None) -> str:
    """A percentage (the value is already in percent): "14,5 %" in ca/es, "14.5%" in en."""
    text = number_format(value, places, language)
    if number_decimal(value) is None:
        return text
    return f"{text}%" if _language(language) == "en" else f"{text}{NBSP}%"


def number_parse(text: str, language: str | None = None) -> Decimal:
    """Read a figure written by this module back into a Decimal (units and grouping dropped).

    Raises ValueError for text that is not such a figure.
    """
    decimal_sep, group_sep = SEPARATORS[_language(language)]
    cleaned = text.replace("€", "").replace("%", "").replace(NBSP, "").strip()
    cleaned = cleaned.replace(group_sep, "").replace(decimal_sep, ".")
    cleaned = cleaned.replace("\u2212", "-")
    try:
        return Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(f"not a figure: {text!r}") from error
