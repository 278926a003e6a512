from django.urls import path

from concertem.databank import admin_views

app_name = "databank_admin"

urlpatterns = [
    path("", admin_views.databank_index, name="index"),
    path("imports/<int:import_id>/", admin_views.import_detail, name="import"),
    path("imports/<int:import_id>/problems.csv", admin_views.import_problems_csv, name="problems"),
    path("imports/<int:import_id>/confirm/", admin_views.import_confirm, name="confirm"),
    path("imports/<int:import_id>/undo/", admin_views.import_undo_view, name="undo"),
]
