"""The office's pages: catalogue search and filter, bad input refused clearly, the page
type, and the demo command."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from concertem.office.models import SupportRequest
from tests.office.factories import PASSWORD, make_request, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def test_office_page_can_only_live_under_a_home_page():
    from concertem.home.models import HomePage, StandardPage
    from concertem.office.models import OfficePage

    assert OfficePage in [m for m in HomePage.allowed_subpage_models()]
    assert OfficePage not in StandardPage.allowed_subpage_models()


def test_catalogue_search_and_area_filter(client, office, catalogue):
    html = client.get(office.url).content.decode()
    assert "Auditoria energètica" in html and "Programació cultural" in html
    assert "Portàtils" not in html  # withdrawn services are not offered
    html = client.get(office.url, {"q": "auditoria"}).content.decode()
    assert "Auditoria energètica" in html and "Programació cultural" not in html
    html = client.get(office.url, {"area": "culture"}).content.decode()
    assert "Programació cultural" in html and "Auditoria energètica" not in html
    assert client.get(office.url, {"area": "x'--", "q": "<script>"}).status_code == 200
    english = client.get(
        office.url.replace("/ca/", "/en/").replace("oficina-municipis", "office-for-municipalities")
    ).content.decode()
    assert "Auditoria energètica (en)" in english  # the English column when there is one


def test_service_page_and_withdrawn_service(client, office, catalogue, people):
    page = client.get(office.url + "services/DIG-03/").content.decode()
    assert "Portàtils" in page and "request_new" not in page
    assert client.get(office.url + "services/NOPE/").status_code == 404
    client.login(username=people.official.username, password=PASSWORD)
    response = client.post(
        office.url + "requests/new/", {"service": "DIG-03", "description": "Laptops please"}
    )
    assert response.status_code == 400
    assert b'data-code="service-withdrawn"' in response.content
    response = client.post(office.url + "requests/new/", {"service": "NOPE", "description": "x"})
    assert response.status_code == 400 and b"service-unknown" in response.content
    assert SupportRequest.objects.count() == 0


def test_filing_through_the_form_with_an_attachment(client, office, catalogue, people):
    client.login(username=people.official.username, password=PASSWORD)
    form = client.get(office.url + "requests/new/?service=ENE-01")
    assert form.status_code == 200 and b"Vic" in form.content
    response = client.post(
        office.url + "requests/new/",
        {
            "service": "ENE-01",
            "description": "Audit the library, please.",
            "entity_code": "08298",
            "attachments": [upload("plan.pdf", pdf_bytes())],
        },
    )
    request = SupportRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/requests/{request.reference}/"
    )
    assert request.attachments.count() == 1
    bad = client.post(
        office.url + "requests/new/",
        {
            "subject": "Virus",
            "description": "x",
            "area": "legal",
            "entity_code": "08298",
            "attachments": [upload("virus.pdf", b"MZ\x90\x00")],
        },
    )
    assert bad.status_code == 400
    assert b"attachment-content-mismatch" in bad.content
    empty = client.post(office.url + "requests/new/", {"area": "legal", "description": ""})
    assert empty.status_code == 400
    assert SupportRequest.objects.count() == 1


def test_request_pages_show_the_thread_and_outcome(client, office, people, catalogue):
    from concertem.office import services

    request = make_request(people.official, service=catalogue.grant)
    services.message_post(user=people.agent, request=request, text="We need the budget")
    services.request_resolve(
        user=people.agent,
        request=request,
        resolution="Granted in full",
        outcome="grant",
        amount="9000",
    )
    client.login(username=people.colleague.username, password=PASSWORD)
    html = client.get(office.url + f"requests/{request.reference}/").content.decode()
    for text in (
        "We need the budget",
        "Granted in full",
        request.reference,
        "state state--resolved",
    ):
        assert text in html
    assert "Resolve the request" not in html and "Resol la sol" not in html
    listing = client.get(office.url + "requests/").content.decode()
    assert request.reference in listing
    client.login(username=people.other.username, password=PASSWORD)
    assert request.reference not in client.get(office.url + "requests/").content.decode()
    client.login(username=people.plain.username, password=PASSWORD)
    assert client.get(office.url + "requests/").status_code == 403


def test_bad_state_posts_are_refused_without_a_crash(client, office, people):
    request = make_request(people.official)
    client.login(username=people.agent.username, password=PASSWORD)
    url = office.url + f"requests/{request.reference}/state/"
    for data, code in (
        ({"to_state": "bogus"}, b"transition-not-allowed"),
        ({"to_state": "declined", "note": ""}, b"reason-required"),
        (
            {"to_state": "resolved", "outcome": "grant", "amount": "abc", "resolution": "x"},
            b"amount-invalid",
        ),
        ({"to_state": "waiting"}, b"note-required"),
    ):
        response = client.post(url, data)
        assert response.status_code == 400 and code in response.content, data
    assert client.get(url).status_code == 302
    assert client.get(office.url + "requests/OAM-1999-000001/").status_code == 404


def test_notification_preferences(client, people):
    from concertem.notifications.emails import email_frequency

    client.login(username=people.official.username, password=PASSWORD)
    page = client.get("/office/notifications/", follow=True)  # the one preferences page
    assert page.status_code == 200 and page.redirect_chain
    client.post(page.request["PATH_INFO"], {"office": "daily"})
    assert email_frequency(people.official, "office") == "daily"


def test_demo_command_is_idempotent(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    (tmp_path / "demo-logins.txt").write_text("Editor: editor / concertem-editor\n")
    call_command("load_demo_office", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (
        SupportRequest.objects.count(),
        SupportRequest.objects.filter(cooperation_action__isnull=False).count(),
    )
    states = set(SupportRequest.objects.values_list("state", flat=True))
    call_command("load_demo_office", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (
        SupportRequest.objects.count(),
        SupportRequest.objects.filter(cooperation_action__isnull=False).count(),
    ) == counts
    assert counts == (8, 2)
    assert states == {"received", "assigned", "in_progress", "waiting", "resolved", "declined"}
    lines = (tmp_path / "demo-logins.txt").read_text().splitlines()
    assert lines[0] == "Editor: editor / concertem-editor"
    assert len(lines) == len(set(lines)) and any("agent.centre" in line for line in lines)
    from concertem.office.models import Service

    assert Service.objects.filter(is_demo=True).count() >= 15
