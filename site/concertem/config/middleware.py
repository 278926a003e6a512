"""Response headers Django 5.2 does not set by itself, private caching of personal pages,
locale redirects, and a clean 503 when the database is unavailable."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.signals import got_request_exception
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from concertem.common.params import search_syntax_error
from concertem.config import language

logger = logging.getLogger("config.database")

# The public site ships no inline script or style, so its policy can forbid both.
# The Wagtail and Django admins do use inline code; they get the frame and referrer
# protections but not the strict script policy.
PUBLIC_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data: {tiles}; font-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        tiles = getattr(settings, "CONCERTEM_MAP_TILES_ORIGIN", "")
        self.public_csp = PUBLIC_CSP.format(tiles=tiles).replace("  ", " ")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(ADMIN_PREFIXES):
            csp = self.public_csp
            if getattr(request, "is_preview", False):
                # Wagtail renders an editor's preview through this stack with the page's
                # own URL, then shows it in an iframe of the admin (same origin).
                csp = csp.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
            response.headers.setdefault("Content-Security-Policy", csp)
        else:
            response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'self'")
        response.headers.setdefault(
            "Permissions-Policy", "geolocation=(), camera=(), microphone=(), payment=()"
        )
        return response


class PrivateCacheMiddleware:
    """`Cache-Control: private` on every response that depends on who asks.

    A response depends on the person when it varies on the cookie (Django's session and
    CSRF middleware add `Vary: Cookie` whenever a view read the session, the user or a
    CSRF token), or when the request carries a session cookie at all (a logged-in person:
    checking that without the database would need the session, so any session counts).
    Such a response loses any `public` and `s-maxage` and gains `private`, so a shared
    cache or proxy never hands one person's page to another. Place it above the session
    middleware so it sees the `Vary` that one adds.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response_is_personal(request, response):
            cache_control_private(response)
        return response


def response_is_personal(request: HttpRequest, response: HttpResponse) -> bool:
    if getattr(request, "page_cache_shared", False):
        # The page cache checked it is every anonymous reader's page (no session
        # cookie, no cookie but the language); its `Vary: Cookie` keeps it from anyone
        # with a session in a front cache too.
        return False
    vary = {item.strip().lower() for item in response.get("Vary", "").split(",")}
    if "cookie" in vary or "authorization" in vary:
        return True
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and getattr(user, "is_authenticated", False))


def cache_control_private(response: HttpResponse) -> None:
    directives = {
        part.split("=", 1)[0].strip().lower()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    }
    if "no-store" in directives and "public" not in directives:
        return  # nothing may store it at all: stricter than private already
    if "s-maxage" in directives:
        kept = [
            part.strip()
            for part in response["Cache-Control"].split(",")
            if not part.strip().lower().startswith("s-maxage")
        ]
        response["Cache-Control"] = ", ".join(kept)
    # patch_cache_control drops `public` when `private` is set.
    patch_cache_control(response, private=True)


# The locale middleware (language kept through forms, redirects and errors) lives in
# config/language.py; settings name it here, where it always was.
LocaleMiddleware = language.LocaleMiddleware


# ---- Database unavailable ----
# A database that is down, unreachable or locked past its timeout raises OperationalError
# (or InterfaceError for a connection that died). That is not a bug in the page: the
# visitor gets a 503 that says to come back, with Retry-After, instead of the 500 page,
# and nothing of the error (host, settings, traceback) reaches the response.
DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
JSON_PREFIXES = ("/api/", "/healthz")
_FLAG = "_concertem_database_unavailable"


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503, built without the database: no request context, no context processors."""
    if request.path.startswith(JSON_PREFIXES):
        response: HttpResponse = JsonResponse(
            {"status": "unavailable", "error": "database-unavailable"}, status=503
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # When the error came from another middleware, the inner header middleware never
    # saw this response: give it a policy of its own (the page has no script or style).
    response.headers.setdefault(
        "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"
    )
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


class DatabaseUnavailableMiddleware:
    """Place it near the top of MIDDLEWARE: it answers for everything inside it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except DATABASE_ERRORS as error:  # the 500 handler itself needed the database
            return self._unavailable(request, error)
        if response.status_code == 500 and getattr(request, _FLAG, None) is not None:
            # Raised by a middleware inside this one and already turned into a 500.
            return self._unavailable(request, getattr(request, _FLAG))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if id_out_of_range(exception):
            # An id too large for the database (a route matched with a regex rather than
            # the bounded int converter, or a query parameter): no such row, not a crash.
            raise Http404("number out of range") from exception
        if isinstance(exception, DATABASE_ERRORS) and search_syntax_error(exception):
            # A search expression the database could not parse is the visitor's input,
            # not an outage: a 400, not a 503 that says to come back later.
            raise BadRequest("search syntax") from exception
        if isinstance(exception, DATABASE_ERRORS):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request: HttpRequest, error: BaseException) -> HttpResponse:
        logger.error(
            "Database unavailable while serving %s %s: %s",
            request.method,
            request.path,
            error,
            exc_info=(type(error), error, error.__traceback__),
        )
        return database_unavailable_response(request)


def id_out_of_range(error: BaseException) -> bool:
    """SQLite's OverflowError, or PostgreSQL's numeric-out-of-range, for a number given."""
    if isinstance(error, OverflowError):
        return "too large to convert" in str(error)
    return isinstance(error, DataError) and "out of range" in str(error).lower()


def _database_error_note(sender, request=None, **kwargs) -> None:
    # Django turns an exception in a middleware into a 500 before the middleware around
    # it sees anything; this signal is sent while that exception is being handled.
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_ERRORS):
        setattr(request, _FLAG, error)


got_request_exception.connect(_database_error_note, dispatch_uid="concertem-database-error")
