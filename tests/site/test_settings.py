"""Production settings: refuse to start unsafely, pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]
MANAGE = REPO_DIR / "site" / "manage.py"


def manage_run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, str(MANAGE), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_check_deploy_is_clean(tmp_path):
    result = manage_run(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_SETTINGS_MODULE": "concertem.config.settings.production",
            "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-value-0123456789",
            "DJANGO_ALLOWED_HOSTS": "concertem.example.org",
            "CONCERTEM_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_secret_key_refuses_to_start(tmp_path):
    result = manage_run(
        "check",
        env={
            "DJANGO_SETTINGS_MODULE": "concertem.config.settings.production",
            "DJANGO_ALLOWED_HOSTS": "concertem.example.org",
            "CONCERTEM_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_without_allowed_hosts_refuses_to_start(tmp_path):
    result = manage_run(
        "check",
        env={
            "DJANGO_SETTINGS_MODULE": "concertem.config.settings.production",
            "DJANGO_SECRET_KEY": "y" * 60,
            "CONCERTEM_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_base_settings_are_safe_by_default():
    from concertem.config.settings import base

    assert base.DEBUG is False or os.environ.get("DJANGO_DEBUG")
    assert base.SESSION_COOKIE_SECURE is True or os.environ.get("DJANGO_SECURE_COOKIES")
    assert base.LANGUAGE_CODE == "ca"
    assert [code for code, _ in base.LANGUAGES] == ["ca", "es", "en"]


def test_database_url_selects_postgresql(monkeypatch):
    import dj_database_url

    parsed = dj_database_url.parse("postgres://u:p@127.0.0.1:5433/concertem")
    assert parsed["ENGINE"] == "django.db.backends.postgresql"
