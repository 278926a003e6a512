"""Deleting one's own comment (placeholder, replies kept, out of the export, audited,
cache invalidated), reporting with a reason and a confirmation, the counter's markup."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_comments.models import CommentFlag

from debates import commenting, moderation, rules
from debates.export import debate_contributions
from debates.models import CommentDetail, CommentReport, ModerationAction
from debates.reports import moderation_queue
from tests.debates.factories import OfficialFactory, UserFactory, make_comment, make_debate

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(people, debate):
    root = make_comment(debate, people.invited, "Words I will take back.")
    reply = make_comment(debate, people.other, "A reply that must stay.", parent=root)
    return root, reply


def _delete_url(comment, debate, lang="ca"):
    return reverse("debates:comment-delete", args=[comment.pk]) + f"?next=/{lang}/x/"


# ---- Deleting ----


def test_the_author_deletes_and_readers_see_a_placeholder_with_the_replies(
    client, people, debate, thread
):
    root, _reply = thread
    # An anonymous reader first: the threads are cached for anonymous readers.
    assert "Words I will take back." in client.get(debate.url).content.decode()
    client.force_login(people.invited.user)
    confirm = client.get(_delete_url(root, debate))
    assert confirm.status_code == 200
    assert "Words I will take back." in confirm.content.decode()  # what is being deleted
    response = client.post(reverse("debates:comment-delete", args=[root.pk]), {"next": debate.url})
    assert response.status_code == 302 and response["Location"].endswith(f"#c{root.pk}")
    client.logout()
    page = client.get(debate.url).content.decode()
    assert "Words I will take back." not in page
    assert "A reply that must stay." in page
    assert 'class="comment__deleted"' in page
    detail = CommentDetail.objects.get(comment=root)
    assert detail.deleted_at is not None and detail.html == ""
    root.refresh_from_db()
    assert root.comment == "" and root.is_removed


def test_the_deleted_comment_leaves_the_export_and_the_moderators_see_it_logged(
    people, debate, thread
):
    root, reply = thread
    commenting.comment_delete(user=people.invited.user, comment=root)
    ids = [row.comment_id for row in debate_contributions()]
    assert root.pk not in ids and reply.pk in ids
    entry = ModerationAction.objects.get(action=ModerationAction.Action.DELETE_OWN)
    assert entry.actor == people.invited.user and entry.comment_id == root.pk
    assert entry.debate_id == debate.pk


def test_deleting_bumps_the_comments_version(people, debate, thread):
    from debates.threads_cache import comments_version_get

    root, _reply = thread
    before = comments_version_get(debate.pk)
    commenting.comment_delete(user=people.invited.user, comment=root)
    assert comments_version_get(debate.pk) > before


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [("other", "not-author", 403), ("moderator", "not-author", 403)],
)
def test_only_the_author_may_delete(client, people, debate, thread, who, code, status):
    root, _reply = thread
    user = people.moderator if who == "moderator" else people.other.user
    client.force_login(user)
    response = client.post(reverse("debates:comment-delete", args=[root.pk]))
    assert response.status_code == status
    assert f'data-code="{code}"' in response.content.decode()
    assert CommentDetail.objects.get(comment=root).deleted_at is None


def test_anonymous_visitors_are_sent_to_log_in(client, debate, thread):
    root, _reply = thread
    response = client.get(_delete_url(root, debate))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(reverse("debates:comment-delete", args=[root.pk])).status_code == 403


def test_no_deleting_in_a_closed_debate_nor_a_hidden_comment_nor_twice(people, space):
    closed = make_debate(space, slug="closed", state="closed")
    old = make_comment(closed, people.invited, "Part of the record.")
    with pytest.raises(rules.DebateActionError) as refused:
        commenting.comment_delete(user=people.invited.user, comment=old)
    assert refused.value.code == "debate-closed"

    debate = make_debate(space, slug="open-2")
    hidden = make_comment(debate, people.invited, "Hidden words.")
    moderation.comment_hide(moderator=people.moderator, comment=hidden, reason="Rules")
    with pytest.raises(rules.DebateActionError) as refused:
        commenting.comment_delete(user=people.invited.user, comment=hidden)
    assert refused.value.code == "comment-hidden"

    mine = make_comment(debate, people.invited, "Once.")
    commenting.comment_delete(user=people.invited.user, comment=mine)
    with pytest.raises(rules.DebateActionError) as refused:
        commenting.comment_delete(user=people.invited.user, comment=mine)
    assert refused.value.code == "comment-deleted" and refused.value.status == 400


def test_a_deleted_comment_cannot_be_edited_back(people, debate):
    mine = make_comment(debate, people.invited, "Gone.")
    commenting.comment_delete(user=people.invited.user, comment=mine)
    with pytest.raises(rules.DebateActionError) as refused:
        commenting.comment_edit(user=people.invited.user, comment=mine, text="Back again")
    assert refused.value.code == "comment-deleted"


def test_the_author_sees_a_delete_link_others_do_not(client, people, debate, thread):
    root, _reply = thread
    url = reverse("debates:comment-delete", args=[root.pk])
    client.force_login(people.invited.user)
    assert url in client.get(debate.url).content.decode()
    client.force_login(people.other.user)
    assert url not in client.get(debate.url).content.decode()


def test_the_confirmation_page_speaks_the_language_of_the_debate(client, people, debate, thread):
    root, _reply = thread
    client.force_login(people.invited.user)
    catalan = client.get(_delete_url(root, debate, "ca"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Vols esborrar el teu comentari?" in catalan.content.decode()
    english = client.get(_delete_url(root, debate, "en"), HTTP_ACCEPT_LANGUAGE="ca")
    assert "Delete your comment?" in english.content.decode()


# ---- Reporting with a reason ----


def _report_url(comment):
    return reverse("debates:comment-report", args=[comment.pk])


def test_reporting_asks_for_a_reason_then_records_it(client, people, debate, thread):
    root, _reply = thread
    client.force_login(people.other.user)
    form = client.get(_report_url(root) + "?next=/ca/x/")
    assert form.status_code == 200
    body = form.content.decode()
    assert 'name="reason"' in body and 'name="details"' in body

    missing = client.post(_report_url(root), {"next": debate.url})
    assert missing.status_code == 400
    assert 'data-code="reason-required"' in missing.content.decode()
    assert not CommentFlag.objects.filter(comment=root).exists()

    done = client.post(
        _report_url(root),
        {"reason": "personal_data", "details": "A phone number.", "next": debate.url},
    )
    assert done.status_code == 302
    report = CommentReport.objects.get(flag__comment=root, flag__user=people.other.user)
    assert report.reason == "personal_data" and report.details == "A phone number."


def test_another_reason_needs_a_few_words(people, thread):
    root, _reply = thread
    with pytest.raises(rules.DebateActionError) as refused:
        commenting.comment_report(user=people.other.user, comment=root, reason="other")
    assert refused.value.code == "details-required"
    with pytest.raises(rules.DebateActionError) as refused:
        commenting.comment_report(user=people.other.user, comment=root, reason="nonsense")
    assert refused.value.code == "reason-required"


def test_a_report_without_reason_is_sent_to_the_form(client, people, thread):
    root, _reply = thread
    client.force_login(people.other.user)
    response = client.post(reverse("debates:comment-flag", args=[root.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(_report_url(root))
    assert not CommentFlag.objects.filter(comment=root).exists()


def test_those_who_may_not_take_part_cannot_report(client, people, thread):
    root, _reply = thread
    client.force_login(people.unverified.user)
    response = client.post(_report_url(root), {"reason": "spam"})
    assert response.status_code == 403
    assert 'role="alert"' in response.content.decode()


def test_the_moderation_queue_shows_the_reasons(people, thread):
    root, _reply = thread
    commenting.comment_report(
        user=people.other.user, comment=root, reason="offensive", details="Insults."
    )
    third = OfficialFactory(user=UserFactory(username="third"), entity_code="08279")
    commenting.comment_report(user=third.user, comment=root, reason="spam")
    items = moderation_queue()
    assert items[0]["comment"].pk == root.pk
    reasons = items[0]["reasons"]
    assert [r["details"] for r in reasons] == ["Insults.", ""]
    assert len(reasons) == 2


def test_deleted_comments_leave_the_moderation_queue(people, thread):
    root, _reply = thread
    commenting.comment_report(user=people.other.user, comment=root, reason="spam")
    commenting.comment_delete(user=people.invited.user, comment=root)
    assert moderation_queue() == []


# ---- The counter ----


def test_the_comment_boxes_carry_the_counter_text(client, people, debate):
    client.force_login(people.invited.user)
    body = client.get(debate.url).content.decode()
    assert 'data-counter-text="{used} de {max} caràcters utilitzats."' in body
    assert "3000 / 3000" not in body


def test_the_edit_box_has_the_counter_too(client, people, debate):
    mine = make_comment(debate, people.invited, "Fresh.")
    client.force_login(people.invited.user)
    body = client.get(reverse("debates:comment-edit", args=[mine.pk])).content.decode()
    assert 'maxlength="3000"' in body and "data-counter-text=" in body
    assert "debates/debates.js" in body


def test_moderators_read_the_deletion_in_the_moderation_log(client, people, thread):
    root, _reply = thread
    commenting.comment_delete(user=people.invited.user, comment=root)
    client.force_login(people.moderator)
    response = client.get(reverse("debates_admin:log") + "?action=delete_own")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Deleted their own comment" in body or "Ha esborrat el seu propi comentari" in body
    assert f"#{root.pk}" in body


def test_the_queue_page_shows_the_reasons_to_moderators(client, people, thread):
    root, _reply = thread
    commenting.comment_report(
        user=people.other.user, comment=root, reason="personal_data", details="A phone."
    )
    client.force_login(people.moderator)
    body = client.get(reverse("debates_admin:queue")).content.decode()
    assert "A phone." in body


def test_a_report_with_a_reason_on_the_old_flag_url_is_recorded_the_same_way(
    client, people, thread
):
    root, _reply = thread
    client.force_login(people.other.user)
    response = client.post(reverse("debates:comment-flag", args=[root.pk]), {"reason": "spam"})
    assert response.status_code == 302
    assert CommentReport.objects.get(flag__comment=root).reason == "spam"
