"""Serving private files (office attachments, cooperation documents) after a permission check.

The files live under the private root (``OFFICE_PRIVATE_ROOT``, ``var/private`` by
default), outside MEDIA_ROOT and STATIC_ROOT: no URL reaches them except the views that
check who asks. How the bytes then leave the server is a setting:

- ``PRIVATE_FILES_ACCEL_PREFIX`` empty (default): Django streams the file (FileResponse).
- ``PRIVATE_FILES_ACCEL_PREFIX=/_private/`` in production behind nginx: the view answers
  with an empty body and ``X-Accel-Redirect: /_private/<path>``; nginx serves the file
  from an ``internal`` location (see README, "Private files"), which no client can request
  directly. The permission check stays in Django; nginx only does the copying.

``sendfile`` is the same thing as a backend for Wagtail's document view
(``SENDFILE_BACKEND = "concertem.common.private_files"``).
"""

from __future__ import annotations

import mimetypes
import shutil
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header


def private_root() -> Path:
    return Path(getattr(settings, "OFFICE_PRIVATE_ROOT", Path(settings.VAR_DIR) / "private"))


def accel_prefix() -> str:
    return getattr(settings, "PRIVATE_FILES_ACCEL_PREFIX", "") or ""


def _inside_private_root(path: Path) -> Path:
    resolved = path.resolve()
    root = private_root().resolve()
    if not resolved.is_relative_to(root) or not resolved.is_file():
        raise Http404("no such file")
    return resolved


def private_file_response(
    request: HttpRequest,
    path: Path | str,
    *,
    filename: str,
    content_type: str | None = None,
    as_attachment: bool = True,
) -> HttpResponse:
    """The file at ``path`` (under the private root), for a person already checked."""
    resolved = _inside_private_root(Path(path))
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    prefix = accel_prefix()
    if prefix:
        relative = resolved.relative_to(private_root().resolve()).as_posix()
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(relative)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    else:
        response = FileResponse(
            resolved.open("rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def sendfile(request: HttpRequest, filename: str, mimetype: str | None = None, **kwargs):
    """Wagtail's SENDFILE_BACKEND interface (it adds Content-Disposition itself)."""
    path = Path(filename)
    if path.resolve().is_relative_to(private_root().resolve()) and accel_prefix():
        response = private_file_response(request, path, filename=path.name, content_type=mimetype)
        del response["Content-Disposition"]
        return response
    from wagtail.utils.sendfile_streaming_backend import sendfile as streaming

    response = streaming(request, filename, mimetype=mimetype, **kwargs)
    response["Cache-Control"] = "private, no-store"
    return response


def media_documents_move(media_root: Path, target_root: Path) -> int:
    """Move Wagtail documents from MEDIA_ROOT/documents into the private root; returns how
    many files moved. Idempotent: a file already moved is not touched."""
    source = Path(media_root) / "documents"
    if not source.is_dir():
        return 0
    moved = 0
    for item in sorted(source.rglob("*")):
        if not item.is_file():
            continue
        destination = Path(target_root) / "documents" / item.relative_to(source)
        if destination.exists():
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(item), destination)
        moved += 1
    return moved
