"""The catalogue's closed vocabularies: units, directions, periodicities, territorial levels,
value types and aggregations, each with how a person reads it in ca/es/en.

One table per field, code -> labels: the catalogue parser checks values against its codes and
the catalogue editor in the admin offers its labels, so a code added here is accepted by the
TOML file, the importer and the editor's select at once (and by the catalogue table's schema,
``datasets/schemas/indicators.json``, whose enums a test keeps equal to these).
"""

from __future__ import annotations

DIRECTION_LABELS: dict[str, dict[str, str]] = {
    "higher_is_better": {
        "ca": "més alt és millor",
        "es": "más alto es mejor",
        "en": "higher is better",
    },
    "lower_is_better": {
        "ca": "més baix és millor",
        "es": "más bajo es mejor",
        "en": "lower is better",
    },
    "neutral": {
        "ca": "neutre (ni millor ni pitjor)",
        "es": "neutro (ni mejor ni peor)",
        "en": "neutral (neither better nor worse)",
    },
}
PERIODICITY_LABELS: dict[str, dict[str, str]] = {
    "annual": {"ca": "anual", "es": "anual", "en": "annual"},
    "decennial": {
        "ca": "decennal (cada deu anys)",
        "es": "decenal (cada diez años)",
        "en": "decennial (every ten years)",
    },
    "irregular": {"ca": "irregular", "es": "irregular", "en": "irregular"},
}
# Levels an indicator may be published for; the entity types of datasets/reference/entities.csv.
TERRITORIAL_LEVEL_LABELS: dict[str, dict[str, str]] = {
    "municipality": {"ca": "municipi", "es": "municipio", "en": "municipality"},
    "comarca": {"ca": "comarca", "es": "comarca", "en": "comarca (county)"},
    "consell_comarcal": {
        "ca": "consell comarcal",
        "es": "consejo comarcal",
        "en": "county council (consell comarcal)",
    },
    "metropolitan_area": {
        "ca": "àrea metropolitana",
        "es": "área metropolitana",
        "en": "metropolitan area",
    },
    "province": {
        "ca": "província (Diputació)",
        "es": "provincia (Diputació)",
        "en": "province (Diputació)",
    },
}
VALUE_TYPE_LABELS: dict[str, dict[str, str]] = {
    "numeric": {"ca": "Nombres", "es": "Números", "en": "Numbers"},
    "categorical": {
        "ca": "Categories, sense ordre",
        "es": "Categorías, sin orden",
        "en": "Categories, unordered",
    },
    "ordinal": {
        "ca": "Categories en ordre (ordinal)",
        "es": "Categorías en orden (ordinal)",
        "en": "Categories in order (ordinal)",
    },
}
# "value": one value per row; "count": one row per record, counted per entity x year x breakdown.
AGGREGATION_LABELS: dict[str, dict[str, str]] = {
    "value": {
        "ca": "un valor per fila",
        "es": "un valor por fila",
        "en": "one value per row",
    },
    "count": {
        "ca": "una fila per registre: es compten",
        "es": "una fila por registro: se cuentan",
        "en": "one row per record: rows are counted",
    },
}
# Unit code -> how the site writes it next to a figure ("symbol") and how the catalogue editor
# names it ("name"), per language.
UNIT_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "persons": {
        "symbol": {"ca": "persones", "es": "personas", "en": "persons"},
        "name": {"ca": "persones", "es": "personas", "en": "persons"},
    },
    "count": {
        "symbol": {"ca": "nombre", "es": "número", "en": "number"},
        "name": {
            "ca": "nombre (un recompte)",
            "es": "número (un recuento)",
            "en": "number (a count)",
        },
    },
    "eur": {
        "symbol": {"ca": "€", "es": "€", "en": "€"},
        "name": {"ca": "euros (€)", "es": "euros (€)", "en": "euros (€)"},
    },
    "eur_per_inhabitant": {
        "symbol": {"ca": "€ per habitant", "es": "€ por habitante", "en": "€ per inhabitant"},
        "name": {
            "ca": "euros per habitant (€/hab.)",
            "es": "euros por habitante (€/hab.)",
            "en": "euros per inhabitant (€/inhab.)",
        },
    },
    "percent": {
        "symbol": {"ca": "%", "es": "%", "en": "%"},
        "name": {"ca": "percentatge (%)", "es": "porcentaje (%)", "en": "percentage (%)"},
    },
    "ratio": {
        "symbol": {"ca": "ràtio", "es": "ratio", "en": "ratio"},
        "name": {
            "ca": "ràtio (un quocient)",
            "es": "ratio (un cociente)",
            "en": "ratio (a quotient)",
        },
    },
    "per_1000_inhabitants": {
        "symbol": {
            "ca": "per 1.000 habitants",
            "es": "por 1.000 habitantes",
            "en": "per 1,000 inhabitants",
        },
        "name": {
            "ca": "taxa per 1.000 habitants (‰)",
            "es": "tasa por 1.000 habitantes (‰)",
            "en": "rate per 1,000 inhabitants (‰)",
        },
    },
    "per_10000_inhabitants": {
        "symbol": {
            "ca": "per 10.000 habitants",
            "es": "por 10.000 habitantes",
            "en": "per 10,000 inhabitants",
        },
        "name": {
            "ca": "taxa per 10.000 habitants",
            "es": "tasa por 10.000 habitantes",
            "en": "rate per 10,000 inhabitants",
        },
    },
    "index_0_100": {
        "symbol": {"ca": "índex 0-100", "es": "índice 0-100", "en": "index 0-100"},
        "name": {"ca": "índex de 0 a 100", "es": "índice de 0 a 100", "en": "index from 0 to 100"},
    },
    "score_0_10": {
        "symbol": {"ca": "puntuació 0-10", "es": "puntuación 0-10", "en": "score 0-10"},
        "name": {
            "ca": "puntuació de 0 a 10",
            "es": "puntuación de 0 a 10",
            "en": "score from 0 to 10",
        },
    },
    "kwh": {
        "symbol": {"ca": "kWh", "es": "kWh", "en": "kWh"},
        "name": {
            "ca": "quilowatts hora (kWh)",
            "es": "kilovatios hora (kWh)",
            "en": "kilowatt-hours (kWh)",
        },
    },
    "hectares": {
        "symbol": {"ca": "ha", "es": "ha", "en": "ha"},
        "name": {"ca": "hectàrees (ha)", "es": "hectáreas (ha)", "en": "hectares (ha)"},
    },
    "tonnes": {
        "symbol": {"ca": "t", "es": "t", "en": "t"},
        "name": {"ca": "tones (t)", "es": "toneladas (t)", "en": "tonnes (t)"},
    },
    "tonnes_co2_per_inhabitant": {
        "symbol": {
            "ca": "t CO₂ per habitant",
            "es": "t CO₂ por habitante",
            "en": "t CO₂ per inhabitant",
        },
        "name": {
            "ca": "tones de CO₂ per habitant",
            "es": "toneladas de CO₂ por habitante",
            "en": "tonnes of CO₂ per inhabitant",
        },
    },
    "category": {
        "symbol": {"ca": "categoria", "es": "categoría", "en": "category"},
        "name": {
            "ca": "categoria (valors no numèrics)",
            "es": "categoría (valores no numéricos)",
            "en": "category (values that are not numbers)",
        },
    },
    # a publisher's figure whose unit its documentation does not give: shown without one
    "as_published": {
        "symbol": {
            "ca": "unitat no documentada",
            "es": "unidad no documentada",
            "en": "unit not documented",
        },
        "name": {
            "ca": "unitat no documentada per la font",
            "es": "unidad no documentada por la fuente",
            "en": "unit the source does not document",
        },
    },
}

DIRECTIONS = tuple(DIRECTION_LABELS)
PERIODICITIES = tuple(PERIODICITY_LABELS)
TERRITORIAL_LEVELS = tuple(TERRITORIAL_LEVEL_LABELS)
VALUE_TYPES = tuple(VALUE_TYPE_LABELS)
AGGREGATIONS = tuple(AGGREGATION_LABELS)
# Unit code -> how the site writes it, per language.
UNITS: dict[str, dict[str, str]] = {code: unit["symbol"] for code, unit in UNIT_LABELS.items()}

# What the catalogue editor offers for each field, by the field's name in the file.
CHOICE_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "unit": {code: unit["name"] for code, unit in UNIT_LABELS.items()},
    "direction": DIRECTION_LABELS,
    "periodicity": PERIODICITY_LABELS,
    "territorial_level": TERRITORIAL_LEVEL_LABELS,
    "value_type": VALUE_TYPE_LABELS,
    "aggregation": AGGREGATION_LABELS,
}


def catalog_choices(key: str, language: str = "ca") -> list[tuple[str, str]]:
    """(code, label) of every value ``key`` may take, labelled in ``language``."""
    return [(code, labels[language]) for code, labels in CHOICE_LABELS[key].items()]
