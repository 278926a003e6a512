"""Shared fixtures: media in a temp dir, demo site content, and headless Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# The `ckan_server` / `ckan_client` fixtures for integration tests (real local CKAN).
pytest_plugins = ["tests.ckan_fixtures"]

REPO_DIR = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM
# calls from a thread with a running loop unless told the caller knows better.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def media_root_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Private files (office attachments, Wagtail documents) too: never the checkout's var/.
    settings.OFFICE_PRIVATE_ROOT = tmp_path / "private"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional (live-server) tests last, whatever other plugins did to the order.

    They end by flushing the database, migrations' rows included (Wagtail's root page,
    locales, the default site): a database test running after one would find no root
    page. pytest-django orders them after the others, but that order did not survive
    here (database tests were seen running after the browser tests), so it is enforced
    once more, stably, after every other plugin.
    """

    def transactional(item: pytest.Item) -> bool:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        return bool(
            (marker and marker.kwargs.get("transaction"))
            or "live_server" in fixtures
            or "transactional_db" in fixtures
        )

    items.sort(key=transactional)


@pytest.fixture(scope="session", autouse=True)
def migrated_data(request, django_db_setup, django_db_blocker) -> str | None:
    """The rows the migrations create, serialized once before any test runs.

    Browser tests use a live server, hence a transactional database that is flushed
    after each test. pytest-django restores the migrations' rows (Wagtail's root page,
    default site, locales, groups and their permissions) only in some test orders, so
    a later browser test could find them gone; ``serialized_data_restore`` puts them back.
    """
    if not any(item.get_closest_marker("browser") for item in request.session.items):
        return None
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def serialized_data_restore(request, migrated_data):
    if request.node.get_closest_marker("browser") is None or migrated_data is None:
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection
    from wagtail.models import Page

    if Page.get_first_root_node() is None:
        from django.core.management import call_command

        # Empty it the way Django's own serialized rollback does (no post-migrate
        # signal recreating content types), then load the rows as the migrations left them.
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(migrated_data)
    yield


# ---- Admin users (Wagtail's default groups, made by its migrations) ----
@pytest.fixture
def editor(db):
    """A member of Wagtail's Editors group."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("ed", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def outsider(db):
    """Admin access, but no editor's group: refused by every editor's screen."""
    from django.contrib.auth.models import Permission, User

    user = User.objects.create_user("other", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def demo_site(db):
    from concertem.home.demo_content import demo_site_load

    return demo_site_load()


# ---- Browser (Debian's Chromium driven by Playwright; no browser download) ----
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: run `make test` (it installs Debian's chromium).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def screenshot_dir() -> Path:
    path = REPO_DIR / "var" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


# ---- Accessibility (axe-core from npm) ----
AXE_SCRIPT = REPO_DIR / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe_violations(browser):
    """Return a function: url -> serious/critical axe-core violations on that page.

    axe is injected as an inline script, which the site's CSP forbids, so the check
    runs in its own context that bypasses CSP (the page under test is unchanged).
    """
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is not installed: run `make test` (it runs `npm ci`).")
    context = browser.new_context(bypass_csp=True)

    def check(url: str, *, width: int = 1280) -> list[dict]:
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        page.add_script_tag(path=str(AXE_SCRIPT))
        result = page.evaluate("async () => await axe.run(document)")
        page.close()
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    yield check
    context.close()
