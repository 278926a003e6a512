"""The office in a real browser: an official files a request with an attachment, the
territorial agent answers and resolves it into a cooperation action, the official sees the
outcome, and the published metrics follow. Screenshots at 1280 and 375 px; axe clean."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
OFFICE = "/ca/oficina-municipis/"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def site_url(live_server, settings, tmp_path, monkeypatch):
    settings.OFFICE_PRIVATE_ROOT = tmp_path / "private"
    settings.CONCERTEM_BUILD_DIR = tmp_path / "build"
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("CONCERTEM_BUILD_DIR", str(tmp_path / "build"))
    from concertem.common.pages import wagtail_roots_ensure
    from concertem.home.demo_content import demo_site_load
    from concertem.office.demo import demo_office_load

    # A flush between transactional tests can leave Wagtail without its root rows.
    wagtail_roots_ensure()
    demo_office_load(demo_site_load())
    return live_server.url


def _metrics_total(build_dir: Path) -> dict[str, str]:
    with (build_dir / "office" / "office_metrics.csv").open(encoding="utf-8") as handle:
        return next(csv.DictReader(handle))


def _log_in(page, site_url, username, password, next_path):
    page.goto(f"{site_url}/ca/accounts/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{site_url}{next_path}")


def _no_overflow(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_official_files_agent_resolves_official_sees_outcome(
    browser, site_url, settings, screenshot_dir
):
    errors: list[str] = []
    before = _metrics_total(Path(settings.CONCERTEM_BUILD_DIR))

    # ---- The official of Vic finds a service and files a request with an attachment ----
    official = browser.new_context(viewport={"width": 1280, "height": 900})
    page = official.new_page()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    _log_in(page, site_url, "alcaldessa.vic", "concertem-official", OFFICE)
    page.fill("#service-q", "auditoria")
    page.locator("form.filter-bar button[type=submit]").click()
    page.wait_for_load_state()
    cards = page.locator(".service-card")
    assert cards.count() == 1
    page.screenshot(path=str(screenshot_dir / "office-catalogue-search-1280.png"), full_page=True)
    cards.first.locator("a").first.click()
    page.wait_for_url(f"{site_url}{OFFICE}services/ENE-01/")
    page.locator(".panel--accent a.button").click()
    page.wait_for_url(f"{site_url}{OFFICE}requests/new/?service=ENE-01")
    assert page.locator("#id_service").input_value() == "ENE-01"
    page.fill("#id_subject", "Auditoria de la biblioteca Joan Triadú")
    page.fill(
        "#id_description",
        "La biblioteca consumeix massa a l'hivern. Adjuntem les factures de l'últim any.",
    )
    page.set_input_files(
        "#id_attachments",
        files=[{"name": "factures-2025.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    assert "factures-2025.pdf" in page.locator(".file-note").inner_text()
    page.screenshot(path=str(screenshot_dir / "office-new-request-1280.png"), full_page=True)
    page.locator("form.office-form button[type=submit]").click()
    page.wait_for_url("**/requests/OAM-*/")
    reference = page.locator(".request-head__ref").inner_text().split()[0]
    assert reference.startswith("OAM-")
    assert "Marta Soler" in page.locator(".facts").inner_text()  # routed to Osona's agent
    assert page.locator(".attachments a", has_text="factures-2025.pdf").count() == 1
    request_path = page.url.replace(site_url, "")
    official.close()

    # ---- The agent answers, downloads the file, and resolves into a service ----
    agent = browser.new_context(viewport={"width": 1280, "height": 900})
    page = agent.new_page()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    _log_in(page, site_url, "agent.centre", "concertem-agent", request_path)
    with page.expect_download() as download:
        page.locator(".attachments a", has_text="factures-2025.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF
    page.fill("#id_text", "Hem rebut les factures. L'equip d'energia farà l'auditoria.")
    page.locator("form.message-form button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("form.state-form:has(input[value=in_progress]) button").click()
    page.wait_for_load_state()
    assert "state--in_progress" in page.locator(".request-head .state").get_attribute("class")
    page.locator("details#resolve > summary").click()
    amount = page.locator("[data-amount]")
    assert amount.is_hidden()  # advice only: no amount asked
    page.fill("#id_resolution", "Auditoria encarregada a l'equip d'energia de la Diputació.")
    page.check("input[name=outcome][value=service]")
    assert amount.is_visible()
    page.fill("#id_amount", "4800")
    page.screenshot(path=str(screenshot_dir / "office-agent-resolve-1280.png"), full_page=True)
    page.locator("details#resolve button[type=submit]").click()
    page.wait_for_load_state()
    assert "state--resolved" in page.locator(".request-head .state").get_attribute("class")
    assert reference in page.locator(".outcome").inner_text()  # the cooperation action's id
    agent.close()

    from concertem.cooperation.models import CooperationAction

    action = CooperationAction.objects.get(action_id=reference)
    assert (action.kind, action.entity_code, str(action.amount_granted)) == (
        "service",
        "08298",
        "4800.00",
    )

    # ---- The official sees the outcome, on a desktop and on a phone ----
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        _log_in(page, site_url, "alcaldessa.vic", "concertem-official", request_path)
        outcome = page.locator(".outcome").inner_text()
        assert "Auditoria encarregada" in outcome and "4.800" in outcome
        assert page.locator(".timeline__item--message").count() == 1
        _no_overflow(page, width)
        page.screenshot(
            path=str(screenshot_dir / f"office-request-outcome-{width}.png"), full_page=True
        )
        page.goto(f"{site_url}{OFFICE}requests/")
        _no_overflow(page, width)
        page.screenshot(path=str(screenshot_dir / f"office-requests-{width}.png"), full_page=True)
        context.close()

    # ---- The published metrics followed ----
    after = _metrics_total(Path(settings.CONCERTEM_BUILD_DIR))
    assert int(after["requests"]) == int(before["requests"]) + 1
    assert int(after["resolved"]) == int(before["resolved"]) + 1
    assert errors == []


def test_public_pages_on_a_phone_and_a_desktop(browser, site_url, screenshot_dir):
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for path, name in (
            (OFFICE, "catalogue"),
            (f"{OFFICE}metrics/", "metrics"),
            (f"{OFFICE}services/URB-01/", "service"),
        ):
            page.goto(f"{site_url}{path}")
            _no_overflow(page, width)
            page.screenshot(path=str(screenshot_dir / f"office-{name}-{width}.png"), full_page=True)
        page.goto(f"{site_url}{OFFICE}?area=digital")
        assert page.locator(".service-card").count() == 2  # the withdrawn one is not offered
        context.close()


def test_no_serious_accessibility_violations(browser, site_url):
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is not installed: run `make test` (it runs `npm ci`).")
    # Its own context bypasses CSP to inject axe; the pages themselves are unchanged.
    for username, password, paths in (
        (None, None, [OFFICE, f"{OFFICE}metrics/", f"{OFFICE}services/ENE-01/"]),
        ("alcaldessa.vic", "concertem-official", [f"{OFFICE}requests/", f"{OFFICE}requests/new/"]),
        ("agent.centre", "concertem-agent", [f"{OFFICE}requests/"]),
    ):
        for width in (1280, 375):
            context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
            page = context.new_page()
            if username:
                _log_in(page, site_url, username, password, paths[0])
            for path in paths:
                page.goto(f"{site_url}{path}")
                assert _axe(page) == [], (username, path, width)
            if username:  # and one request each can see, with its forms
                page.goto(f"{site_url}{OFFICE}requests/")
                page.locator(".request-row__title a").first.click()
                page.wait_for_load_state()
                assert _axe(page) == [], (username, page.url, width)
            context.close()
