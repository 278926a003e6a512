"""One bounded `int` path converter for every route, the project's and the libraries'.

Django's `<int:...>` matches any number of digits; a 20-digit id then reaches the database,
where SQLite raises OverflowError (past 2**63) and PostgreSQL an out-of-range error: a 500
on a hand-typed URL. Every id the site creates fits in 18 digits, so a longer number is
simply not a route: the resolver answers 404 before any view or query runs.

Registered once, from `config/__init__.py`, because patterns compile their converters
when they are built (Wagtail's routable pages build theirs at import time, before any
URLconf): registering later would miss them.
"""

from __future__ import annotations

import warnings

MAX_ID_DIGITS = 18  # 10**18 - 1 < 2**63 - 1: fits SQLite's INTEGER and PostgreSQL's bigint


class BoundedIntConverter:
    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


def int_converter_register() -> None:
    from django.urls import converters, register_converter

    if isinstance(converters.get_converters()["int"], BoundedIntConverter):
        return
    with warnings.catch_warnings():
        # Django 5.2 warns that replacing a built-in converter goes away in 6.0; the
        # upgrade to 6.0 must then register it under its own name in every URLconf.
        warnings.simplefilter("ignore")
        register_converter(BoundedIntConverter, "int")
