from django.urls import path

from dataportal import admin_views

app_name = "dataportal_admin"

urlpatterns = [
    path("", admin_views.publish_index, name="publish-index"),
    path("<int:run_id>/", admin_views.publish_run_detail, name="publish-run"),
]
