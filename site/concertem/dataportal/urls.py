from django.urls import path

from concertem.dataportal import views

app_name = "dataportal"

urlpatterns = [
    path("data/boundaries-08.geojson", views.boundaries, name="boundaries"),
    path("data/packages/<slug:name>/<path:file_path>", views.package_file, name="package-file"),
    path("api/v2/entities/", views.entities_api, name="entities-api"),
    path("api/v2/entities/<str:code>/", views.entity_api, name="entity-api"),
    path("api/v2/allocations/<slug:formula_id>/", views.allocation_api, name="allocation-api"),
]
