"""The notifications tests reuse the debates' and the office's fixtures and factories."""

from __future__ import annotations

import pytest

from tests.debates.conftest import (  # noqa: F401  (fixtures)
    _debates_settings,
    debate,
    homes,
    people,
    restricted_space,
    space,
)
from tests.office.conftest import office, office_dirs  # noqa: F401  (fixtures)


@pytest.fixture
def office_people(db):
    from tests.office.factories import make_agent, make_official, make_user

    return {
        "official": make_official("vic-official", "08298"),
        "colleague": make_official("vic-colleague", "08298"),
        "unverified": make_official("vic-waiting", "08298", verified=False),
        "agent": make_agent("agent-osona", comarques="Osona, Bages"),
        "plain": make_user("plain-user"),
    }
