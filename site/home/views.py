import logging

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Locale, Page

SEARCH_PAGE_SIZE = 10
logger = logging.getLogger(__name__)


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.none()
    if query:
        locale = Locale.objects.filter(language_code=get_language()).first()
        pages = Page.objects.live().public()
        if locale is not None:
            pages = pages.filter(locale=locale)
        results = pages.search(query)
        Query.get(query).add_hit()
    paginator = Paginator(results, SEARCH_PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return render(request, "search/search.html", {"search_query": query, "search_results": page})


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
    return render(request, f"{status}.html", context, status=status)


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
