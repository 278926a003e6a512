from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.api import api_router
from debates import urls as debates_urls
from home import views as home_views

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("dataportal.urls")),
    path("data/facilities/", include("facilities.urls")),
    path("api/v2/", api_router.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    # Debate actions are POST endpoints: no language prefix. The overrides come before
    # django-comments-xtd so its flag/like URLs apply the debates' rules to debates.
    path("debates/", include("debates.urls")),
    *debates_urls.xtd_override_patterns,
    path("comments/", include("django_comments_xtd.urls")),
    # The office's attachments, open data and e-mail preferences (its pages are Wagtail's).
    path("office/", include("office.urls")),
    path("healthz", home_views.health, name="health"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Everything a visitor reads lives under a language prefix (/ca/, /es/, /en/).
urlpatterns += i18n_patterns(
    path("search/", home_views.search, name="search"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Wagtail's page serving is the catch-all, so it comes last.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler400 = "home.views.bad_request"
handler403 = "home.views.permission_denied"
handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
