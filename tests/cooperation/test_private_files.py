"""Private documents are never under a public URL: not /media/, whatever the settings.

Cooperation documents (Wagtail documents) and office attachments live in the private root;
the protected views serve them to the right people only, by FileResponse or, in production,
by X-Accel-Redirect to an nginx internal location.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from django.urls import clear_url_caches
from wagtail.documents import get_document_model

from concertem.common.private_files import media_documents_move

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\nsecret municipal memo\n%%EOF\n"


@pytest.fixture
def document(settings):
    Document = get_document_model()
    doc = Document(title="Memo")
    doc.file.save("memo.pdf", ContentFile(PDF), save=False)
    doc.save()
    return doc


def test_documents_are_stored_outside_media_root(settings, document):
    path = Path(document.file.path)
    assert path.is_relative_to(Path(settings.OFFICE_PRIVATE_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    assert document.url.startswith("/documents/")  # Wagtail's checked view, not /media/


def test_no_media_url_reaches_a_document_in_dev_settings(settings, document):
    # Dev settings serve MEDIA_ROOT under /media/ (DEBUG): the file is simply not there.
    import importlib

    import concertem.config.urls

    settings.DEBUG = True
    clear_url_caches()
    importlib.reload(concertem.config.urls)
    try:
        name = document.file.name  # documents/memo.pdf
        for url in (f"/media/{name}", "/media/documents/memo.pdf", f"/media/../private/{name}"):
            response = Client().get(url)
            assert response.status_code in (400, 404), url  # 400: traversal refused
            assert PDF not in b"".join(getattr(response, "streaming_content", [response.content]))
    finally:
        settings.DEBUG = False
        clear_url_caches()
        importlib.reload(concertem.config.urls)


def test_the_document_view_streams_or_hands_over_to_nginx(settings, document, rf):
    from concertem.common.private_files import private_file_response

    request = rf.get("/")
    streamed = private_file_response(request, document.file.path, filename="memo.pdf")
    assert b"".join(streamed.streaming_content) == PDF
    assert streamed["Cache-Control"] == "private, no-store"
    with override_settings(PRIVATE_FILES_ACCEL_PREFIX="/_private/"):
        handed = private_file_response(request, document.file.path, filename="memo.pdf")
    assert handed.content == b""
    assert handed["X-Accel-Redirect"] == f"/_private/{document.file.name}"
    assert 'filename="memo.pdf"' in handed["Content-Disposition"]
    # Nothing outside the private root is ever handed over.
    outside = Path(settings.MEDIA_ROOT) / "x.pdf"
    outside.parent.mkdir(parents=True, exist_ok=True)
    outside.write_bytes(PDF)
    from django.http import Http404

    with pytest.raises(Http404):
        private_file_response(request, outside, filename="x.pdf")


def test_existing_documents_move_out_of_media(tmp_path):
    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "old.pdf").write_bytes(PDF)
    (media / "images").mkdir()
    (media / "images" / "photo.jpg").write_bytes(b"jpg")
    target = tmp_path / "private"
    assert media_documents_move(media, target) == 1
    assert (target / "documents" / "old.pdf").read_bytes() == PDF
    assert not (media / "documents" / "old.pdf").exists()
    assert (media / "images" / "photo.jpg").exists()  # public media stay
    assert media_documents_move(media, target) == 0  # idempotent
