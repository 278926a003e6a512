"""The office's tabs show only what the person may use: an official waiting for
verification does not get an "Our requests" tab that would answer 403."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

REQUESTS_TAB = 'requests/"'


def _catalogue(client, office, user):
    if user is not None:
        client.force_login(user)
    return client.get(office.url)


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("anonymous", False),
        ("plain", False),
        ("unverified", False),
        ("official", True),
        ("agent", True),
        ("editor", True),  # the office's managers
    ],
)
def test_the_requests_tab_is_shown_to_those_who_may_use_it(client, office, people, who, shown):
    user = None if who == "anonymous" else getattr(people, who)
    body = _catalogue(client, office, user).content.decode()
    tabs = body[body.index('class="office-tabs"') :]
    tabs = tabs[: tabs.index("</nav>")]
    assert (REQUESTS_TAB in tabs) is shown
    if shown:
        # ... and the tab leads to a page, not to a refusal.
        assert client.get(f"{office.url}requests/").status_code == 200
