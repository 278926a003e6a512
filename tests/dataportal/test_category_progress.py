"""The progress status of an ordinal indicator on the goal page and on a profile.

The fire risk of ``category_fixtures`` is ordinal and lower is better: Vic went from Medium
(2022) to High (2023), worsening; in the province 2 of 3 municipalities were in Low, the best
category, in 2022 and 2 of 5 in 2023, worsening too. The sentence names the categories by
their labels in the page's language; a nominal indicator has no order and shows no status.
"""

from __future__ import annotations

import re

import pytest

from tests.dataportal.category_fixtures import RISK, VIC, categorical_indicators_create
from tests.dataportal.test_category_labels import PATHS, _get, _no_code_shown, _text

pytestmark = pytest.mark.django_db

VIC_SENTENCE = {
    "ca": "Progrés: Empitjora: de Mitja (2022) a Alta (2023)",
    "en": "Progress: Worsening: from Medium (2022) to High (2023)",
}
PROVINCE_SENTENCE = {
    # (the page puts a no-break space before the Catalan percent sign; _text reads it as one)
    "ca": "Progrés: Empitjora: el 67 % dels municipis amb valor eren a Baixa, la millor "
    "categoria, el 2022, i el 40 % el 2023",
    "en": "Progress: Worsening: 67% of the municipalities with a value were in Low, the best "
    "category, in 2022, and 40% in 2023",
}


@pytest.fixture
def progress_site(portal_site):
    categorical_indicators_create()
    return portal_site


def _trends(page: str) -> list[tuple[str, str]]:
    """(status class, text) of each progress paragraph."""
    return [
        (status, _text(body))
        for status, body in re.findall(r'<p class="trend trend--(\w+)">(.*?)</p>', page, re.S)
    ]


@pytest.mark.parametrize("lang", ["ca", "en"])
def test_profile_names_the_first_and_last_categories(client, progress_site, lang):
    _sdg, profiles = PATHS[lang]
    page = _get(client, f"/{lang}/{profiles}/{VIC}/?indicator={RISK}&tab=chart")
    assert _trends(page) == [("worsening", VIC_SENTENCE[lang])]
    _no_code_shown(page)


@pytest.mark.parametrize("lang", ["ca", "en"])
def test_goal_page_follows_the_share_in_the_best_category(client, progress_site, lang):
    sdg, _profiles = PATHS[lang]
    page = _get(client, f"/{lang}/{sdg}/13/?indicator={RISK}&tab=chart")
    assert _trends(page) == [("worsening", PROVINCE_SENTENCE[lang])]
    assert ("67\u00a0%" if lang == "ca" else "67%") in page
    _no_code_shown(page)


def test_one_year_is_not_enough(client, progress_site):
    page = _get(client, f"/en/municipalities/08002/?indicator={RISK}&tab=chart")
    assert _trends(page) == [("insufficient_data", "Progress: Not enough years to assess")]


def test_nominal_indicator_shows_no_status(client, progress_site):
    from concertem.databank.models import Indicator
    from concertem.databank.services import version_bump

    Indicator.objects.filter(code=RISK).update(value_type="categorical")
    version_bump()
    for url in (f"/en/sdg/13/?indicator={RISK}", f"/en/municipalities/{VIC}/?indicator={RISK}"):
        page = _get(client, url)
        assert "Fire risk" in page and _trends(page) == []
