"""Services and selectors: states, moderation, notifications, export, reports, pages."""

from __future__ import annotations

import csv
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_comments.models import CommentFlag
from wagtail.test.utils import WagtailPageTestCase

from debates import commenting, data_tables, moderation, reports, rules
from debates.markup import comment_html_render
from debates.models import (
    DebateIndexPage,
    DebatePage,
    DebateState,
    ModerationAction,
    Official,
    entity_codes_validate,
)
from tests.debates.factories import OfficialFactory, UserFactory, make_comment, make_debate

pytestmark = pytest.mark.django_db


# ---- States ----


def test_state_follows_dates_and_explicit_close(space):
    now = timezone.now()
    debate = make_debate(space, slug="s")
    debate.opens_at, debate.closes_at = now + timedelta(hours=1), now + timedelta(days=1)
    assert debate.state_at(now) == DebateState.UPCOMING and not debate.accepts_comments()
    assert debate.state_at(now + timedelta(hours=2)) == DebateState.OPEN
    assert debate.state_at(now + timedelta(days=2)) == DebateState.CLOSED
    debate.closed_manually = True
    assert debate.state_at(now + timedelta(hours=2)) == DebateState.CLOSED


def test_closing_before_opening_is_invalid(space):
    debate = make_debate(space, slug="v")
    debate.closes_at = debate.opens_at - timedelta(days=1)
    with pytest.raises(ValidationError):
        debate.clean()


def test_entity_codes_are_checked_against_the_territory():
    entity_codes_validate("08279, 08298\n08113")
    with pytest.raises(ValidationError):
        entity_codes_validate("08279, 99999")
    with pytest.raises(ValidationError):
        entity_codes_validate("8279")
    with pytest.raises(ValidationError):
        OfficialFactory.build(user=UserFactory(username="x"), entity_code="28079").full_clean()


# ---- Moderation ----


def test_hiding_keeps_replies_and_shows_the_reason(client, debate, people):
    parent = make_comment(debate, people.other, "Rude words")
    reply = make_comment(debate, people.invited, "A calm reply", parent=parent)
    moderation.comment_hide(moderator=people.moderator, comment=parent, reason="Insults")
    html = client.get(debate.url).content.decode()
    assert "Rude words" not in html
    assert "Insults" in html
    assert "A calm reply" in html and f'id="c{reply.pk}"' in html
    action = ModerationAction.objects.get(action="hide")
    assert (action.actor, action.comment_id, action.reason) == (
        people.moderator,
        parent.pk,
        "Insults",
    )
    moderation.comment_unhide(moderator=people.moderator, comment=parent)
    assert "Rude words" in client.get(debate.url).content.decode()


def test_hide_needs_a_reason(debate, people):
    comment = make_comment(debate, people.other)
    with pytest.raises(rules.DebateActionError) as error:
        moderation.comment_hide(moderator=people.moderator, comment=comment, reason=" ")
    assert error.value.code == "reason-required"


def test_flags_reach_the_queue_and_can_be_dismissed(client, debate, people):
    comment = make_comment(debate, people.other, "Dubious")
    assert commenting.comment_flag(user=people.invited.user, comment=comment) is True
    assert commenting.comment_flag(user=people.invited.user, comment=comment) is False
    queue = reports.moderation_queue()
    assert [(item["comment"].pk, item["flags"]) for item in queue] == [(comment.pk, 1)]
    client.force_login(people.moderator)
    page = client.get(reverse("debates_admin:queue"))
    assert page.status_code == 200 and "Dubious" in page.content.decode()
    moderation.comment_flags_dismiss(moderator=people.moderator, comment=comment)
    assert reports.moderation_queue() == []
    assert ModerationAction.objects.filter(action="dismiss_flags").count() == 1


def test_blocking_stops_taking_part_and_is_logged(debate, people):
    target = people.other.user
    moderation.user_block(moderator=people.moderator, user=target, reason="Spam")
    with pytest.raises(rules.DebateActionError) as error:
        commenting.comment_post(user=target, debate=debate, text="Buy now")
    assert error.value.code == "user-blocked"
    assert ModerationAction.objects.filter(action="block", target_user=target).exists()
    moderation.user_unblock(moderator=people.moderator, user=target)
    assert commenting.comment_post(user=target, debate=debate, text="Sorry").pk


def test_closing_publishes_conclusions_on_every_translation(client, homes, people):
    from debates.demo_content import demo_debates_load

    debates = demo_debates_load(homes)
    debate = debates["open"]
    moderation.debate_close(
        debate=debate,
        user=people.moderator,
        conclusions="Keep **52%**.\n\nRevisit in 2029.",
        answer="Agreed.",
    )
    for page in DebatePage.objects.filter(translation_key=debate.translation_key):
        assert page.state == DebateState.CLOSED
    html = client.get(debate.url).content.decode()
    # Markdown, rendered like a comment (issue 15: it used to show the raw asterisks).
    assert "<p>Keep <strong>52%</strong>.</p>" in html and "<p>Revisit in 2029.</p>" in html
    assert "**" not in html.split('id="outcome', 1)[-1][:2000] and "Agreed." in html
    with pytest.raises(rules.DebateActionError) as error:
        commenting.comment_post(
            user=people.invited.user, debate=DebatePage.objects.get(pk=debate.pk), text="Late"
        )
    assert error.value.code == "debate-closed"


def test_only_moderators_close(debate, people):
    with pytest.raises(rules.DebateActionError) as error:
        moderation.debate_close(debate=debate, user=people.invited.user, conclusions="x")
    assert error.value.code == "not-moderator"


# ---- Translations share one conversation ----


def test_translations_show_the_same_thread(client, homes, people):
    from debates.demo_content import demo_debates_load

    debates = demo_debates_load(homes)
    catalan = debates["open"]
    english = catalan.get_translation(homes["en"].locale)
    client.force_login(people.invited.user)
    response = client.post(
        reverse("debates:comment-post", args=[english.pk]),
        {**_form(catalan), "comment": "Posted from the English page"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(english.url)
    assert "Posted from the English page" in client.get(catalan.url).content.decode()


def _form(debate):
    from debates.forms import DebateCommentForm

    return dict(DebateCommentForm(debate).initial)


# ---- Reports and export ----


def test_participation_report_and_counts(client, homes, people):
    from debates.demo_content import demo_debates_load

    debate = demo_debates_load(homes)["open"]
    report = reports.participation_report(debate=debate)
    assert report.total_comments == 9
    assert {e.entity_code for e in report.entities_taking_part} == {
        "08298",
        "08279",
        "08113",
        "08055",
    }
    assert report.invited_taking_part == 4 and len(report.entities_invited) == 8
    expected = 47179 + 222576 + 77944 + 744
    assert report.population_represented == expected
    assert 6 < report.population_share < 7  # of the province's 5.7 million
    client.force_login(people.moderator)
    page = client.get(reverse("debates_admin:report", args=[debate.pk]))
    assert page.status_code == 200 and "Castellcir" in page.content.decode()
    client.force_login(people.invited.user)
    assert client.get(reverse("debates_admin:report", args=[debate.pk])).status_code in (302, 403)


def test_export_writes_public_text_only(tmp_path, debate, people):
    parent = make_comment(debate, people.invited, "Public **words**")
    hidden = make_comment(debate, people.other, "Secret", parent=parent)
    moderation.comment_hide(moderator=people.moderator, comment=hidden, reason="Off topic")
    call_command("export_debate_contributions", str(tmp_path), verbosity=0)
    rows = list(csv.DictReader((tmp_path / "debate_contributions.csv").open(encoding="utf-8")))
    assert [(r["comment_id"], r["parent_id"], r["status"], r["text"]) for r in rows] == [
        (str(parent.pk), "", "public", "Public words"),
        (str(hidden.pk), str(parent.pk), "hidden", ""),
    ]
    assert rows[0]["entity_code"] == "08298" and rows[0]["entity_name"] == "Vic"
    text = (tmp_path / "debate_contributions.csv").read_text()
    assert "@" not in text and people.invited.user.last_name not in text
    schema = json.loads((tmp_path / "debate_contributions.schema.json").read_text())
    assert [f["name"] for f in schema["fields"]] == list(rows[0].keys())


# ---- Markup ----


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[x](javascript:alert(1))", '<a rel="nofollow noopener">x</a>'),
        ("[m](mailto:a@b.cat)", '<a href="mailto:a@b.cat" rel="nofollow noopener">m</a>'),
        ("<script>alert(1)</script>ok", "ok"),
        ("a <b>b</b>", "a <b>b</b>"),
        ('<p style="color:red" class="x">t</p>', "<p>t</p>"),
    ],
)
def test_markup_keeps_a_small_safe_subset(text, expected):
    assert expected in comment_html_render(text)
    assert "script" not in comment_html_render(text)


# ---- Pages ----


def test_space_lists_debates_by_state_and_restricted_space_is_private(client, homes, people):
    from debates.demo_content import demo_debates_load

    demo_debates_load(homes)
    html = client.get("/ca/revisio-formula-2027/").content.decode()
    for title in (
        "Quin pes ha de tenir la població?",
        "Un mínim fix per a cada municipi",
        "Quins indicadors de necessitat social?",
    ):
        assert title in html
    space = DebateIndexPage.objects.get(slug="revisio-formula-2027", locale__language_code="ca")
    space.visibility = DebateIndexPage.Visibility.RESTRICTED
    space.save_revision().publish()
    assert client.get(space.url).status_code == 302
    client.force_login(people.other.user)  # Manresa is invited in the demo
    assert client.get(space.url).status_code == 200


def test_demo_load_is_idempotent(homes):
    from debates.demo_content import demo_debates_load

    demo_debates_load(homes)
    counts = (DebatePage.objects.count(), Official.objects.count(), CommentFlag.objects.count())
    demo_debates_load(homes)
    assert (
        DebatePage.objects.count(),
        Official.objects.count(),
        CommentFlag.objects.count(),
    ) == counts
    assert DebatePage.objects.count() == 9  # 3 debates x 3 languages


def test_data_blocks_degrade_when_data_is_missing(monkeypatch):
    from debates import territory

    monkeypatch.setattr(territory, "entities_by_code", lambda: {})
    table = data_tables.indicator_table(variables=["population"], entity_codes="08298", year=None)
    assert table.unavailable
    missing = data_tables.allocation_table(formula="no-such-formula", entity_codes="08298")
    assert missing.unavailable == "formula-missing"
    traversal = data_tables.allocation_table(formula="../../etc/passwd", entity_codes="08298")
    assert traversal.unavailable


def test_allocation_table_shows_the_published_cents_and_adds_up():
    """The debate's table shows allocations.csv's own amounts, so each row adds up to its
    total on screen; a rounding column appears when a shown municipality has one."""
    from decimal import Decimal

    from django.utils import translation

    from datasets.allocation.inputs import allocation_of_file
    from datasets.allocation.tables import allocation_result_rows

    path = data_tables.formulas_dir() / "pgi-2024-2027.toml"
    published = {
        row["entity_code"]: row for row in allocation_result_rows(allocation_of_file(path))
    }
    # Bellprat (08022) has a rounding cent in the published file.
    rounded = [code for code, row in published.items() if row["rounding_eur"]]
    codes = ["08298", rounded[0]]
    with translation.override("ca"):
        table = data_tables.allocation_table(formula="pgi-2024-2027", entity_codes=", ".join(codes))
    assert table.columns[-1] == "Arrodoniment al cèntim"
    for code, row in zip(codes, table.rows, strict=True):
        minimum, *parts, total, _rank = row[1:]
        assert total == published[code]["amount_eur"]
        assert minimum + sum(parts, Decimal(0)) == total, code


def test_indicator_table_marks_missing_values():
    from django.utils import translation

    def table_in(language):
        with translation.override(language):
            return data_tables.indicator_table(
                variables=["unemployment_rate", "no_such_variable"],
                entity_codes="08298, 08055",
                year=2021,
            )

    table = table_in("en")
    assert table.columns == ["Unemployment rate (Census 2021) (2021)"]
    assert table.rows[0][0] == "Vic" and table.rows[0][1] is not None
    # In the page's language, with the source named for people, not by its id.
    catalan = table_in("ca")
    assert catalan.columns == ["Taxa d'atur (Cens 2021) (2021)"]
    assert "ine-atlas" not in catalan.source and catalan.source.startswith("INE")


class TestPageTree(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        from debates.demo_content import demo_debates_load

        cls.debates = demo_debates_load()

    def test_page_types_allowed(self):
        from concertem.home.models import HomePage

        self.assertCanCreateAt(HomePage, DebateIndexPage)
        self.assertCanCreateAt(DebateIndexPage, DebatePage)
        self.assertCanNotCreateAt(HomePage, DebatePage)
        self.assertCanNotCreateAt(DebatePage, DebatePage)

    def test_pages_render(self):
        for page in DebatePage.objects.all():
            self.assertPageIsRenderable(page)
        for page in DebateIndexPage.objects.all():
            self.assertPageIsRenderable(page)
