"""Under DEBUG (the demo), Django answers 400/403/404 with its technical pages, in
English, listing the URL patterns. People must see the site's pages there too; in
production (DEBUG off) Django already calls the handlers in config/urls.py."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse

from concertem.home import views

# A phrase of Django's technical 404 template (django/views/templates/technical_404.html).
TECHNICAL_404_MARK = b"<code>DEBUG = True</code>"


class ErrorPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not getattr(response, "streaming", False)
            and TECHNICAL_404_MARK in response.content
        ):
            # No URL pattern matched: Django built its page before any view ran.
            return views.page_not_found(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not settings.DEBUG:
            return None  # Django's own handling logs, then calls our handlers
        if isinstance(exception, Http404):
            return views.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return views.permission_denied(request, exception)
        if isinstance(exception, (BadRequest, SuspiciousOperation)):
            return views.bad_request(request, exception)
        return None
