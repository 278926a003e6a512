"""Per-deployment salts and keys, and unsubscribe links that expire with a clear page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from concertem.config.settings.env import salt_derive, secret_key_load

REPO_DIR = Path(__file__).resolve().parents[2]


def settings_value(name: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CONCERTEM_"))}
    code = f"from django.conf import settings; print(repr(settings.{name}))"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=REPO_DIR / "site",
        env={**clean, "PYTHONPATH": f"{REPO_DIR / 'site'}:{REPO_DIR}", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_comments_salt_differs_per_deployment(tmp_path):
    production = {
        "DJANGO_SETTINGS_MODULE": "concertem.config.settings.production",
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "CONCERTEM_VAR_DIR": str(tmp_path),
    }
    one = settings_value("COMMENTS_XTD_SALT", DJANGO_SECRET_KEY="a" * 60, **production)
    two = settings_value("COMMENTS_XTD_SALT", DJANGO_SECRET_KEY="b" * 60, **production)
    assert one != two and "concertem-comments" not in one + two
    given = settings_value(
        "COMMENTS_XTD_SALT",
        DJANGO_SECRET_KEY="a" * 60,
        DJANGO_COMMENTS_SALT="operator-chosen",
        **production,
    )
    assert given == "b'operator-chosen'"


def test_each_dev_checkout_gets_its_own_random_key(tmp_path):
    first = tmp_path / "one"
    second = tmp_path / "two"
    dev = {"DJANGO_SETTINGS_MODULE": "concertem.config.settings.dev"}
    key_one = settings_value("SECRET_KEY", CONCERTEM_VAR_DIR=str(first), **dev)
    again = settings_value("SECRET_KEY", CONCERTEM_VAR_DIR=str(first), **dev)
    key_two = settings_value("SECRET_KEY", CONCERTEM_VAR_DIR=str(second), **dev)
    assert key_one == again != key_two
    assert "dev-only" not in key_one
    assert (first / "secret_key").stat().st_mode & 0o077 == 0


def test_salt_and_key_helpers(tmp_path):
    assert salt_derive("k1", "x", "NOT_SET_ANYWHERE") != salt_derive("k2", "x", "NOT_SET_ANYWHERE")
    assert salt_derive("k1", "x", "NOT_SET_ANYWHERE") != salt_derive("k1", "y", "NOT_SET_ANYWHERE")
    key = secret_key_load(tmp_path / "key")
    assert len(key) >= 50 and secret_key_load(tmp_path / "key") == key


@pytest.mark.django_db
def test_an_expired_unsubscribe_link_says_so_and_changes_nothing(settings, monkeypatch):
    from concertem.notifications import emails
    from concertem.notifications.models import EmailPreference
    from tests.debates.factories import UserFactory

    user = UserFactory(username="follower")
    token = emails.unsubscribe_token_make(user=user)
    url = reverse("emails:unsubscribe", args=[token])
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 61 * 24 * 3600)
    response = Client().post(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert "expired" in html and "60 days" in html
    assert not EmailPreference.objects.filter(user=user, frequency="never").exists()
    monkeypatch.setattr(signing.time, "time", real_time)
    assert Client().post(url).status_code == 200  # still valid within 60 days
