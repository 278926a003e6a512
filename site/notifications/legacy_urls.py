"""Addresses the site used before the e-mails had one app, kept working: unsubscribe
links in e-mails already sent, and the older preference pages (now a redirect).
No language prefix, as they had none (config/urls.py includes this at the root)."""

from django.urls import path

from notifications import email_views

app_name = "notifications-legacy"

urlpatterns = [
    path(
        "debates/notifications/",
        email_views.email_preferences_redirect,
        name="debates-preferences",
    ),
    path("debates/unsubscribe/<str:token>/", email_views.unsubscribe, name="debates-unsubscribe"),
    path(
        "office/notifications/", email_views.email_preferences_redirect, name="office-preferences"
    ),
]
