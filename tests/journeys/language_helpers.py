"""Shared by the official and open-data journeys: the demo site they walk, the check that
a page is still in the person's language, and axe-core run inside the person's own page
(logged-in pages look different to a fresh anonymous context)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def journey_demo(live_server, settings, tmp_path, monkeypatch) -> str:
    """The whole demo (``load_demo``), its files in a temp dir; returns the site's URL."""
    from django.core.management import call_command

    from concertem.common.pages import wagtail_roots_ensure
    from datasets.catalog import catalog_specs
    from datasets.packaging import package_build
    from datasets.versioning import VersionLedger

    settings.OFFICE_PRIVATE_ROOT = tmp_path / "private"
    settings.CONCERTEM_BUILD_DIR = tmp_path / "build"
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("CONCERTEM_BUILD_DIR", str(tmp_path / "build"))
    wagtail_roots_ensure()  # a flush between transactional tests can leave no root page
    call_command("load_demo", stdout=StringIO())
    ledger = VersionLedger(tmp_path / "build" / "versions.json")
    for spec in catalog_specs():
        if spec.name == "socioeconomic-variables":
            package_build(spec=spec, out_dir=tmp_path / "build" / "datapackages", ledger=ledger)
    return live_server.url


def language_assert(page, base_url: str, language: str, *, prefixed: bool = True) -> None:
    """The page is in ``language``: its <html lang> and, for pages that have one, its URL."""
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language, page.url
    if prefixed:
        assert page.url.startswith(f"{base_url}/{language}/"), page.url


def axe_serious(page) -> list[dict]:
    """Serious and critical axe-core violations of the page as the person sees it.

    The script is evaluated through the DevTools protocol, which the page's CSP (no
    inline script) does not govern; the page itself is unchanged.
    """
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is not installed: run `make test` (it runs `npm ci`).")
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {
            "url": page.url,
            "id": v["id"],
            "impact": v["impact"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
