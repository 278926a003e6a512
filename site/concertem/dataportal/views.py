"""Plain views of the portal: the boundaries file and the JSON API."""

from __future__ import annotations

from decimal import Decimal

from django.http import FileResponse, HttpRequest, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from concertem.dataportal import portal_data
from concertem.dataportal.allocation_selectors import allocation_entity_context
from datasets.allocation.tables import contribution_field
from datasets.territory import entity_row


def _not_found(message: str) -> JsonResponse:
    # A JSON 404 rather than Http404: the locale middleware would turn an Http404 on
    # an unprefixed URL into a redirect to /ca/..., which an API client must not get.
    return JsonResponse({"error": "not_found", "message": message}, status=404)


def _json_number(value):
    return str(value) if isinstance(value, Decimal) else value


@require_GET
@cache_control(public=True, max_age=3600)
def boundaries(request: HttpRequest) -> FileResponse:
    path = portal_data.boundaries_path()
    return FileResponse(path.open("rb"), content_type="application/geo+json")


@require_GET
def package_file(request: HttpRequest, name: str, file_path: str):
    """A file of a built Data Package: only those its descriptor lists."""
    from concertem.dataportal.catalog_data import package_file as package_file_find

    path = package_file_find(name, file_path)
    if path is None:
        return _not_found(f"no file {file_path!r} in package {name!r}")
    content_types = {
        ".csv": "text/csv; charset=utf-8",
        ".json": "application/json",
        ".md": "text/markdown; charset=utf-8",
        ".geojson": "application/geo+json",
        ".toml": "application/toml",
    }
    response = FileResponse(path.open("rb"), content_type=content_types.get(path.suffix))
    response["Content-Disposition"] = f'inline; filename="{path.name}"'
    return response


@require_GET
def entities_api(request: HttpRequest) -> JsonResponse:
    territory = portal_data.territory()
    items = [entity_row(entity) for entity in territory.entities]
    return JsonResponse({"meta": {"total_count": len(items)}, "items": items})


@require_GET
def entity_api(request: HttpRequest, code: str) -> JsonResponse:
    entity = portal_data.territory().by_code.get(code)
    if entity is None:
        return _not_found(f"unknown entity code {code!r}")
    allocations = {}
    for formula_id in portal_data.formula_ids():
        context = allocation_entity_context(formula_id=formula_id, code=code)
        if context is None:
            continue
        row = context["row"]
        allocations[formula_id] = {
            "version": context["formula"].version,
            "status": row.status,
            "amount_eur": str(row.amount_eur),
            "per_capita_eur": _json_number(context["per_capita"]),
            "rank": row.rank,
            "minimum_eur": str(row.minimum_eur),
            "contributions_eur": {key: str(value) for key, value in row.contributions.items()},
        }
    return JsonResponse({"entity": entity_row(entity), "allocations": allocations})


@require_GET
def allocation_api(request: HttpRequest, formula_id: str) -> JsonResponse:
    if formula_id not in portal_data.formula_ids():
        return _not_found(f"unknown formula {formula_id!r}")
    allocation = portal_data.allocation(formula_id)
    items = [
        {
            "entity_code": row.entity_code,
            "name": row.entity.name,
            "status": row.status,
            "amount_eur": str(row.amount_eur),
            "per_capita_eur": _json_number(allocation.per_capita.get(row.entity_code)),
            "rank": row.rank,
            # As allocations.csv publishes them: each to the cent, so that the fixed amount,
            # the minimum, the contributions, the adjustment and the rounding add up to
            # amount_eur.
            "fixed_eur": str(allocation.published[row.entity_code]["fixed_eur"]),
            "minimum_eur": str(allocation.published[row.entity_code]["minimum_eur"]),
            "contributions_eur": {
                key: str(allocation.published[row.entity_code][contribution_field(key)])
                for key in row.contributions
            },
            "adjustment_eur": str(allocation.published[row.entity_code]["adjustment_eur"]),
            "rounding_eur": str(allocation.published[row.entity_code]["rounding_eur"]),
        }
        for row in allocation.result.rows
    ]
    summary = {key: _json_number(value) for key, value in allocation.summary.as_dict().items()}
    return JsonResponse(
        {
            "formula": {
                "id": formula_id,
                "version": allocation.formula.version,
                "title": allocation.formula.title,
            },
            "summary": summary,
            "meta": {"total_count": len(items)},
            "items": items,
        }
    )
