"""Answering the survey and reading its results in a real browser; axe on every page."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def survey(live_server, settings):
    from django.core.cache import cache

    from concertem.common.pages import wagtail_roots_ensure
    from concertem.home.demo_content import demo_site_load
    from concertem.surveys.demo import demo_surveys_load

    settings.SURVEYS_MIN_FILL_SECONDS = 1
    cache.clear()
    wagtail_roots_ensure()
    pages = demo_surveys_load(demo_site_load())
    return live_server.url, pages


def test_a_resident_answers_with_the_keyboard_and_mouse(page, survey, screenshot_dir):
    site_url, pages = survey
    base = f"{site_url}{pages['ca'].url}"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base)
    page.select_option("#survey-entity", "08187")
    page.get_by_role("button", name="Respon l'enquesta").click()
    page.wait_for_url("**/answer/08187/")
    page.screenshot(path=str(screenshot_dir / "survey-answer-ca-1280.png"), full_page=True)
    # Submitting empty shows the errors, with status 400 and the form kept.
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Envia les meves respostes").click()
    assert page.locator("#form-errors").is_visible()
    for key, value in (("overall", "8"), ("cleanliness", "6"), ("facilities", "9")):
        page.locator(f"input[name='q_{key}'][value='{value}']").check()
    page.get_by_label("Habitatge").check()
    page.get_by_label("Per internet").check()
    page.locator("textarea[name='q_comments']").fill("Més bancs a la plaça")
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Envia les meves respostes").click()
    page.wait_for_url("**/thanks/")
    assert "Gràcies" in page.locator("h1").inner_text()
    # A second visit from the same browser is refused with a clear message.
    page.goto(f"{base}answer/08187/")
    assert "Ja s'ha desat una resposta" in page.locator("[data-refusal]").inner_text()


def test_results_show_charts_tables_and_suppression(page, survey, screenshot_dir):
    site_url, pages = survey
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}{pages['en'].url}results/")
    assert page.locator(".notice--demo").is_visible()
    assert "fewer than 10" in page.locator("tr", has_text="Bagà").inner_text()
    page.screenshot(path=str(screenshot_dir / "survey-results-en-1280.png"), full_page=True)
    page.get_by_role("link", name="Results for Sabadell").click()
    assert page.locator("svg.bar-chart").count() == 5
    assert page.locator("table.data-table").count() >= 5
    page.screenshot(path=str(screenshot_dir / "survey-sabadell-en-1280.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{site_url}{pages['es'].url}results/08187/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(screenshot_dir / "survey-sabadell-es-375.png"), full_page=True)


def test_no_serious_accessibility_violations(survey, axe_violations):
    site_url, pages = survey
    for path in (
        pages["ca"].url,
        f"{pages['ca'].url}answer/08187/",
        f"{pages['en'].url}results/",
        f"{pages['es'].url}results/08279/",
        f"{pages['ca'].url}results/08016/",
        f"{pages['ca'].url}answer/08019/",
    ):
        for width in (1280, 375):
            assert axe_violations(f"{site_url}{path}", width=width) == [], (path, width)
