from django.urls import path

from concertem.facilities import views

app_name = "facilities"

urlpatterns = [
    path("facilities.geojson", views.facilities_geojson_view, name="geojson"),
    path("facilities.csv", views.facilities_csv_view, name="csv"),
    path("boundaries.geojson", views.boundaries_view, name="boundaries"),
]
