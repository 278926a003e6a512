"""The language a person reads in, kept through every form, redirect and error.

Pages live under a language prefix (/ca/, /es/, /en/); the actions they post to
(/debates/…, /office/…, /comments/…) and a few pages (the e-mail preferences) do not.
Django alone gives those unprefixed requests the browser's language (Accept-Language),
so a Catalan official with an English browser was answered in English after posting a
comment, and sent to /en/ after logging in at /ca/accounts/login/.

One mechanism, for every view, in the locale middleware:

- a request with a prefix is in that language, and the language is remembered in
  Django's language cookie (so a later unprefixed request, or ``/``, knows it);
- a request without a prefix is in the language it asks for with ``?language=`` (the
  language switcher on an unprefixed page), else that of the page it came from (the
  ``Referer``, same host only), else the remembered one, else the browser's;
- for a logged-in person, that language is also kept for their e-mails
  (debates/user_language.py);
- a redirect to a local path that exists only under a prefix (``/``, a Wagtail page
  path) gets the request's language prefix, instead of Accept-Language deciding later.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import is_valid_path
from django.utils import translation
from django.utils.translation import get_language_from_path

from concertem.common.params import LANGUAGE_PARAMETER


def language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def referer_language(request: HttpRequest) -> str | None:
    """The language prefix of the page that sent the request, if it is one of ours."""
    referer = request.headers.get("Referer", "")
    if not referer:
        return None
    parts = urlsplit(referer)
    if parts.netloc and parts.netloc != request.get_host():
        return None
    return get_language_from_path(parts.path or "/")


def explicit_language(request: HttpRequest) -> str | None:
    """The language an unprefixed request asks for: ``?language=`` (the language switcher),
    else its referring page's."""
    asked = request.GET.get(LANGUAGE_PARAMETER, "")
    if asked in language_codes():
        return asked
    return referer_language(request)


def path_with_language(path: str, language: str, urlconf: str | None = None) -> str:
    """``path`` with the language prefix when it only exists under one (``/`` → ``/ca/``).

    Paths that are served without a prefix (debate actions, the API, data files) and
    paths that already carry one are returned unchanged.
    """
    if not path.startswith("/") or path.startswith("//"):
        return path  # another site, or not a path
    route = path.split("?", 1)[0].split("#", 1)[0]
    if get_language_from_path(route) or is_valid_path(route, urlconf):
        return path
    return f"/{language}{path}"


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware with the language kept (module docstring), minus its
    redirect of 404s on unprefixed URLs.

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
        "/office/",
    )

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith(("/admin/", "/django-admin/")):
            # The admin keeps its own language: the editor's Wagtail preference, else the
            # browser's. The cookie only remembers which language the public pages were
            # last read in (an editor checking a Catalan page must not get a Catalan admin).
            request.language_kept = None
            cookies = request.COOKIES
            request.COOKIES = {
                name: value
                for name, value in cookies.items()
                if name != settings.LANGUAGE_COOKIE_NAME
            }
            try:
                super().process_request(request)
            finally:
                request.COOKIES = cookies
            return
        # The language the person reads in, when the request says it (prefix, referring
        # page, parameter); otherwise the remembered one, else the browser's.
        kept = get_language_from_path(request.path_info) or explicit_language(request)
        request.language_kept = kept
        translation.activate(kept or translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        kept = getattr(request, "language_kept", None)
        if kept and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != kept:
            remember_language(response, kept)
        if kept:
            user_language_keep(request, kept)
        if response.has_header("Location") and 300 <= response.status_code < 400:
            response["Location"] = path_with_language(
                response["Location"],
                translation.get_language() or settings.LANGUAGE_CODE,
                getattr(request, "urlconf", None),
            )
        if request.path_info.startswith(self.UNTRANSLATED_PREFIXES):
            return response
        return super().process_response(request, response)


SESSION_LANGUAGE_KEY = "_concertem_language"


def user_language_keep(request: HttpRequest, language: str) -> None:
    """For a logged-in person, the language their e-mails will be written in.

    Stored once per session and language (the session remembers it was done), so
    reading pages costs no write.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        # Nobody logged in: asking would load the session and make every response (the
        # public data files too) vary on the cookie, hence private.
        return
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or session is None or not user.is_authenticated:
        return
    if session.get(SESSION_LANGUAGE_KEY) == language:
        return
    from debates.user_language import user_language_remember

    user_language_remember(user, language)
    session[SESSION_LANGUAGE_KEY] = language


def remember_language(response: HttpResponse, language: str) -> None:
    """Django's language cookie, as its own set_language view writes it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
