"""Survey results are published in batches, so that no difference isolates one answer.

If results were computed live, reading them just before and just after someone answers
would show that person's answers in full (the microdata row that appeared, the counts that
moved by one). So the pages, the aggregates and the microdata read only *released*
responses: a new release is cut when at least ``SURVEYS_RELEASE_BATCH`` (10) responses have
arrived since the previous one; until then the previous release is served unchanged. The
difference between two releases always mixes at least that many people.

A release marks its responses (``SurveyResponse.released_in``) rather than recording an
id range, so a response that commits late is never slipped into a past release: it waits
for the next one. Releases are cut when results are read (no background job needed).
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet

from concertem.surveys.models import SurveyRelease, SurveyResponse


def release_batch() -> int:
    return max(1, int(getattr(settings, "SURVEYS_RELEASE_BATCH", 10)))


def release_current(survey_key) -> SurveyRelease | None:
    """The latest release of a survey, cutting a new one first if enough answers wait."""
    pending = SurveyResponse.objects.filter(survey_key=survey_key, released_in__isnull=True)
    if pending.count() >= release_batch():
        release_cut(survey_key)
    return SurveyRelease.objects.filter(survey_key=survey_key).order_by("-number").first()


def release_cut(survey_key) -> SurveyRelease | None:
    """Publish every waiting response as the next release (None if another request won)."""
    try:
        with transaction.atomic():
            last = SurveyRelease.objects.filter(survey_key=survey_key).aggregate(n=Max("number"))[
                "n"
            ]
            number = (last or 0) + 1
            release = SurveyRelease.objects.create(
                survey_key=survey_key, number=number, respondents=0
            )
            SurveyResponse.objects.filter(survey_key=survey_key, released_in__isnull=True).update(
                released_in=number
            )
            release.respondents = SurveyResponse.objects.filter(
                survey_key=survey_key, released_in__isnull=False
            ).count()
            release.save(update_fields=["respondents"])
            return release
    except IntegrityError:  # a concurrent request cut the same release number first
        return None


def released_responses(survey_key) -> QuerySet[SurveyResponse]:
    """The responses the public may see: those of the current release and earlier ones."""
    current = release_current(survey_key)
    if current is None:
        return SurveyResponse.objects.none()
    return SurveyResponse.objects.filter(survey_key=survey_key, released_in__lte=current.number)
