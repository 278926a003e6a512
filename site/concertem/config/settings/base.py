"""Settings shared by every environment.

Everything that differs between machines comes from environment variables, and
every default here is the safe one: DEBUG off, no secret key, no hosts allowed.
`dev.py` and `test.py` relax that for local work; `production.py` insists on it.
"""

from __future__ import annotations

import zoneinfo
from datetime import timedelta
from pathlib import Path

import dj_database_url

from concertem.config.settings.env import (
    caches_build,
    env_bool,
    env_int,
    env_list,
    env_str,
    media_storage_build,
    salt_derive,
)
from datasets.catalog.paths import build_dir

SITE_DIR = Path(__file__).resolve().parents[3]  # the `site/` folder
REPO_DIR = SITE_DIR.parent
VAR_DIR = Path(env_str("CONCERTEM_VAR_DIR", str(REPO_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# ---- Applications ----
INSTALLED_APPS = [
    # Local
    "concertem.home",
    "concertem.dataportal",
    "debates",
    "concertem.facilities",
    "concertem.surveys",
    "concertem.cooperation",
    "concertem.office",
    "concertem.notifications",
    "concertem.common",
    "concertem.pagecache",
    "concertem.databank",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    # Third party: comments-xtd must come before contrib-comments (it overrides templates)
    "django_comments_xtd",
    "django_comments",
    "django_tasks",
    "django_tasks_db",
    # Login throttling on every login form (public, Wagtail admin, Django admin).
    "axes",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database that is down or locked answers 503 (see config/middleware.py).
    "concertem.config.middleware.DatabaseUnavailableMiddleware",
    # Anything that depends on who asks is never stored by a shared cache; above the
    # session middleware, so it sees the `Vary: Cookie` that one adds.
    "concertem.config.middleware.PrivateCacheMiddleware",
    # Whole pages for anonymous readers from the shared cache (pagecache/middleware.py):
    # inside the private-cache middleware, above everything a hit can skip.
    "concertem.pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "concertem.config.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "concertem.config.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # The site's own 400/403/404 pages under DEBUG too (Django shows technical ones).
    "concertem.home.errors.ErrorPagesMiddleware",
    # Last, so it turns a lockout raised by any login view into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "concertem.config.urls"
WSGI_APPLICATION = "concertem.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "concertem.dataportal.context_processors.portal",
            ],
        },
    },
]

# ---- Database ----
# SQLite is the embedded default; production sets DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite keeps no persistent connections worth pooling; WAL lets the
    # background worker write while the site reads.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            # Seconds a request waits for a write lock before giving up with a 503.
            "timeout": env_int("DJANGO_SQLITE_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis when DJANGO_CACHE_URL is set (needed as soon as two processes serve the site), else
# each process's own memory.
CACHES = caches_build(env_str("DJANGO_CACHE_URL"))
# Anonymous readers' pages kept whole in that cache (pagecache/), invalidated by every
# write they show; 0 turns it off. The server keeps a page at most PAGE_CACHE_SECONDS (a
# debate no longer than until it opens or closes); front caches (Varnish, a CDN) are told
# s-maxage, browsers max-age, and both may serve a stale copy while refreshing it.
PAGE_CACHE_SECONDS = env_int("CONCERTEM_PAGE_CACHE_SECONDS", 300)
PAGE_CACHE_MAX_AGE = env_int("CONCERTEM_PAGE_CACHE_MAX_AGE", 30)
PAGE_CACHE_S_MAXAGE = env_int("CONCERTEM_PAGE_CACHE_S_MAXAGE", 30)
PAGE_CACHE_STALE_SECONDS = env_int("CONCERTEM_PAGE_CACHE_STALE_SECONDS", 30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes first: it refuses a locked-out client before any password is checked.
AUTHENTICATION_BACKENDS = [
    "concertem.config.lockout.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# A form that fails the CSRF check gets the site's translated 403 page, not Django's.
CSRF_FAILURE_VIEW = "concertem.home.views.csrf_failure"

# ---- Languages ----
# Catalan is the default language of the interface and of the content.
LANGUAGE_CODE = "ca"
LANGUAGES = [
    ("ca", "Català"),
    ("es", "Español"),
    ("en", "English"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True
LOCALE_PATHS = [SITE_DIR / "locale"]
# One number format per language: see config/formats/es/formats.py.
FORMAT_MODULE_PATH = ["concertem.config.formats"]
TIME_ZONE = "Europe/Madrid"
# The zones an editor may pick in the admin's account settings: Area/Location names and UTC.
# Wagtail's default lists every name of the system's tz database, and on Debian that includes
# "localtime" and "Factory", which the browser's Intl API refuses (a console RangeError on the
# account page).
WAGTAIL_USER_TIME_ZONES = [
    "UTC",
    *sorted(
        zone
        for zone in zoneinfo.available_timezones()
        if "/" in zone and not zone.startswith(("posix/", "right/", "Etc/"))
    ),
]
USE_I18N = True
USE_TZ = True

# ---- Static and media ----
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
# Public media, except Wagtail documents: those go to the private root (config/storage.py).
STORAGES = {
    # MEDIA_ROOT on disk (shared by the nodes), or an S3-compatible store: see env.py.
    "default": media_storage_build(env_str("CONCERTEM_MEDIA_STORAGE")),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# ---- Security (safe by default; dev.py relaxes) ----
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
# The language a person reads in, remembered for pages without a prefix (config/language.py).
LANGUAGE_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_TLS_PROXY", False) else None
)

# ---- Login throttling (django-axes) ----
# Failures are counted per network address and per (user name, address): after the limit,
# every login form (public, Wagtail admin, Django admin) refuses even the right password
# until the cool-off has passed. Per address rather than per user name alone, so nobody can
# lock a real official out by typing their name from elsewhere.
AXES_FAILURE_LIMIT = env_int("CONCERTEM_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CONCERTEM_LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
# REMOTE_ADDR only (X-Forwarded-For is forged by any script); behind a proxy, the proxy
# sets REMOTE_ADDR (gunicorn --forwarded-allow-ips), as for the survey's address marks.
AXES_CLIENT_IP_CALLABLE = "concertem.config.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "concertem.config.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLE_ADMIN = False
# Failures are what throttling needs; a log of every successful login (address, browser)
# would be personal data kept for nothing.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# ---- REST framework (the comment API) ----
# Session authentication only: no Basic auth, which would be a password oracle that
# the login throttling does not see.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
}

# ---- E-mail ----
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Concertem <noreply@diba.cat>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ---- Wagtail ----
WAGTAIL_SITE_NAME = "Concertem en xarxa"
# No avatars from gravatar.com: it would leak editors' hashed e-mails to a third party,
# and the admin must work with no internet.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = env_str("DJANGO_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 500

# ---- Comments (django-comments-xtd) ----
SITE_ID = 1
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MAX_THREAD_LEVEL = 3
COMMENTS_XTD_CONFIRM_EMAIL = False
# Per deployment: DJANGO_COMMENTS_SALT, or derived from the secret key (dev.py and test.py
# derive it again from theirs). Never a string shared by every copy of the code.
COMMENTS_XTD_SALT = salt_derive(SECRET_KEY, "comments-xtd", "DJANGO_COMMENTS_SALT")
COMMENTS_XTD_FROM_EMAIL = DEFAULT_FROM_EMAIL
COMMENTS_XTD_CONTACT_EMAIL = DEFAULT_FROM_EMAIL
COMMENTS_XTD_APP_MODEL_OPTIONS = {
    "default": {
        "allow_flagging": True,
        "allow_feedback": True,
        "show_feedback": True,
        "who_can_post": "users",
    }
}

# ---- Background tasks ----
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# ---- The data pipeline ----
CONCERTEM_BUILD_DIR = build_dir()
CKAN_PUBLIC_URL = env_str("CKAN_PUBLIC_URL", env_str("CKAN_URL", ""))
# Provinces whose entities get portal pages (comma-separated INE codes); "*" = all.
CONCERTEM_PORTAL_PROVINCES = (
    None
    if env_str("CONCERTEM_PORTAL_PROVINCES", "08") == "*"
    else tuple(env_list("CONCERTEM_PORTAL_PROVINCES", ["08"]))
)
# Base-map tiles. Empty by default: maps draw the boundaries alone, so the site works
# with no internet. Example: https://tile.openstreetmap.org/{z}/{x}/{y}.png plus its
# origin (https://tile.openstreetmap.org) for the Content-Security-Policy.
CONCERTEM_MAP_TILES_URL = env_str("CONCERTEM_MAP_TILES_URL", "")
CONCERTEM_MAP_TILES_ORIGIN = env_str("CONCERTEM_MAP_TILES_ORIGIN", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}

# ---- Debates ----
# Comments per user and time window (count, seconds), the window to edit one's own
# comment, and the province whose entities take part (INE province code).
DEBATES_COMMENT_RATE_LIMIT = (
    env_int("DEBATES_COMMENT_RATE_COUNT", 5),
    env_int("DEBATES_COMMENT_RATE_SECONDS", 60),
)
DEBATES_COMMENT_EDIT_MINUTES = env_int("DEBATES_COMMENT_EDIT_MINUTES", 15)
DEBATES_PROVINCE_CODE = env_str("DEBATES_PROVINCE_CODE", "08")
COMMENT_MAX_LENGTH = env_int("DEBATES_COMMENT_MAX_LENGTH", 3000)
# What the debates take from the site without importing it (site -> debates): the shared
# content blocks of a debate's body, and the demo's home pages and editor.
DEBATES_CONTENT_STREAM_BLOCK = "concertem.common.blocks.BaseStreamBlock"
DEBATES_DEMO_SITE_LOADER = "concertem.home.demo_content.demo_site_load"
DEBATES_DEMO_EDITOR = "editor"

# ---- Office for attention to municipalities ----
# Attachments live outside MEDIA_ROOT and STATIC_ROOT, served only through a checked view.
OFFICE_PRIVATE_ROOT = Path(env_str("OFFICE_PRIVATE_ROOT", str(VAR_DIR / "private")))
OFFICE_ATTACHMENT_MAX_BYTES = env_int("OFFICE_ATTACHMENT_MAX_MB", 10) * 1024 * 1024
# How private files leave the server once a view has checked who asks: empty = Django
# streams them; a prefix such as /_private/ = nginx serves them from an internal location
# (X-Accel-Redirect; see README, "Private files"). Wagtail's document view does the same.
PRIVATE_FILES_ACCEL_PREFIX = env_str("CONCERTEM_PRIVATE_ACCEL_PREFIX", "")
SENDFILE_BACKEND = "concertem.common.private_files"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# The published metrics give no comarca of its own below this many requests (pooled).
OFFICE_METRICS_MIN_REQUESTS = env_int("OFFICE_METRICS_MIN_REQUESTS", 5)
# A request with no activity for this many days reminds whoever holds the ball.
OFFICE_IDLE_REMINDER_DAYS = env_int("OFFICE_IDLE_REMINDER_DAYS", 5)
