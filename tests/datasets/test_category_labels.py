"""How a stored category becomes the text a page writes: the label of the language, the
Catalan one while a translation is pending, the code only when nothing is declared."""

from __future__ import annotations

from types import SimpleNamespace

from datasets.indicators.catalog import Category, IndicatorCatalog
from datasets.indicators.views import (
    IndicatorViews,
    category_find,
    category_rank,
    category_text,
    labels_text,
)
from datasets.sdg import sdg_framework_load

LOW = Category(code="risk_low", labels={"ca": "Baixa", "es": "Baja", "en": "Low"})
MEDIUM = Category(
    code="risk_medium",
    labels={"ca": "Mitja", "es": "", "en": ""},  # translation pending
    aliases=("Mitjana", "Mitjà"),
)
HIGH = Category(code="risk_high", labels={"ca": "Alta", "es": "Alta", "en": "High"})
SCALE = (LOW, MEDIUM, HIGH)


def test_labels_fall_back_to_catalan_then_to_the_code():
    assert labels_text({"ca": "Mitja", "es": "Media"}, "es", "risk_medium") == "Media"
    assert labels_text({"ca": "Mitja", "es": "", "en": ""}, "en", "risk_medium") == "Mitja"
    assert labels_text({}, "en", "risk_medium") == "risk_medium"
    assert labels_text(None, "ca", "risk_medium") == "risk_medium"


def test_a_stored_value_reads_as_its_category_in_each_language():
    assert [category_text(SCALE, "risk_low", lang) for lang in ("ca", "es", "en")] == [
        "Baixa",
        "Baja",
        "Low",
    ]
    assert category_text(SCALE, "risk_medium", "en") == "Mitja"
    # spellings: an alias, a label of another language, accents and case aside
    assert category_find(SCALE, "MITJA") is MEDIUM
    assert category_find(SCALE, "mitja") is MEDIUM
    assert category_text(SCALE, "Mitjana", "ca") == "Mitja"
    assert category_text(SCALE, "High", "es") == "Alta"
    assert category_text(SCALE, "undeclared", "en") == "undeclared"


def test_the_declared_order_ranks_the_values_undeclared_last():
    assert [category_rank(SCALE, v) for v in ("risk_high", "Mitjana", "risk_low", "x")] == [
        2,
        1,
        0,
        3,
    ]


def test_a_value_stored_as_an_alias_counts_in_its_category():
    indicator = SimpleNamespace(
        code="fire_risk_level", value_type="ordinal", categories=SCALE, sdg_targets=("13.1",)
    )
    catalog = IndicatorCatalog(indicators=(indicator,), _index={indicator.code: indicator})
    entities = [SimpleNamespace(entity_code=f"0800{i}", province_code="08") for i in range(1, 5)]
    rows = [
        ("fire_risk_level", "08001", "2023", "_T", "risk_medium", "final"),
        ("fire_risk_level", "08002", "2023", "_T", "Mitjana", "final"),
        ("fire_risk_level", "08003", "2023", "_T", "risk_high", "final"),
        ("fire_risk_level", "08004", "2023", "season=winter", "risk_low", "final"),
    ]
    views = IndicatorViews.from_rows(
        catalog=catalog, rows=rows, entities=entities, sdg=sdg_framework_load()
    )
    counts = views.category_distribution("fire_risk_level", 2023, "08")
    assert [(c.category, c.count) for c in counts] == [
        ("risk_low", 0),
        ("risk_medium", 2),
        ("risk_high", 1),
    ]
    assert views.category_breakdown_keys("fire_risk_level", 2023) == ["season=winter"]
    assert views.category_breakdown_keys("fire_risk_level", 2022) == []
    assert views.entity_category("08004", "fire_risk_level", 2023, "season=winter") == "risk_low"
    assert views.entity_category("08001", "fire_risk_level", 2023, "season=winter") is None
