"""E-mails from the one notifications app: each person's preference per source, at once
or in the daily digest, the signed unsubscribe links (also those already sent), the one
preferences page, and the migration that brought the older rows over."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from concertem.notifications import emails
from concertem.notifications.debate_emails import comment_emails_send
from concertem.notifications.models import (
    EmailFrequency,
    EmailPreference,
    EmailSource,
    PendingEmail,
)
from debates import commenting
from debates.models import DebateFollow
from tests.debates.factories import PASSWORD, OfficialFactory, UserFactory, make_comment

pytestmark = pytest.mark.django_db


def test_notifications_immediate_digest_and_never(
    debate, people, django_capture_on_commit_callbacks
):
    immediate = OfficialFactory(user=UserFactory(username="now"), entity_code="08113")
    daily = OfficialFactory(user=UserFactory(username="daily"), entity_code="08113")
    never = OfficialFactory(user=UserFactory(username="never"), entity_code="08113")
    for official, frequency in ((immediate, "immediate"), (daily, "daily"), (never, "never")):
        EmailPreference.objects.create(
            user=official.user, source=EmailSource.DEBATES, frequency=frequency
        )
        DebateFollow.objects.create(user=official.user, debate=debate)
    with django_capture_on_commit_callbacks(execute=True):
        commenting.comment_post(user=people.invited.user, debate=debate, text="First")
        commenting.comment_post(user=people.invited.user, debate=debate, text="Second")
    assert [m.to for m in mail.outbox] == [["now@example.org"], ["now@example.org"]]
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    assert PendingEmail.objects.filter(user=daily.user, source="debates").count() == 2
    assert not PendingEmail.objects.filter(user=never.user).exists()
    # The author follows the debate but is not told about their own comments.
    assert not PendingEmail.objects.filter(user=people.invited.user).exists()
    mail.outbox.clear()
    call_command("send_comment_digests", verbosity=0)
    assert len(mail.outbox) == 1  # one digest, not a flood
    digest = mail.outbox[0]
    assert digest.to == ["daily@example.org"]
    assert "First" in digest.body and "Second" in digest.body
    assert "List-Unsubscribe" in digest.extra_headers
    assert "/email-preferences/" in digest.body
    assert PendingEmail.objects.count() == 0


def test_a_deleted_comment_leaves_the_digest_queue(
    debate, people, django_capture_on_commit_callbacks
):
    daily = OfficialFactory(user=UserFactory(username="daily"), entity_code="08113")
    DebateFollow.objects.create(user=daily.user, debate=debate)
    with django_capture_on_commit_callbacks(execute=True):
        comment = commenting.comment_post(user=people.invited.user, debate=debate, text="Oops")
    assert PendingEmail.objects.filter(user=daily.user, comment=comment).exists()
    with django_capture_on_commit_callbacks(execute=True):
        commenting.comment_delete(user=people.invited.user, comment=comment)
    assert not PendingEmail.objects.exists()


def test_unsubscribe_link_is_signed_and_works(client, debate, people):
    user = people.invited.user
    DebateFollow.objects.create(user=user, debate=debate)
    token = emails.unsubscribe_token_make(user=user, debate=debate)
    url = reverse("emails:unsubscribe", args=[token])
    assert client.get(url).status_code == 200
    assert DebateFollow.objects.filter(user=user).exists()  # GET does not change anything
    assert client.post(url).status_code == 200
    assert not DebateFollow.objects.filter(user=user).exists()
    everything = reverse("emails:unsubscribe", args=[emails.unsubscribe_token_make(user=user)])
    client.post(everything)
    assert emails.email_frequency(user, EmailSource.DEBATES) == "never"
    assert emails.email_frequency(user, EmailSource.OFFICE) == "immediate"  # untouched
    forged = reverse("emails:unsubscribe", args=[token[:-2] + "xx"])
    assert client.post(forged).status_code == 400


def test_links_in_emails_already_sent_still_unsubscribe(client, people):
    user = people.invited.user
    token = emails.unsubscribe_token_make(user=user)
    old = f"/debates/unsubscribe/{token}/"
    assert client.get(old).status_code == 200
    assert client.post(old).status_code == 200
    assert emails.email_frequency(user, EmailSource.DEBATES) == "never"
    assert client.post(f"/debates/unsubscribe/{token[:-2]}xx/").status_code == 400


def test_one_page_sets_the_preference_of_each_source(people):
    url = reverse("emails:preferences")
    assert Client().get(url).status_code == 302  # login first
    client = Client()
    client.login(username=people.invited.user.username, password=PASSWORD)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="debates" value="daily"' in html and 'name="office" value="immediate"' in html
    response = client.post(url, {"debates": "immediate", "office": "daily"})
    assert response.status_code == 302
    user = people.invited.user
    assert emails.email_frequencies(user) == {"debates": "immediate", "office": "daily"}
    client.post(url, {"debates": "never"})  # a source left out keeps its choice
    assert emails.email_frequencies(user) == {"debates": "never", "office": "daily"}
    assert client.post(url, {"debates": "weekly"}).status_code == 200  # the form says why
    assert emails.email_frequency(user, EmailSource.DEBATES) == "never"


def test_the_older_preference_pages_redirect(client):
    for old in ("/debates/notifications/", "/office/notifications/"):
        response = client.get(old)
        assert response.status_code == 302
        assert response["Location"] == "/email-preferences/"
    response = client.get("/debates/notifications/?language=es")
    assert response["Location"] == "/email-preferences/?language=es"


def test_reminders_and_changes_share_the_sender_and_its_failures_are_contained(
    people, debate, monkeypatch
):
    """One unreachable mailbox is logged, not raised: the others still get theirs."""
    calls = []

    def failing_send(self, *args, **kwargs):
        calls.append(self.to)
        raise OSError("mailbox unreachable")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", failing_send)
    comment = make_comment(debate, people.invited, "Hello")
    users = [people.other.user, people.moderator]
    for user in users:
        EmailPreference.objects.create(
            user=user, source=EmailSource.DEBATES, frequency=EmailFrequency.IMMEDIATE
        )
    sent = comment_emails_send(
        comment=comment, debate=debate, follower_ids=[user.pk for user in users]
    )
    assert sent == 2 and len(calls) == 2


# ---- The migration that brought the debates' and the office's rows here ----

OLD = [
    ("notifications", "0002_email_preferences_and_digest_queue"),
    ("debates", "0005_merge_lifecycle_and_comment_deletion"),
    ("office", "0003_random_references_no_counter"),
]
NEW = [
    ("notifications", "0003_email_rows_from_debates_and_office"),
    ("debates", "0006_notification_models_moved_to_notifications"),
    ("office", "0004_notification_models_moved_to_notifications"),
]


# No page fixtures: a transactional test may start after another one emptied the
# tables (the Wagtail root page included). serialized_rollback gives them back after.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_preferences_and_waiting_digests(settings):
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sites.models import Site
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone
    from django_comments_xtd.models import XtdComment

    from concertem.office.services import notifications_muted
    from tests.office.factories import make_official, make_request

    vic = make_official("vic-official", "08298")
    manresa = UserFactory(username="manresa")
    site = Site.objects.get_or_create(pk=settings.SITE_ID, defaults={"domain": "testserver"})[0]
    comment = XtdComment.objects.create(
        content_type=ContentType.objects.get_for_model(type(vic)),
        object_pk=str(vic.pk),
        site=site,
        user=vic,
        comment="Waiting in a digest",
        submit_date=timezone.now(),
    )
    with notifications_muted():
        request = make_request(vic, subject="Old queue")
    executor = MigrationExecutor(connection)
    executor.migrate(OLD)
    old = executor.loader.project_state(OLD).apps
    old.get_model("debates", "NotificationPreference").objects.create(
        user_id=vic.pk, frequency="immediate"
    )
    old.get_model("debates", "NotificationPreference").objects.create(
        user_id=manresa.pk, frequency="never"
    )
    old.get_model("debates", "PendingNotification").objects.create(
        user_id=manresa.pk, comment_id=comment.pk
    )
    old.get_model("office", "NotificationPreference").objects.create(
        user_id=vic.pk, frequency="daily"
    )
    old.get_model("office", "PendingNotification").objects.create(
        user_id=vic.pk, request_id=request.pk, text="The agent answered"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(NEW)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert set(EmailPreference.objects.values_list("user_id", "source", "frequency")) == {
        (vic.pk, "debates", "immediate"),
        (manresa.pk, "debates", "never"),
        (vic.pk, "office", "daily"),
    }
    assert set(
        PendingEmail.objects.values_list("user_id", "source", "comment_id", "request_id", "text")
    ) == {
        (manresa.pk, "debates", comment.pk, None, ""),
        (vic.pk, "office", None, request.pk, "The agent answered"),
    }
    # And the digest of the queue copied over goes out as before.
    mail.outbox.clear()
    call_command("send_office_digests", verbosity=0)
    assert [m.to for m in mail.outbox] == [[vic.email]]
    assert "The agent answered" in mail.outbox[0].body
