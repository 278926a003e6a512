"""Editors draft a formula, see its effect, and open a debate on it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, User
from django.utils.html import escape

from concertem.dataportal.models import FormulaDraft
from datasets.allocation.formula import formula_path_resolve

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    # Editors draft; Moderators may publish pages (Wagtail's default groups).
    user = User.objects.create_user("ed", password="pw")
    user.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Moderators"))
    return user


def _text(**replacements: str) -> str:
    text = formula_path_resolve("pgi-2024-2027").read_text(encoding="utf-8")
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text


def _form(text: str) -> dict[str, str]:
    return {
        "title": "Més pes a l'atur",
        "base_formula": "pgi-2024-2027",
        "text": text,
        "notes": "L'atur pesa més.",
    }


def test_editor_drafts_previews_and_opens_a_debate(client, editor, portal_site):
    from debates.demo_content import demo_debates_load

    demo_debates_load()
    client.force_login(editor)
    # Move 0.10 of the weight from income to unemployment.
    text = _text(**{"weight = 0.30": "weight = 0.20", "weight = 0.18": "weight = 0.28"})
    response = client.post("/admin/snippets/dataportal/formuladraft/add/", _form(text))
    draft = FormulaDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/admin/formula-drafts/{draft.pk}/preview/")
    preview = client.get(f"/admin/formula-drafts/{draft.pk}/preview/").content.decode()
    assert "municipalities gain" in preview or "municipis" in preview
    # The proposal is not public until a debate is opened on it.
    assert client.get(f"/ca/repartiment/proposal/{draft.pk}/").status_code == 404
    response = client.post(f"/admin/formula-drafts/{draft.pk}/debate/")
    draft.refresh_from_db()
    # Drafted in three languages, each waiting for review: nothing is public yet.
    pages = _debate_translations(draft)
    assert sorted(pages) == ["ca", "en", "es"]
    assert not any(page.live for page in pages.values())
    assert all(page.workflow_in_progress for page in pages.values())
    assert pages["es"].question != pages["ca"].question != pages["en"].question
    assert client.get(f"/ca/repartiment/proposal/{draft.pk}/").status_code == 404
    for page in pages.values():
        page.current_workflow_task_state.approve(user=editor)
    pages = _debate_translations(draft)
    assert all(page.live for page in pages.values())
    public = client.get(f"/ca/repartiment/proposal/{draft.pk}/")
    assert public.status_code == 200
    assert pages["ca"].url in public.content.decode()
    debate_html = client.get(pages["ca"].url).content.decode()
    assert f"/ca/repartiment/proposal/{draft.pk}/" in debate_html
    # The table's numbers are written as each language writes them (not "16465679.75").
    row = pages["ca"].context.raw_data[1]["value"]["rows"][0]["values"]
    assert re.search(r"\d{1,3}(\.\d{3})+,\d{2}", debate_html), "Catalan number format"
    english = client.get(pages["en"].url).content.decode()
    assert re.search(r"\d{1,3}(,\d{3})+\.\d{2}", english), "English number format"
    assert str(row[1]) not in debate_html


def _debate_translations(draft) -> dict:
    from debates.models import DebatePage

    debate = DebatePage.objects.get(pk=draft.debate_id)
    return {
        page.locale.language_code: page
        for page in DebatePage.objects.filter(translation_key=debate.translation_key)
    }


def test_a_new_draft_starts_from_the_current_formula(client, editor):
    client.force_login(editor)
    html = client.get("/admin/snippets/dataportal/formuladraft/add/").content.decode()
    first_line = _text().strip().splitlines()[0]
    assert escape(first_line) in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weight = 0.30": "weight = 0.40"}, "weights"),
        ({'variable = "unemployment_rate"': 'variable = "no_such_variable"'}, "no_such_variable"),
        ({"total_eur = 260_000_000": "total_eur = 1_000"}, "minimum"),
        ({"[budget]": "[budget"}, "TOML"),
    ],
)
def test_invalid_draft_is_refused_with_the_line(client, editor, change, message):
    client.force_login(editor)
    response = client.post("/admin/snippets/dataportal/formuladraft/add/", _form(_text(**change)))
    assert response.status_code == 200  # the form again, with the error
    assert message in response.content.decode()
    assert FormulaDraft.objects.count() == 0


def test_officials_and_anonymous_cannot_draft(client, db):
    official = User.objects.create_user("official", password="pw")
    client.force_login(official)
    assert client.get("/admin/formula-drafts/").status_code in (302, 403)
    client.logout()
    assert client.get("/admin/formula-drafts/").status_code == 302


def test_editor_who_may_not_publish_leaves_the_debate_for_review(client, portal_site):
    from debates.demo_content import demo_debates_load

    demo_debates_load()
    writer = User.objects.create_user("writer", password="pw")
    writer.groups.add(Group.objects.get(name="Editors"))
    client.force_login(writer)
    text = _text(**{"weight = 0.30": "weight = 0.20", "weight = 0.18": "weight = 0.28"})
    client.post("/admin/snippets/dataportal/formuladraft/add/", _form(text))
    draft = FormulaDraft.objects.get()
    response = client.post(f"/admin/formula-drafts/{draft.pk}/debate/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.debate is not None and not draft.debate.live
    assert client.get(f"/ca/repartiment/proposal/{draft.pk}/").status_code == 404
