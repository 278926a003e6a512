"""The e-mails' pages: preferences and unsubscribe links. No language prefix, as the
debates' and the office's preference pages had none: e-mails link here, and the page
takes the language of the page the person came from (concertem.config.language).

The older addresses stay: unsubscribe links in e-mails already sent are served as they
were, the older preference pages redirect to the one page.
"""

from django.urls import path

from concertem.notifications import email_views

app_name = "emails"

urlpatterns = [
    path("email-preferences/", email_views.email_preferences, name="preferences"),
    path("unsubscribe/<str:token>/", email_views.unsubscribe, name="unsubscribe"),
    path("debates/unsubscribe/<str:token>/", email_views.unsubscribe, name="debates-unsubscribe"),
    path(
        "debates/notifications/",
        email_views.email_preferences_redirect,
        name="debates-preferences",
    ),
    path(
        "office/notifications/", email_views.email_preferences_redirect, name="office-preferences"
    ),
]
