"""Whole pages for anonymous readers, from the shared cache.

A request is served from the cache only when nothing about it can make its page differ
from another anonymous reader's: GET or HEAD, a public page under a language prefix, no
session cookie (nobody logged in), no pending messages, no Authorization header. A
response is stored only when it is the same for every such reader: 200, no cookie but
the remembered language (the key includes the one the request carried, so the same
Set-Cookie is right for everyone with that key), no `Vary` but `Cookie`, and nothing in
its `Cache-Control` that forbids sharing. A page with a form's CSRF token sets the CSRF
cookie, so it is never stored: another visitor would get a token that is not theirs.
Restricted debates answer anonymous readers with a redirect to the login page, never a
200 with their content.

Stored responses keep every header the inner middleware set (the Content-Security-Policy
among them: the public policy has no nonces, so it holds for the stored body as is).
A stored page is sent with `Cache-Control: public, max-age, s-maxage,
stale-while-revalidate` so a front cache (Varnish, a CDN) may keep it too; its
`Vary: Cookie` stays, so such a cache never hands it to someone with a session.

Place it right inside `concertem.config.middleware.PrivateCacheMiddleware` and above the session
middleware: a hit then skips the session, the user, the locale and the view.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from concertem.pagecache import cache as store

SHARED_ATTRIBUTE = "page_cache_shared"
GENERATIONS_ATTRIBUTE = "page_cache_generations"
EXPIRES_ATTRIBUTE = "page_cache_expires"
# A response with any of these in its Cache-Control is not anyone's to share.
PRIVATE_DIRECTIVES = {"private", "no-store", "no-cache"}
MESSAGES_COOKIE = "messages"


def page_cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def request_cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    prefixes = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
    if not request.path.startswith(prefixes):
        return False  # unprefixed pages vary on the browser's language and the referrer
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def response_storable(request: HttpRequest, response: HttpResponse) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if len(response.content) > getattr(settings, "PAGE_CACHE_MAX_BYTES", 2_000_000):
        return False
    if any(name != settings.LANGUAGE_COOKIE_NAME for name in response.cookies):
        return False  # the CSRF cookie of a form, a session: this visitor's own
    vary = {item.strip().lower() for item in response.get("Vary", "").split(",") if item.strip()}
    if vary - {"cookie"}:
        return False
    directives = {
        part.split("=", 1)[0].strip().lower()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    }
    if directives & PRIVATE_DIRECTIVES:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def shared_cache_control(response: HttpResponse) -> None:
    patch_cache_control(
        response,
        public=True,
        max_age=getattr(settings, "PAGE_CACHE_MAX_AGE", 30),
        s_maxage=getattr(settings, "PAGE_CACHE_S_MAXAGE", 30),
        stale_while_revalidate=getattr(settings, "PAGE_CACHE_STALE_SECONDS", 30),
    )


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = page_cache_seconds()
        if seconds <= 0 or not request_cacheable(request):
            return self.get_response(request)
        try:
            key = store.entry_key(request, request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""))
        except DisallowedHost:
            return self.get_response(request)  # Django answers it with its 400
        entry, generations = store.lookup(key)
        cached = store.entry_current(entry, generations)
        if cached is not None:
            setattr(request, SHARED_ATTRIBUTE, True)
            cached["X-Page-Cache"] = "hit"
            return cached
        # Read before the page is rendered: a write committed meanwhile bumps past them.
        current = {
            scope: value if value is not None else store.generation_ensure(scope)
            for scope, value in generations.items()
        }
        setattr(request, GENERATIONS_ATTRIBUTE, current)
        response = self.get_response(request)
        if response_storable(request, response):
            shared_cache_control(response)
            setattr(request, SHARED_ATTRIBUTE, True)
            expires = getattr(request, EXPIRES_ATTRIBUTE, None)
            if expires is not None:
                seconds = max(1, min(seconds, int((expires - timezone.now()).total_seconds())))
            store.entry_set(key, getattr(request, GENERATIONS_ATTRIBUTE), response, seconds)
            response["X-Page-Cache"] = "miss"
        return response


def page_depends_on_debate(request: HttpRequest, translation_key: object) -> None:
    """This page shows one debate: it depends on the site and that debate's comments,
    not on every comment of every debate."""
    generations = getattr(request, GENERATIONS_ATTRIBUTE, None)
    if generations is None:
        return  # not a request the page cache handles
    scope = store.debate_scope(translation_key)
    generations.pop(store.SCOPE_COMMENTS, None)
    generations[scope] = store.generation_ensure(scope)


def page_cache_expire_by(request: HttpRequest, moment) -> None:
    """This page changes by itself at ``moment`` (a debate opening or closing)."""
    current = getattr(request, EXPIRES_ATTRIBUTE, None)
    setattr(request, EXPIRES_ATTRIBUTE, moment if current is None else min(current, moment))
