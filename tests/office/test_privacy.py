"""What the office must not give away (issue 14): how many requests exist, who asked about
what in a small comarca, and the private subject of a request that became public action."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from concertem.cooperation.models import CooperationAction
from concertem.office.metrics import RequestFact, metrics_compute
from concertem.office.models import SupportRequest
from tests.office.factories import PASSWORD, make_request

pytestmark = pytest.mark.django_db


def test_an_outsider_cannot_tell_a_real_reference_from_a_made_up_one(office, people):
    request = make_request(people.official, subject="Confidential: staff dispute")
    client = Client()
    client.login(username=people.other.username, password=PASSWORD)
    real = client.get(f"{office.url}requests/{request.reference}/")
    made_up = client.get(f"{office.url}requests/{request.reference[:-1]}Z/")
    assert real.status_code == made_up.status_code == 404
    assert "Confidential" not in real.content.decode()
    before = SupportRequest.objects.count()
    posted = client.post(f"{office.url}requests/{request.reference}/message/", {"body": "hi"})
    assert posted.status_code == 404
    assert SupportRequest.objects.count() == before
    assert request.messages.count() == 0


def test_references_are_random(people):
    references = {make_request(people.official).reference[-8:] for _ in range(5)}
    assert len(references) == 5
    numbers = [int(code, 36) for code in references]
    assert max(numbers) - min(numbers) > 5  # not a counter


def test_small_comarques_are_pooled_in_the_metrics():
    created = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    facts = [RequestFact("legal", "Osona", "received", created) for _ in range(5)]
    facts += [RequestFact("legal", "Berguedà", "resolved", created, created, created)]
    facts += [RequestFact("legal", "Priorat", "received", created)]
    rows = metrics_compute(facts, as_of=dt.date(2026, 2, 1), comarca_minimum=5)
    comarques = {row.group_code: row.requests for row in rows if row.dimension == "comarca"}
    assert comarques == {"Osona": 5, "other": 2}  # Berguedà and Priorat are not named
    unpooled = metrics_compute(facts, as_of=dt.date(2026, 2, 1))
    assert {row.group_code for row in unpooled if row.dimension == "comarca"} == {
        "Osona",
        "Berguedà",
        "Priorat",
    }


def test_a_resolved_request_publishes_a_public_title_not_its_subject(people, catalogue):
    from concertem.office import services

    private = "Mayor's conflict with the auditor over unpaid invoices"
    request = make_request(people.official, service=catalogue.audit, subject=private)
    services.request_resolve(
        user=people.agent, request=request, resolution="Done", outcome="service", amount="900"
    )
    action = CooperationAction.objects.get(action_id=request.reference)
    assert action.title == "Auditoria energètica"  # the service's name
    assert private not in action.title

    written = make_request(people.official, subject=private, area="culture")
    services.request_resolve(
        user=people.agent,
        request=written,
        resolution="Granted",
        outcome="grant",
        amount="5000",
        public_title="Support for the summer festival",
    )
    assert CooperationAction.objects.get(action_id=written.reference).title == (
        "Support for the summer festival"
    )
    bare = make_request(people.official, subject=private, area="legal")
    services.request_resolve(
        user=people.agent, request=bare, resolution="Granted", outcome="grant", amount="10"
    )
    title = CooperationAction.objects.get(action_id=bare.reference).title
    assert private not in title and title
