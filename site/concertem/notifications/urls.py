"""Under the language prefix (config/urls.py): pages people read, in their language."""

from django.urls import path

from concertem.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read-all/", views.notifications_mark_all_read, name="read-all"),
    path("notifications/<int:notification_id>/", views.notification_open, name="open"),
    path("notifications/<int:notification_id>/read/", views.notification_mark_read, name="read"),
    path("my-municipality/", views.my_municipality, name="my-municipality"),
    path("my-territory/", views.my_territory, name="my-territory"),
]
