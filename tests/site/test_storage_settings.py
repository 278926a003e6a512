"""Media on an S3-compatible store when CONCERTEM_MEDIA_STORAGE=s3 (django-storages),
checked with a fake endpoint: no request leaves the machine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from concertem.config.settings.env import media_storage_build

REPO = Path(__file__).resolve().parents[2]
FAKE = {
    "CONCERTEM_S3_BUCKET": "concertem-media",
    "CONCERTEM_S3_ENDPOINT_URL": "http://127.0.0.1:9",
    "CONCERTEM_S3_REGION": "eu-south-2",
    "CONCERTEM_S3_ACCESS_KEY_ID": "fake-key",
    "CONCERTEM_S3_SECRET_ACCESS_KEY": "fake-secret",
}


def test_filesystem_is_the_default():
    assert media_storage_build("") == {"BACKEND": "concertem.config.storage.MediaStorage"}


def test_an_unknown_kind_or_a_bucketless_s3_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="CONCERTEM_MEDIA_STORAGE"):
        media_storage_build("ftp")
    monkeypatch.delenv("CONCERTEM_S3_BUCKET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="CONCERTEM_S3_BUCKET"):
        media_storage_build("s3")


def test_s3_gives_plain_public_links_and_none_to_documents(monkeypatch):
    for name, value in FAKE.items():
        monkeypatch.setenv(name, value)
    config = media_storage_build("s3")
    storage = import_string(config["BACKEND"])(**config["OPTIONS"])
    url = storage.url("images/a.png")
    assert url == "http://127.0.0.1:9/concertem-media/media/images/a.png"  # no signature
    with pytest.raises(NotImplementedError):
        storage.url("documents/minutes.pdf")


def test_production_settings_load_with_s3(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CONCERTEM_"))}
    env.update(
        FAKE,
        CONCERTEM_MEDIA_STORAGE="s3",
        DJANGO_SETTINGS_MODULE="concertem.config.settings.production",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="example.org",
        CONCERTEM_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    script = (
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.url('images/a.png'))"
    )
    done = subprocess.run(
        [sys.executable, str(REPO / "site" / "manage.py"), "shell", "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1].split() == [
        "S3MediaStorageClass",
        "concertem-media",
        "http://127.0.0.1:9/concertem-media/media/images/a.png",
    ]
