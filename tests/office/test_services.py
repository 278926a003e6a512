"""Filing, routing, the state machine and its audit trail, the cooperation action."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from concertem.office import services
from concertem.office.models import RequestState, SupportRequest
from concertem.office.rules import TRANSITIONS, OfficeActionError
from tests.office.factories import make_agent, make_official, make_request, make_user

pytestmark = pytest.mark.django_db
S = RequestState


def _code(call) -> str:
    with pytest.raises(OfficeActionError) as raised:
        call()
    return raised.value.code


# ---- Filing and routing ----


def test_filing_gives_a_reference_and_routes_to_the_territorys_agent(people, catalogue):
    first = make_request(people.official, service=catalogue.audit)
    second = make_request(people.official, subject="Another", area="urbanism")
    year = timezone.localdate().year
    # Random, not a counter: one's own reference says nothing of the next or of the total.
    assert re.fullmatch(rf"OAM-{year}-[0-9A-HJKMNP-TV-Z]{{8}}", first.reference)
    assert re.fullmatch(rf"OAM-{year}-[0-9A-HJKMNP-TV-Z]{{8}}", second.reference)
    assert first.reference != second.reference
    assert first.agent.user == people.agent and first.state == S.ASSIGNED
    assert first.area == "environment"  # from the service
    trail = [(t.from_state, t.to_state, t.actor_id) for t in first.transitions.all()]
    assert trail == [("", S.RECEIVED, people.official.pk), (S.RECEIVED, S.ASSIGNED, None)]
    assert first.first_response_at is None  # routing is not an answer


def test_an_explicit_entity_list_wins_over_a_comarca(people):
    specialist = make_agent("agent-vic", entity_codes="08298")
    request = make_request(people.official)
    assert request.agent.user == specialist


def test_without_an_agent_the_request_waits_as_received(db):
    official = make_official("igualada", "08102")  # Anoia: no agent covers it
    request = make_request(official)
    assert request.state == S.RECEIVED and request.agent is None


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("plain", "no-entity"),
        ("unverified", "official-unverified"),
        ("agent", "no-entity"),
    ],
)
def test_who_may_not_file(people, who, code):
    assert _code(lambda: make_request(getattr(people, who))) == code


def test_filing_for_another_entity_or_a_withdrawn_service_is_refused(people, catalogue):
    assert _code(lambda: make_request(people.official, entity_code="08279")) == "other-entity"
    assert (
        _code(lambda: make_request(people.official, service=catalogue.withdrawn))
        == "service-withdrawn"
    )
    assert _code(lambda: make_request(make_user("anon-like"))) == "no-entity"
    assert SupportRequest.objects.count() == 0


def test_bad_text_and_area_are_refused(people):
    assert (
        _code(
            lambda: services.request_file(
                user=people.official, subject="x", description="  ", area="legal"
            )
        )
        == "description-empty"
    )
    assert (
        _code(
            lambda: services.request_file(
                user=people.official, subject="x", description="y", area="nonsense"
            )
        )
        == "area-invalid"
    )
    assert (
        _code(
            lambda: services.request_file(
                user=people.official, subject="x" * 201, description="y", area="legal"
            )
        )
        == "subject-empty-too-long"
    )


# ---- The state machine ----


def test_the_transition_table_is_the_documented_one():
    assert TRANSITIONS[S.RECEIVED] == (S.ASSIGNED, S.DECLINED)
    assert set(TRANSITIONS[S.ASSIGNED]) == {S.IN_PROGRESS, S.WAITING, S.RESOLVED, S.DECLINED}
    assert S.ASSIGNED not in TRANSITIONS[S.IN_PROGRESS]
    assert TRANSITIONS[S.RESOLVED] == () and TRANSITIONS[S.DECLINED] == ()


def test_every_transition_is_audited_with_who_when_and_note(people):
    request = make_request(people.official)
    services.request_transition(
        user=people.agent, request=request, to_state=S.IN_PROGRESS, note="On it"
    )
    services.request_transition(
        user=people.agent, request=request, to_state=S.WAITING, note="Send the plans"
    )
    last = request.transitions.last()
    assert (last.from_state, last.to_state, last.actor, last.note) == (
        S.IN_PROGRESS,
        S.WAITING,
        people.agent,
        "Send the plans",
    )
    assert last.created_at is not None
    assert request.first_response_at is not None


def test_transitions_outside_the_table_are_refused(people):
    request = make_request(people.official)
    services.request_transition(user=people.agent, request=request, to_state=S.IN_PROGRESS)
    assert (
        _code(
            lambda: services.request_transition(
                user=people.agent, request=request, to_state=S.ASSIGNED
            )
        )
        == "transition-not-allowed"
    )
    assert (
        _code(
            lambda: services.request_transition(
                user=people.agent, request=request, to_state="bogus"
            )
        )
        == "transition-not-allowed"
    )
    assert (
        _code(
            lambda: services.request_transition(
                user=people.agent, request=request, to_state=S.WAITING
            )
        )
        == "note-required"
    )
    services.request_decline(user=people.agent, request=request, reason="Out of scope")
    for target in (S.IN_PROGRESS, S.WAITING):
        assert (
            _code(
                lambda t=target: services.request_transition(
                    user=people.agent, request=request, to_state=t
                )
            )
            == "transition-not-allowed"
        )
    assert (
        _code(lambda: services.message_post(user=people.official, request=request, text="Hello?"))
        == "request-closed"
    )


def test_officials_and_other_agents_cannot_change_states(people):
    request = make_request(people.official)
    for user in (people.official, people.other_agent, people.other):
        code = _code(
            lambda u=user: services.request_transition(
                user=u, request=request, to_state=S.IN_PROGRESS
            )
        )
        assert code in ("not-handler", "not-found")


def test_the_entitys_answer_puts_a_waiting_request_back_in_progress(people):
    request = make_request(people.official)
    services.request_transition(
        user=people.agent, request=request, to_state=S.WAITING, note="Send the plans"
    )
    services.message_post(user=people.colleague, request=request, text="Here they are")
    request.refresh_from_db()
    assert request.state == S.IN_PROGRESS
    last = request.transitions.last()
    assert (last.from_state, last.to_state, last.actor) == (
        S.WAITING,
        S.IN_PROGRESS,
        people.colleague,
    )


def test_a_manager_assigns_an_unrouted_request(people):
    official = make_official("igualada", "08102")
    request = make_request(official)
    from concertem.office.models import TerritorialAgent

    agent = TerritorialAgent.objects.get(user=people.other_agent)
    services.request_transition(
        user=people.editor, request=request, to_state=S.ASSIGNED, agent=agent
    )
    assert request.agent == agent and request.state == S.ASSIGNED


def test_decline_needs_a_reason_that_the_entity_reads(people):
    request = make_request(people.official)
    assert (
        _code(lambda: services.request_decline(user=people.agent, request=request, reason=" "))
        == "reason-required"
    )
    services.request_decline(user=people.agent, request=request, reason="Not our competence")
    assert request.state == S.DECLINED and request.resolution == "Not our competence"
    assert request.closed_at is not None


# ---- Resolution and the cooperation action ----


def test_resolving_into_a_grant_creates_and_links_one_cooperation_action(people, catalogue):
    from concertem.cooperation.models import CooperationAction

    request = make_request(people.official, service=catalogue.grant)
    services.request_resolve(
        user=people.agent,
        request=request,
        resolution="Granted",
        outcome="grant",
        amount="15.000,50".replace(".", ""),
    )
    action = request.cooperation_action
    assert action.action_id == request.reference
    assert (action.kind, action.status, action.entity_code) == ("grant", "granted", "08298")
    assert action.amount_granted == Decimal("15000.50")
    assert action.service_code == "CUL-01"
    assert action.source == "office-request" and action.source_reference == request.reference
    assert CooperationAction.objects.filter(source_reference=request.reference).count() == 1
    # Resolving again is not possible: the action cannot be entered twice.
    assert (
        _code(
            lambda: services.request_resolve(
                user=people.agent, request=request, resolution="Again", outcome="grant", amount="1"
            )
        )
        == "transition-not-allowed"
    )


def test_a_service_outcome_may_have_no_amount_but_a_grant_needs_one(people, catalogue):
    request = make_request(people.official, service=catalogue.audit)
    assert (
        _code(
            lambda: services.request_resolve(
                user=people.agent, request=request, resolution="ok", outcome="grant", amount=""
            )
        )
        == "amount-required"
    )
    assert (
        _code(
            lambda: services.request_resolve(
                user=people.agent, request=request, resolution="ok", outcome="grant", amount="-5"
            )
        )
        == "amount-invalid"
    )
    assert (
        _code(
            lambda: services.request_resolve(
                user=people.agent, request=request, resolution="ok", outcome="grant", amount="NaN"
            )
        )
        == "amount-invalid"
    )
    request.refresh_from_db()
    assert request.state == S.ASSIGNED and request.cooperation_action is None
    services.request_resolve(
        user=people.agent, request=request, resolution="Done", outcome="service"
    )
    assert request.cooperation_action.kind == "service"
    assert request.cooperation_action.amount_granted == Decimal("0.00")


def test_advice_only_creates_no_action(people):
    request = make_request(people.official)
    services.request_resolve(user=people.agent, request=request, resolution="Advice given")
    assert request.state == S.RESOLVED and request.cooperation_action is None


def test_the_action_shows_on_the_entitys_cooperation_page(people, catalogue, homes, client):
    from concertem.common.pages import page_translations_ensure
    from concertem.cooperation.models import CooperationIndexPage

    pages = page_translations_ensure(
        parents=homes,
        model=CooperationIndexPage,
        content={code: {"title": "Actuacions", "slug": f"actuacions-{code}"} for code in homes},
    )
    request = make_request(people.official, service=catalogue.grant)
    services.request_resolve(
        user=people.agent, request=request, resolution="Granted", outcome="grant", amount="2500"
    )
    html = client.get(pages["ca"].url + "08298/").content.decode()
    assert request.reference in html or request.subject in html


# ---- Times the metrics read ----


def test_first_answer_and_closing_times(people):
    start = timezone.now() - timedelta(days=10)
    request = make_request(people.official, now=start)
    services.message_post(
        user=people.official, request=request, text="More details", now=start + timedelta(days=1)
    )
    request.refresh_from_db()
    assert request.first_response_at is None  # the entity talking is not an answer
    services.message_post(
        user=people.agent, request=request, text="Got it", now=start + timedelta(days=2)
    )
    services.request_resolve(
        user=people.agent, request=request, resolution="Done", now=start + timedelta(days=7)
    )
    request.refresh_from_db()
    assert request.first_response_at == start + timedelta(days=2)
    assert request.closed_at == start + timedelta(days=7)
    assert request.last_activity_at == start + timedelta(days=7)
