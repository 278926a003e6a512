"""Bad input: each refused or neutralised, with a message that says why."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from debates.forms import DebateCommentForm
from debates.models import CommentDetail
from tests.debates.factories import OfficialFactory, UserFactory, make_comment, make_debate

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(people):
    return people.invited


@pytest.fixture
def logged(client, official):
    client.force_login(official.user)
    return client


def form_data(debate, **overrides):
    data = dict(DebateCommentForm(debate).initial)
    data.update({"comment": "A fair point.", "followup": "on"})
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client, debate, **overrides):
    return client.post(
        reverse("debates:comment-post", args=[debate.pk]), form_data(debate, **overrides)
    )


def error_code(response) -> str:
    html = response.content.decode()
    marker = 'data-code="'
    return html.split(marker, 1)[1].split('"', 1)[0] if marker in html else ""


def test_a_valid_comment_is_published_and_redirects_to_it(logged, debate):
    response = post(logged, debate)
    assert response.status_code == 302
    comment = XtdComment.objects.get()
    assert response["Location"].endswith(f"#c{comment.pk}")
    detail = CommentDetail.objects.get(comment=comment)
    assert (detail.entity_code, detail.role) == ("08298", "mayor")


@pytest.mark.parametrize(
    ("text", "code", "status"),
    [
        ("", "comment-empty", 400),
        ("   \n  ", "comment-empty", 400),
        ("<script>alert(1)</script>", "comment-empty", 400),
        ("x" * 3001, "comment-too-long", 400),
    ],
)
def test_empty_scripted_and_oversized_posts_are_refused(logged, debate, text, code, status):
    response = post(logged, debate, comment=text)
    assert response.status_code == status
    assert error_code(response) == code
    assert XtdComment.objects.count() == 0


def test_oversized_post_keeps_the_text_for_the_author(logged, debate):
    response = post(logged, debate, comment="y" * 3001)
    assert "y" * 3001 in response.content.decode()


def test_html_and_javascript_links_are_neutralised(logged, debate):
    text = (
        '**Bold** <img src=x onerror="alert(1)"> <b onclick="x()">b</b> '
        "[click](javascript:alert(1)) [ok](https://example.org) <iframe src=//evil></iframe>"
    )
    assert post(logged, debate, comment=text).status_code == 302
    html = CommentDetail.objects.get().html
    assert "<strong>Bold</strong>" in html
    for bad in ("onerror", "onclick", "javascript:", "<img", "<iframe", "<script"):
        assert bad not in html
    assert '<a href="https://example.org" rel="nofollow noopener">ok</a>' in html
    page = logged.get(debate.url).content.decode()
    assert "javascript:alert" not in page and "onerror" not in page


def test_posts_to_closed_expired_and_upcoming_debates_are_refused(logged, space):
    for state, code in (
        ("closed", "debate-closed"),
        ("expired", "debate-closed"),
        ("upcoming", "debate-upcoming"),
    ):
        debate = make_debate(space, slug=f"d-{state}", state=state)
        response = post(logged, debate)
        assert response.status_code == 403, state
        assert error_code(response) == code
    assert XtdComment.objects.count() == 0


def test_post_to_restricted_debate_by_an_entity_not_invited_is_refused(
    client, people, restricted_space
):
    debate = make_debate(restricted_space, slug="r")
    client.force_login(people.other.user)
    response = post(client, debate)
    assert response.status_code == 403
    assert error_code(response) == "entity-not-invited"


@pytest.mark.parametrize(
    "overrides",
    [
        {"security_hash": "0" * 40},
        {"timestamp": "1"},
        {"content_type": "auth.user"},
        {"honeypot": "I am a bot"},
        {"security_hash": None},
    ],
    ids=["hash", "old-timestamp", "content-type", "honeypot", "no-hash"],
)
def test_forged_security_fields_are_refused(logged, debate, overrides):
    response = post(logged, debate, **overrides)
    assert response.status_code == 400
    assert error_code(response) in {"form-tampered", "form-expired", "honeypot"}
    assert XtdComment.objects.count() == 0


def test_an_expired_form_keeps_the_text_and_says_so(logged, debate):
    from debates.forms import DebateCommentForm as Form

    form = Form(debate)
    stale = form.generate_security_hash(
        content_type=str(debate._meta), object_pk=str(debate.pk), timestamp="1000"
    )
    response = post(logged, debate, timestamp="1000", security_hash=stale, comment="Kept text")
    assert response.status_code == 400
    assert error_code(response) == "form-expired"
    assert "Kept text" in response.content.decode()


def test_a_nul_byte_is_refused_with_a_message_that_names_it(logged, debate):
    """Django refuses a NUL byte in the text: the form was not altered, the text has a
    character that cannot be stored; the text comes back without it."""
    response = post(logged, debate, comment="Before\x00 after")
    assert response.status_code == 400
    assert error_code(response) == "null-character"
    html = response.content.decode()
    assert "NUL" in html and "\x00" not in html
    assert "Before after" in html
    assert XtdComment.objects.count() == 0
    # Forged security fields still say so first.
    response = post(logged, debate, comment="Before\x00 after", security_hash="0" * 40)
    assert error_code(response) == "form-tampered"


def test_a_nul_byte_in_an_edit_is_refused_with_a_message_that_names_it(logged, debate, official):
    comment = make_comment(debate, official, "Fresh")
    url = reverse("debates:comment-edit", args=[comment.pk])
    response = logged.post(url, {"comment": "New\x00 text"})
    assert response.status_code == 400
    assert error_code(response) == "null-character"
    html = response.content.decode()
    assert "NUL" in html and "\x00" not in html
    assert "New text" in html
    comment.refresh_from_db()
    assert comment.comment == "Fresh"


def test_a_valid_form_of_another_debate_is_refused(logged, debate, space):
    other = make_debate(space, slug="other")
    data = form_data(other)  # hash valid, but for the other debate
    response = logged.post(reverse("debates:comment-post", args=[debate.pk]), data)
    assert response.status_code == 400
    assert error_code(response) == "form-tampered"


def test_replying_to_a_comment_of_another_debate_is_refused(logged, debate, space, people):
    other = make_debate(space, slug="other")
    foreign = make_comment(other, people.other, "Elsewhere")
    response = post(logged, debate, parent=str(foreign.pk))
    assert response.status_code == 400
    assert error_code(response) == "parent-invalid"
    assert XtdComment.objects.count() == 1


def test_replies_go_three_levels_deep_and_no_deeper(logged, debate, people):
    parent = make_comment(debate, people.other, "level 0")
    for level in (1, 2, 3):
        response = post(logged, debate, parent=str(parent.pk), comment=f"level {level}")
        assert response.status_code == 302
        parent = XtdComment.objects.get(comment=f"level {level}")
        assert parent.level == level
    response = post(logged, debate, parent=str(parent.pk), comment="level 4")
    assert response.status_code == 400
    assert error_code(response) == "thread-too-deep"


def test_posts_without_csrf_token_are_refused(official, debate):
    client = Client(enforce_csrf_checks=True)
    client.force_login(official.user)
    response = post(client, debate)
    assert response.status_code == 403
    assert 'data-code="csrf-failed"' in response.content.decode()  # the site's page, translated
    assert XtdComment.objects.count() == 0


def test_comment_floods_are_rate_limited_with_a_clear_message(logged, debate, settings):
    settings.DEBATES_COMMENT_RATE_LIMIT = (3, 60)
    for index in range(3):
        assert post(logged, debate, comment=f"comment {index}").status_code == 302
    response = post(logged, debate, comment="one too many")
    assert response.status_code == 429
    assert error_code(response) == "rate-limited"
    assert "one too many" in response.content.decode()  # the text is not lost
    assert XtdComment.objects.count() == 3


def test_generic_comments_endpoint_is_not_mounted(logged, debate):
    # django-comments' own endpoint would skip the debate's rules: it is not mounted
    # (config/urls.py), and the receiver below refuses debate comments should it ever be.
    data = form_data(debate, name="x", email="x@example.org", reply_to="0")
    response = logged.post("/comments/post/", data)
    assert response.status_code == 404
    assert XtdComment.objects.count() == 0


def test_the_receiver_lets_other_objects_through(debate):
    from django.contrib.contenttypes.models import ContentType
    from django_comments_xtd.models import TmpXtdComment

    from concertem.home.models import StandardPage
    from debates.receivers import debate_comment_via_generic_endpoint_refuse as receiver

    on_debate = TmpXtdComment(content_type=ContentType.objects.get_for_model(type(debate)))
    elsewhere = TmpXtdComment(content_type=ContentType.objects.get_for_model(StandardPage))
    assert receiver(sender=TmpXtdComment, comment=on_debate, request=None) is False
    assert receiver(sender=TmpXtdComment, comment=elsewhere, request=None) is True


def test_xtd_like_flag_and_dislike_urls_are_not_mounted(client, debate, people):
    # The debates' own routes apply the rules (tests/hardening/test_side_doors.py).
    target = make_comment(debate, people.other, "Target")
    client.force_login(people.invited.user)
    for action in ("like", "flag", "dislike"):
        assert client.post(f"/comments/{action}/{target.pk}/").status_code == 404
    assert client.post(reverse("debates:comment-like", args=[target.pk])).status_code == 302


def test_editing_after_the_window_is_refused(logged, debate, official, settings):
    from datetime import timedelta

    from django.utils import timezone

    old = make_comment(debate, official, "Old", when=timezone.now() - timedelta(minutes=16))
    response = logged.post(reverse("debates:comment-edit", args=[old.pk]), {"comment": "New"})
    assert response.status_code == 403
    assert error_code(response) == "edit-window-passed"
    fresh = make_comment(debate, official, "Fresh")
    response = logged.post(reverse("debates:comment-edit", args=[fresh.pk]), {"comment": "*New*"})
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.comment == "*New*"
    assert CommentDetail.objects.get(comment=fresh).edited_at is not None


def test_unknown_ids_are_404_not_crashes(logged):
    # Outside the language prefix, the locale middleware turns a 404 into a redirect to
    # the prefixed path, which is then the site's 404 page.
    for response in (
        logged.post(reverse("debates:comment-post", args=[999999]), follow=True),
        logged.post(reverse("debates:comment-like", args=[999999]), follow=True),
        logged.get(reverse("debates:comment-edit", args=[999999]), follow=True),
    ):
        assert response.status_code == 404


def test_get_on_post_endpoints_is_refused(logged, debate):
    assert logged.get(reverse("debates:comment-post", args=[debate.pk])).status_code == 405


def test_open_redirects_through_next_are_ignored(logged, debate):
    response = post(logged, debate, next="https://evil.example/")
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_a_blocked_user_cannot_comment_and_is_told_why(client, people, debate):
    client.force_login(people.blocked.user)
    response = post(client, debate)
    assert response.status_code == 403
    assert error_code(response) == "user-blocked"


def test_plain_user_without_official_profile_is_told_why(client, debate):
    client.force_login(UserFactory(username="citizen"))
    response = post(client, debate)
    assert error_code(response) == "not-official"


def test_unverified_official_is_told_to_wait(client, debate):
    official = OfficialFactory(user=UserFactory(username="new"), verified=False)
    client.force_login(official.user)
    assert error_code(post(client, debate)) == "official-unverified"
