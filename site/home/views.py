from django.core.paginator import EmptyPage, Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Locale, Page

from config.params import page_number_parse, search_syntax_error, search_text
from debates.services import pages_readable

SEARCH_PAGE_SIZE = 10


def search(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q", "")
    query = search_text(raw)
    results = Page.objects.none()
    if query:
        locale = Locale.objects.filter(language_code=get_language()).first()
        pages = Page.objects.live().public()
        if locale is not None:
            pages = pages.filter(locale=locale)
        # Restricted debate spaces are for their invited entities: not in their results.
        pages = pages_readable(pages, user=request.user)
        results = pages.search(query)
        Query.get(query).add_hit()
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
    context = {"search_query": query, "search_results": page, "search_error": error}
    status = 400 if error and query else 200  # 400: the backend refused the expression
    return render(request, "search/search.html", context, status=status)


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
