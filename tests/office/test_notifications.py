"""E-mails on every change (immediate or daily digest) and reminders of idle requests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from concertem.notifications.models import EmailPreference, PendingEmail
from concertem.office import notifications, services
from tests.office.factories import make_official, make_request

pytestmark = pytest.mark.django_db


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_new_request_tells_the_agent_and_the_colleagues_not_the_filer(
    people, office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request(people.official)
    assert _recipients() == sorted([people.agent.email, people.colleague.email])
    assert request.reference in mail.outbox[0].subject
    assert office.url.split("/")[1] and "/requests/" in mail.outbox[0].body


def test_every_state_change_is_notified(people, office, django_capture_on_commit_callbacks):
    request = make_request(people.official)
    for target in ("in_progress",):
        with django_capture_on_commit_callbacks(execute=True):
            services.request_transition(user=people.agent, request=request, to_state=target)
    assert _recipients() == sorted([people.official.email, people.colleague.email])
    assert request.reference in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_resolve(user=people.agent, request=request, resolution="Done")
    assert len(mail.outbox) == 2 and "Done" in mail.outbox[0].body


def test_daily_digest_collects_changes_in_one_email(
    people, office, django_capture_on_commit_callbacks
):
    EmailPreference.objects.create(user=people.official, source="office", frequency="daily")
    request = make_request(people.official)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_transition(user=people.agent, request=request, to_state="in_progress")
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(user=people.agent, request=request, text="Please wait a week")
    assert people.official.email not in _recipients()
    assert PendingEmail.objects.filter(user=people.official).count() == 2
    mail.outbox.clear()
    call_command("send_office_digests")
    assert _recipients() == [people.official.email]
    assert "Please wait a week" in mail.outbox[0].body
    assert PendingEmail.objects.count() == 0
    call_command("send_office_digests")
    assert len(mail.outbox) == 1  # nothing twice


def test_unassigned_requests_go_to_the_managers(people, django_capture_on_commit_callbacks):
    official = make_official("igualada", "08102")
    with django_capture_on_commit_callbacks(execute=True):
        make_request(official)
    assert people.editor.email in _recipients()
    assert people.agent.email not in _recipients()


def test_idle_requests_remind_whoever_holds_the_ball(people, settings, office):
    settings.OFFICE_IDLE_REMINDER_DAYS = 5
    long_ago = timezone.now() - timedelta(days=8)
    working = make_request(people.official, subject="With the agent", now=long_ago)
    waiting = make_request(people.official, subject="With the entity", now=long_ago)
    services.request_transition(
        user=people.agent, request=waiting, to_state="waiting", note="Send the plans", now=long_ago
    )
    fresh = make_request(people.official, subject="Fresh")
    assert {r.pk for r in notifications.idle_requests()} == {working.pk, waiting.pk}
    call_command("remind_idle_requests")
    sent = [(message.subject, address) for message in mail.outbox for address in message.to]
    assert [to for subject, to in sent if working.reference in subject] == [people.agent.email]
    assert sorted(to for subject, to in sent if waiting.reference in subject) == sorted(
        [people.official.email, people.colleague.email]
    )
    assert not any(fresh.reference in subject for subject, _to in sent)
    mail.outbox.clear()
    call_command("remind_idle_requests")
    assert mail.outbox == []  # once per idle period
    settings.OFFICE_IDLE_REMINDER_DAYS = 30
    assert list(notifications.idle_requests(now=timezone.now() + timedelta(days=20))) == []
