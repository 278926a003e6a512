"""One answer per person per survey in practice, and results released in batches.

The attack of issue 14: one person answered three times from one address with fresh
sessions (and another browser), and read the microdata before and after answering to
find their own row. Both are refused here, over HTTP.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from concertem.surveys.models import (
    SurveyAddressMark,
    SurveyFingerprint,
    SurveyRelease,
    SurveyResponse,
)
from tests.surveys.test_answering import answers, base
from tests.surveys.test_answering import survey as survey
from tests.surveys.test_answering import with_demo_answers as with_demo_answers

pytestmark = pytest.mark.django_db


def send(survey, *, address, agent="pytest", language="ca", client=None, entity="08187"):
    return (client or Client()).post(
        f"{base(survey)}answer/{entity}/",
        answers(survey, entity),
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=agent,
        HTTP_ACCEPT_LANGUAGE=language,
    )


def real_count() -> int:
    return SurveyResponse.objects.filter(is_demo=False).count()


def test_new_sessions_and_browsers_from_one_address_answer_once(survey):
    assert send(survey, address="10.1.1.1").status_code == 302
    for agent, language in (("Firefox", "es"), ("curl/8", "en"), ("Safari", "ca")):
        refused = send(survey, address="10.1.1.1", agent=agent, language=language)
        assert refused.status_code == 403
        assert 'data-refusal="already-answered"' in refused.content.decode()
    assert real_count() == 1
    assert SurveyAddressMark.objects.get().answers == 1
    # Another address is another household.
    assert send(survey, address="10.1.1.2").status_code == 302
    assert real_count() == 2


def test_an_ipv6_network_counts_as_one_address(survey):
    assert send(survey, address="2001:db8:1:2::10").status_code == 302
    assert send(survey, address="2001:db8:1:2::99", agent="other").status_code == 403
    assert send(survey, address="2001:db8:1:3::10", agent="other").status_code == 302
    assert real_count() == 2


def test_the_per_address_allowance_is_a_setting(survey, settings):
    settings.SURVEYS_ANSWERS_PER_ADDRESS = 2
    statuses = [send(survey, address="10.2.2.2", agent=f"kiosk{i}").status_code for i in range(3)]
    assert statuses == [302, 302, 403]
    assert real_count() == 2


def test_a_logged_in_person_answers_once_from_any_device(survey):
    User.objects.create_user("resident", password="a-long-password-1")
    first = Client()
    first.login(username="resident", password="a-long-password-1")
    assert send(survey, address="10.3.3.1", client=first).status_code == 302
    second = Client()  # another device, another network
    second.login(username="resident", password="a-long-password-1")
    refused = send(survey, address="10.3.3.2", agent="phone", client=second)
    assert refused.status_code == 403
    assert real_count() == 1
    # The marks are keyed hashes: no user id, no address in the database.
    stored = list(SurveyFingerprint.objects.values_list("digest", flat=True))
    stored += list(SurveyAddressMark.objects.values_list("digest", flat=True))
    assert len(stored) == 3 and all(len(d) == 64 and "10.3.3" not in d for d in stored)


def test_microdata_and_results_change_only_in_batches(client, with_demo_answers, settings):
    survey = with_demo_answers
    settings.SURVEYS_RELEASE_BATCH = 3
    microdata_url = f"{base(survey)}data/microdata/"
    aggregates_url = f"{base(survey)}data/aggregates/"
    page_url = f"{base(survey)}results/08187/"
    before = client.get(microdata_url).content
    aggregates_before = client.get(aggregates_url).content
    page_before = client.get(page_url).content
    assert SurveyRelease.objects.filter(survey_key=survey.survey_key).count() == 1
    # One answer, then another: the published data do not move at all.
    for index in (1, 2):
        assert send(survey, address=f"10.4.4.{index}").status_code == 302
        assert client.get(microdata_url).content == before
        assert client.get(aggregates_url).content == aggregates_before
        assert client.get(page_url).content == page_before
    # The third completes a batch: all three appear together, never one alone.
    assert send(survey, address="10.4.4.3").status_code == 302
    after = client.get(microdata_url).content.decode().splitlines()
    new_ids = {row.split(",")[0] for row in after[1:]} - {
        row.split(",")[0] for row in before.decode().splitlines()[1:]
    }
    assert len(new_ids) == 3
    release = SurveyRelease.objects.filter(survey_key=survey.survey_key).latest("number")
    assert release.number == 2
    published = SurveyResponse.objects.filter(survey_key=survey.survey_key).count()
    assert release.respondents == published


def test_nothing_is_published_before_the_first_full_batch(client, survey, settings):
    settings.SURVEYS_RELEASE_BATCH = 10
    settings.SURVEYS_MIN_RESPONDENTS = 1
    assert send(survey, address="10.5.5.5").status_code == 302
    microdata = client.get(f"{base(survey)}data/microdata/").content.decode().splitlines()
    assert len(microdata) == 1  # the header only
    assert not SurveyRelease.objects.exists()
