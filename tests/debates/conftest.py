from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.debates.factories import (
    OfficialFactory,
    UserFactory,
    make_debate,
    make_moderator,
    make_space,
)


@pytest.fixture(autouse=True)
def _debates_settings(settings):
    from django.core.cache import cache

    settings.DEBATES_COMMENT_RATE_LIMIT = (5, 60)
    settings.DEBATES_COMMENT_EDIT_MINUTES = 15
    cache.clear()  # the edit rate limit counts in the cache; user ids repeat across tests


@pytest.fixture
def homes(db):
    from concertem.home.demo_content import home_tree_ensure

    return home_tree_ensure()


@pytest.fixture
def space(homes):
    return make_space(homes["ca"], slug="public-space")


@pytest.fixture
def restricted_space(homes):
    return make_space(homes["ca"], slug="restricted-space", restricted=True)


@pytest.fixture
def debate(space):
    return make_debate(space, slug="open-debate")


@pytest.fixture
def people(db):
    """One user per role of the permission matrix."""
    invited = OfficialFactory(user=UserFactory(username="vic"), entity_code="08298")
    other = OfficialFactory(user=UserFactory(username="manresa"), entity_code="08113")
    unverified = OfficialFactory(
        user=UserFactory(username="unverified"), entity_code="08298", verified=False
    )
    blocked = OfficialFactory(user=UserFactory(username="blocked"), entity_code="08279")
    from debates.models import UserBlock

    moderator = make_moderator()
    UserBlock.objects.create(user=blocked.user, reason="spam", blocked_by=moderator)
    return SimpleNamespace(
        invited=invited,
        other=other,
        unverified=unverified,
        blocked=blocked,
        moderator=moderator,
        plain=UserFactory(username="plain"),
    )
