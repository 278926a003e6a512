"""In-app notifications: made by the debates' and the office's events, counted by the
bell in one query, read in the reader's language, opened and marked read by their owner."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from concertem.notifications import services
from concertem.notifications.models import Notification
from debates import commenting, following, moderation
from tests.debates.factories import OfficialFactory, UserFactory, make_comment

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def _kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.fixture
def follower(db):
    return OfficialFactory(user=UserFactory(username="follower"), entity_code="08279")


def _post(user, debate, text, parent=None, capture=None):
    with capture(execute=True):
        return commenting.comment_post(
            user=user, debate=debate, text=text, parent_id=parent.pk if parent else None
        )


# ---- Debates ----


def test_a_reply_notifies_the_author_and_a_new_comment_the_followers(
    people, debate, follower, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    following.debate_follow_set(user=follower.user, debate=debate, follow=True)
    root = _post(people.invited.user, debate, "First words.", capture=capture)
    assert _kinds(follower.user) == [Kind.DEBATE_COMMENT]
    assert _kinds(people.invited.user) == []  # never about one's own comment
    _post(people.other.user, debate, "A reply.", parent=root, capture=capture)
    assert _kinds(people.invited.user) == [Kind.COMMENT_REPLY]
    assert _kinds(follower.user) == [Kind.DEBATE_COMMENT, Kind.DEBATE_COMMENT]
    assert _kinds(people.other.user) == []
    reply = Notification.objects.get(recipient=people.invited.user)
    assert reply.params["debate_id"] == debate.pk and reply.url.endswith(
        f"#c{reply.params['comment_id']}"
    )


def test_the_same_event_twice_notifies_once(people, debate, follower):
    following.debate_follow_set(user=follower.user, debate=debate, follow=True)
    comment = make_comment(debate, people.invited, "Once.")
    following.comment_followers_notify(comment_id=comment.pk)
    following.comment_followers_notify(comment_id=comment.pk)  # a retried task
    assert Notification.objects.filter(recipient=follower.user).count() == 1


def test_closing_a_debate_notifies_its_followers(
    people, debate, follower, django_capture_on_commit_callbacks
):
    following.debate_follow_set(user=follower.user, debate=debate, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.debate_close(debate=debate, user=people.moderator, conclusions="Done.")
    assert _kinds(follower.user) == [Kind.DEBATE_CLOSED]
    assert _kinds(people.moderator) == []


def test_the_text_is_written_in_the_readers_language(people, debate):
    notification = Notification.objects.create(
        recipient=people.invited.user,
        kind=Kind.COMMENT_REPLY,
        params={"actor": "Jordi", "debate_id": debate.pk, "debate": debate.title},
    )
    with translation.override("ca"):
        assert services.notification_text(notification) == (
            f"Jordi ha respost el teu comentari a «{debate.title}»."
        )
    with translation.override("es"):
        assert "ha respondido a tu comentario" in services.notification_text(notification)
    with translation.override("en"):
        assert services.notification_text(notification).startswith("Jordi replied to your")


# ---- The bell ----


def test_the_bell_counts_in_one_query_once_per_request(people, debate, django_assert_num_queries):
    user = people.invited.user
    for _ in range(3):
        Notification.objects.create(recipient=user, kind=Kind.DEBATE_CLOSED, params={})
    request = RequestFactory().get("/ca/")
    request.user = user
    with django_assert_num_queries(1):
        assert services.unread_count(request) == 3
        assert services.unread_count(request) == 3
    assert services.bell_label(150) == "99+"


def test_the_header_shows_the_count_with_words(client, people, debate):
    user = people.invited.user
    Notification.objects.create(recipient=user, kind=Kind.DEBATE_CLOSED, params={})
    client.force_login(user)
    body = client.get("/en/notifications/").content.decode()
    # Read out as "Notifications: 1 unread": the number is in the words, not a colour.
    assert (
        '<span class="visually-hidden">Notifications: </span><span class="bell__count">1</span>'
        '<span class="visually-hidden"> unread</span>'
    ) in body
    assert reverse("notifications:my-municipality") in body


def test_anonymous_visitors_see_no_bell(client, homes):
    body = client.get("/ca/").content.decode()
    assert "bell__count" not in body


# ---- The list: opening, marking read ----


def test_opening_marks_read_and_leads_to_the_comment_in_the_readers_language(
    client, people, debate
):
    comment = make_comment(debate, people.other, "Hello.")
    notification = Notification.objects.create(
        recipient=people.invited.user,
        kind=Kind.DEBATE_COMMENT,
        params={"actor": "X", "debate_id": debate.pk, "comment_id": comment.pk},
        url="/fallback/",
    )
    client.force_login(people.invited.user)
    listing = client.get("/ca/notifications/").content.decode()
    assert "X ha comentat a" in listing
    response = client.get(f"/ca/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"{debate.url}?comment={comment.pk}#c{comment.pk}"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_one_and_all_read(client, people):
    user = people.invited.user
    first, *_others = (
        Notification.objects.create(recipient=user, kind=Kind.DEBATE_CLOSED, params={})
        for _ in range(3)
    )
    client.force_login(user)
    assert client.post(f"/en/notifications/{first.pk}/read/").status_code == 302
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 2
    response = client.post("/en/notifications/read-all/")
    assert response.status_code == 302 and response["Location"] == "/en/notifications/"
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()


def test_nobody_opens_someone_elses_notification(client, people):
    mine = Notification.objects.create(
        recipient=people.invited.user, kind=Kind.DEBATE_CLOSED, params={}
    )
    client.force_login(people.other.user)
    assert client.get(f"/ca/notifications/{mine.pk}/").status_code == 404
    assert client.post(f"/ca/notifications/{mine.pk}/read/").status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None


def test_the_list_needs_a_login_and_marking_needs_a_post(client, people):
    response = client.get("/ca/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(people.invited.user)
    assert client.get("/ca/notifications/read-all/").status_code == 405


# ---- The office ----


def test_office_changes_notify_the_same_people_as_the_emails(
    office, office_people, django_capture_on_commit_callbacks
):
    from concertem.office import services as office_services
    from tests.office.factories import make_request

    official, colleague, agent = (
        office_people["official"],
        office_people["colleague"],
        office_people["agent"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request(official)
    assert _kinds(agent) == [Kind.REQUEST_NEW]
    assert _kinds(colleague) == [Kind.REQUEST_NEW]
    assert _kinds(official) == []  # not about one's own change
    with django_capture_on_commit_callbacks(execute=True):
        office_services.request_transition(user=agent, request=request, to_state="in_progress")
    assert _kinds(official) == [Kind.REQUEST_STATE]
    with django_capture_on_commit_callbacks(execute=True):
        office_services.message_post(user=agent, request=request, text="We need the invoices.")
    assert _kinds(official) == [Kind.REQUEST_MESSAGE, Kind.REQUEST_STATE]
    state = Notification.objects.get(recipient=official, kind=Kind.REQUEST_STATE)
    with translation.override("en"):
        assert services.notification_text(state) == (
            f"Request {request.reference} «{request.subject}» is now: In progress."
        )
        target = services.notification_target(state)
    assert target.startswith("/en/") and target.endswith(f"/requests/{request.reference}/")
