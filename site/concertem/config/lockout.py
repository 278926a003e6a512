"""What django-axes calls: the client's address, and the page a locked-out login gets.

The page is rendered in the active language: on the public login that is the language of
its URL (/ca/, /es/, /en/); on the admin logins, the one Django chose for the request.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' check, for logins that come with an HTTP request.

    Every login form passes its request to ``authenticate``; a call without one (a
    management command, the test client's ``login``) is not an attempt from the network,
    so there is no address to count and nothing to throttle.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: a forged X-Forwarded-For must not reset the count.
    return request.META.get("REMOTE_ADDR", "")


def cooloff_minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    minutes = cooloff_minutes()
    response = render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(minutes * 60)
    response["Cache-Control"] = "private, no-store"
    return response
