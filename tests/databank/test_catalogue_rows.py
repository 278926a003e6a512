"""The catalogue editor's category and dimension rows: stored as the catalogue file's lists,
refused row by row (next to the box, in the editor's language), and unchanged by a save."""

from __future__ import annotations

import pytest

from concertem.databank.models import Indicator
from tests.databank.test_admin import ADD, _indicator_post

pytestmark = pytest.mark.django_db

LOW = {"code": "low", "labels": {"ca": "Baixa", "es": "Baja", "en": "Low"}}
MEDIUM = {
    "code": "medium",
    "labels": {"ca": "Mitja", "es": "Media", "en": "Medium"},
    "aliases": ["Mitjana", "Mitjà"],
}
SEASON = {
    "code": "season",
    "labels": {"ca": "Temporada", "es": "Temporada", "en": "Season"},
    "values": [
        {"code": "summer", "labels": {"ca": "Estiu", "es": "Verano", "en": "Summer"}},
        {"code": "winter", "labels": {"ca": "Hivern", "es": "Invierno", "en": "Winter"}},
    ],
}


def _category_rows(prefix: str, rows: list[dict], row_type: str = "") -> dict[str, str]:
    """The fields the block widget posts: a stream of rows (with a type) at the top, a plain
    list for a dimension's values."""
    data = {f"{prefix}-count": str(len(rows))}
    for index, row in enumerate(rows):
        item = f"{prefix}-{index}"
        data.update({f"{item}-deleted": "", f"{item}-order": str(index), f"{item}-id": ""})
        if row_type:
            data[f"{item}-type"] = row_type
        data[f"{item}-value-code"] = row["code"]
        for lang in ("ca", "es", "en"):
            data[f"{item}-value-label_{lang}"] = row["labels"].get(lang, "")
        if "values" in row:
            data.update(_category_rows(f"{item}-value-values", row["values"]))
        else:
            data[f"{item}-value-aliases"] = "\n".join(row.get("aliases", ()))
    return data


def _post(client, categories=(), dimensions=(), language="en", **changes):
    data = _indicator_post(
        value_type="ordinal" if categories else "numeric", unit="category", **changes
    )
    data.update(_category_rows("categories", list(categories), "category"))
    data.update(_category_rows("dimensions", list(dimensions), "dimension"))
    return client.post(ADD, data, HTTP_ACCEPT_LANGUAGE=language)


def test_rows_are_stored_as_the_catalogue_file_writes_them(client, editor):
    from concertem.databank.selectors import databank_catalog

    client.force_login(editor)
    response = _post(client, categories=[LOW, MEDIUM], dimensions=[SEASON])
    assert response.status_code == 302, response.content.decode()[-3000:]
    saved = Indicator.objects.get(code="organic_farmland_share_2")
    assert saved.categories == [LOW, MEDIUM]
    assert saved.dimensions == [SEASON]
    indicator = databank_catalog().get("organic_farmland_share_2")
    assert [c.code for c in indicator.categories] == ["low", "medium"]
    assert indicator.category_get("medium").aliases == ("Mitjana", "Mitjà")
    assert indicator.dimension_get("season").label("en") == "Season"
    assert "season" in indicator.disaggregations


def test_a_duplicate_code_a_missing_label_and_a_colliding_alias_are_refused(client, editor):
    client.force_login(editor)
    twin = {"code": "low", "labels": {"ca": "Baixeta", "es": "Bajita", "en": ""}}
    clash = {**MEDIUM, "aliases": ["baixa"]}
    page = _post(client, categories=[LOW, twin, clash]).content.decode()
    assert "already used by category 1" in page
    assert "Missing. Write it, or tick" in page
    assert "already means category 1" in page
    catalan = _post(client, categories=[LOW, twin], language="ca").content.decode()
    assert "ja el fa servir la categoria 1" in catalan
    assert not Indicator.objects.filter(code="organic_farmland_share_2").exists()


def test_a_pending_translation_saves_and_the_site_shows_the_catalan_label(client, editor):
    from concertem.databank.selectors import databank_catalog

    client.force_login(editor)
    untranslated = {"code": "high", "labels": {"ca": "Alta", "es": "", "en": ""}}
    response = _post(client, categories=[LOW, untranslated], translation_pending="on")
    assert response.status_code == 302
    saved = Indicator.objects.get(code="organic_farmland_share_2")
    assert saved.categories[1]["labels"] == {"ca": "Alta", "es": "", "en": ""}
    assert databank_catalog().get("organic_farmland_share_2").categories[1].label("en") == "Alta"


def test_a_bad_dimension_and_a_numeric_indicator_with_categories_are_refused(client, editor):
    client.force_login(editor)
    page = _post(
        client,
        dimensions=[{**SEASON, "code": "Season"}, {**SEASON, "code": "sex"}],
    ).content.decode()
    assert "lowercase snake_case" in page
    assert "built-in breakdown" in page
    data = _indicator_post(unit="category")
    data.update(_category_rows("categories", [LOW], "category"))
    data.update(_category_rows("dimensions", [], "dimension"))
    page = client.post(ADD, data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Categories are only for categorical or ordinal indicators" in page
    assert not Indicator.objects.filter(code="organic_farmland_share_2").exists()


def test_opening_and_saving_an_indicator_leaves_its_rows_and_export_as_they_were(client, editor):
    from concertem.databank.exports import databank_catalog_text

    client.force_login(editor)
    assert _post(client, categories=[LOW, MEDIUM], dimensions=[SEASON]).status_code == 302
    saved = Indicator.objects.get(code="organic_farmland_share_2")
    before = databank_catalog_text()
    edit = f"/admin/snippets/databank/indicator/edit/{saved.pk}/"
    form = client.get(edit).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if name in ("categories", "dimensions"):
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = field.prepare_value(value) if value is not None else ""
    data.update(_category_rows("categories", saved.categories, "category"))
    data.update(_category_rows("dimensions", saved.dimensions, "dimension"))
    response = client.post(edit, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302, response.content.decode()[-3000:]
    saved.refresh_from_db()
    assert saved.categories == [LOW, MEDIUM] and saved.dimensions == [SEASON]
    assert databank_catalog_text() == before


def test_moving_a_row_changes_the_ordinal_order(client, editor):
    """The rows' order (the arrows and the drag handle post it) is the categories' order."""
    client.force_login(editor)
    data = _indicator_post(value_type="ordinal", unit="category")
    data.update(_category_rows("categories", [LOW, MEDIUM], "category"))
    data.update({"categories-0-order": "1", "categories-1-order": "0"})
    data.update(_category_rows("dimensions", [], "dimension"))
    assert client.post(ADD, data).status_code == 302
    saved = Indicator.objects.get(code="organic_farmland_share_2")
    assert [c["code"] for c in saved.categories] == ["medium", "low"]
