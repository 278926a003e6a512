"""Service metrics: the pure computation, the export, and the catalogue dataset."""

from __future__ import annotations

import csv
import datetime as dt
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from concertem.office.metrics import METRIC_FIELDS, RequestFact, metrics_compute, quantile

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _fact(area, comarca, state, answer_days=None, close_days=None):
    return RequestFact(
        area=area,
        comarca=comarca,
        state=state,
        created_at=T0,
        first_response_at=T0 + timedelta(days=answer_days) if answer_days is not None else None,
        closed_at=T0 + timedelta(days=close_days) if close_days is not None else None,
    )


def test_quantile_interpolates_between_ranks():
    values = [Decimal(v) for v in (1, 2, 3, 4, 10)]
    assert quantile(values, 0.5) == Decimal(3)
    assert quantile(values, 0.9) == Decimal("7.6")  # 4 + 0.6 * (10 - 4)
    assert quantile([Decimal(5)], 0.9) == Decimal(5)
    assert quantile([], 0.5) is None


def test_metrics_per_area_and_comarca():
    facts = [
        _fact("legal", "Osona", "resolved", 1, 10),
        _fact("legal", "Osona", "resolved", 3, 20),
        _fact("legal", "Bages", "declined", 2, 4),
        _fact("urbanism", "Bages", "waiting", 5),
        _fact("urbanism", "", "received"),
    ]
    rows = metrics_compute(
        facts,
        as_of=dt.date(2026, 2, 1),
        area_labels={"legal": "Legal", "urbanism": "Urbanism", "sports": "S"},
    )
    by_key = {(row.dimension, row.group_code): row for row in rows}
    total = by_key[("all", "all")]
    assert (total.requests, total.open, total.resolved, total.declined) == (5, 2, 2, 1)
    assert total.share_resolved == Decimal("0.400")
    assert total.first_answer_median_days == Decimal("2.5")  # of 1, 2, 3, 5
    assert total.first_answer_p90_days == Decimal("4.4")
    assert total.resolution_median_days == Decimal("15.0")  # resolved only: 10 and 20
    assert total.resolution_p90_days == Decimal("19.0")
    legal = by_key[("area", "legal")]
    assert (legal.group_label, legal.requests, legal.resolved) == ("Legal", 3, 2)
    assert by_key[("area", "sports")].requests == 0  # every area keeps its row
    assert by_key[("area", "sports")].share_resolved is None
    assert by_key[("comarca", "Osona")].share_resolved == Decimal("1.000")
    assert by_key[("comarca", "unknown")].requests == 1
    assert all(row.as_of == dt.date(2026, 2, 1) for row in rows)


def test_no_personal_data_in_the_columns():
    assert METRIC_FIELDS == (
        "dimension",
        "group_code",
        "group_label",
        "requests",
        "open",
        "resolved",
        "declined",
        "share_resolved",
        "first_answer_median_days",
        "first_answer_p90_days",
        "resolution_median_days",
        "resolution_p90_days",
        "as_of",
    )


def test_the_export_matches_the_catalogue_schema():
    from datasets.catalog import OFFICE_METRICS_SCHEMA

    assert [f["name"] for f in OFFICE_METRICS_SCHEMA["fields"]] == list(METRIC_FIELDS)


@pytest.mark.django_db
def test_export_updates_after_each_change_and_the_package_validates(
    people, catalogue, office_dirs, django_capture_on_commit_callbacks, tmp_path
):
    from concertem.office import services
    from datasets.catalog import (
        CatalogSourceMissingError,
        catalog_select,
        catalog_specs,
        office_metrics_path,
    )
    from datasets.packaging import package_build
    from datasets.validation import package_validate
    from datasets.versioning import VersionLedger
    from tests.office.factories import make_request

    path = office_metrics_path()
    assert path.is_relative_to(office_dirs)
    [spec] = catalog_select(catalog_specs(), ["office-metrics"])
    # Before any export the build refuses: an empty table must never replace real data.
    with pytest.raises(CatalogSourceMissingError):
        package_build(
            spec=spec,
            out_dir=tmp_path / "out",
            ledger=VersionLedger(tmp_path / "ledger.json"),
            today=dt.date(2026, 1, 1),
        )

    with django_capture_on_commit_callbacks(execute=True):
        request = make_request(people.official, service=catalogue.audit)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_resolve(
            user=people.agent, request=request, resolution="Done", outcome="service"
        )
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    total = rows[0]
    assert (total["dimension"], total["requests"], total["resolved"]) == ("all", "1", "1")
    assert total["share_resolved"] == "1.000"
    # One request in Osona: below the threshold, so pooled, never published on its own.
    assert not any(r["group_code"] == "Osona" for r in rows)
    other = next(r for r in rows if r["dimension"] == "comarca" and r["group_code"] == "other")
    assert other["requests"] == "1"
    schema = json.loads((path.parent / "office_metrics.schema.json").read_text())
    assert schema["primaryKey"] == ["dimension", "group_code"]
    text = path.read_text(encoding="utf-8")
    for secret in (people.official.email, people.official.get_full_name(), request.reference):
        assert secret not in text

    built = package_build(
        spec=spec,
        out_dir=tmp_path / "out2",
        ledger=VersionLedger(tmp_path / "ledger2.json"),
        today=dt.date(2026, 1, 2),
    )
    report = package_validate(built=built)
    assert report.valid, report.to_dict()
    assert report.rows == len(rows)


@pytest.mark.django_db
def test_metrics_page_and_downloads(client, office, people, catalogue):
    from tests.office.factories import make_request

    make_request(people.official, service=catalogue.audit)
    html = client.get(office.url + "metrics/").content.decode()
    assert "Osona" not in html  # one request: pooled below the threshold
    for _index in range(4):
        make_request(people.official, service=catalogue.audit)
    html = client.get(office.url + "metrics/").content.decode()
    assert "Osona" in html  # five: a row of its own
    csv_response = client.get("/office/data/office_metrics.csv")
    assert csv_response.status_code == 200
    assert csv_response.content.decode().startswith("dimension,group_code,")
    schema = client.get("/office/data/office_metrics.schema.json").json()
    assert schema["fields"][0]["name"] == "dimension"
