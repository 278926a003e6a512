"""Fixtures of the office tests: private storage and build dir in tmp, a small world of
officials, agents, an editor and services, and the office page."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.office.factories import (
    make_agent,
    make_editor,
    make_official,
    make_service,
    make_user,
)


@pytest.fixture(autouse=True)
def office_dirs(settings, tmp_path, monkeypatch):
    settings.OFFICE_PRIVATE_ROOT = tmp_path / "private"
    settings.CONCERTEM_BUILD_DIR = tmp_path / "build"
    settings.OFFICE_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    settings.OFFICE_IDLE_REMINDER_DAYS = 5
    # datasets.catalog reads the export through the environment (it has no settings).
    monkeypatch.setenv("CONCERTEM_BUILD_DIR", str(tmp_path / "build"))
    return tmp_path


@pytest.fixture
def homes(db):
    from concertem.home.demo_content import home_tree_ensure

    return home_tree_ensure()


@pytest.fixture
def office(homes):
    from concertem.common.pages import page_translations_ensure
    from concertem.office.demo import demo_page_content
    from concertem.office.models import OfficePage

    return page_translations_ensure(parents=homes, model=OfficePage, content=demo_page_content())[
        "ca"
    ]


@pytest.fixture
def people(db):
    """One user per role of the permission matrix (Vic is in Osona, Terrassa in Vallès
    Occidental)."""
    return SimpleNamespace(
        official=make_official("vic", "08298"),
        colleague=make_official("vic2", "08298"),
        other=make_official("terrassa", "08279"),
        unverified=make_official("vic-unverified", "08298", verified=False),
        agent=make_agent("agent-osona", comarques="Osona, Bages"),
        other_agent=make_agent("agent-valles", comarques="Vallès Occidental"),
        editor=make_editor(),
        plain=make_user("plain"),
    )


@pytest.fixture
def catalogue(db):
    return SimpleNamespace(
        audit=make_service("ENE-01", area="environment", title="Auditoria energètica"),
        grant=make_service("CUL-01", area="culture", kind="economic", title="Programació cultural"),
        withdrawn=make_service("DIG-03", area="digital", title="Portàtils", active=False),
    )
