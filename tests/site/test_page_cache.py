"""Whole pages for anonymous readers from the cache, invalidated by what they show."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from concertem.pagecache import cache as store
from concertem.pagecache import page_cache_invalidate
from tests.debates.factories import OfficialFactory, UserFactory, make_debate, make_space

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(demo_site, django_capture_on_commit_callbacks):
    from concertem.home.models import HomePage

    home = HomePage.objects.get(locale__language_code="ca")
    space = make_space(home, slug="cache-space")
    restricted = make_space(home, slug="cache-closed", restricted=True)
    official = OfficialFactory(user=UserFactory(username="vic"), entity_code="08298")
    return {
        "space": space,
        "debate": make_debate(space, slug="cached-debate"),
        "other": make_debate(space, slug="other-debate"),
        "restricted": make_debate(restricted, slug="closed-debate"),
        "official": official,
    }


def state(response) -> str | None:
    return response.get("X-Page-Cache")


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_an_anonymous_page_is_served_from_the_cache_with_its_headers(world):
    first, second = Client().get("/ca/"), Client().get("/ca/")
    assert (first.status_code, state(first)) == (200, "miss")
    assert (second.status_code, state(second)) == (200, "hit")
    assert second.content == first.content
    # The same policy as the page it was stored with (the public one has no nonce).
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "script-src 'self'" in second["Content-Security-Policy"]
    assert {"public", "max-age=30", "s-maxage=30"} <= directives(second)
    assert "private" not in directives(second)
    assert "cookie" in second["Vary"].lower()  # front caches keep it from sessions
    # The language cookie a first visit gets is replayed for other first visitors.
    assert second.cookies["django_language"].value == "ca"


def test_the_same_page_in_another_language_or_query_is_another_entry(world):
    Client().get("/ca/")
    assert state(Client().get("/es/")) == "miss"
    assert state(Client().get("/ca/?x=1")) == "miss"
    assert state(Client().get("/ca/", HTTP_COOKIE="django_language=es")) == "miss"


def test_logged_in_people_never_get_or_fill_the_cache(world):
    Client().get("/ca/")  # stored for anonymous readers
    client = Client()
    client.force_login(world["official"].user)
    response = client.get("/ca/")
    assert state(response) is None
    assert "private" in directives(response) and "public" not in directives(response)
    assert world["official"].user.username.encode() in response.content


def test_a_visitor_with_messages_or_a_session_cookie_goes_past_the_cache(world):
    Client().get("/ca/")
    assert state(Client().get("/ca/", HTTP_COOKIE="messages=abc")) is None
    assert state(Client().get("/ca/", HTTP_COOKIE="sessionid=abc")) is None


def test_pages_with_a_csrf_form_errors_and_redirects_are_never_stored(world):
    for _ in range(2):
        login = Client().get("/ca/accounts/login/")
        assert login.status_code == 200 and state(login) is None
        assert "private" in directives(login)
        missing = Client().get("/ca/no-such-page/")
        assert missing.status_code == 404 and state(missing) is None
        # A restricted space's debate sends anonymous readers to the login page.
        closed = Client().get(world["restricted"].url)
        assert closed.status_code == 302 and state(closed) is None


def test_a_csrf_form_works_for_a_second_visitor_after_the_cache_served_a_page(world):
    """Cached pages carry no CSRF token, so the login form each visitor gets is theirs."""
    for url in ("/ca/", world["debate"].url):
        Client().get(url)
        cached = Client().get(url)
        assert state(cached) == "hit"
        assert b"csrfmiddlewaretoken" not in cached.content
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/ca/")  # a cached page first
    form = visitor.get("/ca/accounts/login/")
    token = form.cookies["csrftoken"].value
    sent = visitor.post(
        "/ca/accounts/login/",
        {"username": "vic", "password": "wrong", "csrfmiddlewaretoken": token},
    )
    assert sent.status_code == 200  # the form again with its error, not the CSRF 403


def _comment(client, debate, text):
    from debates.forms import DebateCommentForm

    data = dict(DebateCommentForm(debate).initial)
    data.update({"comment": text})
    return client.post(reverse("debates:comment-post", args=[debate.pk]), data)


def test_a_comment_invalidates_its_debate_and_pages_showing_comments_only(
    world, django_capture_on_commit_callbacks
):
    debate, other = world["debate"], world["other"]
    for url in (debate.url, other.url, "/ca/"):
        Client().get(url)
        assert state(Client().get(url)) == "hit", url
    client = Client()
    client.force_login(world["official"].user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _comment(client, debate, "Cache-busting contribution")
    assert response.status_code in (200, 302)
    fresh = Client().get(debate.url)
    assert state(fresh) == "miss"
    assert "Cache-busting contribution" in fresh.content.decode()
    assert state(Client().get(other.url)) == "hit"  # another debate stays cached
    assert state(Client().get("/ca/")) == "miss"  # may show comment counts


def test_a_hidden_comment_leaves_the_cached_page(world, django_capture_on_commit_callbacks):
    from django_comments_xtd.models import XtdComment

    from debates import moderation
    from tests.debates.factories import make_moderator

    debate = world["debate"]
    client = Client()
    client.force_login(world["official"].user)
    with django_capture_on_commit_callbacks(execute=True):
        _comment(client, debate, "Something to hide later")
    assert "Something to hide later" in Client().get(debate.url).content.decode()
    assert state(Client().get(debate.url)) == "hit"
    comment = XtdComment.objects.get(comment__contains="Something to hide later")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.comment_hide(moderator=make_moderator(), comment=comment, reason="Off topic")
    fresh = Client().get(debate.url)
    assert state(fresh) == "miss"
    assert "Something to hide later" not in fresh.content.decode()


def test_publishing_a_page_invalidates_every_page(world, django_capture_on_commit_callbacks):
    from concertem.home.models import HomePage

    Client().get("/ca/")
    assert state(Client().get("/ca/")) == "hit"
    home = HomePage.objects.get(locale__language_code="ca")
    home.hero_title = "A title just published"
    with django_capture_on_commit_callbacks(execute=True):
        home.save_revision().publish()
    fresh = Client().get("/ca/")
    assert state(fresh) == "miss"
    assert "A title just published" in fresh.content.decode()


def test_invalidation_waits_for_the_commit(world, django_capture_on_commit_callbacks):
    """A page rendered while the write is uncommitted is stored with the old generation."""
    Client().get("/ca/")
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        page_cache_invalidate()
        assert state(Client().get("/ca/")) == "hit"  # nothing committed yet
    for callback in callbacks:
        callback()
    assert state(Client().get("/ca/")) == "miss"


def test_the_import_hook_and_the_command_invalidate_everything(
    world, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    Client().get("/ca/")
    with django_capture_on_commit_callbacks(execute=True):
        page_cache_invalidate("site")
    assert state(Client().get("/ca/")) == "miss"
    assert state(Client().get("/ca/")) == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("page_cache_invalidate")
    assert state(Client().get("/ca/")) == "miss"


def test_an_evicted_generation_never_brings_a_stale_page_back(world):
    Client().get("/ca/")
    cache.delete(store.generation_key(store.SCOPE_SITE))  # as an eviction would
    assert state(Client().get("/ca/")) == "miss"
    assert state(Client().get("/ca/")) == "hit"


def test_an_open_debate_is_not_kept_past_its_closing(world, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    debate = world["debate"]
    debate.closes_at = timezone.now() + timedelta(seconds=5)
    debate.save_revision().publish()
    seen = {}
    real_set = store.entry_set

    def entry_set_spy(key, generations, response, seconds):
        seen["seconds"] = seconds
        real_set(key, generations, response, seconds)

    monkeypatch.setattr(store, "entry_set", entry_set_spy)
    assert state(Client().get(debate.url)) == "miss"
    assert 1 <= seen["seconds"] <= 5


def test_off_when_page_cache_seconds_is_zero(world, settings):
    settings.PAGE_CACHE_SECONDS = 0
    Client().get("/ca/")
    assert state(Client().get("/ca/")) is None


def test_a_data_bank_change_invalidates_every_page(world, django_capture_on_commit_callbacks):
    """The data bank counts each import or undo with version_bump (bulk writes the model
    signals do not see): the pages showing its data are rendered again after the commit."""
    from concertem.databank.services import version_bump

    Client().get("/ca/")
    assert state(Client().get("/ca/")) == "hit"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        version_bump()
    assert state(Client().get("/ca/")) == "miss"
