"""Test runs: fast hashing, in-memory cache and mail, plain static storage."""

from concertem.config.settings.base import *  # noqa: F403
from concertem.config.settings.base import STORAGES
from concertem.config.settings.env import salt_derive

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
COMMENTS_XTD_SALT = salt_derive(SECRET_KEY, "comments-xtd", "DJANGO_COMMENTS_SALT")
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
# Off: tests that write through the ORM's bulk paths then read a page expect it fresh;
# tests/site/test_page_cache.py turns it on.
PAGE_CACHE_SECONDS = 0
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Static files come from the app folders through the staticfiles finders here;
# WhiteNoise (production) serves the collected copy.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
