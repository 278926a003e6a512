from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from concertem.config.api import api_router
from concertem.home import views as home_views

# Every route mounted here has a row in config/route_access.py (owner, who may use it,
# the test that proves it); tests/site/test_route_inventory.py fails on any that has not.
# Not mounted, on purpose: Django's admin (the Wagtail admin is the site's admin, and a
# second one edits comments and users past the debates' rules) and django-comments-xtd's
# URLs (confirm/mute unpickle a signed key; reply, the REST API and the like/flag views
# skip the debates' rules and name who liked). The debates post to their own routes.
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("concertem.dataportal.urls")),
    path("data/facilities/", include("concertem.facilities.urls")),
    path("api/v2/", api_router.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    # Debate actions are POST endpoints: no language prefix.
    path("debates/", include("debates.urls")),
    # The office's attachments, open data and e-mail preferences (its pages are Wagtail's).
    path("office/", include("concertem.office.urls")),
    # E-mail preferences and unsubscribe links (and their older addresses).
    path("", include("concertem.notifications.email_urls")),
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
    path("", include("concertem.notifications.urls")),  # notifications, my municipality / territory
    # Wagtail's page serving is the catch-all, so it comes last.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler400 = "concertem.home.views.bad_request"
handler403 = "concertem.home.views.permission_denied"
handler404 = "concertem.home.views.page_not_found"
handler500 = "concertem.home.views.server_error"
