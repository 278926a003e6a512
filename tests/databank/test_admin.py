"""The import flow and the catalogue editor in the Wagtail admin."""

from __future__ import annotations

import pytest

from concertem.databank.models import Import, Indicator
from concertem.databank.value_store import block_stored
from tests.databank.conftest import BROKEN, EXTRACT
from tests.databank.test_store import values_checksum

pytestmark = pytest.mark.django_db


def _upload(client, indicator, path, name=None):
    with path.open("rb") as handle:
        return client.post(
            "/admin/databank/",
            {"indicator": indicator.pk, "file": handle},
            HTTP_ACCEPT_LANGUAGE="en",
        )


def test_admin_user_without_the_permission_gets_403(client, outsider, organic_farmland):
    client.force_login(outsider)
    assert client.get("/admin/databank/").status_code == 403
    record = Import.objects.create(indicator=organic_farmland, file_name="x.csv", sha256="0")
    for url in (
        f"/admin/databank/imports/{record.pk}/",
        f"/admin/databank/imports/{record.pk}/problems.csv",
    ):
        assert client.get(url).status_code == 403
    for url in (
        f"/admin/databank/imports/{record.pk}/confirm/",
        f"/admin/databank/imports/{record.pk}/undo/",
    ):
        assert client.post(url).status_code == 403
    assert client.get("/admin/databank/imports/999999/").status_code == 403


def test_editor_checks_confirms_and_undoes(client, editor, organic_farmland):
    client.force_login(editor)
    before = values_checksum()
    response = _upload(client, organic_farmland, EXTRACT)
    record = Import.objects.exclude(via="reference").get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{record.pk}/")
    assert values_checksum() == before  # checked, not stored
    page = client.get(f"/admin/databank/imports/{record.pk}/").content.decode()
    for text in (
        "utf-8",
        "codi_municipi",
        "valor_final",
        'data-count="added">20<',
        "databank-confirm",
    ):
        assert text in page
    client.post(f"/admin/databank/imports/{record.pk}/confirm/")
    record.refresh_from_db()
    assert (record.state, record.added, record.user) == ("applied", 20, editor)
    assert len(block_stored(organic_farmland.pk)) == 20
    assert "databank-undo" in client.get(f"/admin/databank/imports/{record.pk}/").content.decode()
    history = client.get("/admin/databank/").content.decode()
    assert EXTRACT.name in history and record.sha256[:10] in history
    client.post(f"/admin/databank/imports/{record.pk}/undo/")
    record.refresh_from_db()
    assert record.state == "undone" and record.undone_by == editor
    assert values_checksum() == before


def test_a_broken_file_lists_row_and_column_in_the_editors_language(
    client, editor, organic_farmland
):
    client.force_login(editor)
    before = values_checksum()
    _upload(client, organic_farmland, BROKEN)
    record = Import.objects.exclude(via="reference").get()
    assert record.state == "refused"
    for language, sentence in (
        ("en", "The value is not a number."),
        ("ca", "El valor no és un nombre."),
        ("es", "El valor no es un número."),
    ):
        page = client.get(
            f"/admin/databank/imports/{record.pk}/", HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        assert sentence in page, language
        assert "<td>7</td><td>valor_final</td>" in page
    assert "databank-confirm" not in page
    assert client.post(f"/admin/databank/imports/{record.pk}/confirm/").status_code == 302
    csv_text = client.get(f"/admin/databank/imports/{record.pk}/problems.csv").content.decode()
    assert csv_text.splitlines()[0] == "file,row,column,value,code,message"
    assert ',7,valor_final,"13,1x",non-numeric-value,' in csv_text
    assert values_checksum() == before


def test_the_mapping_form_checks_the_same_file_again(client, editor, organic_farmland):
    client.force_login(editor)
    _upload(client, organic_farmland, EXTRACT)
    record = Import.objects.exclude(via="reference").get()
    # Told the decimal mark is a point, "13,13" is no number.
    client.post(f"/admin/databank/imports/{record.pk}/", {"decimal": "."})
    record.refresh_from_db()
    assert record.state == "refused"
    assert record.report["issue_counts"] == {"non-numeric-value": 20}
    client.post(f"/admin/databank/imports/{record.pk}/", {"decimal": ","})
    record.refresh_from_db()
    assert (record.state, record.added) == ("checked", 20)
    assert record.mapping == {"toml": '[file]\ndecimal = ","\n'}


def test_an_oversized_or_empty_upload_is_refused_with_a_reason(
    client, editor, organic_farmland, tmp_path
):
    client.force_login(editor)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    page = _upload(client, organic_farmland, empty).content.decode()
    assert "The submitted file is empty." in page
    assert not Import.objects.exclude(via="reference").exists()


# ---- The catalogue editor ----

ADD = "/admin/snippets/databank/indicator/add/"


def _indicator_post(**changes):
    data = {
        "code": "organic_farmland_share_2",
        "publisher_code": "2.1.1",
        "unit": "percent",
        "decimals": "2",
        "direction": "higher_is_better",
        "periodicity": "annual",
        "territorial_level": "municipality",
        "value_type": "numeric",
        "aggregation": "value",
        "value_min": "0",
        "value_max": "100",
        "sdg_targets": "2.4",
        "sdg_indicators": "",
        "disaggregations": "",
        "categories-count": "0",
        "dimensions-count": "0",
        "source": "Visor 2030",
        "source_url": "https://github.com/DiputacioBarcelona/Visor2030-API",
        "licence": "AGPL-3.0-only",
        "sdg_rationale": "",
        "position": "50",
        "name": "Superfície agrícola ecològica",
        "name_es": "Superficie agrícola ecológica",
        "name_en": "Organic farmland",
        "definition": "Percentatge en ecològic.",
        "definition_es": "Porcentaje en ecológico.",
        "definition_en": "Share under organic farming.",
        "method": "Ecològica / total x 100.",
        "method_es": "Ecológica / total x 100.",
        "method_en": "Organic / total x 100.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_catalogue_editor_refuses_unknown_targets_bad_codes_and_missing_languages(client, editor):
    client.force_login(editor)
    page = client.post(ADD, _indicator_post(sdg_targets="2.4, 2.99"), HTTP_ACCEPT_LANGUAGE="en")
    assert "These SDG targets do not exist: 2.99." in page.content.decode()
    page = client.post(ADD, _indicator_post(code="Organic-Share"), HTTP_ACCEPT_LANGUAGE="en")
    assert "lowercase snake_case" in page.content.decode()
    page = client.post(ADD, _indicator_post(name_en=""), HTTP_ACCEPT_LANGUAGE="en")
    assert "translation pending" in page.content.decode()
    page = client.post(ADD, _indicator_post(unit="furlongs"), HTTP_ACCEPT_LANGUAGE="en")
    # The unit is a select of the catalogue's units: anything else is not a choice.
    assert "Select a valid choice. furlongs is not one of the available choices." in (
        page.content.decode()
    )
    assert not Indicator.objects.filter(code="organic_farmland_share_2").exists()


def test_catalogue_editor_saves_a_pending_translation_and_the_site_sees_it(client, editor):
    from concertem.databank.selectors import databank_catalog

    client.force_login(editor)
    response = client.post(ADD, _indicator_post(name_en="", translation_pending="on"))
    assert response.status_code == 302
    indicator = Indicator.objects.get(code="organic_farmland_share_2")
    assert indicator.sdg_targets == ["2.4"] and indicator.translation_pending
    catalog = databank_catalog()
    assert catalog.get("organic_farmland_share_2").names["en"] == "Superfície agrícola ecològica"
    assert catalog.of_goal(2)
