"""The site's URLs plus the uploaded media, for journeys (DEBUG is off in tests, and
production serves media from the web server, which a live test server does not have)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from concertem.config.urls import *  # noqa: F403
from concertem.config.urls import urlpatterns as site_urlpatterns


def media_serve(request, path):
    # MEDIA_ROOT is per test (tests/conftest.py), so it is read at request time.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", media_serve), *site_urlpatterns]
