"""A requests session that counts what goes over the wire: calls, reads, writes, bytes.

Both ckanapi (``RemoteCKAN(session=...)``) and frictionless (``system.http_session``) send
through a ``requests.Session``, so one counter measures our pipeline and theirs alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests

# CKAN actions that change nothing; everything else counts as a write.
READ_SUFFIXES = ("_show", "_list", "_search", "_info", "_autocomplete")


def action_is_read(action: str) -> bool:
    return action.endswith(READ_SUFFIXES) or action == "status_show"


@dataclass
class CallStats:
    calls: int = 0
    reads: int = 0
    writes: int = 0
    bytes_sent: int = 0  # request bodies, multipart framing included
    bytes_uploaded: int = 0  # file payloads only (counted by the gateway)
    datastore_rows: int = 0  # rows written to DataStore tables (counted by the loader)
    actions: Counter[str] = field(default_factory=Counter)

    def record(self, action: str, size: int) -> None:
        self.calls += 1
        self.bytes_sent += size
        self.actions[action] += 1
        if action_is_read(action):
            self.reads += 1
        else:
            self.writes += 1

    def snapshot(self) -> CallStats:
        return CallStats(
            calls=self.calls,
            reads=self.reads,
            writes=self.writes,
            bytes_sent=self.bytes_sent,
            bytes_uploaded=self.bytes_uploaded,
            datastore_rows=self.datastore_rows,
            actions=Counter(self.actions),
        )

    def since(self, before: CallStats) -> CallStats:
        return CallStats(
            calls=self.calls - before.calls,
            reads=self.reads - before.reads,
            writes=self.writes - before.writes,
            bytes_sent=self.bytes_sent - before.bytes_sent,
            bytes_uploaded=self.bytes_uploaded - before.bytes_uploaded,
            datastore_rows=self.datastore_rows - before.datastore_rows,
            actions=self.actions - before.actions,
        )


class CountingSession(requests.Session):
    def __init__(self, stats: CallStats | None = None) -> None:
        super().__init__()
        self.stats = stats or CallStats()
        self.last_status: int | None = None

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        url = request.url or ""
        action = url.split("/api/action/", 1)[1].split("?", 1)[0] if "/api/action/" in url else url
        body = request.body
        size = len(body) if isinstance(body, (bytes, str)) else 0
        self.stats.record(action, size)
        self.last_status = None
        response = super().send(request, **kwargs)
        self.last_status = response.status_code
        return response
