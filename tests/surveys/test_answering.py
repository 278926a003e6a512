"""Answering the survey as residents do, and everything that must be refused clearly."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from concertem.surveys.models import SurveyAnswer, SurveyFingerprint, SurveyPage, SurveyResponse
from concertem.surveys.services import TOKEN_SALT

pytestmark = pytest.mark.django_db

URL = "/ca/enquesta-serveis-{year}/"


@pytest.fixture
def survey(demo_site, settings) -> SurveyPage:
    """This year's edition (open) and last year's (closed), without generated answers."""
    from concertem.surveys.demo import survey_edition_ensure

    settings.SURVEYS_MIN_FILL_SECONDS = 3
    settings.SURVEYS_MIN_RESPONDENTS = 10
    cache.clear()  # the rate limit's counters live in the cache
    now = timezone.now()
    survey_edition_ensure(
        demo_site,
        year=now.year - 1,
        opens_at=now - timedelta(days=400),
        closes_at=now - timedelta(days=300),
    )
    return survey_edition_ensure(
        demo_site,
        year=now.year,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )["ca"]


@pytest.fixture
def with_demo_answers(survey) -> SurveyPage:
    from concertem.surveys.demo import demo_answers_generate

    demo_answers_generate(survey, column=0, seed=1)
    return survey


def base(survey: SurveyPage) -> str:
    return URL.format(year=survey.year)


def token(survey: SurveyPage, entity_code: str, age: float = 60) -> str:
    return signing.dumps(
        {"s": str(survey.survey_key), "e": entity_code, "t": time.time() - age}, salt=TOKEN_SALT
    )


def answers(survey: SurveyPage, entity_code: str = "08187", **overrides) -> dict:
    data = {
        "started": token(survey, entity_code),
        "website": "",
        "q_overall": "8",
        "q_cleanliness": "6",
        "q_facilities": "7",
        "q_priority": "2",
        "q_channels": ["1", "3"],
        "q_comments": "Més bancs a la plaça",
    }
    data.update(overrides)
    return data


def post(client, survey, entity_code="08187", **overrides):
    return client.post(
        f"{base(survey)}answer/{entity_code}/",
        answers(survey, entity_code, **overrides),
        REMOTE_ADDR="10.0.0.1",
        HTTP_USER_AGENT="pytest-browser",
    )


def test_a_resident_answers_anonymously_once(client, survey):
    before = SurveyResponse.objects.filter(is_demo=False).count()
    response = post(client, survey)
    assert response.status_code == 302
    assert response["Location"].endswith("/thanks/")
    saved = SurveyResponse.objects.get(is_demo=False)
    assert before == 0 and saved.entity_code == "08187" and saved.language == "ca"
    assert {a.question_key: (a.number, a.options, a.text) for a in saved.answers.all()} == {
        "overall": (8, "", ""),
        "cleanliness": (6, "", ""),
        "facilities": (7, "", ""),
        "priority": (2, "", ""),
        "channels": (None, "1,3", ""),
        "comments": (None, "", "Més bancs a la plaça"),
    }
    # Nothing in the response identifies the device: no IP, no user, no time of day.
    field_names = {field.name for field in SurveyResponse._meta.get_fields()}
    assert not field_names & {"ip", "ip_address", "user", "session", "created_at"}
    assert SurveyFingerprint.objects.count() == 1
    again = post(client, survey)  # same browser: cookie + session
    assert again.status_code == 403
    assert "already" in again.content.decode() or "ja" in again.content.decode()
    assert SurveyResponse.objects.filter(is_demo=False).count() == 1


def test_a_second_device_with_the_same_fingerprint_is_refused(client, survey):
    assert post(client, survey).status_code == 302
    fresh = Client()  # no cookie, no session, same address and browser
    response = post(fresh, survey)
    assert response.status_code == 403
    assert 'data-refusal="already-answered"' in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"q_overall": "11"}, "q_overall"),
        ({"q_overall": "-1"}, "q_overall"),
        ({"q_overall": "eight"}, "q_overall"),
        ({"q_priority": "9"}, "q_priority"),
        ({"q_channels": ["1", "7"]}, "q_channels"),
        ({"q_overall": ""}, "q_overall"),
    ],
)
def test_out_of_range_answers_are_refused_with_the_form(client, survey, overrides, field):
    response = post(client, survey, **overrides)
    assert response.status_code == 400
    assert 'class="form-errors"' in response.content.decode()
    assert field in response.context["form"].errors
    assert not SurveyResponse.objects.filter(is_demo=False).exists()


@pytest.mark.parametrize(
    ("overrides", "code", "status"),
    [
        ({"website": "http://spam.example"}, "honeypot", 400),
        ({"started": "forged"}, "bad-token", 400),
        ({"started": None}, "too-fast", 400),
    ],
)
def test_scripted_submissions_are_refused(client, survey, overrides, code, status):
    if overrides.get("started", "") is None:
        overrides["started"] = token(survey, "08187", age=0)
    response = post(client, survey, **overrides)
    assert response.status_code == status
    assert f'data-refusal="{code}"' in response.content.decode()
    assert not SurveyResponse.objects.filter(is_demo=False).exists()


def test_a_token_for_another_municipality_is_refused(client, survey):
    response = post(client, survey, started=token(survey, "08279"))
    assert response.status_code == 400


def test_floods_from_one_address_are_rate_limited(survey, settings):
    settings.SURVEYS_RATE_LIMIT = (3, 3600)
    statuses = []
    for index in range(5):
        statuses.append(post(Client(), survey, website=f"bot{index}").status_code)
    assert statuses == [400, 400, 400, 429, 429]


def test_closed_survey_and_municipality_not_open_are_refused(client, survey):
    last_year = SurveyPage.objects.get(locale__language_code="ca", year=survey.year - 1)
    response = post(client, last_year)
    assert response.status_code == 403
    assert 'data-refusal="survey-closed"' in response.content.decode()
    response = client.get(f"{base(survey)}answer/08019/")
    assert response.status_code == 403
    assert 'data-refusal="entity-not-open"' in response.content.decode()
    assert post(client, survey, entity_code="08019").status_code == 403
    assert client.get(f"{base(survey)}answer/nonsense/").status_code == 403


def test_results_are_suppressed_below_the_threshold(client, with_demo_answers):
    survey = with_demo_answers
    html = client.get(f"{base(survey)}results/").content.decode()
    assert "Sabadell" in html and "notice--demo" in html
    bagà = client.get(f"{base(survey)}results/08016/").content.decode()
    assert "protegir" in bagà or "anonim" in bagà  # Catalan suppression notice
    assert "<svg" not in bagà
    sabadell = client.get(f"{base(survey)}results/08187/").content.decode()
    assert sabadell.count("<svg") == 5  # 3 scales + single + multiple; text has no chart
    assert "Més bancs" not in sabadell


def test_open_data_exports_respect_suppression_and_exclude_free_text(
    client, with_demo_answers, tmp_path
):
    survey = with_demo_answers
    post(client, survey)
    aggregates = client.get(f"{base(survey)}data/aggregates/").content.decode().splitlines()
    assert aggregates[0].startswith("series,year,entity_code,question_key")
    bagà = [line for line in aggregates if ",08016," in line]
    assert bagà and all(line.split(",")[11] == "true" and line.split(",")[8] == "" for line in bagà)
    microdata = client.get(f"{base(survey)}data/microdata/").content.decode().splitlines()
    assert microdata[0] == (
        "response_id,series,year,entity_code,language,is_demo,question_key,question_kind,value"
    )
    assert not any(",comments," in line for line in microdata)
    assert not any(",08016," in line for line in microdata)
    assert not any("Més bancs" in line for line in microdata)
    call_command("export_survey_results", out=tmp_path)
    assert (tmp_path / "survey_results_microdata.schema.json").exists()
    from frictionless import Resource, Schema

    for name in ("survey_results_aggregates", "survey_results_microdata"):
        schema = Schema.from_descriptor(json.loads((tmp_path / f"{name}.schema.json").read_text()))
        report = Resource(path=f"{name}.csv", basepath=str(tmp_path), schema=schema).validate()
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])


def test_answers_are_shared_by_the_translations(client, survey):
    english = survey.get_translation(
        survey.get_translations(inclusive=True).filter(locale__language_code="en").first().locale
    )
    response = client.post(
        f"{english.url}answer/08121/", answers(survey, "08121"), REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302
    assert (
        SurveyResponse.objects.filter(is_demo=False, entity_code="08121", language="en").count()
        == 1
    )
    assert SurveyAnswer.objects.filter(response__language="en").exists()


def test_editor_validation_closes_after_opening(survey):
    from django.core.exceptions import ValidationError

    survey.closes_at = survey.opens_at - timedelta(days=1)
    with pytest.raises(ValidationError):
        survey.full_clean()
    survey.closes_at = timezone.now() + timedelta(days=1)
    survey.entity_codes = "08187 99999"
    with pytest.raises(ValidationError):
        survey.full_clean()


def test_demo_answers_load_again_as_the_same_microdata(survey):
    """A second demo load gives the same responses (ids included): re-publishing the survey's
    open data then uploads nothing."""
    from concertem.surveys.demo import demo_answers_generate
    from concertem.surveys.models import SurveyAnswer

    def microdata() -> list[tuple]:
        return sorted(
            SurveyAnswer.objects.values_list(
                "response__public_id", "question_key", "number", "options", "text"
            )
        )

    demo_answers_generate(survey, column=0, seed=1)
    first = microdata()
    demo_answers_generate(survey, column=0, seed=1)
    assert first and microdata() == first
