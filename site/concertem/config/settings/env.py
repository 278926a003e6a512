"""Typed readers for settings that come from the environment."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from error


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


CACHE_SCHEMES = ("redis", "rediss", "unix")


def caches_build(url: str) -> dict[str, dict[str, Any]]:
    """``CACHES`` for a ``DJANGO_CACHE_URL``: Redis, shared by every process and server, when
    set (``redis://``, ``rediss://`` with TLS, ``unix://`` for a socket); else this process's
    own memory, enough for one process and wrong as soon as there are two.
    """
    if not url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "concertem",
            }
        }
    scheme = urlsplit(url).scheme
    if scheme not in CACHE_SCHEMES:
        raise ImproperlyConfigured(
            f"DJANGO_CACHE_URL must be a Redis URL (redis://host:6379/1, rediss:// or "
            f"unix://), got {url!r}"
        )
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            # Keys of this site apart from anything else kept in the same Redis database.
            "KEY_PREFIX": "concertem",
        }
    }


MEDIA_STORAGE_KINDS = ("filesystem", "s3")


def media_storage_build(kind: str) -> dict[str, Any]:
    """The ``default`` entry of ``STORAGES`` for ``CONCERTEM_MEDIA_STORAGE``.

    ``filesystem`` (the default): MEDIA_ROOT, which every node must share (an NFS or
    CephFS mount) once there are two. ``s3``: an S3-compatible object store through
    django-storages (``pip install '.[s3]'``), configured by ``CONCERTEM_S3_*``; Wagtail
    documents stay private there too (concertem.config.storage.S3MediaStorage gives them no URL).
    """
    kind = kind or "filesystem"
    if kind not in MEDIA_STORAGE_KINDS:
        raise ImproperlyConfigured(
            f"CONCERTEM_MEDIA_STORAGE must be one of {', '.join(MEDIA_STORAGE_KINDS)}, got {kind!r}"
        )
    if kind == "filesystem":
        return {"BACKEND": "concertem.config.storage.MediaStorage"}
    bucket = env_str("CONCERTEM_S3_BUCKET")
    if not bucket:
        raise ImproperlyConfigured("CONCERTEM_MEDIA_STORAGE=s3 needs CONCERTEM_S3_BUCKET.")
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": env_str("CONCERTEM_S3_ENDPOINT_URL") or None,  # None: AWS itself
        "region_name": env_str("CONCERTEM_S3_REGION") or None,
        "access_key": env_str("CONCERTEM_S3_ACCESS_KEY_ID") or None,
        "secret_key": env_str("CONCERTEM_S3_SECRET_ACCESS_KEY") or None,
        "location": env_str("CONCERTEM_S3_PREFIX", "media"),
        # Public media links are plain (cacheable pages must not embed expiring
        # signatures): the bucket, or a CDN in front of it (CONCERTEM_S3_PUBLIC_DOMAIN),
        # grants public read on the media prefix but not on media/documents/.
        "custom_domain": env_str("CONCERTEM_S3_PUBLIC_DOMAIN") or None,
        "querystring_auth": False,
        "default_acl": None,  # the bucket's policy decides, never a public-read ACL
        "file_overwrite": False,
    }
    return {"BACKEND": "concertem.config.storage.S3MediaStorage", "OPTIONS": options}


def salt_derive(secret_key: str, purpose: str, env_name: str) -> bytes:
    """A salt for one purpose: from ``env_name`` if set, else derived from the secret key.

    Never a constant: two deployments with different keys get different salts, and the
    salt changes with the key when the key is rotated.
    """
    given = os.environ.get(env_name, "")
    if given:
        return given.encode()
    digest = hashlib.sha256(f"concertem|{purpose}|{secret_key}".encode()).hexdigest()
    return digest.encode()


def secret_key_load(path: Path) -> str:
    """A random key kept in ``path`` (created on first use, readable by the owner only).

    For local and demo servers: each checkout gets its own key instead of a string that
    every copy of the code shares.
    """
    try:
        key = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        key = ""
    if len(key) >= 50:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key
