"""The permission matrix: every role against every action, each cell asserted over HTTP.

Roles: anonymous, a verified official of the request's entity, an official of another
entity, an unverified official of the same entity, the agent of the territory, an agent
of another territory, an editor. Success is 200 for reads and 302 (a redirect back to the
request) for actions; a refusal is 403 with a page that says why, except to someone who may
not see the request at all, who gets 404 as for a reference that does not exist (so trying
references does not count requests); an anonymous reader of a private page is sent to the
login page ("login").
"""

from __future__ import annotations

import pytest

from tests.office.factories import PASSWORD, make_request, pdf_bytes, upload

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "official", "other_entity", "unverified", "agent", "other_agent", "editor"]
OK, R, FORBIDDEN, HIDDEN, LOGIN = 302, 200, 403, 404, "login"

# action -> expected result per role, in the order of ROLES.
MATRIX = {
    "view_catalogue": [R, R, R, R, R, R, R],
    "file_request": [FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    "view_request": [LOGIN, R, HIDDEN, HIDDEN, R, HIDDEN, R],
    "comment_on_request": [FORBIDDEN, OK, HIDDEN, HIDDEN, OK, HIDDEN, OK],
    "download_attachment": [LOGIN, R, HIDDEN, HIDDEN, R, HIDDEN, R],
    "change_state": [FORBIDDEN, FORBIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, OK],
    "resolve": [FORBIDDEN, FORBIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, OK],
    "see_metrics": [R, R, R, R, R, R, R],
}
CELLS = [
    (role, action, expected[index])
    for action, expected in MATRIX.items()
    for index, role in enumerate(ROLES)
]


def test_the_matrix_is_complete():
    assert len(CELLS) == len(ROLES) * len(MATRIX) == 56


@pytest.fixture
def world(people, catalogue, office):
    return {"people": people, "office": office, "catalogue": catalogue}


def _fresh_request(world):
    """Each cell gets its own request: a resolve in one cell must not close the next."""
    request = make_request(
        world["people"].official,
        service=world["catalogue"].audit,
        files=[upload("memo.pdf", pdf_bytes())],
    )
    return {**world, "request": request, "attachment": request.attachments.get()}


def _user(people, role):
    return {
        "anonymous": None,
        "official": people.official,
        "other_entity": people.other,
        "unverified": people.unverified,
        "agent": people.agent,
        "other_agent": people.other_agent,
        "editor": people.editor,
    }[role]


def _route(office, name, *args):
    return office.url + office.reverse_subpage(name, args=list(args))


def _do(client, world, action):
    office, request = world["office"], world["request"]
    detail = _route(office, "request_route", request.reference)
    if action == "view_catalogue":
        return client.get(_route(office, "catalogue_route"))
    if action == "file_request":
        return client.post(
            _route(office, "request_new_route"),
            {
                "service": "ENE-01",
                "description": "We need an audit of the library.",
                "entity_code": request.entity_code,
            },
        )
    if action == "view_request":
        return client.get(detail)
    if action == "comment_on_request":
        return client.post(
            _route(office, "message_route", request.reference), {"text": "A message in the thread."}
        )
    if action == "download_attachment":
        from django.urls import reverse

        return client.get(reverse("office:attachment", args=[world["attachment"].pk]))
    if action == "change_state":
        return client.post(
            _route(office, "state_route", request.reference), {"to_state": "in_progress"}
        )
    if action == "resolve":
        return client.post(
            _route(office, "state_route", request.reference),
            {"to_state": "resolved", "resolution": "Done.", "outcome": "service", "amount": "1200"},
        )
    if action == "see_metrics":
        return client.get(_route(office, "metrics_route"))
    raise AssertionError(action)


def _cell_problem(client, world, role, action, expected) -> str | None:
    from concertem.office.models import RequestMessage, SupportRequest

    client.logout()
    user = _user(world["people"], role)
    if user is not None and not client.login(username=user.username, password=PASSWORD):
        return "could not log in"

    def counts():
        return (
            SupportRequest.objects.count(),
            RequestMessage.objects.count(),
            world["request"].transitions.count(),
        )

    before = counts()
    response = _do(client, world, action)
    if expected == LOGIN:
        if response.status_code != 302 or "/accounts/login/" not in response["Location"]:
            return f"expected a login redirect, got {response.status_code}"
        return None
    if response.status_code != expected:
        return f"expected {expected}, got {response.status_code}"
    if expected in (FORBIDDEN, HIDDEN):
        # A refusal is a page that says why, and nothing was written.
        if b'role="alert"' not in response.content:
            return "403 without an explanation"
        if counts() != before:
            return "refused, yet something was written"
    if expected == OK and counts() == before:
        return "accepted, yet nothing was written"
    if action == "resolve" and expected == OK:
        request = SupportRequest.objects.get(pk=world["request"].pk)
        if request.state != "resolved" or request.cooperation_action is None:
            return "resolved without its cooperation action"
    return None


@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_row(client, world, action):
    """One action against the seven roles; every cell is checked and reported."""
    problems = {}
    for role, expected in zip(ROLES, MATRIX[action], strict=True):
        problem = _cell_problem(client, _fresh_request(world), role, action, expected)
        if problem:
            problems[role] = problem
    assert problems == {}, action
