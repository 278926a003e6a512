"""The metadata tab names the last import whose values the indicator still shows (read from
the values' provenance): the initial load, then an editor's file, then the load again once
that import is undone."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.databank.conftest import EXTRACT

pytestmark = pytest.mark.django_db

URL = "/{lang}/{sdg}/2/?indicator=organic_farmland_share&tab=metadata"


def _last_import(client, lang: str) -> str:
    sdg = {"ca": "ods", "es": "ods", "en": "sdg"}[lang]
    html = client.get(URL.format(lang=lang, sdg=sdg)).content.decode()
    label = {"ca": "Darrera importació", "es": "Última importación", "en": "Last import"}[lang]
    found = re.search(rf"<dt>{label}</dt><dd>(.*?)</dd>", html, re.S)
    assert found, f"no '{label}' in the metadata tab"
    return unescape(found.group(1)).strip()


def test_the_metadata_tab_names_the_import_the_values_come_from(client, portal_site):
    from concertem.databank.models import Indicator
    from concertem.databank.services import file_import, import_undo

    assert "initial load (indicator_values.csv)" in _last_import(client, "en")
    assert "càrrega inicial del banc de dades" in _last_import(client, "ca")
    # The same values again change nothing: the load is still what the page shows.
    indicator = Indicator.objects.get(code="organic_farmland_share")
    file_import(content=EXTRACT.read_bytes(), file_name=EXTRACT.name, indicator=indicator)
    assert "initial load" in _last_import(client, "en")
    corrected = EXTRACT.read_text(encoding="utf-8").replace('08001,2019,"13,13"', "08001,2019,14")
    record, _ = file_import(
        content=corrected.encode(), file_name="corregit.csv", indicator=indicator
    )
    assert record.replaced == 1
    assert _last_import(client, "ca").endswith(", fitxer corregit.csv")
    assert _last_import(client, "es").endswith(", archivo corregit.csv")
    import_undo(record)
    assert "initial load (indicator_values.csv)" in _last_import(client, "en")
