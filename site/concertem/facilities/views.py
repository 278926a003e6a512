"""Language-neutral data endpoints of the facility map: GeoJSON, CSV, boundaries."""

from __future__ import annotations

import csv
import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from concertem.facilities import selectors
from datasets.facilities.register import FACILITY_FIELDS, facilities_geojson, facility_row


@require_GET
@cache_control(public=True, max_age=300)
def facilities_geojson_view(request: HttpRequest) -> HttpResponse:
    filters = selectors.FacilityFilters.from_query(request.GET)
    collection = facilities_geojson(selectors.facilities_filtered(filters))
    return HttpResponse(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")),
        content_type="application/geo+json; charset=utf-8",
    )


@require_GET
@cache_control(public=True, max_age=300)
def facilities_csv_view(request: HttpRequest) -> HttpResponse:
    filters = selectors.FacilityFilters.from_query(request.GET)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="facilities.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(FACILITY_FIELDS)
    rows = sorted(selectors.facilities_filtered(filters), key=lambda f: f.facility_id)
    writer.writerows(facility_row(facility) for facility in rows)
    return response


@require_GET
@cache_control(public=True, max_age=86400)
def boundaries_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        selectors.boundaries_json(), content_type="application/geo+json; charset=utf-8"
    )
