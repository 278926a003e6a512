"""Cooperation pages as visitors and officials meet them; the service other apps call."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from concertem.cooperation.models import CooperationAction
from concertem.cooperation.services import action_create_from, actions_import
from datasets.execution.actions import ActionImportError
from datasets.execution.demo import DEMO_PATH

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_site):
    from concertem.cooperation.demo import demo_cooperation_load

    demo_cooperation_load(demo_site)
    return demo_site


def official(entity_code: str, username: str = "official", verified: bool = True):
    from debates.models import Official

    user = get_user_model().objects.create_user(username=username, password="x-pass-123")
    Official.objects.create(
        user=user, entity_code=entity_code, role="technician", verified=verified
    )
    return user


def test_import_is_idempotent_and_all_or_nothing(db, tmp_path):
    first = actions_import(DEMO_PATH)
    assert (first.rows, first.created) == (76, 76)
    again = actions_import(DEMO_PATH)
    assert (again.created, again.updated) == (0, 76)
    broken = tmp_path / "broken.csv"
    lines = DEMO_PATH.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",08016,", ",08999,")  # first row: unknown entity
    lines[2] = lines[2].replace("DEMO-", "NEW-")  # a new action that must NOT be created
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ActionImportError):
        actions_import(broken)
    assert CooperationAction.objects.count() == 76
    assert not CooperationAction.objects.filter(action_id__startswith="NEW-").exists()


def test_management_command_reports_rows(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        DEMO_PATH.read_text(encoding="utf-8").replace(
            "149778.08,0.00,0.00", "149778.08,0.00,200000.00"
        )
    )
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_cooperation_actions", str(bad))
    call_command("import_cooperation_actions", str(DEMO_PATH))
    assert CooperationAction.objects.count() == 76


def test_action_create_from_a_resolved_request(db):
    action = action_create_from(
        entity_code="08187",
        programme_code="CS-2025",
        programme_name="Catàleg de serveis 2025",
        kind="service",
        title="Assistència en contractació",
        amount_granted=Decimal(9000),
        service_code="CS25-JUR03",
        source_reference="request 42",
    )
    assert action.action_id == "CS-2025-08187-001"
    assert action.status == "granted" and action.source == "request"
    with pytest.raises(ActionImportError) as caught:
        action_create_from(
            entity_code="08999",
            programme_code="CS-2025",
            programme_name="x",
            kind="grant",
            title="x",
            amount_granted=Decimal(1),
        )
    assert caught.value.issues[0].rule == "unknown-entity"


@pytest.mark.parametrize("language", ["ca", "es", "en"])
def test_public_summary_and_entity_pages(client, demo, language):
    slug = {"ca": "actuacions", "es": "actuaciones", "en": "cooperation-actions"}[language]
    html = client.get(f"/{language}/{slug}/").content.decode()
    assert "notice--demo" in html
    assert "Bagà" in html and "Berguedà" in html
    response = client.get(f"/{language}/{slug}/08016/")
    assert response.status_code == 200
    assert "Bagà" in response.content.decode()
    assert client.get(f"/{language}/{slug}/99999/").status_code == 404
    csv_text = client.get(f"/{language}/{slug}/data/actions/").content.decode()
    assert csv_text.splitlines()[0].startswith("action_id,entity_code,programme_code")
    assert len(csv_text.splitlines()) == 77


def test_private_page_only_for_officials_of_that_entity(client, demo):
    url = "/ca/actuacions/08016/private/"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(official("08187", "other"))
    assert client.get(url).status_code == 403
    client.force_login(official("08016", "unverified", verified=False))
    assert client.get(url).status_code == 403
    client.force_login(get_user_model().objects.get(username="official-demo"))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "(demo) Resolució d" in html
    action = CooperationAction.objects.filter(entity_code="08016").first()
    document = action.documents.first().document
    download = client.get(f"/ca/actuacions/08016/private/documents/{document.pk}/")
    assert download.status_code == 200
    assert b"DEMO DOCUMENT" in b"".join(download.streaming_content)
    # The same document is not served for another entity's URL, nor via Wagtail's own URL.
    assert client.get(f"/ca/actuacions/08187/private/documents/{document.pk}/").status_code in (
        403,
        404,
    )
    client.force_login(get_user_model().objects.get(username="other"))
    assert client.get(document.url).status_code in (302, 403)


def test_export_command_writes_build_folder(db, tmp_path):
    actions_import(DEMO_PATH)
    call_command("export_cooperation_actions", out=tmp_path)
    assert (tmp_path / "cooperation_actions.csv").exists()
    assert (tmp_path / "cooperation_action_milestones.schema.json").exists()


def test_entity_page_url_for_profile_links(demo):
    from concertem.cooperation.selectors import entity_page_url

    assert entity_page_url("08016", language_code="ca") == "/ca/actuacions/08016/"
    assert entity_page_url("08016", language_code="en") == "/en/cooperation-actions/08016/"


def test_milestones_heading_only_when_an_action_has_milestones(client, demo):
    """No empty "Milestones" section: the heading comes with the first milestone, once."""
    from concertem.cooperation.models import ActionMilestone

    with_milestones = CooperationAction.objects.filter(milestones__isnull=False).first()
    code = with_milestones.entity_code
    html = client.get(f"/en/cooperation-actions/{code}/").content.decode()
    assert html.count("<h2>Milestones</h2>") == 1
    ActionMilestone.objects.filter(action__entity_code=code).delete()
    html = client.get(f"/en/cooperation-actions/{code}/").content.decode()
    assert "Milestones</h2>" not in html
