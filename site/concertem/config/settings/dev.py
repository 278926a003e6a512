"""Local development: DEBUG on, a key of this checkout's own, plain HTTP on loopback."""

from concertem.config.settings.base import *  # noqa: F403
from concertem.config.settings.base import CONCERTEM_BUILD_DIR, STORAGES, VAR_DIR  # noqa: F401
from concertem.config.settings.env import (
    env_bool,
    env_int,
    env_list,
    env_str,
    salt_derive,
    secret_key_load,
)

DEBUG = env_bool("DJANGO_DEBUG", True)
# Random per checkout (var/secret_key), so a demo put on a network does not sign with a
# key published in the repository.
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or secret_key_load(VAR_DIR / "secret_key")
COMMENTS_XTD_SALT = salt_derive(SECRET_KEY, "comments-xtd", "DJANGO_COMMENTS_SALT")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
SESSION_COOKIE_SECURE = False
# Off while developing: a template edited on disk invalidates nothing.
PAGE_CACHE_SECONDS = env_int("CONCERTEM_PAGE_CACHE_SECONDS", 0)
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files come from the app folders through the staticfiles finders here;
# WhiteNoise (production) serves the collected copy.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
