"""``CkanGateway``: the only code that talks to CKAN, over ckanapi's ``RemoteCKAN``.

Every call has a timeout. Transient failures (connection refused or reset, timeouts, HTTP 5xx
and 429) are retried with exponential back-off, bounded by ``CkanConfig.retries``; then a
``CkanUnavailableError`` names what was being done and what to do. ckanapi's errors are
turned into this package's typed errors: ``NotAuthorized`` becomes one clear line.

A call that creates something (``resource_create``) may have succeeded on the server even
though its answer was lost. Such calls take a ``recover`` function: before retrying, it
looks whether the thing now exists, so a retry never makes a duplicate.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

import requests
from ckanapi import RemoteCKAN
from ckanapi.errors import CKANAPIError, NotAuthorized, NotFound, ServerIncompatibleError
from ckanapi.errors import ValidationError as CkanValidationError

from publishing.config import CkanConfig
from publishing.errors import (
    CkanNotAuthorizedError,
    CkanNotFoundError,
    CkanRequestError,
    CkanUnavailableError,
)
from publishing.transport import CallStats, CountingSession

USER_AGENT = "concertem-publishing (+ckanapi)"
TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})
# One search names at most this many datasets: Solr caps the clauses of one query (1,024 by
# default), and a catalogue is far below it, so a re-publish is one search.
SEARCH_NAMES_MAX = 500
# CKAN clamps ``rows`` to ``ckan.search.rows_max`` (1,000 by default); a smaller cap on a
# given portal only means more pages.
SEARCH_ROWS = 1000

Recover = Callable[[], Any]


class Gateway(Protocol):
    """What the pipeline needs from CKAN; ``CkanGateway`` and the tests' fake implement it."""

    stats: CallStats

    def call(
        self,
        action: str,
        data: dict[str, Any] | None = None,
        *,
        what: str,
        upload: Path | None = None,
        recover: Recover | None = None,
    ) -> Any: ...


class CkanGateway:
    def __init__(
        self,
        config: CkanConfig,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.session = session if session is not None else CountingSession()
        stats = getattr(self.session, "stats", None)
        self.stats: CallStats = stats if isinstance(stats, CallStats) else CallStats()
        self.sleep = sleep
        self.remote = RemoteCKAN(
            config.site,
            apikey=config.api_key or None,
            user_agent=USER_AGENT,
            session=self.session,
        )

    def close(self) -> None:
        self.remote.close()

    def __enter__(self) -> CkanGateway:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- The one entry point ----

    def call(
        self,
        action: str,
        data: dict[str, Any] | None = None,
        *,
        what: str,
        upload: Path | None = None,
        recover: Recover | None = None,
    ) -> Any:
        """Call ``action``; ``what`` names the dataset/resource for error messages."""
        attempts = self.config.retries + 1
        last: str = ""
        for attempt in range(attempts):
            if attempt:
                self.sleep(
                    min(self.config.backoff_max, self.config.backoff_base * 2 ** (attempt - 1))
                )
                if recover is not None:
                    try:
                        found = recover()
                    except CkanUnavailableError:
                        found = None
                    if found is not None:
                        return found
            try:
                return self._once(action, data, upload)
            except NotAuthorized as error:
                raise CkanNotAuthorizedError(
                    f"{what}: CKAN at {self.config.site} refused {action}: the API key is "
                    f"wrong or its user may not edit organisation {self.config.owner_org!r} "
                    "(set CKAN_API_KEY to an API token of an editor of that organisation)",
                    action=action,
                    detail=str(error),
                ) from None
            except NotFound as error:
                raise CkanNotFoundError(
                    f"{what}: {action}: not found ({error})", action=action
                ) from None
            except CkanValidationError as error:
                raise CkanRequestError(
                    f"{what}: CKAN rejected {action}: {_error_text(error)}",
                    action=action,
                    errors=getattr(error, "error_dict", {}),
                ) from None
            except (requests.ConnectionError, requests.Timeout) as error:
                last = f"{type(error).__name__}: {_short(error)}"
            except (CKANAPIError, ServerIncompatibleError) as error:
                status = getattr(self.session, "last_status", None)
                if status is not None and status not in TRANSIENT_STATUS:
                    raise CkanRequestError(
                        f"{what}: CKAN answered {action} with HTTP {status}: {_short(error)}",
                        action=action,
                        status=status,
                    ) from None
                last = f"HTTP {status}" if status else _short(error)
        raise CkanUnavailableError(
            f"{what}: CKAN at {self.config.site} did not answer {action} after {attempts} "
            f"attempts ({last}). Check that it is up (`concertem ckan-server status` for the "
            "local one) and run the same command again: it resumes where it stopped.",
            action=action,
            attempts=attempts,
        )

    def _once(self, action: str, data: dict[str, Any] | None, upload: Path | None) -> Any:
        kwargs = {"timeout": self.config.timeout}
        if upload is None:
            return self.remote.call_action(action, data or {}, requests_kwargs=kwargs)
        # A fresh file object per attempt: a failed attempt may have consumed the last one.
        with upload.open("rb") as stream:
            result = self.remote.call_action(
                action,
                data or {},
                files={"upload": (upload.name, stream)},
                requests_kwargs=kwargs,
            )
        self.stats.bytes_uploaded += upload.stat().st_size
        return result


def packages_find(
    gateway: Gateway, *, organization: str, names: Iterable[str], what: str
) -> dict[str, dict[str, Any]]:
    """The datasets of ``organization`` among ``names``, by name, read with ``package_search``.

    One search for a whole catalogue instead of one ``package_show`` per dataset. CKAN
    answers a search with the very dict ``package_show`` returns (the ``validated_data_dict``
    its index keeps and re-indexes on every change, DataStore flags included), so the plan
    compares the same fields either way. Private and draft datasets are included, as
    ``package_show`` shows them to an editor; deleted ones are not (CKAN drops them from the
    index), nor datasets of another organisation: a name missing here needs its own
    ``package_show``.
    """
    wanted = sorted(set(names))
    found: dict[str, dict[str, Any]] = {}
    for first in range(0, len(wanted), SEARCH_NAMES_MAX):
        chunk = wanted[first : first + SEARCH_NAMES_MAX]
        quoted = " OR ".join(f'"{name}"' for name in chunk)
        query = {
            "q": "*:*",
            "fq": f'+organization:"{organization}" +name:({quoted})',
            "rows": SEARCH_ROWS,
            "sort": "name asc",
            "include_private": True,
            "include_drafts": True,
        }
        start = 0
        while True:
            page = gateway.call("package_search", {**query, "start": start}, what=what)
            results = page.get("results") or []
            for package in results:
                found[str(package.get("name"))] = package
            start += len(results)
            if not results or start >= int(page.get("count") or 0):
                break
    return found


def _short(error: BaseException, limit: int = 300) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= limit else text[:limit] + "…"


def _error_text(error: CkanValidationError) -> str:
    details = getattr(error, "error_dict", None)
    if isinstance(details, dict):
        parts = [f"{key}: {value}" for key, value in details.items() if key != "__type"]
        if parts:
            return "; ".join(parts)
    return _short(error)
