"""The "my municipality" page of an official and the "my territory" page of an agent:
what they gather, and what everyone else gets instead (a page that explains, never a
crash)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.debates.factories import make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def vic_world(homes, office, office_people, space, debate):
    """Vic (08298): a debate it commented in, a request, a cooperation action, and the
    allocation explorer page of the demo."""
    from concertem.cooperation.models import CooperationAction, Programme
    from debates.models import Official
    from tests.office.factories import make_request

    official = office_people["official"]
    make_comment(debate, Official.objects.get(user=official), "Vic speaks.")
    request = make_request(official, subject="Energy audit of the sports hall")
    programme = Programme.objects.create(code="PGI-TEST", name="Programme")
    action = CooperationAction.objects.create(
        action_id="TEST-1",
        entity_code="08298",
        programme=programme,
        kind="grant",
        title="New library roof",
        status="in_execution",
        amount_granted=Decimal("120000"),
        progress_pct=40,
        requested_on=timezone.localdate(),
    )
    from concertem.dataportal.demo_content import portal_pages_load

    portal_pages_load(homes)
    return {"official": official, "request": request, "action": action, "debate": debate}


def test_the_official_sees_debates_requests_actions_and_allocations(client, vic_world):
    client.force_login(vic_world["official"])
    response = client.get("/ca/my-municipality/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Vic</h1>" in body
    assert vic_world["debate"].title in body  # open, and Vic took part
    assert vic_world["request"].reference in body
    assert "New library roof" in body and "40% executat" in body
    assert "/ca/repartiment/08298/" in body  # the step-by-step calculation
    assert "/ca/municipis/08298/" in body  # the public profile


def test_each_allocation_links_to_its_step_by_step_page(vic_world):
    from concertem.notifications.municipality import allocations_context

    rows = allocations_context(entity_code="08298")
    assert rows, "the demo formulas cover Vic"
    assert all(row.amount and row.amount > 0 for row in rows if not row.excluded)


def test_an_agent_is_sent_to_their_territory(client, office_people, office, homes):
    agent = office_people["agent"]
    client.force_login(agent)
    response = client.get("/en/my-municipality/")
    assert response.status_code == 302 and response["Location"] == "/en/my-territory/"
    page = client.get("/en/my-territory/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Vic" in body and "Osona" in body  # the entities of the comarques served


def test_the_agents_queue_lists_open_requests_of_the_territory(client, vic_world, office_people):
    client.force_login(office_people["agent"])
    body = client.get("/ca/my-territory/").content.decode()
    assert vic_world["request"].reference in body


@pytest.mark.parametrize("who", ["plain", "unverified"])
def test_others_get_a_page_that_explains(client, office_people, homes, who):
    client.force_login(office_people[who])
    response = client.get("/ca/my-municipality/")
    assert response.status_code == 403
    body = response.content.decode()
    expected = "official-unverified" if who == "unverified" else "not-official"
    assert f'data-code="{expected}"' in body and 'role="alert"' in body
    assert client.get("/ca/my-territory/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, homes):
    for path in ("/ca/my-municipality/", "/en/my-territory/", "/es/notifications/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_menu_links_each_role_to_its_page(client, office_people, homes):
    client.force_login(office_people["official"])
    body = client.get("/ca/notifications/").content.decode()
    assert "/ca/my-municipality/" in body and "/ca/my-territory/" not in body
    client.force_login(office_people["agent"])
    body = client.get("/ca/notifications/").content.decode()
    assert "/ca/my-territory/" in body and "/ca/my-municipality/" not in body
    client.force_login(office_people["plain"])
    body = client.get("/ca/notifications/").content.decode()
    assert "/ca/my-territory/" not in body and "/ca/my-municipality/" not in body


def test_the_debates_are_read_in_a_fixed_number_of_queries(office_people, space, restricted_space):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from concertem.notifications.municipality import entity_debates
    from tests.debates.factories import make_debate

    user = office_people["official"]
    make_debate(space, slug="first")
    make_debate(restricted_space, slug="restricted-first")
    with CaptureQueriesContext(connection) as few:
        assert len(entity_debates(user=user, entity_code="08298")["open"]) == 2
    for number in range(4):
        make_debate(space, slug=f"more-{number}")
        make_debate(restricted_space, slug=f"restricted-{number}")
    user = type(user).objects.get(pk=user.pk)  # a new request: nothing cached on the user
    with CaptureQueriesContext(connection) as many:
        assert len(entity_debates(user=user, entity_code="08298")["open"]) == 10
    assert len(many.captured_queries) == len(few.captured_queries)
