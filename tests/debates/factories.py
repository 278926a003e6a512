"""Factories and `make_*` helpers for the debates tests (kept local to these tests)."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from debates.commenting import comment_create
from debates.models import DebateIndexPage, DebatePage, Official

PASSWORD = "pw-for-tests"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    user = factory.SubFactory(UserFactory)
    entity_code = "08298"
    role = Official.Role.MAYOR
    verified = True


def make_moderator(username: str = "moderator"):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def make_space(home, *, slug="space", restricted=False, invited=("08298", "08279")):
    space = DebateIndexPage(
        title=f"Space {slug}",
        slug=slug,
        intro="A space for tests.",
        visibility=(
            DebateIndexPage.Visibility.RESTRICTED
            if restricted
            else DebateIndexPage.Visibility.PUBLIC
        ),
        invited_entities=", ".join(invited),
    )
    home.add_child(instance=space)
    space.save_revision().publish()
    return DebateIndexPage.objects.get(pk=space.pk)


def make_debate(space, *, slug="debate", state="open", **fields):
    now = timezone.now()
    dates = {
        "open": (now - timedelta(days=1), now + timedelta(days=10), False),
        "closed": (now - timedelta(days=10), now + timedelta(days=10), True),
        "expired": (now - timedelta(days=10), now - timedelta(days=1), False),
        "upcoming": (now + timedelta(days=2), now + timedelta(days=10), False),
    }[state]
    debate = DebatePage(
        title=f"Debate {slug}",
        slug=slug,
        question="What should we do?",
        opens_at=dates[0],
        closes_at=dates[1],
        closed_manually=dates[2],
        **fields,
    )
    space = DebateIndexPage.objects.get(pk=space.pk)
    space.add_child(instance=debate)
    debate.save_revision().publish()
    return DebatePage.objects.get(pk=debate.pk)


def make_comment(debate, official, text="A comment.", parent=None, when=None):
    """A comment written directly (no rules, no rate limit): for building fixtures."""
    return comment_create(
        debate=debate, official=official, text=text, parent=parent, submitted_at=when
    )
