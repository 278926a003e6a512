"""The side doors found in issue 14 (findings 1-5), replayed as an attacker would, each
refused with nothing changed in the database.

1. A pickle token signed with the library's own signer around an object whose unpickling
   runs code, sent to django-comments-xtd's confirm and mute URLs.
2. Likes and reports through the library's REST API and the site's own routes, by an
   unverified official, a territorial agent, the author, on a closed debate, by a blocked
   official, on a hidden comment.
3. A hidden comment asked for through the library's reply view.
4. The public comment API and pages API searched for who liked or reported, and for
   e-mails and their MD5.
5. Restricted spaces asked for through the pages API, the comment list API, the reply
   view and site search.
Plus the edit rate limit (finding 10's "comment edits have no rate limit").
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_comments.models import CommentFlag
from django_comments_xtd import signed
from django_comments_xtd.models import LIKEDIT_FLAG, XtdComment

from debates import following, moderation
from debates.models import (
    CommentDetail,
    DebateFollow,
    ModerationAction,
    UserBlock,
)
from tests.debates.factories import (
    OfficialFactory,
    UserFactory,
    make_comment,
    make_debate,
    make_moderator,
    make_space,
)
from tests.office.factories import make_agent

pytestmark = pytest.mark.django_db

COUNTED = (XtdComment, CommentFlag, CommentDetail, ModerationAction, UserBlock, DebateFollow)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    settings.DEBATES_COMMENT_RATE_LIMIT = (5, 60)
    cache.clear()


@pytest.fixture
def world(db):
    from concertem.home.demo_content import home_tree_ensure

    homes = home_tree_ensure()
    public = make_space(homes["ca"], slug="side-doors-public")
    restricted = make_space(homes["ca"], slug="side-doors-restricted", restricted=True)
    debate = make_debate(public, slug="side-doors-open")
    closed = make_debate(public, slug="side-doors-closed", state="closed")
    secret = make_debate(restricted, slug="side-doors-secret", summary="The Zanzibar plan.")
    author = OfficialFactory(user=UserFactory(username="author"), entity_code="08298")
    invited = OfficialFactory(user=UserFactory(username="invited"), entity_code="08279")
    outsider = OfficialFactory(user=UserFactory(username="outsider"), entity_code="08113")
    unverified = OfficialFactory(
        user=UserFactory(username="unverified"), entity_code="08298", verified=False
    )
    blocked = OfficialFactory(user=UserFactory(username="blocked"), entity_code="08298")
    moderator = make_moderator()
    UserBlock.objects.create(user=blocked.user, reason="spam", blocked_by=moderator)
    agent = make_agent("agent", entity_codes="08298")
    comment = make_comment(debate, author, "An open comment.")
    on_closed = make_comment(closed, author, "A comment on a closed debate.")
    hidden = make_comment(debate, author, "Hidden words: xyzzy-hidden-text.")
    moderation.comment_hide(moderator=moderator, comment=hidden, reason="Off topic.")
    restricted_comment = make_comment(secret, invited, "Restricted words: plugh-secret-text.")
    # A like by the invited official, to look for their name in public answers.
    CommentFlag.objects.create(comment=comment, user=invited.user, flag=LIKEDIT_FLAG)
    return SimpleNamespace(**locals())


def login(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# ---- 1. Pickle tokens ----


class Payload:
    """Unpickling this creates a file: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_pickle_tokens_are_never_unpickled_and_their_routes_are_gone(world, settings, tmp_path):
    marker = tmp_path / "code-ran"
    token = signed.dumps(Payload(marker), extra_key=settings.COMMENTS_XTD_SALT)
    token = token.decode() if isinstance(token, bytes) else token
    # The token is live: the library's own reader runs it (this is the hole).
    signed.loads(token, extra_key=settings.COMMENTS_XTD_SALT).close()
    assert marker.exists()
    marker.unlink()
    before = row_counts()
    for client in (login(None), login(world.author.user)):
        for url in (f"/comments/confirm/{token}/", f"/comments/mute/{token}/"):
            for prefix in ("", "/ca", "/en"):
                assert client.get(prefix + url).status_code == 404
                assert client.post(prefix + url).status_code == 404
    assert not marker.exists()
    assert row_counts() == before


# ---- 2. Likes and reports: the library's API and the site's routes ----


LIBRARY_ACTIONS = [
    ("/comments/api/feedback/", {"flag": "like"}),
    ("/comments/api/flag/", {"flag": "report"}),
    ("/comments/like/{pk}/", {}),
    ("/comments/dislike/{pk}/", {}),
    ("/comments/flag/{pk}/", {"flag": "report"}),
]


@pytest.mark.parametrize(
    ("actor", "target", "code"),
    [
        ("unverified", "comment", "official-unverified"),
        ("agent", "comment", "not-official"),
        ("author", "comment", "own-comment"),
        ("invited", "on_closed", "debate-closed"),
        ("blocked", "comment", "user-blocked"),
        ("invited", "hidden", "comment-hidden"),
        ("outsider", "restricted_comment", "entity-not-invited"),
    ],
)
def test_reactions_apply_the_debate_rules(world, actor, target, code):
    user = getattr(world, actor)
    client = login(getattr(user, "user", user))
    comment = getattr(world, target)
    before = row_counts()
    for url, data in LIBRARY_ACTIONS:
        payload = {"comment": comment.pk, **data}
        response = client.post(url.format(pk=comment.pk), json.dumps(payload), "application/json")
        assert response.status_code == 404, url
    # Reports stay possible on a closed debate (it is still published); agreement does not.
    names = ["debates:comment-like"]
    if code != "debate-closed":
        names.append("debates:comment-flag")
    for name in names:
        response = client.post(reverse(name, args=[comment.pk]), HTTP_ACCEPT="application/json")
        assert response.status_code in (400, 403), name
        assert response.json()["error"] == code, name
    assert row_counts() == before


def test_a_verified_invited_official_may_still_react(world):
    """The control: the same routes accept the person the rules allow."""
    client = login(world.outsider.user)
    response = client.post(
        reverse("debates:comment-like", args=[world.comment.pk]), HTTP_ACCEPT="application/json"
    )
    assert response.json() == {"ok": True, "on": True}


def test_replies_to_a_hidden_comment_are_refused(world):
    from debates.forms import DebateCommentForm

    data = dict(DebateCommentForm(world.debate).initial)
    data.update({"comment": "A reply.", "parent": str(world.hidden.pk)})
    before = row_counts()
    response = login(world.invited.user).post(
        reverse("debates:comment-post", args=[world.debate.pk]), data
    )
    assert response.status_code == 403
    assert 'data-code="comment-hidden"' in response.content.decode()
    assert row_counts() == before


# ---- 3. Hidden comments ----


def test_a_hidden_comment_is_never_served_to_non_moderators(world):
    hidden_text = "xyzzy-hidden-text"
    for user in (None, world.invited.user, world.author.user):
        client = login(user)
        for prefix in ("", "/ca"):
            response = client.get(f"{prefix}/comments/reply/{world.hidden.pk}/")
            assert response.status_code == 404
            assert hidden_text not in response.content.decode()
        assert hidden_text not in client.get(world.debate.url).content.decode()
        edit = client.get(reverse("debates:comment-edit", args=[world.hidden.pk]))
        assert edit.status_code == 403
        assert hidden_text not in edit.content.decode()
    # The moderators still read it, on the debate page.
    assert hidden_text in login(world.moderator).get(world.debate.url).content.decode()


# ---- 4. Names and e-mails ----


def test_public_answers_never_name_who_liked_nor_carry_an_email(world):
    liker = world.invited.user
    secrets = [liker.username, liker.get_full_name()]
    for official in (world.author, world.invited):
        email = official.user.email
        secrets += [email, hashlib.md5(email.lower().encode()).hexdigest()]  # noqa: S324
    label = "debates-debatepage"
    client = login(None)
    assert client.get(f"/comments/api/{label}/{world.debate.pk}/").status_code == 404
    assert client.get(f"/comments/api/{label}/{world.debate.pk}/count/").status_code == 404
    answers = [
        client.get(world.debate.url),
        client.get(f"/api/v2/pages/{world.debate.pk}/"),
        client.get("/api/v2/pages/?type=debates.DebatePage&fields=*"),
    ]
    for response in answers:
        assert response.status_code == 200
        body = response.content.decode()
        leaked = [secret for secret in secrets if secret and secret in body]
        assert not leaked, (response.request["PATH_INFO"], leaked)


# ---- 5. Restricted spaces ----


def _api_ids(client, query: str = "") -> set[int]:
    response = client.get(f"/api/v2/pages/?limit=100{query}")
    assert response.status_code == 200
    return {item["id"] for item in response.json()["items"]}


def test_pages_api_hides_restricted_spaces(world):
    hidden_ids = {world.restricted.pk, world.secret.pk}
    for user in (None, world.outsider.user, world.agent, world.unverified.user):
        client = login(user)
        assert not hidden_ids & _api_ids(client)
        assert not hidden_ids & _api_ids(client, "&type=debates.DebatePage")
        assert not hidden_ids & _api_ids(client, "&search=Zanzibar")
        assert not hidden_ids & _api_ids(client, f"&descendant_of={world.homes['ca'].pk}")
        assert client.get(f"/api/v2/pages/{world.secret.pk}/").status_code == 404
        assert client.get(f"/api/v2/pages/{world.restricted.pk}/").status_code == 404
        assert client.get(f"/api/v2/pages/?child_of={world.restricted.pk}").status_code in (
            400,
            404,
        )
        find = client.get(f"/api/v2/pages/find/?html_path={world.secret.url}")
        assert find.status_code == 404
    # Those the space is for still find it.
    for user in (world.invited.user, world.moderator):
        assert hidden_ids <= _api_ids(login(user))


def test_comment_apis_and_reply_view_do_not_reveal_restricted_comments(world):
    text = "plugh-secret-text"
    label = "debates-debatepage"
    for user in (None, world.outsider.user):
        client = login(user)
        for url in (
            f"/comments/api/{label}/{world.secret.pk}/",
            f"/comments/reply/{world.restricted_comment.pk}/",
        ):
            response = client.get(url)
            assert response.status_code == 404
            assert text not in response.content.decode()


def test_search_hides_restricted_spaces(world):
    for user in (None, world.outsider.user, world.unverified.user):
        body = login(user).get("/ca/search/?q=Zanzibar").content.decode()
        assert world.secret.url not in body
    assert (
        world.secret.url in login(world.invited.user).get("/ca/search/?q=Zanzibar").content.decode()
    )


# ---- Edits: rate limited like posts ----


def test_edits_are_rate_limited_like_posts(world, settings):
    settings.DEBATES_COMMENT_RATE_LIMIT = (3, 60)
    client = login(world.author.user)
    url = reverse("debates:comment-edit", args=[world.comment.pk])
    for index in range(3):
        assert client.post(url, {"comment": f"Edit {index}."}).status_code == 302
    response = client.post(url, {"comment": "One edit too many."})
    assert response.status_code == 429
    assert 'data-code="rate-limited"' in response.content.decode()
    assert "One edit too many." in response.content.decode()  # the text is not lost
    assert XtdComment.objects.get(pk=world.comment.pk).comment == "Edit 2."


def test_unmounted_library_routes_leave_no_reverse_behind():
    """The library's URL names are gone: nothing on the site may link to them."""
    from django.urls import NoReverseMatch

    for name, args in [
        ("comments-xtd-reply", [1]),
        ("comments-xtd-confirm", ["x"]),
        ("comments-xtd-api-feedback", []),
        ("comments-post-comment", []),
    ]:
        with pytest.raises(NoReverseMatch):
            reverse(name, args=args)


def test_restricted_debates_reach_no_outsider_by_email_or_open_data(world, mailoutbox):
    from concertem.notifications.models import EmailPreference
    from debates.export import debate_contributions

    before = row_counts()
    response = login(world.outsider.user).post(
        reverse("debates:follow", args=[world.secret.pk]), {"follow": "1"}
    )
    assert response.status_code == 403
    assert row_counts() == before
    # A follower whose entity is no longer invited gets no e-mail with the text.
    DebateFollow.objects.create(user=world.outsider.user, debate=world.secret)
    EmailPreference.objects.create(
        user=world.outsider.user, source="debates", frequency="immediate"
    )
    reply = make_comment(world.secret, world.invited, "More restricted words.")
    assert world.outsider.user.pk not in following.comment_followers_notify(comment_id=reply.pk)
    assert not mailoutbox
    # Nor an in-app notification naming the debate, the author or the entity.
    from concertem.notifications.models import Notification

    assert not Notification.objects.filter(recipient=world.outsider.user).exists()
    # The open-data export of contributions leaves restricted spaces out.
    ids = {row.comment_id for row in debate_contributions()}
    assert world.comment.pk in ids
    assert not {world.restricted_comment.pk, reply.pk} & ids
