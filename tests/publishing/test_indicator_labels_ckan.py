"""An open-data user downloads the indicators from CKAN and turns the codes into labels: the
category of each categorical value, in ca/es/en, the order of the ordinal scale, and each
declared breakdown value. The data comes from the data bank (the site's database) through its
export, as ``export_open_data`` hands it to the build; a re-publish of the same data is one
CKAN read and nothing uploaded. Once with the recording fake CKAN (the files uploaded), once
against the REAL local CKAN downloading anonymously (integration)."""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest
import requests
from django.core.management import call_command

from datasets.catalog.indicators import indicators_spec
from publishing.mapping import TABLE_SCHEMA_URI
from publishing.pipeline import catalog_publish
from tests.ckan_fixtures import ckan_server_config
from tests.dataportal.category_fixtures import (
    BARCELONA,
    ENERGY,
    ENERGY_VALUES,
    RISK,
    RISK_BY_SEASON,
    RISK_LABELS,
    RISK_VALUES,
    SEASON,
    SOURCE,
    VIC,
    categorical_indicators_create,
)

pytestmark = pytest.mark.django_db

LANGS = ("ca", "es", "en")


@pytest.fixture
def prefix(ckan_client):
    value = f"lb{uuid.uuid4().hex[:8]}-"
    yield value
    found = ckan_client.action.package_search(q=f"name:{value}*", rows=100, include_private=True)
    for package in found["results"]:
        if package["name"].startswith(value):
            ckan_client.action.dataset_purge(id=package["id"])


def _bank_export(tmp_path, monkeypatch, settings):
    """The data bank with an ordinal indicator (by season too) and an energy indicator broken
    down by a declared dimension, exported where the build reads it."""
    build = tmp_path / "build"
    monkeypatch.setenv("CONCERTEM_BUILD_DIR", str(build))
    settings.CONCERTEM_BUILD_DIR = build
    categorical_indicators_create()
    call_command("databank_export", stdout=io.StringIO())
    return build


def _publish(tmp_path, build, config, **kwargs):
    return catalog_publish(
        config=config,
        specs=[indicators_spec()],
        build_dir=build,
        ledger_path=tmp_path / "ledger.json",
        **kwargs,
    )


def _labels_joined(download) -> None:
    """What a downloader does with the files: ``download(name)`` gives a resource's rows."""
    # ---- Categorical values: code -> label in each language, scale in declared order ----
    categories = {
        (row["indicator_code"], row["category_code"]): row
        for row in download("indicator_categories")
    }
    values = download("indicator_category_values")
    latest = {
        row["entity_code"]: categories[(row["indicator_code"], row["category_code"])]
        for row in values
        if row["indicator_code"] == RISK and row["year"] == "2023" and row["disaggregation"] == "_T"
    }
    assert len(latest) == len(RISK_VALUES[2023])
    for entity, code in RISK_VALUES[2023].items():
        assert tuple(latest[entity][f"label_{lang}"] for lang in LANGS) == tuple(
            RISK_LABELS[code][lang] for lang in LANGS
        ), entity
    assert latest[VIC]["label_en"] == "High" and latest[VIC]["label_ca"] == "Alta"
    scale = sorted(
        (row for (code, _), row in categories.items() if code == RISK),
        key=lambda row: int(row["position"]),
    )
    assert [row["label_ca"] for row in scale] == ["Baixa", "Mitja", "Alta"]

    # ---- Breakdowns by a declared dimension: season=..., energy_source=... ----
    dimension_values = {
        (row["indicator_code"], f"{row['dimension']}={row['value_code']}"): row
        for row in download("indicator_dimension_values")
    }
    by_season = {
        (row["entity_code"], dimension_values[(RISK, row["disaggregation"])]["label_en"]): (
            categories[(RISK, row["category_code"])]["label_en"]
        )
        for row in values
        if row["indicator_code"] == RISK and row["disaggregation"].startswith("season=")
    }
    assert by_season[(VIC, "Summer")] == "High" and by_season[(VIC, "Winter")] == "Low"
    assert len(by_season) == len(RISK_BY_SEASON)
    season = dimension_values[(RISK, "season=season_winter")]
    assert (season["dimension_label_es"], season["label_es"], season["position"]) == (
        SEASON["labels"]["es"],
        "Invierno",
        "1",  # declared first
    )
    energy = {
        dimension_values[(ENERGY, row["disaggregation"])]["label_ca"]: row["value"]
        for row in download("indicator_values")
        if row["indicator_code"] == ENERGY
        and row["entity_code"] == BARCELONA
        and row["disaggregation"] != "_T"
    }
    assert energy == {
        "Electricitat": ENERGY_VALUES[(BARCELONA, "src_electricity")],
        "Gas natural": ENERGY_VALUES[(BARCELONA, "src_natural_gas")],
    }
    assert (
        SOURCE["labels"]["en"]
        == (dimension_values[(ENERGY, "energy_source=src_electricity")]["dimension_label_en"])
    )


def _dcat_distributions(report) -> dict[str, dict]:
    graph = json.loads(report.dcat_path.read_text(encoding="utf-8"))
    return {
        item["@id"].rsplit("#", 1)[-1]: item
        for item in _walk(graph)
        if item.get("@type") == "dcat:Distribution"
    }


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_published_files_join_codes_to_labels_and_republish_uploads_nothing(
    tmp_path, monkeypatch, settings, fake_ckan, ckan_config
):
    build = _bank_export(tmp_path, monkeypatch, settings)
    uploaded: dict[str, bytes] = {}
    call = fake_ckan.call

    def recording_call(action, data=None, *, what, upload=None, recover=None):
        if upload is not None and data and data.get("name"):
            uploaded[data["name"]] = upload.read_bytes()
        return call(action, data, what=what, upload=upload, recover=recover)

    fake_ckan.call = recording_call
    first = _publish(tmp_path, build, ckan_config, gateway=fake_ckan)
    assert first.ok, [(r.status, r.error) for r in first.datasets]
    assert {"indicator_categories", "indicator_category_values", "indicator_dimension_values"} <= (
        set(uploaded)
    )
    _labels_joined(lambda name: _csv_rows(uploaded[name]))

    # The build's DCAT names each new file as a distribution, in three languages.
    resources = fake_ckan.packages["territorial-indicators"]["resources"]
    urls = {resource["name"]: resource["url"] for resource in resources}
    distribution = _dcat_distributions(first)["indicator_categories"]
    assert distribution["dcat:downloadURL"]["@id"] == urls["indicator_categories"]
    assert {t["@language"] for t in distribution["dct:title"]} == set(LANGS)
    assert distribution["dct:conformsTo"]["@id"] == TABLE_SCHEMA_URI

    fake_ckan.reset()
    again = _publish(tmp_path, build, ckan_config, gateway=fake_ckan)
    assert [r.status for r in again.datasets] == ["unchanged"]
    assert len(fake_ckan.actions()) == 1 and again.stats.bytes_uploaded == 0


@pytest.mark.integration
def test_anonymous_downloader_joins_codes_to_labels_from_ckan(
    tmp_path, monkeypatch, settings, ckan_server, ckan_client, prefix
):
    build = _bank_export(tmp_path, monkeypatch, settings)
    config = ckan_server_config(ckan_server, prefix, timeout=180)
    first = _publish(tmp_path, build, config)
    assert first.ok, [(r.status, r.error) for r in first.datasets]

    anonymous = requests.get(
        f"{ckan_server.url}/api/3/action/package_show",
        params={"id": f"{prefix}territorial-indicators"},
        timeout=30,
    ).json()["result"]
    urls = {resource["name"]: resource["url"] for resource in anonymous["resources"]}
    # no API key: what anyone downloads
    _labels_joined(lambda name: _csv_rows(requests.get(urls[name], timeout=60).content))
    distribution = _dcat_distributions(first)["indicator_categories"]
    assert distribution["dcat:downloadURL"]["@id"] == urls["indicator_categories"]

    # Nothing changed: one CKAN read, nothing uploaded.
    again = _publish(tmp_path, build, config)
    assert [r.status for r in again.datasets] == ["unchanged"]
    assert again.stats.calls == again.stats.reads == 1
    assert again.stats.bytes_uploaded == 0


def _walk(node):
    """Every JSON object of a JSON-LD document, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)
