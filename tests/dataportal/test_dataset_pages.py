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
    changelog = re.search(r'<div class="prose document changelog">(.*?)</div>', html, re.S)[1]
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
