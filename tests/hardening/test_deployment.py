"""Deployment: production settings as they run, answered by a real gunicorn on loopback.

tests/site/test_settings.py already runs `check --deploy` with the minimal production
environment and the refusals to start without a key or hosts; this adds the documented
production combination (PostgreSQL, behind a TLS proxy), collectstatic with the
production storage, the headers and cookies of real responses, and a dependency audit.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
import venv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from packaging.version import InvalidVersion, Version

from tests.hardening.conftest import (
    gunicorn_serve,
    harden_only,
    manage,
    missing_source_maps,
    production_env,
    report,
)

HTTPS = {"X-Forwarded-Proto": "https"}
PUBLIC_PAGES = ["/ca/accounts/login/", "/es/accounts/login/", "/ca/", "/ca/no-such-page/"]


def test_check_deploy_is_clean_behind_a_tls_proxy_with_postgresql(tmp_path):
    env = production_env(
        var_dir=tmp_path,
        DJANGO_BEHIND_TLS_PROXY="1",
        DATABASE_URL="postgres://concertem:pw@db.example.org:5432/concertem",
        DJANGO_ALLOWED_HOSTS="concertem.example.org",
    )
    done = manage("check", "--deploy", "--fail-level", "WARNING", env=env, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


# Found by this suite and fixed: the vendored scripts name source maps that were missing,
# and the production static storage refuses a missing map.
def test_collectstatic_works_with_the_production_storage(tmp_path):
    assert missing_source_maps() == []
    done = manage("collectstatic", "--no-input", "-v", "0", env=production_env(var_dir=tmp_path))
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()


@pytest.fixture(scope="module")
def served(production_site, tmp_path_factory):
    """gunicorn, production settings, the migrated throwaway database, one user."""
    folder = tmp_path_factory.mktemp("served")
    var_dir = folder / "var"
    var_dir.mkdir()
    (var_dir / "db.sqlite3").write_bytes((production_site["var_dir"] / "db.sqlite3").read_bytes())
    env = production_env(
        var_dir=var_dir,
        DJANGO_SETTINGS_MODULE=production_site["settings"],
        PYTHONPATH=production_site["pythonpath"],
        DJANGO_STATIC_ROOT=str(production_site["var_dir"] / "static"),
        DJANGO_BEHIND_TLS_PROXY="1",
    )
    done = manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "User.objects.create_user('visitor', 'v@example.org', 'a-long-pass-phrase-42')",
        env=env,
    )
    assert done.returncode == 0, done.stderr
    with gunicorn_serve(env=env, log=folder / "gunicorn.log", workers=2) as server:
        yield server


def _get(served, path, headers=HTTPS, **kwargs):
    return requests.get(
        f"{served.url}{path}", headers=headers, timeout=30, allow_redirects=False, **kwargs
    )


def _csp(response) -> dict[str, str]:
    policy = response.headers.get("Content-Security-Policy", "")
    return {
        part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part.strip()
    }


def test_public_pages_carry_every_security_header(served):
    for path in PUBLIC_PAGES:
        response = _get(served, path)
        where = f"{path} ({response.status_code})"
        assert response.status_code in (200, 404), where
        headers = response.headers
        hsts = headers.get("Strict-Transport-Security", "")
        max_age = re.search(r"max-age=(\d+)", hsts)
        assert max_age and int(max_age[1]) >= 31_536_000, where
        assert "includeSubDomains" in hsts and "preload" in hsts, where
        csp = _csp(response)
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"], where
        assert "'unsafe-eval'" not in headers["Content-Security-Policy"], where
        assert csp["script-src"] == "script-src 'self'", where
        assert csp["object-src"] == "object-src 'none'", where
        assert csp["frame-ancestors"] == "frame-ancestors 'none'", where
        assert csp["base-uri"] == "base-uri 'self'", where
        assert headers["X-Frame-Options"] == "DENY", where
        assert headers["X-Content-Type-Options"] == "nosniff", where
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", where
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin", where
        permissions = headers["Permissions-Policy"]
        for feature in ("geolocation=()", "camera=()", "microphone=()"):
            assert feature in permissions, where
        assert "X-Powered-By" not in headers
        assert not re.search(r"\d", headers.get("Server", "")), headers.get("Server")


def test_the_admin_may_not_be_framed_either(served):
    response = _get(served, "/admin/login/")
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors" in response.headers["Content-Security-Policy"]


def test_plain_http_is_sent_to_https(served):
    response = _get(served, "/ca/accounts/login/", headers={})
    assert response.status_code == 301
    assert response.headers["Location"].startswith("https://")


def test_unknown_hosts_and_errors_leak_nothing(served):
    response = _get(served, "/ca/", headers={**HTTPS, "Host": "evil.example"})
    assert response.status_code == 400
    missing = _get(served, "/ca/no-such-page/")
    assert missing.status_code == 404
    for leak in ("Traceback", "URLconf", "DEBUG", "settings.py", "Page not found (404)"):
        assert leak not in missing.text


def test_cookies_are_secure_and_http_only(served):
    session = requests.Session()
    login = f"{served.url}/ca/accounts/login/"
    form = session.get(login, headers=HTTPS, timeout=30)
    csrf_cookie = next(c for c in session.cookies if c.name == "csrftoken")
    assert csrf_cookie.secure
    assert "samesite=lax" in form.headers["Set-Cookie"].lower()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
    # The cookie is Secure, and this hop is plain HTTP behind the "proxy": a client would
    # not send it here, so it is passed by hand.
    response = requests.post(
        login,
        data={
            "username": "visitor",
            "password": "a-long-pass-phrase-42",
            "csrfmiddlewaretoken": token,
        },
        headers={
            **HTTPS,
            "Referer": f"https://127.0.0.1:{served.port}/ca/accounts/login/",
            "Cookie": f"csrftoken={csrf_cookie.value}",
        },
        timeout=30,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    set_cookie = response.headers["Set-Cookie"]
    session_part = next(
        part
        for part in re.split(r",(?=\s*\w+=)", set_cookie)
        if part.strip().startswith("sessionid=")
    )
    flags = session_part.lower()
    assert "secure" in flags and "httponly" in flags and "samesite=lax" in flags, set_cookie


def test_static_files_are_served_hashed_and_cached_for_long(served):
    page = _get(served, "/ca/accounts/login/").text
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "no hashed stylesheet link in the page"
    response = _get(served, stylesheet[1], headers={**HTTPS, "Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# ---- Dependency audit ----

LOCK = Path(__file__).resolve().parents[2] / "requirements.lock"


def _locked() -> list[tuple[str, str]]:
    """(name, version) of every package in requirements.lock."""
    pins = []
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _sep, version = line.partition("==")
            pins.append((name.strip(), version.strip()))
    return pins


def test_the_lock_pins_every_installed_package():
    """requirements.lock is what `make install` installs (pip constraints), what the
    audit reads, and matches this environment exactly."""
    pins = _locked()
    assert pins and all(version for _name, version in pins), pins[:5]
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installed = {
        name.lower().replace("_", "-"): version
        for name, _sep, version in (line.partition("==") for line in frozen.splitlines())
        if version
    }
    locked = {name.lower().replace("_", "-"): version for name, version in pins}
    differ = sorted(
        f"{name}: locked {locked.get(name)}, installed {installed.get(name)}"
        for name in set(installed) | set(locked)
        if installed.get(name) != locked.get(name)
    )
    assert differ == [], "requirements.lock and the venv differ (make lock):\n" + "\n".join(differ)


@harden_only
@pytest.mark.slow
def test_no_known_vulnerabilities_in_the_locked_dependencies(tmp_path):
    """pip-audit, in a venv of its own (the project's stays as it is), over
    requirements.lock. Its vulnerability services (osv.dev; PyPI's per-version JSON API)
    must be reachable: when they are not, this says so and skips, it does not pretend."""
    audit_venv = tmp_path / "audit-venv"
    venv.create(audit_venv, with_pip=True)
    audit_python = audit_venv / "bin" / "python"
    install = subprocess.run(
        [str(audit_python), "-m", "pip", "install", "--quiet", "pip-audit"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if install.returncode != 0:
        pytest.skip(
            f"DEPENDENCY AUDIT NOT RUN: pip-audit could not be installed: "
            f"{install.stderr.strip()[-300:]}"
        )
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("".join(f"{n}=={v}\n" for n, v in _locked()), encoding="utf-8")
    outcomes = {}
    for service in ("osv", "pypi"):
        audit = subprocess.run(
            [
                str(audit_venv / "bin" / "pip-audit"),
                "--requirement",
                str(requirements),
                "--no-deps",
                "--disable-pip",
                "--vulnerability-service",
                service,
                "--timeout",
                "20",
                "--progress-spinner",
                "off",
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        try:
            found = json.loads(audit.stdout)["dependencies"]
        except (ValueError, KeyError, TypeError):  # the service failed: no report at all
            outcomes[service] = (audit.stderr.strip().splitlines() or ["no output"])[-1][:160]
            continue
        # pip-audit exits 0 when it could not look a package up ("skip_reason"): a
        # package that was not looked up is not audited, whatever the exit code says.
        audited = [item for item in found if "skip_reason" not in item]
        if not audited:
            outcomes[service] = f"no package could be looked up ({found[0]['skip_reason']})"
            continue
        vulnerable = [
            f"{item['name']} {item['version']}: {', '.join(v['id'] for v in item['vulns'])}"
            for item in audited
            if item.get("vulns")
        ]
        skipped = [
            f"{item['name']}: {item['skip_reason']}" for item in found if item not in audited
        ]
        report(
            f"dependency audit ({service}): {len(audited)} of {len(found)} packages looked up, "
            f"{len(vulnerable)} vulnerable"
        )
        assert vulnerable == [], "known vulnerabilities:\n" + "\n".join(vulnerable)
        assert skipped == [], "not audited:\n" + "\n".join(skipped)
        return
    report(f"DEPENDENCY AUDIT NOT RUN (no vulnerability service reachable): {outcomes}")
    pytest.skip(f"DEPENDENCY AUDIT NOT RUN: no vulnerability service reachable: {outcomes}")


def _release_index(name: str) -> dict:
    """PyPI's simple index for one project, as JSON (PEP 691)."""
    request = urllib.request.Request(
        f"https://pypi.org/simple/{name.lower()}/",
        headers={"Accept": "application/vnd.pypi.simple.v1+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (fixed https)
        return json.load(response)


def _newer_patch(name: str, pinned: str) -> str | None:
    """A newer final release of the same major.minor series, or a note that the pinned
    release was yanked; None when the pin is current."""
    index = _release_index(name)
    current = Version(pinned)
    best = current
    for text in index.get("versions", []):
        try:
            candidate = Version(text)
        except InvalidVersion:
            continue
        if candidate.is_prerelease or candidate.release[:2] != current.release[:2]:
            continue
        best = max(best, candidate)
    stem = re.sub(r"[-_.]+", "_", name).lower()
    yanked = [
        item["filename"]
        for item in index.get("files", [])
        if item.get("yanked")
        and re.sub(r"[-_.]+", "_", item["filename"])
        .lower()
        .startswith(f"{stem}_{pinned}_".replace(".", "_"))
    ]
    if yanked:
        return f"{name}=={pinned} is yanked on PyPI"
    return f"{name} {pinned} -> {best}" if best != current else None


@harden_only
@pytest.mark.slow
def test_every_locked_dependency_has_its_series_latest_fixes():
    """Security fixes ship as patch releases: every locked package must be the newest
    final release of its major.minor series and not yanked (PyPI's simple index, which
    is reachable where the vulnerability services are not). Complements the audit; does
    not replace it."""
    pins = _locked()
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            behind = [line for line in pool.map(lambda pin: _newer_patch(*pin), pins) if line]
    except OSError as error:
        pytest.skip(f"PyPI's index is unreachable: {error}")
    report(f"dependency currency: {len(pins)} locked packages, {len(behind)} behind: {behind}")
    assert behind == [], "newer fixes exist (make lock, then test):\n" + "\n".join(behind)
