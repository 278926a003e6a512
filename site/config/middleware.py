"""Response headers Django 5.2 does not set by itself."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

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
            response.headers.setdefault("Content-Security-Policy", self.public_csp)
        else:
            response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'self'")
        response.headers.setdefault(
            "Permissions-Policy", "geolocation=(), camera=(), microphone=(), payment=()"
        )
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, minus its redirect of 404s on unprefixed URLs.

    Django sends a 404 on `/api/...` to `/ca/api/...` when that path would match,
    and Wagtail's catch-all page route matches everything. API and data URLs are
    not translated, so their 404s must stay 404s.
    """

    UNTRANSLATED_PREFIXES = (
        "/api/",
        "/data/",
        "/healthz",
        "/admin/",
        "/django-admin/",
        "/documents/",
        "/comments/",
        "/static/",
        "/media/",
    )

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path_info.startswith(self.UNTRANSLATED_PREFIXES):
            return response
        return super().process_response(request, response)
