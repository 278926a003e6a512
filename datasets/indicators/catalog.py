"""The indicator catalogue: what each indicator measures, how, from where, and which SDG targets
it monitors. Source of truth: ``datasets/reference/indicators.toml`` (edited by hand); the
closed vocabularies (units, directions, levels...) and their labels: ``catalog_vocabulary``."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from datasets.indicators.catalog_vocabulary import (
    AGGREGATIONS,
    DIRECTIONS,
    PERIODICITIES,
    TERRITORIAL_LEVELS,
    UNITS,
    VALUE_TYPES,
)
from datasets.indicators.cells import label_normalise
from datasets.indicators.errors import IndicatorCatalogError, IndicatorUnknownError
from datasets.sdg import LANGUAGES, SdgFramework, sdg_code_sort_key, sdg_framework_load

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
CATALOG_PATH = REFERENCE_DIR / "indicators.toml"

# Built-in breakdowns; any other is declared per indicator under [[indicator.dimensions]].
DISAGGREGATION_DIMENSIONS = ("sex", "age_group")
_DIMENSION_CODE = re.compile(r"[a-z][a-z0-9_]*")


_TEXT_FIELDS = ("name", "definition", "method")
_REQUIRED = (
    "code",
    "unit",
    "direction",
    "periodicity",
    "territorial_level",
    "sdg_targets",
    "source",
    "licence",
)


@dataclass(frozen=True, slots=True)
class Category:
    """One value of a categorical or ordinal indicator, or of a declared dimension.

    ``code`` is what the values table stores; ``labels`` how the site writes it (ca/es/en);
    ``aliases`` other spellings publishers use (a known typo included), declared here so the
    importer maps them, never guesses them.
    """

    code: str
    labels: dict[str, str] = field(hash=False, compare=False)
    aliases: tuple[str, ...] = ()

    def label(self, language: str = "ca") -> str:
        return self.labels.get(language) or self.code


@dataclass(frozen=True, slots=True)
class Dimension:
    """A breakdown beyond sex and age group (energy source, type of waste...)."""

    code: str
    labels: dict[str, str] = field(hash=False, compare=False)
    values: tuple[Category, ...] = ()

    def label(self, language: str = "ca") -> str:
        return self.labels.get(language) or self.code


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    names: dict[str, str] = field(hash=False, compare=False)
    definitions: dict[str, str] = field(hash=False, compare=False)
    methods: dict[str, str] = field(hash=False, compare=False)
    unit: str = "persons"
    decimals: int = 0
    direction: str = "neutral"
    periodicity: str = "annual"
    territorial_level: str = "municipality"
    source: str = ""
    source_url: str = ""
    licence: str = ""
    sdg_targets: tuple[str, ...] = ()
    sdg_indicators: tuple[str, ...] = ()
    disaggregations: tuple[str, ...] = ()
    value_min: float | None = None
    value_max: float | None = None
    seed_variable: str = ""
    sdg_rationale: str = ""
    # The publisher's own code ('15.1.1'): files carrying it are checked against it.
    publisher_code: str | None = None
    value_type: str = "numeric"
    categories: tuple[Category, ...] = ()  # in ordinal order for ordinal indicators
    dimensions: tuple[Dimension, ...] = ()  # declared breakdowns beyond sex and age_group
    aggregation: str = "value"
    territorial_levels: tuple[str, ...] = ("municipality",)

    def name(self, language: str = "ca") -> str:
        return self.names[language]

    def unit_label(self, language: str = "ca") -> str:
        return UNITS[self.unit][language]

    @property
    def sdg_goals(self) -> tuple[int, ...]:
        return tuple(sorted({int(target.split(".")[0]) for target in self.sdg_targets}))

    @property
    def is_categorical(self) -> bool:
        return self.value_type != "numeric"

    def category_get(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    def dimension_get(self, code: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.code == code), None)


@dataclass(frozen=True, slots=True)
class IndicatorCatalog:
    indicators: tuple[Indicator, ...]
    _index: dict[str, Indicator] = field(repr=False, hash=False, compare=False)

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def __contains__(self, code: object) -> bool:
        return code in self._index

    def get(self, code: str) -> Indicator:
        try:
            return self._index[code]
        except KeyError:
            raise IndicatorUnknownError(
                f"unknown indicator {code!r}; known: {', '.join(sorted(self._index))}",
                indicator_code=code,
            ) from None

    def find(self, code: str) -> Indicator | None:
        """The indicator with this catalogue code, else the one whose publisher code it is."""
        found = self._index.get(code)
        if found is not None:
            return found
        code = code.strip()
        return next((i for i in self.indicators if i.publisher_code == code), None)

    def of_goal(self, goal: int) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if goal in i.sdg_goals)

    def of_target(self, target_code: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if target_code in i.sdg_targets)


# ---- Parsing and checking ----


def _texts(raw: dict[str, Any], key: str, code: str, problems: list[str]) -> dict[str, str]:
    texts = raw.get(key) or {}
    missing = [lang for lang in LANGUAGES if not str(texts.get(lang, "")).strip()]
    if missing:
        problems.append(f"{code}: {key} missing in {', '.join(missing)}")
    return {lang: " ".join(str(texts.get(lang, "")).split()) for lang in LANGUAGES}


def _choice(
    raw: dict[str, Any],
    key: str,
    allowed: tuple[str, ...],
    code: str,
    problems: list[str],
    default: str | None = None,
) -> str:
    value = raw.get(key, default)
    if value not in allowed:
        problems.append(f"{code}: {key} is {value!r}, expected one of {', '.join(allowed)}")
    return str(value)


def _labels(raw: Any) -> dict[str, str]:
    texts = raw if isinstance(raw, dict) else {}
    return {lang: " ".join(str(texts.get(lang, "")).split()) for lang in LANGUAGES}


def _category_parse(raw: Any, code: str, problems: list[str]) -> Category:
    if not isinstance(raw, dict) or not str(raw.get("code", "")).strip():
        problems.append(f"{code}: a category needs a code (got {raw!r})")
        return Category(code="", labels={})
    labels = _labels(raw.get("labels"))
    missing = [lang for lang in LANGUAGES if not labels[lang]]
    if missing:
        problems.append(f"{code}: category {raw['code']!r} label missing in {', '.join(missing)}")
    return Category(
        code=str(raw["code"]).strip(),
        labels=labels,
        aliases=tuple(str(a) for a in raw.get("aliases", ())),
    )


def _dimension_parse(raw: Any, code: str, problems: list[str]) -> Dimension:
    dim_code = str(raw.get("code", "")) if isinstance(raw, dict) else ""
    if not _DIMENSION_CODE.fullmatch(dim_code):
        problems.append(f"{code}: dimension code {dim_code!r} must be lowercase snake_case")
        return Dimension(code=dim_code, labels={})
    labels = _labels(raw.get("labels"))
    missing = [lang for lang in LANGUAGES if not labels[lang]]
    if missing:
        problems.append(f"{code}: dimension {dim_code!r} label missing in {', '.join(missing)}")
    values = tuple(_category_parse(v, code, problems) for v in raw.get("values", ()))
    if not values:
        problems.append(f"{code}: dimension {dim_code!r} declares no values")
    return Dimension(code=dim_code, labels=labels, values=values)


def category_spellings(category: Category) -> tuple[str, ...]:
    """Every text that means ``category`` in a file: code, labels, aliases."""
    return (category.code, *category.labels.values(), *category.aliases)


def _spellings_check(
    code: str, what: str, categories: tuple[Category, ...], problems: list[str]
) -> None:
    """Two categories must never share a spelling: the importer maps, it does not choose."""
    owner: dict[str, str] = {}
    for category in categories:
        for text in category_spellings(category):
            key = label_normalise(text)
            if key and owner.setdefault(key, category.code) != category.code:
                problems.append(
                    f"{code}: {what}: {text!r} spells both {owner[key]!r} and {category.code!r}"
                )


def _indicator_parse(raw: dict[str, Any], sdg: SdgFramework, problems: list[str]) -> Indicator:
    code = str(raw.get("code", ""))
    for key in _REQUIRED:
        if key not in raw:
            problems.append(f"{code or '?'}: {key} is required")
    if not code.replace("_", "").isalnum() or code != code.lower():
        problems.append(f"{code!r}: code must be lowercase snake_case")
    targets = tuple(sorted(set(raw.get("sdg_targets", ())), key=sdg_code_sort_key))
    if not targets:
        problems.append(f"{code}: sdg_targets must name at least one SDG target")
    problems.extend(
        f"{code}: unknown SDG target {t!r}" for t in targets if not sdg.target_exists(t)
    )
    sdg_indicators = tuple(raw.get("sdg_indicators", ()))
    for sdg_indicator in sdg_indicators:
        if sdg_indicator not in {i.code for i in sdg.indicators}:
            problems.append(f"{code}: unknown (or retired) SDG indicator {sdg_indicator!r}")
    disaggregations = tuple(raw.get("disaggregations", ()))
    problems.extend(
        f"{code}: unknown disaggregation {d!r}"
        for d in disaggregations
        if d not in DISAGGREGATION_DIMENSIONS
    )
    dimensions = tuple(_dimension_parse(d, code, problems) for d in raw.get("dimensions", ()))
    for dimension in dimensions:
        if dimension.code in DISAGGREGATION_DIMENSIONS or dimension.code in disaggregations:
            problems.append(f"{code}: dimension {dimension.code!r} is built in or repeated")
    value_type = _choice(raw, "value_type", VALUE_TYPES, code, problems, default="numeric")
    categories = tuple(_category_parse(c, code, problems) for c in raw.get("categories", ()))
    if value_type != "numeric" and not categories:
        problems.append(f"{code}: a {value_type} indicator needs its categories")
    if value_type == "numeric" and categories:
        problems.append(f"{code}: categories given but value_type is numeric")
    _spellings_check(code, "categories", categories, problems)
    for dimension in dimensions:
        _spellings_check(code, f"dimension {dimension.code}", dimension.values, problems)
    levels_raw = raw.get("territorial_level", "municipality")
    levels = tuple(levels_raw) if isinstance(levels_raw, list) else (str(levels_raw),)
    problems.extend(
        f"{code}: territorial_level {level!r} is not one of {', '.join(TERRITORIAL_LEVELS)}"
        for level in levels
        if level not in TERRITORIAL_LEVELS
    )
    if not levels:
        problems.append(f"{code}: territorial_level names no level")
    publisher_code = raw.get("publisher_code")
    if publisher_code is not None and not str(publisher_code).strip():
        problems.append(f"{code}: publisher_code is empty")
    if raw.get("unit") not in UNITS:
        problems.append(f"{code}: unit {raw.get('unit')!r} is not one of {', '.join(UNITS)}")
    return Indicator(
        code=code,
        names=_texts(raw, "name", code, problems),
        definitions=_texts(raw, "definition", code, problems),
        methods=_texts(raw, "method", code, problems),
        unit=str(raw.get("unit")),
        decimals=int(raw.get("decimals", 0)),
        direction=_choice(raw, "direction", DIRECTIONS, code, problems),
        periodicity=_choice(raw, "periodicity", PERIODICITIES, code, problems),
        territorial_level=levels[0] if levels else "",
        territorial_levels=levels,
        source=str(raw.get("source", "")),
        source_url=str(raw.get("source_url", "")),
        licence=str(raw.get("licence", "")),
        sdg_targets=targets,
        sdg_indicators=sdg_indicators,
        disaggregations=disaggregations + tuple(d.code for d in dimensions),
        dimensions=dimensions,
        value_type=value_type,
        categories=categories,
        aggregation=_choice(raw, "aggregation", AGGREGATIONS, code, problems, default="value"),
        publisher_code=str(publisher_code).strip() if publisher_code is not None else None,
        value_min=float(raw["value_min"]) if "value_min" in raw else None,
        value_max=float(raw["value_max"]) if "value_max" in raw else None,
        seed_variable=str(raw.get("seed_variable", "")),
        sdg_rationale=" ".join(str((raw.get("sdg_rationale") or {}).get("en", "")).split()),
    )


def indicator_catalog_parse(
    *, text: str, sdg: SdgFramework, origin: str = "catalogue"
) -> IndicatorCatalog:
    """Parse and check catalogue TOML; every problem is reported at once."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise IndicatorCatalogError(f"{origin}: {error}") from error
    problems: list[str] = []
    indicators = tuple(_indicator_parse(raw, sdg, problems) for raw in data.get("indicator", []))
    seen: set[str] = set()
    for indicator in indicators:
        if indicator.code in seen:
            problems.append(f"{indicator.code}: duplicated code")
        seen.add(indicator.code)
    if problems:
        raise IndicatorCatalogError(f"{origin}: " + "; ".join(problems), problems=problems)
    return IndicatorCatalog(
        indicators=indicators, _index={indicator.code: indicator for indicator in indicators}
    )


@lru_cache(maxsize=4)
def _catalog_cached(path: Path, mtime_ns: int) -> IndicatorCatalog:
    return indicator_catalog_parse(
        text=path.read_text(encoding="utf-8"), sdg=sdg_framework_load(), origin=str(path)
    )


def indicator_catalog_load(*, path: Path = CATALOG_PATH) -> IndicatorCatalog:
    """The checked catalogue; re-read only when the file changes."""
    path = path.resolve()
    return _catalog_cached(path, path.stat().st_mtime_ns)


# ---- Flat tables for publishing ----

CATALOG_HEADER = (
    "indicator_code",
    *(f"name_{lang}" for lang in LANGUAGES),
    *(f"definition_{lang}" for lang in LANGUAGES),
    *(f"method_{lang}" for lang in LANGUAGES),
    "unit",
    "decimals",
    "direction",
    "periodicity",
    "territorial_level",
    "value_min",
    "value_max",
    "disaggregations",
    "sdg_indicators",
    "source",
    "source_url",
    "licence",
    "sdg_rationale_en",
    "publisher_code",
    "value_type",
    "categories",
    "aggregation",
)
TARGET_LINK_HEADER = ("indicator_code", "target_code", "goal")


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else repr(value)


def indicator_catalog_rows(catalog: IndicatorCatalog) -> list[tuple[object, ...]]:
    return [
        (
            i.code,
            *(i.names[lang] for lang in LANGUAGES),
            *(i.definitions[lang] for lang in LANGUAGES),
            *(i.methods[lang] for lang in LANGUAGES),
            i.unit,
            i.decimals,
            i.direction,
            i.periodicity,
            ";".join(i.territorial_levels),
            _number_text(i.value_min),
            _number_text(i.value_max),
            ";".join(i.disaggregations),
            ";".join(i.sdg_indicators),
            i.source,
            i.source_url,
            i.licence,
            i.sdg_rationale,
            i.publisher_code or "",
            i.value_type,
            ";".join(c.code for c in i.categories),
            i.aggregation,
        )
        for i in catalog
    ]


def indicator_target_rows(catalog: IndicatorCatalog) -> list[tuple[object, ...]]:
    """The many-to-many link indicator <-> SDG target, one row per pair."""
    return [
        (indicator.code, target, int(target.split(".")[0]))
        for indicator in catalog
        for target in indicator.sdg_targets
    ]
