"""A categorical indicator and a declared dimension in the data bank, for the public pages' tests.

The fire-risk indicator is ordinal, like the Agenda 2030 viewer's "Baixa / Mitja / Alta" files:
its stored codes (``risk_low``...) are words no page writes on its own, so a code that leaks
into the visible text is found by a plain search. Its labels differ by language (Mitja, Media,
Medium). The energy indicator is numeric, broken down by a declared dimension whose value
codes (``src_electricity``...) have labels too.
"""

from __future__ import annotations

VIC = "08298"
BARCELONA = "08019"
RISK = "fire_risk_level"
ENERGY = "energy_by_source"

# Declared order (lowest first) is not the alphabetical order of any language's labels.
RISK_CATEGORIES = [
    {"code": "risk_low", "labels": {"ca": "Baixa", "es": "Baja", "en": "Low"}},
    {
        "code": "risk_medium",
        "labels": {"ca": "Mitja", "es": "Media", "en": "Medium"},
        "aliases": ["Mitjana", "Mitjà"],
    },
    {"code": "risk_high", "labels": {"ca": "Alta", "es": "Alta", "en": "High"}},
]
RISK_LABELS = {c["code"]: c["labels"] for c in RISK_CATEGORIES}
SEASON = {
    "code": "season",
    "labels": {"ca": "Estació", "es": "Estación", "en": "Season"},
    # declared winter first: neither the codes' nor any language's alphabetical order
    "values": [
        {"code": "season_winter", "labels": {"ca": "Hivern", "es": "Invierno", "en": "Winter"}},
        {"code": "season_summer", "labels": {"ca": "Estiu", "es": "Verano", "en": "Summer"}},
    ],
}
SOURCE = {
    "code": "energy_source",
    "labels": {"ca": "Font d'energia", "es": "Fuente de energía", "en": "Energy source"},
    "values": [
        {
            "code": "src_natural_gas",
            "labels": {"ca": "Gas natural", "es": "Gas natural", "en": "Natural gas"},
        },
        {
            "code": "src_electricity",
            "labels": {"ca": "Electricitat", "es": "Electricidad", "en": "Electricity"},
        },
    ],
}
CODES = ("risk_low", "risk_medium", "risk_high", "season_summer", "season_winter")
CODES += ("src_electricity", "src_natural_gas", "energy_source")

# entity -> category, per year; 2023 is the latest.
RISK_VALUES = {
    2022: {VIC: "risk_medium", BARCELONA: "risk_low", "08001": "risk_low"},
    2023: {
        VIC: "risk_high",
        BARCELONA: "risk_low",
        "08001": "risk_medium",
        "08002": "risk_high",
        "08003": "risk_low",
    },
}
RISK_BY_SEASON = {
    (VIC, "season_summer"): "risk_high",
    (VIC, "season_winter"): "risk_low",
    (BARCELONA, "season_summer"): "risk_medium",
    (BARCELONA, "season_winter"): "risk_low",
}
ENERGY_VALUES = {
    (VIC, "src_electricity"): "120.5",
    (VIC, "src_natural_gas"): "80.25",
    (BARCELONA, "src_electricity"): "300",
    (BARCELONA, "src_natural_gas"): "150",
}


def _texts(ca: str, es: str, en: str, field: str) -> dict[str, str]:
    return {field: ca, f"{field}_es": es, f"{field}_en": en}


def categorical_indicators_create() -> None:
    """Both indicators and their values, through the data bank's own tables (as an import would
    leave them), then one version bump so every cached view rebuilds."""
    from concertem.databank.models import Indicator
    from concertem.databank.services import version_bump

    common = {
        "periodicity": "annual",
        "territorial_level": "municipality",
        "source": "Diputació de Barcelona, Visor 2030",
        "licence": "CC-BY-4.0",
        "position": 900,
    }
    risk = Indicator.objects.create(
        code=RISK,
        publisher_code="13.1.9",
        **_texts("Risc d'incendi", "Riesgo de incendio", "Fire risk", "name"),
        **_texts(
            "Nivell de risc d'incendi forestal.",
            "Nivel de riesgo de incendio forestal.",
            "Level of forest fire risk.",
            "definition",
        ),
        **_texts(
            "Classificació del pla de protecció civil.",
            "Clasificación del plan de protección civil.",
            "Classification of the civil protection plan.",
            "method",
        ),
        unit="category",
        direction="lower_is_better",
        value_type="ordinal",
        sdg_targets=["13.1"],
        categories=RISK_CATEGORIES,
        dimensions=[SEASON],
        **common,
    )
    energy = Indicator.objects.create(
        code=ENERGY,
        **_texts("Consum d'energia", "Consumo de energía", "Energy consumption", "name"),
        **_texts(
            "Consum final d'energia per font.",
            "Consumo final de energía por fuente.",
            "Final energy consumption by source.",
            "definition",
        ),
        **_texts(
            "Suma dels consums declarats.",
            "Suma de los consumos declarados.",
            "Sum of the declared consumption.",
            "method",
        ),
        unit="kwh",
        decimals=2,
        direction="lower_is_better",
        sdg_targets=["13.2"],
        dimensions=[SOURCE],
        **common,
    )
    values_write(
        risk,
        [
            (entity, year, "_T", category)
            for year, by_entity in RISK_VALUES.items()
            for entity, category in by_entity.items()
        ]
        + [
            (entity, 2023, f"season={season}", category)
            for (entity, season), category in RISK_BY_SEASON.items()
        ],
    )
    values_write(
        energy,
        [
            (entity, year, "_T", str(float(value) * 2))
            for year in (2022, 2023)
            for entity, value in ((VIC, "100.75"), (BARCELONA, "225"))
        ]
        + [
            (entity, 2023, f"energy_source={source}", value)
            for (entity, source), value in ENERGY_VALUES.items()
        ],
    )
    version_bump()


FIXTURE_FILE = "visor2030_upload.csv"  # the file name the fixtures' imports record


def values_write(indicator, values: list[tuple[str, int, str, str]]) -> None:
    """(entity, year, breakdown, value) stored as one import of ``indicator`` would leave
    them, through the data bank's store (no file: the fixtures' values are made up)."""
    from django.utils import timezone

    from concertem.databank.models import Import
    from concertem.databank.value_store import indicator_lock, rows_store

    record = Import.objects.create(
        indicator=indicator,
        file_name=FIXTURE_FILE,
        sha256="",
        state="applied",
        via="cli",
        applied_at=timezone.now(),
    )
    rows = sorted(
        (indicator.code, entity, str(year), breakdown, value, "final")
        for entity, year, breakdown, value in values
    )
    indicator_lock(indicator.pk)
    added, replaced, _unchanged = rows_store(indicator.pk, record.pk, rows)
    record.added, record.replaced = added, replaced
    record.save(update_fields=["added", "replaced"])
