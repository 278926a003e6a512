"""Hostile input of issue 14, replayed: every malformed parameter answers 400 or 404 (never
a 500, never a 503 that blames the database), in the visitor's language, and changes
nothing in the database (row counts of every content table before and after).

Covers: the pages API's offset/limit/ids/search, a 5,000-digit `page=` on every paginated
page, `?entity=a/b` on survey results, 20-digit ids on routes with `int` converters (the
project's, Wagtail's and django-comments-xtd's) and a site search for `"`.
"""

from __future__ import annotations

import time

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client

from tests.hardening.conftest import report
from tests.office.conftest import catalogue as catalogue
from tests.office.conftest import homes as homes
from tests.office.conftest import office as office
from tests.office.conftest import people as people

pytestmark = pytest.mark.django_db

BIG = "9" * 20
HUGE = "9" * 5000
WORDS_500 = " ".join(f"paraula{index}" for index in range(500))
# Tables a replay could touch by mistake; search statistics (wagtailsearchpromotions),
# sessions and the debates' cache version counter move on reads and are not content.
COUNTED_APPS = (
    "wagtailcore",
    "surveys",
    "office",
    "cooperation",
    "debates",
    "django_comments",
    "django_comments_xtd",
    "auth",
    "wagtaildocs",
)

NOT_CONTENT = {"debates.CommentsVersion"}


def db_counts() -> dict[str, int]:
    counts = {}
    for label in COUNTED_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label in NOT_CONTENT:
                continue
            counts[model._meta.label] = model._default_manager.count()
    return counts


@pytest.fixture
def world(demo_site, settings):
    from concertem.dataportal.demo_content import portal_pages_load
    from concertem.facilities.demo import demo_facilities_load
    from concertem.surveys.demo import survey_edition_ensure
    from tests.debates.factories import make_debate, make_space

    settings.SURVEYS_MIN_RESPONDENTS = 10
    demo_facilities_load(demo_site)
    portal_pages_load(demo_site)
    space = make_space(demo_site["ca"], slug="espai")
    debate = make_debate(space, slug="debat")
    from django.utils import timezone

    now = timezone.now()
    survey = survey_edition_ensure(
        demo_site,
        year=now.year,
        opens_at=now - timezone.timedelta(days=1),
        closes_at=now + timezone.timedelta(days=30),
    )["ca"]
    return {"debate": debate, "survey": survey}


def api_cases() -> list[tuple[str, tuple[int, ...]]]:
    return [
        (f"/api/v2/pages/?offset={BIG}", (400,)),
        (f"/api/v2/pages/?limit={BIG}", (400,)),
        ("/api/v2/pages/?offset=-1", (400,)),
        (f"/api/v2/pages/?id={BIG}", (400,)),
        (f"/api/v2/pages/?child_of={BIG}", (400,)),
        (f"/api/v2/pages/?search={WORDS_500}", (400,)),
        ('/api/v2/pages/?search="', (200,)),
        ('/api/v2/pages/?search=aigua"potable', (200,)),
        (f"/api/v2/pages/{BIG}/", (404,)),
        (f"/api/v2/images/?offset={BIG}", (400,)),
        (f"/api/v2/documents/{BIG}/", (404,)),
    ]


def page_cases(world) -> list[tuple[str, tuple[int, ...]]]:
    debate = world["debate"]
    survey = world["survey"]
    return [
        (f"/ca/search/?q=aigua&page={HUGE}", (200,)),
        (f"/ca/equipaments/?page={HUGE}", (200,)),
        (f"/ca/repartiment/?page={HUGE}", (200,)),
        ("/ca/repartiment/?page=²", (200,)),
        (f"{debate.url}?page={HUGE}", (200,)),
        (f"{survey.url}results/?entity=a/b", (404,)),
        (f"{survey.url}results/?entity=..%2F..%2Fadmin", (404,)),
        (f"{survey.url}?entity=a/b", (403,)),
        ('/ca/search/?q="', (200,)),
        ('/ca/search/?q="aigua', (200,)),
        ("/ca/search/?q=" + '"' * 50, (200,)),
        (f"/ca/search/?q={WORDS_500}", (200,)),
    ]


def id_cases(world) -> list[tuple[str, str, tuple[int, ...]]]:
    """(method, url, allowed statuses): 20-digit ids on int routes."""
    return [
        ("get", f"/office/attachments/{BIG}/", (404,)),
        ("post", f"/debates/{BIG}/comment/", (404,)),
        ("post", f"/debates/{BIG}/follow/", (404,)),
        ("post", f"/debates/comment/{BIG}/like/", (404,)),
        ("post", f"/debates/comment/{BIG}/flag/", (404,)),
        ("post", f"/debates/user/{BIG}/block/", (404,)),
        ("get", f"/comments/reply/{BIG}/", (404,)),
        ("get", f"/comments/flag/{BIG}/", (404,)),
        ("get", f"/comments/{BIG}/", (404,)),
        ("get", f"/documents/{BIG}/file.pdf", (404,)),
        ("get", f"/ca/repartiment/proposal/{BIG}/", (404,)),
        ("get", f"/admin/pages/{BIG}/edit/", (404,)),
        ("get", f"/admin/documents/edit/{BIG}/", (404,)),
        ("get", f"/django-admin/auth/user/{BIG}/change/", (302, 404)),
    ]


def test_malformed_parameters_answer_400_or_404_and_change_nothing(world):
    User.objects.create_superuser("root", "root@example.org", "a-long-password-1")
    admin = Client()
    admin.login(username="root", password="a-long-password-1")
    anonymous = Client()
    before = db_counts()
    failures = []
    slowest = 0.0
    for url, allowed in [*api_cases(), *page_cases(world)]:
        started = time.perf_counter()
        status = anonymous.get(url).status_code
        slowest = max(slowest, time.perf_counter() - started)
        if status not in allowed:
            failures.append(f"GET {url[:90]} -> {status}, expected {allowed}")
    for method, url, allowed in id_cases(world):
        response = getattr(admin, method)(url)
        status = response.status_code
        if status == 302 and response["Location"].startswith("/ca/"):
            # Django's LocaleMiddleware sends an unmatched unprefixed path to its /ca/
            # twin (Wagtail's catch-all), which must then be a 404.
            status = admin.get(response["Location"]).status_code
        if status not in allowed:
            failures.append(f"{method.upper()} {url[:90]} -> {status}, expected {allowed}")
    after = db_counts()
    changed = {
        label: (before[label], after[label]) for label in before if before[label] != after[label]
    }
    total = len(api_cases()) + len(page_cases(world)) + len(id_cases(world))
    report(f"hostile input: {total} tried, {total - len(failures)} held, {len(failures)} failed")
    assert not failures, "\n".join(failures)
    assert not changed, changed
    assert slowest < 2.0, f"slowest hostile request took {slowest:.2f} s"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ca", "No s'ha trobat la pàgina"),
        ("es", "No se ha encontrado la página"),
        ("en", "Page not found"),
    ],
)
def test_a_bad_entity_is_a_404_page_in_the_visitors_language(world, language, text):
    survey = world["survey"]
    translated = survey.get_translations(inclusive=True).get(locale__language_code=language)
    response = Client().get(f"{translated.url}results/?entity=a/b")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'lang="{language}"' in html and text in html


def test_a_search_for_a_quote_is_a_message_not_an_outage(world):
    response = Client().get('/es/search/?q="')
    assert response.status_code == 200
    assert "Retry-After" not in response
    html = response.content.decode()
    assert 'role="alert"' in html and "búsqueda" in html.lower()


def test_a_search_syntax_error_from_the_database_is_a_400_not_a_503(rf):
    """Defence in depth: if a backend still chokes on an expression, it is not an outage."""
    from django.db import OperationalError

    from concertem.config.middleware import DatabaseUnavailableMiddleware

    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    with pytest.raises(Exception) as raised:
        middleware.process_exception(rf.get("/"), OperationalError('fts5: syntax error near ""'))
    assert type(raised.value).__name__ == "BadRequest"
    outage = middleware.process_exception(rf.get("/"), OperationalError("database is locked"))
    assert outage.status_code == 503


# ---- The office's lesser findings (issue 14, item 10), replayed by an outsider ----


def test_an_outsider_learns_nothing_from_office_references(office, people, catalogue):
    from concertem.office import services
    from concertem.office.models import SupportRequest
    from tests.office.factories import PASSWORD, make_request

    private = "Dispute with the auditor over unpaid invoices"
    request = make_request(people.official, service=catalogue.audit, subject=private)
    services.request_resolve(
        user=people.agent, request=request, resolution="Done", outcome="service", amount="10"
    )
    year = request.reference.split("-")[1]
    outsider = Client()
    outsider.login(username=people.other.username, password=PASSWORD)
    before = db_counts()
    guesses = [f"OAM-{year}-{number:06d}" for number in range(1, 21)]
    guesses += [request.reference, f"OAM-{year}-{BIG}", "OAM-..%2F..%2Fadmin"]
    statuses = {outsider.get(f"{office.url}requests/{guess}/").status_code for guess in guesses}
    posted = outsider.post(f"{office.url}requests/{request.reference}/message/", {"body": "x"})
    assert statuses == {404} and posted.status_code == 404
    assert db_counts() == before
    # What is public names neither the subject nor a comarca with a single request.
    metrics = Client().get("/office/data/office_metrics.csv").content.decode()
    assert "Osona" not in metrics and private not in metrics
    assert SupportRequest.objects.get(pk=request.pk).cooperation_action.title != private
    report(f"office references: {len(guesses) + 1} tried, all answered 404, nothing written")
