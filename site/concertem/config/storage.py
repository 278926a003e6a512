"""The default file storage: public media, except Wagtail documents, which are private.

Wagtail's document model stores its files in the default storage under ``documents/``.
Cooperation documents are private to an entity, and any document may sit in a restricted
collection, so none of them may be reachable under ``/media/``: this storage keeps names
under ``documents/`` in the private root (concertem.common.private_files) and gives them no URL.
Wagtail then serves them only through its document view, which applies collection
restrictions (and cooperation's own view checks the entity). Images stay public media.
"""

from __future__ import annotations

import os

from django.core.files.storage import FileSystemStorage
from django.utils._os import safe_join
from django.utils.deconstruct import deconstructible

from concertem.common.private_files import private_root

PRIVATE_PREFIXES = ("documents/",)


def is_private_name(name: str) -> bool:
    return name.replace("\\", "/").lstrip("/").startswith(PRIVATE_PREFIXES)


@deconstructible
class MediaStorage(FileSystemStorage):
    def path(self, name: str) -> str:
        if is_private_name(name):
            return safe_join(os.path.abspath(private_root()), name)
        return super().path(name)

    def _save(self, name: str, content) -> str:
        saved = super()._save(name, content)
        if not is_private_name(name):
            return saved
        # Django names the file relative to MEDIA_ROOT; name it relative to its own root.
        full_path = os.path.normpath(os.path.join(self.location, saved))
        return os.path.relpath(full_path, os.path.abspath(private_root())).replace("\\", "/")

    def _ensure_location_group_id(self, full_path: str) -> None:
        # Django aligns a new file's group with MEDIA_ROOT's; a private file is not there.
        if os.path.abspath(full_path).startswith(os.path.abspath(self.location) + os.sep):
            super()._ensure_location_group_id(full_path)

    def url(self, name: str | None) -> str:
        if name and is_private_name(name):
            # Wagtail catches this and links to its checked document view instead.
            raise NotImplementedError("documents have no public URL")
        return super().url(name)


def s3_media_storage_class():
    """MediaStorage's rule on an S3-compatible store: documents get no public URL.

    Defined on demand so that django-storages (the optional ``s3`` extra) is imported
    only by deployments that choose it."""
    from storages.backends.s3 import S3Storage

    class S3MediaStorageClass(S3Storage):
        def url(self, name, parameters=None, expire=None, http_method=None):
            if name and is_private_name(name):
                raise NotImplementedError("documents have no public URL")
            return super().url(name, parameters, expire, http_method)

    return S3MediaStorageClass


def __getattr__(name: str):
    # `STORAGES` names concertem.config.storage.S3MediaStorage; built at first use.
    if name == "S3MediaStorage":
        cls = s3_media_storage_class()
        globals()[name] = cls
        return cls
    raise AttributeError(name)
