"""Attachments: types checked by content, size limits, private storage, checked download."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from concertem.office.attachments import AttachmentRejected, attachment_sniff
from concertem.office.rules import OfficeActionError
from tests.office.factories import (
    PASSWORD,
    VALID_FILES,
    make_request,
    ooxml_bytes,
    pdf_bytes,
    upload,
)

LIMIT = 10 * 1024 * 1024


@pytest.mark.parametrize("name", sorted(VALID_FILES))
def test_every_accepted_type_is_recognised_by_its_content(name):
    kind = attachment_sniff(name=name, data=VALID_FILES[name](), max_bytes=LIMIT)
    assert kind.extension == name.rsplit(".", 1)[1]


IMPOSTORS = {
    "program.pdf": b"MZ\x90\x00\x03\x00\x00\x00 this is a Windows executable",
    "page.pdf": b"<html><script>alert(1)</script></html>",
    "table.csv": b"<!DOCTYPE html><html><body>not a table</body></html>",
    "binary.csv": b"a,b\n\x00\x01\x02,3\n",
    "photo.png": VALID_FILES["photo.jpg"](),  # a JPEG called .png
    "broken.jpg": b"\xff\xd8\xff\xe0 truncated",
    "letter.docx": ooxml_bytes("docx", macros=True),  # a .docm in disguise
    "sheet.xlsx": ooxml_bytes("docx"),  # a Word file called .xlsx
    "report.odt": VALID_FILES["budget.ods"](),  # a spreadsheet called .odt
    "archive.docx": b"PK\x03\x04 not really a zip",
}


@pytest.mark.parametrize("name", sorted(IMPOSTORS))
def test_impostors_are_refused_whatever_their_extension(name):
    with pytest.raises(AttachmentRejected) as raised:
        attachment_sniff(name=name, data=IMPOSTORS[name], max_bytes=LIMIT)
    assert raised.value.code == "content-mismatch"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("script.exe", b"MZ", "type-not-allowed"),
        ("page.html", b"<html>", "type-not-allowed"),
        ("image.svg", b"<svg/>", "type-not-allowed"),
        ("noextension", pdf_bytes(), "type-not-allowed"),
        ("empty.pdf", b"", "empty"),
        ("big.pdf", b"%PDF-" + b"0" * 2000, "too-large"),
    ],
)
def test_types_and_sizes_outside_the_limits(name, data, code):
    with pytest.raises(AttachmentRejected) as raised:
        attachment_sniff(name=name, data=data, max_bytes=1000)
    assert raised.value.code == code


@pytest.mark.django_db
def test_a_rejected_file_rejects_the_whole_request(people, settings):
    settings.OFFICE_ATTACHMENT_MAX_BYTES = 1000
    from concertem.office.models import SupportRequest

    for files, code in (
        (
            [upload("memo.pdf", pdf_bytes()), upload("x.pdf", b"MZ\x90")],
            "attachment-content-mismatch",
        ),
        ([upload("big.pdf", b"%PDF-" + b"0" * 5000)], "attachment-too-large"),
        ([upload(f"m{i}.pdf", pdf_bytes()) for i in range(6)], "too-many-files"),
    ):
        with pytest.raises(OfficeActionError) as raised:
            make_request(people.official, files=files)
        assert raised.value.code == code and raised.value.status == 400
    assert SupportRequest.objects.count() == 0
    assert not any(Path(settings.OFFICE_PRIVATE_ROOT).rglob("*.pdf"))


@pytest.mark.django_db
def test_files_are_stored_privately_under_a_random_name(people):
    request = make_request(people.official, files=[upload("../../etc/passwd.pdf", pdf_bytes())])
    attachment = request.attachments.get()
    stored = Path(attachment.file.path).resolve()
    private = Path(settings.OFFICE_PRIVATE_ROOT).resolve()
    assert stored.is_relative_to(private)
    for public in (settings.MEDIA_ROOT, settings.STATIC_ROOT):
        assert not stored.is_relative_to(Path(public).resolve())
    assert attachment.original_name == "passwd.pdf"
    assert "passwd" not in stored.name and request.reference in str(stored)
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - no public URL can be built


@pytest.mark.django_db
def test_the_download_is_checked_and_safe(client, people):
    request = make_request(people.official, files=[upload("plan.pdf", pdf_bytes())])
    url = reverse("office:attachment", args=[request.attachments.get().pk])
    assert client.login(username=people.official.username, password=PASSWORD)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    client.login(username=people.other.username, password=PASSWORD)
    assert client.get(url).status_code == 404  # outsiders cannot tell it exists
    # (concertem.config.middleware.LocaleMiddleware sends unknown /office/ paths to /ca/office/
    # first.)
    missing = client.get(reverse("office:attachment", args=[999999]), follow=True)
    assert missing.status_code == 404
    assert client.get(settings.MEDIA_URL + "office/", follow=True).status_code == 404
