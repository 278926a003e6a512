"""Editors draft a formula, see its effect, and open a debate on it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from dataportal.models import FormulaDraft
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
    assert draft.debate is not None and draft.debate.live
    public = client.get(f"/ca/repartiment/proposal/{draft.pk}/")
    assert public.status_code == 200
    assert draft.debate.url in public.content.decode()
    debate_html = client.get(draft.debate.url).content.decode()
    assert f"/ca/repartiment/proposal/{draft.pk}/" in debate_html


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


def test_editor_who_may_not_publish_leaves_the_debate_as_a_draft(client, portal_site):
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
