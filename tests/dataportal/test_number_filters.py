"""The template filters are THE site helper: |euros, |number, |percent, in the page's language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils.translation import override

NBSP = "\u00a0"


def _render(source: str, language: str, **context) -> str:
    with override(language):
        return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "euros", "whole", "number", "percent"),
    [
        ("ca", f"815.508,76{NBSP}€", f"815.509{NBSP}€", "10,9", f"14,48{NBSP}%"),
        ("es", f"815.508,76{NBSP}€", f"815.509{NBSP}€", "10,9", f"14,48{NBSP}%"),
        ("en", "€815,508.76", "€815,509", "10.9", "14.48%"),
    ],
)
def test_portal_filters(language, euros, whole, number, percent):
    source = (
        "{% load portal_tags %}{{ amount|euros }}|{{ amount|euros:0 }}|"
        "{{ median|number:1 }}|{{ rate|percent }}|{{ missing|euros }}"
    )
    rendered = _render(
        source,
        language,
        amount=Decimal("815508.755"),
        median=Decimal("10.865"),
        rate=Decimal("14.48"),
        missing=None,
    )
    assert rendered == f"{euros}|{whole}|{number}|{percent}|—"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ca", f"1.386.545{NBSP}€|3|3,46"), ("en", "€1,386,545|3|3.46")],
)
def test_debate_filters_use_the_same_helper(language, expected):
    source = "{% load debates_tags %}{{ amount|euros }}|{{ whole|number }}|{{ value|number }}"
    rendered = _render(
        source, language, amount=Decimal("1386545.43"), whole=3, value=Decimal("3.456")
    )
    assert rendered == expected
