"""A debate's lifecycle rules (debates/lifecycle.py): one place, every screen obeys."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from debates import lifecycle, moderation, rules
from debates.models import DebatePage
from tests.debates.factories import make_debate

pytestmark = pytest.mark.django_db


def test_a_debate_that_has_not_opened_cannot_be_closed_by_a_moderator(space, people):
    upcoming = make_debate(space, slug="soon", state="upcoming")
    with translation.override("en"), pytest.raises(rules.DebateActionError) as error:
        moderation.debate_close(debate=upcoming, user=people.moderator, conclusions="x")
    assert error.value.code == "debate-not-open-yet"
    assert error.value.status == 400
    assert "cannot close before it opens" in error.value.message
    assert not DebatePage.objects.get(pk=upcoming.pk).closed_manually
    with translation.override("ca"):
        assert "no es pot tancar abans d'obrir-se" in lifecycle.debate_close_refusal(upcoming)


def test_the_admin_form_refuses_to_close_a_debate_before_it_opens(space):
    upcoming = make_debate(space, slug="soon", state="upcoming")
    upcoming.closed_manually = True
    with pytest.raises(ValidationError) as error:
        upcoming.full_clean()
    assert "closed_manually" in error.value.message_dict
    upcoming.closed_manually = False
    upcoming.closes_at = upcoming.opens_at - timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        upcoming.full_clean()
    assert "closes_at" in error.value.message_dict


def test_closing_by_hand_in_the_admin_records_when(debate):
    debate.closed_manually = True
    debate.full_clean()
    assert debate.closed_at is not None
    debate.closed_manually = False
    debate.full_clean()
    assert debate.closed_at is None


def test_conclusions_are_sanitised_markdown():
    html = lifecycle.conclusions_html("**Yes**\n\n- one\n- two\n\n<script>alert(1)</script>")
    assert "<strong>Yes</strong>" in html and "<li>one</li>" in html
    assert "<script" not in html and "alert" not in html


def test_the_space_calendar_takes_each_debates_dates_from_the_debate(client, space):
    now = timezone.now()
    late = make_debate(space, slug="late", state="open")
    late.closes_at = now + timedelta(days=21)
    late.save_revision().publish()
    html = client.get(space.url).content.decode()
    closes = timezone.localtime(late.closes_at).date().isoformat()
    opens = timezone.localtime(late.opens_at).date().isoformat()
    assert f'<li data-calendar-kind="closes"><time datetime="{closes}">' in html
    assert f'<li data-calendar-kind="opens"><time datetime="{opens}">' in html
    assert "Debate late" in html.split('data-calendar-kind="closes"', 1)[1][:400]
