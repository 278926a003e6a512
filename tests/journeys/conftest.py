"""Journeys: each role walks the product in Chromium, as a person does.

Every journey page watches the browser: a console error, or an answer of 400 or more
from the site under test (a page, a static file, an XHR), fails the test at the end,
listing what went wrong. A journey that expects a refusal (a 403 it provokes on
purpose) says so with ``watch.allow(status, path_fragment)``.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

EDITOR = ("editor", "concertem-editor")
OFFICIAL_VIC = ("alcaldessa.vic", "concertem-official")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/journeys is a browser test (``make test`` runs them)."""
    for item in items:
        if "/tests/journeys/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@dataclass
class BrowserWatch:
    """What a page's browser reported: console errors and failed requests."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    allowed: list[tuple[int, str]] = field(default_factory=list)

    def allow(self, status: int, path_fragment: str) -> None:
        """An answer the journey provokes on purpose (e.g. a 403 for the wrong role)."""
        self.allowed.append((status, path_fragment))

    def attach(self, page) -> None:
        page.on("console", self._on_console)
        page.on("response", self._on_response)
        page.on("pageerror", lambda error: self.console_errors.append(f"pageerror: {error}"))

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def _on_response(self, response) -> None:
        if response.status < 400 or not response.url.startswith(self.origin):
            return
        path = response.url[len(self.origin) :]
        if any(status == response.status and frag in path for status, frag in self.allowed):
            return
        self.failed_requests.append(f"{response.status} {response.request.method} {path}")

    def problems(self) -> list[str]:
        # A console line about a response we allowed (Chromium logs "Failed to load
        # resource: ... 403") is the same event, not a second problem.
        allowed_statuses = {str(status) for status, _ in self.allowed}
        console = [
            line
            for line in self.console_errors
            if not (
                line.startswith("Failed to load resource")
                and any(re.search(rf"\b{s}\b", line) for s in allowed_statuses)
            )
        ]
        return console + self.failed_requests


@pytest.fixture
def journey_context(browser, live_server) -> Iterator:
    """A factory of watched pages: ``new_page(width=1280, locale="ca-ES")``.

    Each call opens a fresh browser context (its own cookies: one person), so a
    journey can have an editor and an official side by side. At the end the test
    fails if any page saw a console error or a 4xx/5xx from the site.
    """
    watches: list[BrowserWatch] = []
    contexts = []

    def new_page(*, width: int = 1280, height: int = 900, locale: str = "ca-ES"):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale=locale,
            extra_http_headers={"Accept-Language": locale},
        )
        contexts.append(context)
        page = context.new_page()
        watch = BrowserWatch(origin=live_server.url)
        watch.attach(page)
        watches.append(watch)
        page.watch = watch  # the journey can call page.watch.allow(403, "/...")
        return page

    yield new_page
    # Let the browser's last requests (the admin's autosave, a session touch) finish before
    # the contexts close: closing does not wait for the live server, whose thread would
    # still hold the in-memory database's tables while the test database is flushed.
    for context in contexts:
        for open_page in context.pages:
            with contextlib.suppress(PlaywrightTimeoutError):
                open_page.wait_for_load_state("networkidle", timeout=5_000)
    problems = [problem for watch in watches for problem in watch.problems()]
    for context in contexts:
        context.close()
    live_server_requests_wait()
    assert not problems, "the browser reported:\n" + "\n".join(problems)


def live_server_requests_wait(timeout: float = 10.0) -> None:
    """Return once the live server's request threads have ended (at most ``timeout`` s).

    Closing a browser context does not wait for the server: a request thread may still be
    writing through the in-memory database's shared connection when the test database is
    flushed ("database table is locked", after which every later live-server test fails).
    Its sockets closed, each thread ends. They are daemon threads, which ``socketserver``
    does not keep, so they are found by the name ``threading`` gives them (their target's).
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(
        thread.name.endswith("(process_request_thread)") for thread in threading.enumerate()
    ):
        time.sleep(0.05)


def site_login(page, base_url: str, username: str, password: str, *, lang: str = "ca") -> None:
    """Log in through the public login form, as a person does, in ``lang``."""
    page.goto(f"{base_url}/{lang}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def admin_login(page, base_url: str, username: str = EDITOR[0], password: str = EDITOR[1]) -> None:
    """Log in to the Wagtail admin through its own login form."""
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/admin/(?!login).*"))
