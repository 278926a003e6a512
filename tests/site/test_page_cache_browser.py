"""A page served from the page cache works in a real browser: its scripts run under the
Content-Security-Policy stored with it, and the console stays clean."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site_url(live_server, settings):
    from django.core.cache import cache

    from concertem.home.demo_content import demo_site_load

    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    demo_site_load()
    return live_server.url


@pytest.mark.parametrize("path", ["/ca/", "/ca/programa/"])
def test_scripts_run_on_a_cached_page_without_console_errors(browser, site_url, path):
    first_visitor = browser.new_context()
    first = first_visitor.new_page().goto(f"{site_url}{path}")
    assert first.status == 200 and first.headers.get("x-page-cache") == "miss"
    first_visitor.close()
    # Another visitor (its own browser cache and cookies) gets the stored page.
    visitor = browser.new_context()
    page = visitor.new_page()
    problems = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    second = page.goto(f"{site_url}{path}")
    assert second.headers.get("x-page-cache") == "hit"
    assert "script-src 'self'" in second.headers["content-security-policy"]
    # nav.js removes the no-js class: the cached page's script ran.
    assert page.evaluate("document.documentElement.classList.contains('no-js')") is False
    assert problems == []
    visitor.close()
