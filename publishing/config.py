"""Where and how to publish: ``CkanConfig.from_env()``, read when called, never at import.

Resolution order (documented in the README's configuration table):

1. ``CKAN_URL`` (and ``CKAN_API_KEY``, ``CKAN_OWNER_ORG``) from the environment — production
   and CI against any portal;
2. only when ``CKAN_URL`` is unset: the local server's ``server.json`` written by
   ``concertem ckan-server start`` (``$CONCERTEM_CKAN_HOME`` or ``var/ckan/``), so that
   ``make demo`` and a developer's ``concertem publish`` need no exported secrets.
   ``CKAN_API_KEY`` / ``CKAN_OWNER_ORG`` from the environment still win over the file.

Retry and batch settings have safe defaults and their own variables, so tests can make the
back-off tiny without touching the code.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from publishing.errors import CkanConfigError

REPO_DIR = Path(__file__).resolve().parents[1]
DEFAULT_OWNER_ORG = "diputacio-barcelona"
SITE_URL_DEFAULT = "http://127.0.0.1:8000"


def ckan_home(env: Mapping[str, str] | None = None) -> Path:
    """The local CKAN's home: ``$CONCERTEM_CKAN_HOME``, else ``var/ckan/`` in the repo.

    The one rule: ``ckanlocal`` sets the server up there, and publishing reads its
    ``server.json`` from there.
    """
    env = os.environ if env is None else env
    home = env.get("CONCERTEM_CKAN_HOME")
    return Path(home) if home else REPO_DIR / "var" / "ckan"


def server_json_path(env: Mapping[str, str] | None = None) -> Path:
    return ckan_home(env) / "server.json"


def site_url_from_env(env: Mapping[str, str] | None = None) -> str:
    """The site's public address (DJANGO_BASE_URL, as the site itself has it), no end slash."""
    env = os.environ if env is None else env
    return (env.get("DJANGO_BASE_URL", "").strip() or SITE_URL_DEFAULT).rstrip("/")


@dataclass(frozen=True)
class CkanConfig:
    url: str
    api_key: str = ""
    owner_org: str = DEFAULT_OWNER_ORG
    owner_org_title: str = "Diputació de Barcelona"
    # Prepended to every dataset name: tests and benchmarks publish beside the demo data.
    dataset_prefix: str = ""
    timeout: float = 30.0  # seconds, per request; ckanapi has none by default
    retries: int = 4  # extra attempts after the first, for transient failures
    backoff_base: float = 0.5  # seconds; doubles each attempt
    backoff_max: float = 8.0
    datastore_batch: int = 5000  # records per datastore_create/upsert call
    origin: str = "env"  # "env" or the server.json path it came from
    # The site's public address (DJANGO_BASE_URL, as the site has it): datasets' landing
    # pages are the site's pages about them.
    site_url: str = SITE_URL_DEFAULT

    def with_(self, **changes: object) -> CkanConfig:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def site(self) -> str:
        return self.url.rstrip("/")

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, server_json: Path | None = None
    ) -> CkanConfig:
        env = os.environ if env is None else env
        url = env.get("CKAN_URL", "").strip()
        api_key = env.get("CKAN_API_KEY", "").strip()
        owner_org = env.get("CKAN_OWNER_ORG", "").strip()
        origin = "env"
        if not url:
            path = server_json or server_json_path(env)
            try:
                state = json.loads(path.read_text(encoding="utf-8"))
            except (FileNotFoundError, json.JSONDecodeError) as error:
                raise CkanConfigError(
                    "no CKAN to publish to: set CKAN_URL and CKAN_API_KEY, or start the "
                    f"local one with `concertem ckan-server start` (no {path})",
                    path=str(path),
                ) from error
            url = str(state.get("url", ""))
            api_key = api_key or str(state.get("api_key", ""))
            owner_org = owner_org or str(state.get("owner_org", ""))
            origin = str(path)
        return cls(
            url=url,
            api_key=api_key,
            owner_org=owner_org or DEFAULT_OWNER_ORG,
            dataset_prefix=env.get("CKAN_DATASET_PREFIX", ""),
            timeout=_number(env, "CKAN_TIMEOUT", 30.0),
            retries=int(_number(env, "CKAN_RETRIES", 4)),
            backoff_base=_number(env, "CKAN_BACKOFF", 0.5),
            backoff_max=_number(env, "CKAN_BACKOFF_MAX", 8.0),
            datastore_batch=int(_number(env, "CKAN_DATASTORE_BATCH", 5000)),
            origin=origin,
            site_url=site_url_from_env(env),
        )


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError as error:
        raise CkanConfigError(f"{name} must be a number, not {value!r}", variable=name) from error
