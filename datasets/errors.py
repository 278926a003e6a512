"""Errors of the data domain. Each has a stable ``code``; tests check codes, not wording."""

from __future__ import annotations


class DatasetError(Exception):
    """Base class: an input the user can fix. ``str()`` is the message shown to them."""

    code = "dataset-error"

    def __init__(self, message: str, **context: object) -> None:
        super().__init__(message)
        self.context = context
