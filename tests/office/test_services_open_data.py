"""The office's service catalogue published as open data: the export, the catalogue entry,
its Table Schemas, validation, and `export_open_data` running it with the others."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command

from datasets.catalog import CatalogSourceMissingError, catalog_select, catalog_specs
from datasets.catalog.exports import schema_header as header_of
from datasets.catalog.office_services import AREAS_SCHEMA, SERVICES_SCHEMA
from datasets.packaging import package_build
from datasets.validation import package_validate
from datasets.versioning import SITE_DATASETS, VersionLedger
from tests.ckan_fixtures import ckan_server_config


def _build(tmp_path, name: str):
    [spec] = catalog_select(catalog_specs(), ["office-services"])
    return package_build(
        spec=spec,
        out_dir=tmp_path / name,
        ledger=VersionLedger(tmp_path / f"{name}.json"),
        today=dt.date(2026, 1, 1),
    )


def _rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.django_db
def test_the_catalogue_is_exported_as_the_site_shows_it_and_validates(
    office, catalogue, office_dirs, tmp_path
):
    from concertem.office.models import Area, Service
    from concertem.office.services_export import services_export

    # Before the first export the build refuses: never an empty catalogue on the portal.
    with pytest.raises(CatalogSourceMissingError, match="export_office_services"):
        _build(tmp_path, "before")

    services_path, areas_path = services_export()
    assert services_path.parent == office_dirs / "build" / "office"
    services = _rows(services_path)
    assert [row["code"] for row in services] == sorted(s.code for s in Service.objects.all())
    assert list(services[0]) == list(header_of(SERVICES_SCHEMA))
    audit = next(row for row in services if row["code"] == "ENE-01")
    assert (audit["area"], audit["kind"], audit["active"]) == ("environment", "technical", "true")
    assert audit["title_ca"] == "Auditoria energètica"
    assert audit["title_en"] == "Auditoria energètica (en)"
    assert audit["channel"] == "online"
    # Each language's office page, then the service's own page.
    assert audit["url_ca"].startswith("http") and audit["url_ca"].endswith("/services/ENE-01/")
    assert {audit["url_ca"], audit["url_es"], audit["url_en"]} - {""}
    withdrawn = next(row for row in services if row["code"] == "DIG-03")
    assert withdrawn["active"] == "false"

    areas = {row["area"]: row for row in _rows(areas_path)}
    assert set(areas) == set(Area.values)
    assert areas["environment"]["label_en"] == "Environment and energy"
    assert areas["environment"]["label_ca"] != areas["environment"]["label_en"]
    assert (areas["digital"]["services_active"], areas["digital"]["services_withdrawn"]) == (
        "0",
        "1",
    )

    built = _build(tmp_path, "after")
    report = package_validate(built=built)
    assert report.valid, report.to_dict()
    assert [r.name for r in built.resources] == ["office_services", "office_areas"]
    assert built.resource_get("office_services").rows == 3


@pytest.mark.django_db
def test_a_change_on_the_site_reaches_the_next_export(office, catalogue, office_dirs):
    from concertem.office.services_export import services_export

    services_path, _ = services_export()
    before = services_path.read_bytes()
    services_export()
    assert services_path.read_bytes() == before  # unchanged catalogue: same bytes

    catalogue.audit.title_es = "Auditoría energética"
    catalogue.audit.save()
    services_export()
    audit = next(row for row in _rows(services_path) if row["code"] == "ENE-01")
    assert audit["title_es"] == "Auditoría energética"


@pytest.mark.django_db
def test_export_open_data_exports_the_service_catalogue_with_the_others(
    office, catalogue, office_dirs
):
    call_command("export_open_data", stdout=io.StringIO())
    folder = office_dirs / "build" / "office"
    assert (folder / "office_services.csv").is_file()
    assert (folder / "office_areas.csv").is_file()
    assert (folder / "office_metrics.csv").is_file()


def test_the_dataset_is_versioned_with_the_sites_own():
    assert "office-services" in SITE_DATASETS
    assert [f["name"] for f in AREAS_SCHEMA["fields"]][:4] == [
        "area",
        "label_ca",
        "label_es",
        "label_en",
    ]


@pytest.mark.integration
@pytest.mark.django_db
def test_the_service_catalogue_reaches_ckan(office, catalogue, office_dirs, ckan_server):
    import uuid

    import ckanapi

    from concertem.office.services_export import services_export
    from publishing.pipeline import catalog_publish

    services_export()
    [spec] = catalog_select(catalog_specs(), ["office-services"])
    prefix = f"os{uuid.uuid4().hex[:8]}-"
    config = ckan_server_config(ckan_server, prefix)
    with ckanapi.RemoteCKAN(ckan_server.url, apikey=ckan_server.api_key) as client:
        try:
            report = catalog_publish(
                config=config,
                specs=[spec],
                build_dir=office_dirs / "publish",
                ledger_path=office_dirs / "ledger.json",
            )
            assert report.ok, [result.error for result in report.datasets]
            package = client.action.package_show(id=f"{prefix}office-services")
            names = [resource["name"] for resource in package["resources"]]
            assert names[:2] == ["office_services", "office_areas"]
            assert "changelog" in names
            rows = client.action.datastore_search(resource_id=package["resources"][0]["id"])
            assert rows["total"] == 3
            # Published again unchanged: nothing is uploaded.
            again = catalog_publish(
                config=config,
                specs=[spec],
                build_dir=office_dirs / "publish",
                ledger_path=office_dirs / "ledger.json",
            )
            assert [r.status for r in again.datasets] == ["unchanged"]
            assert again.stats.bytes_uploaded == 0
        finally:
            client.action.dataset_purge(id=f"{prefix}office-services")
