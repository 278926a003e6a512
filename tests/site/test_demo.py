"""The demo a newcomer gets from `make demo`: every part loads, and its pages answer."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PAGES = [
    "/ca/",
    "/es/",
    "/en/",
    "/ca/programa/",
    "/ca/repartiment/",
    "/ca/repartiment/08298/",
    "/ca/municipis/",
    "/ca/municipis/08298/",
    "/ca/dades/",
    "/ca/dades/territory/",
    "/ca/ods/",
    "/ca/ods/8/",
    "/ca/revisio-formula-2027/",
]


def test_demo_loads_twice_and_every_part_answers(client, settings, tmp_path):
    settings.CONCERTEM_BUILD_DIR = tmp_path / "build"
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=io.StringIO())  # idempotent: a second run changes nothing
    for path in PAGES:
        assert client.get(path).status_code == 200, path
    # Each app's own pages hang under the home page in the menu.
    menu = client.get("/ca/").content.decode()
    for link in ("/ca/repartiment/", "/ca/municipis/", "/ca/dades/", "/ca/ods/"):
        assert f'href="{link}"' in menu
    call_command("export_open_data", stdout=io.StringIO())
    exported = {path.parent.name for path in (tmp_path / "build").rglob("*.csv")}
    assert {"contributions", "office"} <= exported, exported
