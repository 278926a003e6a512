"""What an attachment really is, from its bytes: the extension is only a claim.

A file is accepted when its extension is on the list AND its content is of that type:
PDF and images by their signatures (images are also decoded by Pillow), ODF and OOXML by
the structure of the ZIP inside them (and never with macros), CSV as UTF-8 text without
control bytes. A renamed executable, an HTML page called ``report.pdf`` or a ``.docm``
called ``.docx`` are refused. Pure Python plus Pillow; no Django.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

ALLOWED: dict[str, str] = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
# The parts that make a ZIP a Word or Excel file, and the one that makes it carry macros.
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
OOXML_MACROS = ("vbaProject.bin",)
# A ZIP of more than this many uncompressed bytes per compressed byte is a bomb, not a memo.
ZIP_MAX_RATIO = 200


class AttachmentRejected(Exception):
    """The file is not accepted; ``code`` is stable, the message is for the person."""

    def __init__(self, code: str, *, name: str, detail: str = "") -> None:
        super().__init__(f"{name}: {code}{f' ({detail})' if detail else ''}")
        self.code = code
        self.name = name
        self.detail = detail


@dataclass(frozen=True)
class AttachmentKind:
    extension: str
    content_type: str


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def attachment_sniff(*, name: str, data: bytes, max_bytes: int) -> AttachmentKind:
    """The kind of an uploaded file, or ``AttachmentRejected`` saying why not."""
    if not data:
        raise AttachmentRejected("empty", name=name)
    if len(data) > max_bytes:
        raise AttachmentRejected("too-large", name=name, detail=str(len(data)))
    extension = extension_of(name)
    if extension not in ALLOWED:
        raise AttachmentRejected("type-not-allowed", name=name, detail=extension)
    checker = _CHECKS[extension]
    if not checker(data, extension):
        raise AttachmentRejected("content-mismatch", name=name, detail=extension)
    return AttachmentKind(
        extension="jpg" if extension == "jpeg" else extension, content_type=ALLOWED[extension]
    )


# ---- One check per family ----


def _is_pdf(data: bytes, _extension: str) -> bool:
    # The header may follow a little junk (the spec allows it in the first KiB).
    return b"%PDF-" in data[:1024]


def _is_image(data: bytes, extension: str) -> bool:
    signature = {"png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff"}
    if not data.startswith(signature[extension]):
        return False
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return image.format in ("PNG", "JPEG")
    except Exception:  # Pillow raises many kinds of error for broken files
        return False


def _zip_open(data: bytes) -> zipfile.ZipFile | None:
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    unpacked = sum(info.file_size for info in infos)
    if unpacked > ZIP_MAX_RATIO * max(len(data), 1):
        return None
    return archive


def _is_odf(data: bytes, extension: str) -> bool:
    archive = _zip_open(data)
    if archive is None:
        return False
    # ODF puts an uncompressed `mimetype` entry first, holding the exact media type.
    try:
        first = archive.infolist()[0]
        mimetype = archive.read(first).decode("ascii", "replace").strip()
    except (IndexError, KeyError, zipfile.BadZipFile, OSError):
        return False
    return first.filename == "mimetype" and mimetype == ALLOWED[extension]


def _is_ooxml(data: bytes, extension: str) -> bool:
    archive = _zip_open(data)
    if archive is None:
        return False
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names or OOXML_MAIN_PART[extension] not in names:
        return False
    return not any(name.endswith(OOXML_MACROS) for name in names)


def _is_csv(data: bytes, _extension: str) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # spreadsheets on Windows still save CSV like this
        except UnicodeDecodeError:
            return False
    if any(ord(char) < 32 and char not in "\t\r\n" for char in text):
        return False
    head = text.lstrip()[:200].lower()
    # An HTML or script file renamed .csv is not a table.
    return not head.startswith(("<!doctype", "<html", "<script", "<?xml", "<svg"))


_CHECKS = {
    "pdf": _is_pdf,
    "png": _is_image,
    "jpg": _is_image,
    "jpeg": _is_image,
    "odt": _is_odf,
    "ods": _is_odf,
    "docx": _is_ooxml,
    "xlsx": _is_ooxml,
    "csv": _is_csv,
}
