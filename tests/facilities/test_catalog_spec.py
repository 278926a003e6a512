"""The three catalogue entries build into Data Packages that validate (no CKAN involved)."""

from __future__ import annotations

import pytest

from datasets.execution.actions import actions_read_or_raise
from datasets.execution.demo import DEMO_PATH
from datasets.execution.export import actions_export
from datasets.packaging import package_build
from datasets.territory import entities_index, entities_load
from datasets.validation import package_validate
from datasets.versioning import VersionLedger


def build_and_validate(spec, tmp_path):
    built = package_build(
        spec=spec, out_dir=tmp_path / "packages", ledger=VersionLedger(tmp_path / "versions.json")
    )
    return built, package_validate(built=built)


def test_facilities_package_validates(tmp_path):
    from datasets.catalog.facilities import facilities_spec

    built, report = build_and_validate(facilities_spec(), tmp_path)
    assert report.issues == (), report.issues[:5]
    assert {resource.name for resource in built.resources} == {"facilities", "facilities_geojson"}


def test_cooperation_actions_package_reads_the_site_export(tmp_path, monkeypatch):
    from datasets.catalog.cooperation_actions import cooperation_actions_spec

    monkeypatch.setenv("CONCERTEM_BUILD_DIR", str(tmp_path / "build"))
    actions = actions_read_or_raise(DEMO_PATH, entities=entities_index(entities_load()))
    actions_export(actions, out_dir=tmp_path / "build" / "cooperation_actions")
    built, report = build_and_validate(cooperation_actions_spec(), tmp_path)
    assert report.issues == (), report.issues[:5]
    assert sum(resource.rows or 0 for resource in built.resources) > 76


@pytest.mark.django_db
def test_survey_results_package_reads_the_site_export(tmp_path, monkeypatch, demo_site):
    from django.core.management import call_command

    from concertem.surveys.demo import demo_surveys_load
    from datasets.catalog.survey_results import survey_results_spec

    demo_surveys_load(demo_site)
    monkeypatch.setenv("CONCERTEM_BUILD_DIR", str(tmp_path / "build"))
    call_command("export_survey_results", out=tmp_path / "build" / "survey_results")
    built, report = build_and_validate(survey_results_spec(), tmp_path)
    assert report.issues == (), report.issues[:5]
    assert all((resource.rows or 0) > 0 for resource in built.resources)
