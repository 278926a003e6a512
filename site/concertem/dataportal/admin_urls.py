from django.urls import path

from concertem.dataportal import admin_views

app_name = "dataportal_admin"

urlpatterns = [
    path("", admin_views.publish_index, name="publish-index"),
    path("<int:run_id>/", admin_views.publish_run_detail, name="publish-run"),
]


drafts_urlpatterns = [
    path("", admin_views.drafts_index, name="index"),
    path("<int:draft_id>/preview/", admin_views.draft_preview_view, name="preview"),
    path("<int:draft_id>/debate/", admin_views.draft_debate_open_view, name="open-debate"),
]
