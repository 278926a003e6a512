"""Writes and guards of the survey: who may answer, and recording an answer anonymously.

Every refusal is a ``SurveyRefusal`` with a stable ``code``, an HTTP status and a message for
the person; the view renders it. Nothing here may raise anything else for bad input.

Once per person, in practice: independent marks, any one of which refuses a second answer
(the full model and its limits are in docs/surveys.md):

- a signed cookie (survives the session) and the session (survives a cookie wipe while
  the browser is open);
- a keyed, per-survey fingerprint of the address and browser (survives both);
- a keyed, per-survey mark of the network address (an IPv4 address, or the /64 of an IPv6
  one), counting answers: at most ``SURVEYS_ANSWERS_PER_ADDRESS`` (1) per survey, so new
  sessions, cleared cookies and another browser on the same connection do not help;
- for a logged-in person, a keyed per-survey mark of the account: one answer per account,
  from any device.

Every mark is an HMAC with the site's secret and the survey's own salt, stored apart from
the responses and without time: the database alone cannot tell who answered what.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from concertem.surveys.models import (
    QuestionKind,
    SurveyAddressMark,
    SurveyAnswer,
    SurveyFingerprint,
    SurveyPage,
    SurveyResponse,
)
from debates.ratelimit import window_count_incr

COOKIE_NAME = "concertem_surveys"
COOKIE_SALT = "surveys.answered"
SESSION_KEY = "surveys_answered"
TOKEN_SALT = "surveys.form-started"  # noqa: S105 - a signing namespace, not a secret
HONEYPOT_FIELD = "website"


def minimum_respondents() -> int:
    return int(getattr(settings, "SURVEYS_MIN_RESPONDENTS", 10))


def minimum_fill_seconds() -> float:
    return float(getattr(settings, "SURVEYS_MIN_FILL_SECONDS", 5))


def rate_limit() -> tuple[int, int]:
    """(submissions, seconds) allowed per network address across all surveys."""
    return tuple(getattr(settings, "SURVEYS_RATE_LIMIT", (20, 3600)))  # type: ignore[return-value]


def answers_per_address() -> int:
    """Answers one network address may give to one survey (raise it for a public kiosk)."""
    return max(1, int(getattr(settings, "SURVEYS_ANSWERS_PER_ADDRESS", 1)))


@dataclass
class SurveyRefusal(Exception):
    code: str
    status: int
    message: str


# ---- Marks of a device ----


def _client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is trivially forged by a script. Behind a proxy,
    # the proxy must set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "")


def ip_hash(request: HttpRequest) -> str:
    secret = settings.SECRET_KEY.encode()
    return hashlib.sha256(secret + b"|rate|" + _client_ip(request).encode()).hexdigest()


def fingerprint_digest(request: HttpRequest, survey: SurveyPage) -> str:
    """HMAC keyed with the site's secret and salted per survey.

    The secret means a copy of the database alone cannot test guessed addresses against
    the digests; the per-survey salt means digests cannot be matched across surveys.
    """
    return _survey_hmac(
        survey,
        _client_ip(request),
        request.META.get("HTTP_USER_AGENT", ""),
        request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
    )


def _survey_hmac(survey: SurveyPage, *parts: str) -> str:
    """HMAC-SHA256 of the survey's salt and ``parts`` joined by "|", keyed with the secret."""
    message = "|".join((survey.fingerprint_salt, *parts)).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def network_of(address: str) -> str:
    """The part of an address one person controls: an IPv4 address, an IPv6 /64."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def address_digest(request: HttpRequest, survey: SurveyPage) -> str:
    return _survey_hmac(survey, "address", network_of(_client_ip(request)))


def account_digest(request: HttpRequest, survey: SurveyPage) -> str | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return _survey_hmac(survey, "account", str(user.pk))


def answered_keys(request: HttpRequest) -> set[str]:
    keys = set(request.session.get(SESSION_KEY, []))
    try:
        cookie = request.get_signed_cookie(COOKIE_NAME, default="", salt=COOKIE_SALT)
    except signing.BadSignature:
        cookie = ""
    keys.update(filter(None, cookie.split(",")))
    return keys


def survey_already_answered(request: HttpRequest, survey: SurveyPage) -> bool:
    if str(survey.survey_key) in answered_keys(request):
        return True
    digests = [fingerprint_digest(request, survey), account_digest(request, survey)]
    if SurveyFingerprint.objects.filter(
        survey_key=survey.survey_key, digest__in=[d for d in digests if d]
    ).exists():
        return True
    return SurveyAddressMark.objects.filter(
        survey_key=survey.survey_key,
        digest=address_digest(request, survey),
        answers__gte=answers_per_address(),
    ).exists()


def answered_mark(request: HttpRequest, response: HttpResponse, survey: SurveyPage) -> None:
    keys = answered_keys(request) | {str(survey.survey_key)}
    request.session[SESSION_KEY] = sorted(keys)
    response.set_signed_cookie(
        COOKIE_NAME,
        ",".join(sorted(keys)),
        salt=COOKIE_SALT,
        max_age=400 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


# ---- Guards ----


def answering_check(request: HttpRequest, survey: SurveyPage, entity_code: str) -> None:
    """Checks that do not depend on the submitted form; raise SurveyRefusal."""
    if not survey.is_open():
        raise SurveyRefusal("survey-closed", 403, str(_("This survey is not open for answers.")))
    if entity_code not in survey.open_entity_codes:
        raise SurveyRefusal(
            "entity-not-open",
            403,
            str(_("This survey is not open in that municipality.")),
        )
    if survey_already_answered(request, survey):
        raise SurveyRefusal(
            "already-answered",
            403,
            str(
                _("An answer to this survey has already been recorded from this device. Thank you!")
            ),
        )


def form_token_make(survey: SurveyPage, entity_code: str) -> str:
    return signing.dumps(
        {"s": str(survey.survey_key), "e": entity_code, "t": time.time()}, salt=TOKEN_SALT
    )


def submission_check(request: HttpRequest, survey: SurveyPage, entity_code: str) -> None:
    """Abuse checks on a POST: rate limit, honeypot, form token and minimum fill time."""
    count, seconds = rate_limit()
    if window_count_incr(f"surveys:rate:{ip_hash(request)}", seconds) > count:
        raise SurveyRefusal(
            "rate-limited",
            429,
            str(_("Too many answers from this network address. Please try again later.")),
        )
    if request.POST.get(HONEYPOT_FIELD):
        raise SurveyRefusal("honeypot", 400, str(_("The form could not be accepted.")))
    try:
        token = signing.loads(request.POST.get("started", ""), salt=TOKEN_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        raise SurveyRefusal(
            "bad-token",
            400,
            str(_("The form has expired or was not loaded from this site. Please reload it.")),
        ) from None
    if token.get("s") != str(survey.survey_key) or token.get("e") != entity_code:
        raise SurveyRefusal(
            "bad-token", 400, str(_("The form does not belong to this survey. Please reload it."))
        )
    if time.time() - float(token.get("t", 0)) < minimum_fill_seconds():
        raise SurveyRefusal(
            "too-fast",
            400,
            str(
                _(
                    "The form was sent too quickly to have been read. Please take a moment "
                    "and send it again."
                )
            ),
        )


# ---- Recording ----


@transaction.atomic
def response_record(
    *, request: HttpRequest, survey: SurveyPage, entity_code: str, cleaned: dict[str, object]
) -> SurveyResponse:
    """Store one anonymous response and the marks of who sent it; refuse a duplicate."""
    already = SurveyRefusal(
        "already-answered",
        403,
        str(_("An answer to this survey has already been recorded from this device.")),
    )
    digests = [fingerprint_digest(request, survey), account_digest(request, survey)]
    try:
        with transaction.atomic():
            for digest in filter(None, digests):
                SurveyFingerprint.objects.create(survey_key=survey.survey_key, digest=digest)
    except IntegrityError:
        raise already from None
    address_mark_take(survey, address_digest(request, survey), already)
    response = SurveyResponse.objects.create(
        survey_key=survey.survey_key,
        series=survey.series,
        year=survey.year,
        entity_code=entity_code,
        language=(get_language() or "ca")[:8],
    )
    answers_create(response=response, survey=survey, cleaned=cleaned)
    return response


def address_mark_take(survey: SurveyPage, digest: str, refusal: SurveyRefusal) -> None:
    """Count one more answer from this address, or refuse when it has given its share."""
    SurveyAddressMark.objects.get_or_create(survey_key=survey.survey_key, digest=digest)
    # One conditional UPDATE: two requests at once cannot both take the last place.
    taken = SurveyAddressMark.objects.filter(
        survey_key=survey.survey_key, digest=digest, answers__lt=answers_per_address()
    ).update(answers=F("answers") + 1)
    if not taken:
        raise refusal


def answers_create(
    *, response: SurveyResponse, survey: SurveyPage, cleaned: dict[str, object]
) -> None:
    answers = []
    for question in survey.questions.all():
        value = cleaned.get(f"q_{question.key}")
        if value in (None, "", []):
            continue
        answer = SurveyAnswer(response=response, question_key=question.key)
        if question.kind in (QuestionKind.SCALE, QuestionKind.SINGLE):
            answer.number = int(value)  # type: ignore[arg-type]
        elif question.kind == QuestionKind.MULTIPLE:
            answer.options = ",".join(
                str(int(item))
                for item in sorted(
                    value,  # type: ignore
                    key=int,
                )
            )
        else:
            answer.text = str(value)
        answers.append(answer)
    SurveyAnswer.objects.bulk_create(answers)
