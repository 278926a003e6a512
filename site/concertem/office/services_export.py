"""The office's service catalogue as open data: ``office_services.csv`` and ``office_areas.csv``.

The columns are the Table Schemas of ``datasets.catalog.office_services`` (the catalogue's
``office-services`` dataset reads these files back), in their order. Everything comes from
the database as the site shows it — the services (withdrawn ones included, flagged), their
texts in ca/es/en, the area names in the three languages and each service's page — and
nothing personal. Files are written atomically, and only when their bytes change.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.conf import settings
from django.utils import translation

from concertem.office.export import export_dir
from concertem.office.models import Area, OfficePage, Service
from datasets.catalog.exports import schema_header
from datasets.catalog.office_services import (
    AREAS_CSV,
    AREAS_SCHEMA,
    LANGUAGES,
    SERVICES_CSV,
    SERVICES_SCHEMA,
)
from datasets.packaging import file_write_if_changed

CHANNEL_ONLINE = "online"


def _csv_text(schema: dict, rows: list[dict[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=schema_header(schema), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: ("true" if value else "false") if isinstance(value, bool) else value
                for key, value in row.items()
            }
        )
    return buffer.getvalue()


def _office_paths() -> dict[str, str]:
    """The absolute address of the office page in each language that has one."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    paths = {}
    for page in OfficePage.objects.live().select_related("locale"):
        language = page.locale.language_code[:2]
        parts = page.get_url_parts()
        if language in LANGUAGES and parts is not None and language not in paths:
            paths[language] = f"{base}{parts[2]}"
    return paths


def service_rows() -> list[dict[str, object]]:
    offices = _office_paths()
    rows = []
    for service in Service.objects.order_by("code"):
        row: dict[str, object] = {
            "code": service.code,
            "area": service.area,
            "kind": service.kind,
        }
        for field in ("title", "description", "eligible", "conditions"):
            row[f"{field}_ca"] = getattr(service, field)
            row[f"{field}_es"] = getattr(service, f"{field}_es")
            row[f"{field}_en"] = getattr(service, f"{field}_en")
        row.update(
            {
                "lead_time_days": service.lead_time_days,
                "active": service.active,
                "demo": service.is_demo,
                "channel": CHANNEL_ONLINE,
            }
        )
        for language in LANGUAGES:
            office = offices.get(language)
            row[f"url_{language}"] = f"{office}services/{service.code}/" if office else ""
        rows.append(row)
    return rows


def area_rows() -> list[dict[str, object]]:
    counts: dict[tuple[str, bool], int] = {}
    for area, active in Service.objects.values_list("area", "active"):
        counts[(area, active)] = counts.get((area, active), 0) + 1
    rows = []
    for code, label in sorted(Area.choices):
        row: dict[str, object] = {"area": code}
        for language in LANGUAGES:
            with translation.override(language):
                row[f"label_{language}"] = str(label)
        row["services_active"] = counts.get((code, True), 0)
        row["services_withdrawn"] = counts.get((code, False), 0)
        rows.append(row)
    return rows


def services_export(*, out_dir: Path | None = None) -> tuple[Path, Path]:
    """Write ``office_services.csv`` and ``office_areas.csv`` into ``out_dir`` (build/office/)."""
    out_dir = out_dir or export_dir()
    services_path, areas_path = out_dir / SERVICES_CSV, out_dir / AREAS_CSV
    file_write_if_changed(services_path, _csv_text(SERVICES_SCHEMA, service_rows()).encode())
    file_write_if_changed(areas_path, _csv_text(AREAS_SCHEMA, area_rows()).encode())
    return services_path, areas_path
