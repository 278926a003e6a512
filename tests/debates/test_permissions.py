"""The permission matrix: every role against every action, each cell asserted over HTTP.

Success is a redirect (302) for actions, 200 for reads. A refusal is 403 with a page
that says why (anonymous readers of a restricted space are sent to the login page).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.debates.factories import OfficialFactory, UserFactory, make_comment, make_debate

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "invited", "other_entity", "unverified", "blocked", "moderator"]

OK, FORBIDDEN, LOGIN = 302, 403, "login"
R = 200  # a read that succeeds

# action -> expected result per role, in the order of ROLES.
MATRIX = {
    "read_public": [R, R, R, R, R, R],
    "read_restricted": [LOGIN, R, FORBIDDEN, FORBIDDEN, R, R],
    "comment_public": [FORBIDDEN, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    "comment_restricted": [FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    "reply_restricted": [FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    "edit_own_within_window": [FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    "edit_others": [FORBIDDEN] * 6,
    "flag": [FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    "hide": [FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    "close_debate": [FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
}
CELLS = [
    (role, action, expected[index])
    for action, expected in MATRIX.items()
    for index, role in enumerate(ROLES)
]


@pytest.fixture
def world(people, space, restricted_space):
    public_debate = make_debate(space, slug="public-debate")
    restricted_debate = make_debate(restricted_space, slug="restricted-debate")
    # A third official of an invited entity wrote the comment others reply to or flag.
    author = OfficialFactory(user=UserFactory(username="author"), entity_code="08279")
    target = make_comment(restricted_debate, author, "Someone else's comment.")
    return SimpleNamespace(
        people=people, public=public_debate, restricted=restricted_debate, target=target
    )


def _user(world, role):
    return {
        "anonymous": None,
        "invited": world.people.invited.user,
        "other_entity": world.people.other.user,
        "unverified": world.people.unverified.user,
        "blocked": world.people.blocked.user,
        "moderator": world.people.moderator,
    }[role]


def _comment_data(debate, text="My contribution.", parent=None):
    from debates.forms import DebateCommentForm

    data = {k: v for k, v in DebateCommentForm(debate).initial.items()}
    data.update({"comment": text, "followup": "on"})
    if parent is not None:
        data["parent"] = str(parent.pk)
    return data


def _own_comment(world, user, role):
    official = getattr(user, "official", None) if user else None
    if official is None:
        official = SimpleNamespace(
            user=user or UserFactory(username="nobody"), entity_code="", role=""
        )
    return make_comment(world.restricted, official, "My own words.")


def _act(client, world, role, action):
    user = _user(world, role)
    if user is not None:
        client.force_login(user)
    if action == "read_public":
        return client.get(world.public.url)
    if action == "read_restricted":
        return client.get(world.restricted.url)
    if action == "comment_public":
        return client.post(
            reverse("debates:comment-post", args=[world.public.pk]), _comment_data(world.public)
        )
    if action == "comment_restricted":
        return client.post(
            reverse("debates:comment-post", args=[world.restricted.pk]),
            _comment_data(world.restricted),
        )
    if action == "reply_restricted":
        return client.post(
            reverse("debates:comment-post", args=[world.restricted.pk]),
            _comment_data(world.restricted, parent=world.target),
        )
    if action == "edit_own_within_window":
        own = _own_comment(world, user, role)
        return client.post(reverse("debates:comment-edit", args=[own.pk]), {"comment": "Edited."})
    if action == "edit_others":
        return client.post(
            reverse("debates:comment-edit", args=[world.target.pk]), {"comment": "Hijacked."}
        )
    if action == "flag":
        return client.post(reverse("debates:comment-flag", args=[world.target.pk]))
    if action == "hide":
        return client.post(
            reverse("debates:comment-hide", args=[world.target.pk]), {"reason": "Off topic."}
        )
    if action == "close_debate":
        return client.post(
            reverse("debates:close", args=[world.restricted.pk]), {"conclusions": "Done."}
        )
    raise AssertionError(action)


def test_permission_matrix(client, world):
    """All 60 cells in one database set-up; each cell runs in a savepoint rolled back after,
    so no cell sees another's effects (e.g. a hidden comment, a closed debate)."""
    from django.db import transaction

    failures = []
    for role, action, expected in CELLS:
        savepoint = transaction.savepoint()
        client.logout()
        try:
            response = _act(client, world, role, action)
            problem = _cell_check(response, expected)
        finally:
            transaction.savepoint_rollback(savepoint)
        if problem:
            failures.append(f"{role:>12} x {action:<24}: {problem}")
    assert not failures, "\n" + "\n".join(failures)


def _cell_check(response, expected) -> str:
    if expected == LOGIN:
        if response.status_code != 302 or "/accounts/login/" not in response["Location"]:
            return f"expected a redirect to log in, got {response.status_code}"
        return ""
    if response.status_code != expected:
        return f"expected {expected}, got {response.status_code}"
    if expected == FORBIDDEN and 'role="alert"' not in response.content.decode():
        # A refusal is a page that says why, never a crash or a blank 403.
        return "403 without an explanation"
    return ""


def test_matrix_covers_every_role_and_action():
    assert len(CELLS) == len(ROLES) * len(MATRIX) == 60
