"""Dataset pages written for people: checksums, rules in words, Markdown rendered, a preview box."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(settings, tmp_path_factory):
    from datasets.catalog import catalog_specs
    from datasets.packaging import package_build
    from datasets.versioning import VersionLedger

    build_dir = tmp_path_factory.getbasetemp() / "dataset-pages-build"
    if not (build_dir / "datapackages" / "allocation-pgi-2024-2027").exists():
        ledger = VersionLedger(build_dir / "versions.json")
        for spec in catalog_specs():
            if spec.name in ("territory", "allocation-pgi-2024-2027"):
                package_build(spec=spec, out_dir=build_dir / "datapackages", ledger=ledger)
    settings.CONCERTEM_BUILD_DIR = build_dir
    return build_dir


def test_checksum_is_shown_once_without_its_prefix(client, portal_site, built):
    html = client.get("/en/data/territory/").content.decode()
    assert "sha256: sha256:" not in html and "<code>sha256:" not in html
    checksums = re.findall(r'class="meta checksum">[^<]*<code>([0-9a-f]+)</code>', html)
    assert checksums and all(len(value) == 64 for value in checksums)


@pytest.mark.parametrize(
    ("url", "rules", "kind"),
    [
        ("/en/data/allocation-pgi-2024-2027/", "required; one of: formula, excluded", "text"),
        ("/ca/dades/allocation-pgi-2024-2027/", "obligatori; un de: formula, excluded", "text"),
        ("/es/datos/allocation-pgi-2024-2027/", "obligatorio; uno de: formula, excluded", "texto"),
    ],
)
def test_field_rules_read_as_words_in_each_language(client, portal_site, built, url, rules, kind):
    html = client.get(url).content.decode()
    assert "required=True" not in html and "enum=[" not in html and "minimum=" not in html
    assert f"<td>{rules}</td>" in html
    status_row = re.search(r"<code>status</code>.*?</tr>", html, re.S)[0]
    assert f"<td>{kind}</td>" in status_row
    # A lower bound is said in the page's number format.
    assert {"en": "at least 0", "ca": "com a mínim 0", "es": "como mínimo 0"}[url[1:3]] in html


def test_recipe_and_changelog_are_rendered_markdown_not_raw(client, portal_site, built):
    html = client.get("/en/data/allocation-pgi-2024-2027/").content.decode()
    recipe = re.search(r'<div class="prose document">(.*?)</div>', html, re.S)[1]
    assert "<code>" in recipe and "`" not in recipe  # `concertem allocate` is code, not backticks
    changelog = re.search(
        r'<div class="prose document changelog" lang="en">(.*?)</div>', html, re.S
    )[1]
    assert "## " not in changelog and "<h4>" in changelog and "<li>" in changelog


def test_markdown_is_sanitised(portal_site):
    from django.template import Context, Template

    rendered = Template("{% load portal_tags %}{{ text|markdown_document }}").render(
        Context({"text": "# T\n\n<script>alert(1)</script> [x](javascript:alert(1)) **b**"})
    )
    assert "<script" not in rendered and "javascript:" not in rendered
    assert "<h3>T</h3>" in rendered and "<strong>b</strong>" in rendered


def test_preview_scrolls_inside_its_box(client, portal_site, built):
    html = client.get("/en/data/territory/").content.decode()
    assert re.search(
        r'<div class="table-wrap table-wrap--preview" role="region" aria-label="Preview: [^"]+" '
        r'tabindex="0">\s*<table class="data-table data-table--compact data-table--preview">',
        html,
    )


@pytest.mark.parametrize(
    ("url", "title", "description", "source"),
    [
        (
            "/ca/dades/allocation-pgi-2024-2027/",
            "Import per habitant (EUR)",
            "Import final; tots els imports sumen exactament el pressupost",
            "Atlas de Distribució de Renda de les Llars",
        ),
        (
            "/es/datos/allocation-pgi-2024-2027/",
            "Importe por habitante (EUR)",
            "Importe final; todos los importes suman exactamente el presupuesto",
            "Atlas de Distribución de Renta de los Hogares (ADRH) y Censo",
        ),
        (
            "/en/data/allocation-pgi-2024-2027/",
            "Amount per inhabitant (EUR)",
            "Final amount; all amounts add up exactly to the budget",
            "Atlas de Distribución de Renta de los Hogares (ADRH) and Censo",
        ),
    ],
)
def test_columns_and_sources_read_in_the_page_language(
    client, portal_site, built, url, title, description, source
):
    html = client.get(url).content.decode()
    assert title in html and description in html and source in html
    # The criterion columns take the formula's own translated criterion titles.
    income = {"ca": "Renda per persona", "es": "Renta por persona", "en": "Income per person"}
    if not url.startswith("/en/"):
        assert "Income per person (less income" not in html
    row = re.search(r"<code>contribution_income_eur</code>.*?</tr>", html, re.S)[0]
    assert income[url[1:3]] in row


def test_a_field_without_translation_falls_back_to_english():
    from datasets.schema_texts import field_text

    field = {"name": "x", "title": "Amount", "concertem": {"title": {"ca": "Import"}}}
    assert field_text(field, "title", "ca") == "Import"
    assert field_text(field, "title", "es") == "Amount"
    assert field_text({"name": "x"}, "description", "ca") == ""


def test_every_schema_field_has_catalan_and_spanish_texts():
    import json

    from datasets.allocation.formula import FORMULAS_DIR, formula_load
    from datasets.allocation.tables import SCHEMAS_DIR, allocation_schema_build
    from datasets.catalog import OFFICE_METRICS_SCHEMA, VARIABLES_CATALOG_SCHEMA
    from datasets.catalog.office_services import AREAS_SCHEMA, SERVICES_SCHEMA
    from debates.export import SCHEMA as CONTRIBUTIONS_SCHEMA

    schemas = [json.loads(path.read_text("utf-8")) for path in SCHEMAS_DIR.glob("*.json")]
    schemas += [OFFICE_METRICS_SCHEMA, VARIABLES_CATALOG_SCHEMA, AREAS_SCHEMA, SERVICES_SCHEMA]
    schemas += [CONTRIBUTIONS_SCHEMA]
    schemas += [allocation_schema_build(formula_load(p)) for p in FORMULAS_DIR.glob("*.toml")]
    for schema in schemas:
        for field in schema["fields"]:
            texts = field.get("concertem", {})
            for key in ("title", "description"):
                if field.get(key):
                    assert set(texts.get(key, {})) == {"ca", "es"}, (field["name"], key)
                    assert all(value.strip() for value in texts[key].values()), field["name"]
