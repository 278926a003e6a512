"""The shared cache: ``DJANGO_CACHE_URL`` selects Django's Redis backend, and two processes
then see one cache (a throwaway ``redis-server``); without it each process has its own."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from concertem.config.settings.env import caches_build

REPO_DIR = Path(__file__).resolve().parents[2]
MANAGE = REPO_DIR / "site" / "manage.py"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def test_no_cache_url_keeps_the_process_memory_cache():
    assert caches_build("") == {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "concertem",
        }
    }


@pytest.mark.parametrize(
    "url",
    ["redis://127.0.0.1:6379/1", "rediss://:secret@cache.example.org:6380/0", "unix:///run/r.sock"],
)
def test_a_redis_url_selects_the_redis_backend(url):
    default = caches_build(url)["default"]
    assert default["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert default["LOCATION"] == url and default["KEY_PREFIX"] == "concertem"


def test_another_kind_of_url_is_refused_clearly():
    with pytest.raises(ImproperlyConfigured) as caught:
        caches_build("memcached://127.0.0.1:11211")
    assert "DJANGO_CACHE_URL" in str(caught.value) and "redis://" in str(caught.value)


# ---- Two processes, one Redis ----


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    """A throwaway redis-server on a free loopback port, nothing written to disk."""
    if not os.access(REDIS_SERVER, os.X_OK):
        pytest.skip(f"redis-server not installed ({REDIS_SERVER}); scripts/system_deps.sh has it")
    import redis

    port = _free_port()
    server = subprocess.Popen(
        [
            REDIS_SERVER,
            *("--port", str(port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", str(tmp_path)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                redis.Redis.from_url(url, socket_timeout=1).ping()
                break
            except redis.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server on port {port} did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _django(code: str, *, tmp_path: Path, cache_url: str | None) -> str:
    """Run ``code`` in a new process under the production settings; its stdout."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "concertem.config.settings.production",
        "DJANGO_SECRET_KEY": "z" * 60,
        "DJANGO_ALLOWED_HOSTS": "concertem.example.org",
        "CONCERTEM_VAR_DIR": str(tmp_path),
    }
    if cache_url is not None:
        env["DJANGO_CACHE_URL"] = cache_url
    result = subprocess.run(
        [sys.executable, str(MANAGE), "shell", "--no-imports", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


SET = (
    "from django.conf import settings; from django.core.cache import cache; "
    "cache.set('shared-check', '{value}', 60); "
    "print(settings.CACHES['default']['BACKEND'], cache.get('shared-check'))"
)
GET = "from django.core.cache import cache; print(repr(cache.get('shared-check')))"


def test_two_processes_share_the_redis_cache(redis_url, tmp_path):
    value = uuid.uuid4().hex
    written = _django(SET.format(value=value), tmp_path=tmp_path, cache_url=redis_url)
    assert written == f"django.core.cache.backends.redis.RedisCache {value}"
    assert _django(GET, tmp_path=tmp_path, cache_url=redis_url) == repr(value)


def test_two_connections_in_one_process_share_the_redis_cache(redis_url):
    from django.core.cache.backends.redis import RedisCache

    params = caches_build(redis_url)["default"]
    writer = RedisCache(params["LOCATION"], {"KEY_PREFIX": params["KEY_PREFIX"]})
    reader = RedisCache(params["LOCATION"], {"KEY_PREFIX": params["KEY_PREFIX"]})
    writer.set("debate:1:count", 1000, 60)
    assert reader.get("debate:1:count") == 1000
    reader.delete("debate:1:count")
    assert writer.get("debate:1:count") is None


def test_without_a_cache_url_each_process_has_its_own(tmp_path):
    value = uuid.uuid4().hex
    written = _django(SET.format(value=value), tmp_path=tmp_path, cache_url=None)
    assert written == f"django.core.cache.backends.locmem.LocMemCache {value}"
    assert _django(GET, tmp_path=tmp_path, cache_url=None) == "None"
