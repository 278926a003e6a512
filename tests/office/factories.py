"""`make_*` helpers for the office tests (kept local to these tests)."""

from __future__ import annotations

import io
import zipfile

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

PASSWORD = "pw-for-tests"


def make_user(username: str, **fields):
    user, _created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@example.org",
            "first_name": username.title(),
            "last_name": "Test",
            **fields,
        },
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def make_official(username: str, entity_code: str, *, verified: bool = True, role="mayor"):
    from debates.models import Official

    user = make_user(username)
    Official.objects.update_or_create(
        user=user, defaults={"entity_code": entity_code, "role": role, "verified": verified}
    )
    return get_user_model().objects.get(pk=user.pk)


def make_agent(username: str, *, comarques: str = "", entity_codes: str = ""):
    from concertem.office.models import TerritorialAgent

    user = make_user(username)
    TerritorialAgent.objects.update_or_create(
        user=user, defaults={"comarques": comarques, "entity_codes": entity_codes}
    )
    return get_user_model().objects.get(pk=user.pk)


def make_editor(username: str = "editor"):
    user = make_user(username)
    user.groups.add(Group.objects.get(name="Editors"))
    return get_user_model().objects.get(pk=user.pk)


def make_service(
    code: str,
    *,
    area: str = "legal",
    kind: str = "technical",
    title: str = "A service",
    active: bool = True,
):
    from concertem.office.models import Service

    service, _created = Service.objects.update_or_create(
        code=code,
        defaults={
            "area": area,
            "kind": kind,
            "title": title,
            "title_en": f"{title} (en)",
            "description": f"Description of {title}.",
            "eligible": "Ajuntaments.",
            "lead_time_days": 30,
            "active": active,
        },
    )
    return service


def make_request(user, *, service=None, subject="Need help", area="legal", files=(), **kw):
    from concertem.office import services

    return services.request_file(
        user=user,
        service=service,
        subject=subject,
        area=area,
        description="Please help us with this.",
        files=list(files),
        **kw,
    )


# ---- Files of every accepted type (and impostors) ----


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def image_bytes(kind: str = "PNG") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 20, 20)).save(buffer, kind)
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(
                zipfile.ZipInfo(stored_first),
                entries[stored_first],
                compress_type=zipfile.ZIP_STORED,
            )
        for name, data in entries.items():
            if name != stored_first:
                archive.writestr(name, data)
    return buffer.getvalue()


def odf_bytes(kind: str = "text") -> bytes:
    mimetype = f"application/vnd.oasis.opendocument.{kind}".encode()
    return zip_bytes(
        {
            "mimetype": mimetype,
            "content.xml": b"<office:document-content/>",
            "META-INF/manifest.xml": b"<manifest/>",
        },
        stored_first="mimetype",
    )


def ooxml_bytes(kind: str = "docx", *, macros: bool = False) -> bytes:
    main = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[kind]
    entries = {"[Content_Types].xml": b"<Types/>", main: b"<document/>"}
    if macros:
        entries[main.split("/")[0] + "/vbaProject.bin"] = b"\x00macro"
    return zip_bytes(entries)


VALID_FILES = {
    "memo.pdf": pdf_bytes,
    "plan.png": lambda: image_bytes("PNG"),
    "photo.jpg": lambda: image_bytes("JPEG"),
    "report.odt": lambda: odf_bytes("text"),
    "budget.ods": lambda: odf_bytes("spreadsheet"),
    "letter.docx": lambda: ooxml_bytes("docx"),
    "figures.xlsx": lambda: ooxml_bytes("xlsx"),
    "table.csv": lambda: b"municipi;import\nVic;1200,50\nSant Quirze;300\n",
}


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
