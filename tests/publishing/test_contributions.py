"""The debate contributions dataset: read from the site's export, no personal data, and a
missing export that holds up nobody else."""

from __future__ import annotations

import json
import shutil

import pytest

from datasets.catalog import (
    CC_BY_4_0,
    CONTRIBUTIONS_CSV,
    CONTRIBUTIONS_SCHEMA,
    catalog_select,
    catalog_specs,
    debate_contributions_spec,
)
from datasets.packaging import catalog_build
from datasets.validation import package_validate
from datasets.validation_rules import PERSONAL_COLUMNS, references_from
from publishing.cli import main
from publishing.pipeline import catalog_publish
from tests.publishing.helpers import DATA, sdg_spec

ENTITIES = {"08055", "08113", "08279", "08298"}  # the entities of the demo export


@pytest.fixture
def site_build(tmp_path, monkeypatch):
    """The site's build folder (CONCERTEM_BUILD_DIR), with the demo export in it."""
    folder = tmp_path / "site-build"
    (folder / "contributions").mkdir(parents=True)
    shutil.copy(DATA / "debate_contributions.csv", folder / "contributions" / CONTRIBUTIONS_CSV)
    shutil.copy(
        DATA / "debate_contributions.schema.json", folder / "contributions" / CONTRIBUTIONS_SCHEMA
    )
    monkeypatch.setenv("CONCERTEM_BUILD_DIR", str(folder))
    return folder / "contributions"


def _build(tmp_path, specs, failures=None):
    return catalog_build(
        specs=specs,
        out_dir=tmp_path / "out",
        ledger_path=tmp_path / "ledger.json",
        failures=failures,
    )


def test_the_export_names_and_schema_are_the_debates_app_s():
    from debates.export import CSV_NAME, SCHEMA, SCHEMA_NAME

    assert (CONTRIBUTIONS_CSV, CONTRIBUTIONS_SCHEMA) == (CSV_NAME, SCHEMA_NAME)
    assert json.loads((DATA / "debate_contributions.schema.json").read_text()) == SCHEMA
    # No column of the export is meant for a person's identity.
    assert not {field["name"] for field in SCHEMA["fields"]} & PERSONAL_COLUMNS


def test_one_dataset_in_the_catalogue_described_in_three_languages():
    [spec] = catalog_select(catalog_specs(), ["debate-contributions"])
    assert spec.themes == ("GOVE",) and spec.licence == CC_BY_4_0
    for texts in (spec.title, spec.description, spec.resources[0].title):
        assert all(texts[lang].strip() for lang in ("ca", "es", "en"))
    assert {"no-personal-data", "entity-code-exists"} == {check.rule for check in spec.checks}


def test_the_export_is_packaged_and_valid(tmp_path, site_build):
    [built] = _build(tmp_path, [debate_contributions_spec()])
    resource = built.resource_get("debate_contributions")
    assert resource.file.read_bytes() == (site_build / CONTRIBUTIONS_CSV).read_bytes()
    assert resource.rows == 13 and resource.schema["primaryKey"] == ["comment_id"]
    report = package_validate(built=built, references=references_from({"entities": ENTITIES}))
    assert report.valid, report.issues


def test_an_e_mail_address_in_a_contribution_is_refused(tmp_path, site_build):
    shutil.copy(DATA / "debate_contributions_email.csv", site_build / CONTRIBUTIONS_CSV)
    [built] = _build(tmp_path, [debate_contributions_spec()])
    report = package_validate(built=built, references=references_from({"entities": ENTITIES}))
    assert not report.valid
    [issue] = report.issues
    assert (issue.file, issue.row, issue.column, issue.rule) == (
        f"data/{CONTRIBUTIONS_CSV}",
        6,
        "text",
        "no-personal-data",
    )
    assert "@" not in issue.message  # the report is published too: it must not repeat it


def test_a_personal_column_is_refused(tmp_path, site_build):
    path = site_build / CONTRIBUTIONS_CSV
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0] + ",email", *(line + "," for line in lines[1:])]) + "\n")
    [built] = _build(tmp_path, [debate_contributions_spec()])
    report = package_validate(built=built, references=references_from({"entities": ENTITIES}))
    assert ("no-personal-data", 1, "email") in {(i.rule, i.row, i.column) for i in report.issues}


def test_a_missing_export_says_how_to_produce_it_and_the_rest_is_built(tmp_path, monkeypatch):
    monkeypatch.setenv("CONCERTEM_BUILD_DIR", str(tmp_path / "no-export"))
    failures = {}
    built = _build(tmp_path, [sdg_spec(), debate_contributions_spec()], failures)
    assert [package.name for package in built] == ["mini-sdg"]
    error = failures["debate-contributions"]
    assert error.code == "catalog-source-missing"
    message = str(error)
    assert "python site/manage.py export_debate_contributions" in message
    assert str(tmp_path / "no-export" / "contributions" / CONTRIBUTIONS_CSV) in message
    # Without somewhere to put failures, the error is raised as before.
    with pytest.raises(type(error)):
        _build(tmp_path, [debate_contributions_spec()])


def test_a_missing_export_is_skipped_and_the_others_are_published(
    tmp_path, monkeypatch, fake_ckan, ckan_config
):
    monkeypatch.setenv("CONCERTEM_BUILD_DIR", str(tmp_path / "no-export"))
    report = catalog_publish(
        config=ckan_config,
        specs=[debate_contributions_spec(), sdg_spec()],
        gateway=fake_ckan,
        build_dir=tmp_path / "build",
        ledger_path=tmp_path / "ledger.json",
    )
    skipped, published = report.datasets
    assert (skipped.status, skipped.error_code) == ("skipped", "catalog-source-missing")
    assert "export_debate_contributions" in skipped.error
    assert published.status == "created" and not report.ok
    assert all(data.get("id") != "debate-contributions" for _, data in fake_ckan.calls)
    assert list(fake_ckan.packages) == ["mini-sdg"]


def test_cli_build_without_the_export_exits_1_and_builds_the_rest(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CONCERTEM_BUILD_DIR", str(tmp_path / "no-export"))
    args = ["--build-dir", str(tmp_path), "--ledger", str(tmp_path / "ledger.json")]
    only = ["--only", "sdg-framework", "--only", "debate-contributions"]
    assert main(["build", *args, *only]) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert "debate-contributions: not built (catalog-source-missing)" in out
    assert "export_debate_contributions" in out
    assert (tmp_path / "datapackages" / "sdg-framework" / "datapackage.json").exists()
    assert not (tmp_path / "datapackages" / "debate-contributions").exists()


def test_a_new_export_is_built_again(tmp_path, site_build):
    from datasets.fingerprint import FileDigests
    from datasets.packaging import BuildCache

    cache = BuildCache(tmp_path / "cache", files=FileDigests())

    def build():
        [built] = catalog_build(
            specs=[debate_contributions_spec()],
            out_dir=tmp_path / "out",
            ledger_path=tmp_path / "ledger.json",
            cache=cache,
        )
        return built

    assert build().change == "initial"
    assert build().change == "unchanged"
    path = site_build / CONTRIBUTIONS_CSV
    path.write_text(path.read_text().replace("cada dos anys.", "cada any."))
    again = build()
    assert (again.change, again.version) == ("minor", "1.1.0")
    assert "cada any." in again.resource_get("debate_contributions").file.read_text()
