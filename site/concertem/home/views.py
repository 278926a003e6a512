import logging

from django.core.paginator import EmptyPage, Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Locale, Page

from concertem.common.params import page_number_parse, search_syntax_error, search_text
from concertem.dataportal.catalog_selectors import catalog_index_context
from concertem.dataportal.entity_search import entities_search
from debates.rules import pages_readable

SEARCH_PAGE_SIZE = 10
SEARCH_ENTITY_LIMIT = 20
logger = logging.getLogger(__name__)


def search(request: HttpRequest) -> HttpResponse:
    """Municipalities (by name or code), datasets, and pages (debates included)."""
    raw = request.GET.get("q", "")
    query = search_text(raw)
    results = Page.objects.none()
    entities: list = []
    datasets: list = []
    if query:
        locale = Locale.objects.filter(language_code=get_language()).first()
        pages = Page.objects.live().public()
        if locale is not None:
            pages = pages.filter(locale=locale)
        # Restricted debate spaces are for their invited entities: not in their results.
        pages = pages_readable(pages, user=request.user)
        results = pages.search(query)
        Query.get(query).add_hit()
        entities = entities_search(query, limit=SEARCH_ENTITY_LIMIT)
        datasets = datasets_search(query)
    paginator = Paginator(results, SEARCH_PAGE_SIZE)
    unreadable = _("These search terms could not be understood. Try other words.")
    error = unreadable if raw.strip() and not query else ""
    try:
        try:
            page = paginator.page(page_number_parse(request.GET.get("page")))
        except EmptyPage:
            page = paginator.page(paginator.num_pages)
        page.object_list = list(page.object_list)  # any search error is raised here
    except DatabaseError as problem:
        if not search_syntax_error(problem):
            raise
        error = unreadable
        page = Paginator([], SEARCH_PAGE_SIZE).page(1)
    context = {
        "search_query": query,
        "search_results": page,
        "search_error": error,
        "search_entities": entities,
        "search_datasets": datasets,
        "search_total": page.paginator.count + len(entities) + len(datasets),
    }
    status = 400 if error and query else 200  # 400: the backend refused the expression
    return render(request, "search/search.html", context, status=status)


def datasets_search(query: str) -> list[dict]:
    """Catalogue cards whose words start with every word of the query.

    The catalogue's own filter matches inside words, which is right for its filter box
    but makes a site search for "Vic" list every dataset about "services".
    """
    wanted = [part for part in slugify(query).split("-") if part]
    cards = catalog_index_context(query=query, theme="", goal="", territory="")
    return [
        card
        for card in cards["cards"]
        if all(any(word.startswith(part) for word in card["words"].split("-")) for part in wanted)
    ]


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# ---- Error pages ----
# The site's own pages for 400/403/404/429/500: in the base layout and in the language of
# the URL (or, for an unprefixed URL, of the page the person came from; see
# config/language.py). Django's plain "403 Forbidden" and its CSRF page are replaced too.


def error_page_render(
    request: HttpRequest, status: int, *, message: str = "", csrf_failure: bool = False
) -> HttpResponse:
    context = {"status": status, "message": message, "csrf_failure": csrf_failure}
    try:
        return render(request, f"{status}.html", context, status=status)
    except Exception:
        # The layout reads the request (host, site settings) and the database; when that
        # is what is broken (a forged Host header, a database down), a plain page.
        logger.warning("The %s page could not be drawn in the site's layout", status)
        if status == 500:
            raise
        return HttpResponse(render_to_string("error_plain.html", context), status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page_render(request, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page_render(request, 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page_render(request, 404)


def too_many_requests(request: HttpRequest, message: str = "") -> HttpResponse:
    return error_page_render(request, 429, message=message)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_page_render(request, 403, csrf_failure=True)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return error_page_render(request, 500)
    except Exception:  # the layout needs the database and templates that may be what failed
        logger.exception("The 500 page could not be rendered in the site's layout")
        return HttpResponse(render_to_string("500_plain.html"), status=500)
