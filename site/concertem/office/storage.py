"""Private file storage for the attachments of support requests.

Attachments are municipal working documents: they must never be reachable by URL guessing.
They live under ``OFFICE_PRIVATE_ROOT`` (``var/private`` by default), outside MEDIA_ROOT and
STATIC_ROOT, and the storage has no base URL, so nothing can build a public link to them;
``concertem.office.views.attachment_download`` serves them after checking who asks.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


def private_root() -> Path:
    default = Path(settings.VAR_DIR) / "private"
    return Path(getattr(settings, "OFFICE_PRIVATE_ROOT", default))


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Reads its location at call time, so tests and deployments can move it."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(private_root())

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("office attachments have no public URL; use the download view")
