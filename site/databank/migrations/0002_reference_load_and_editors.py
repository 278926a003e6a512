"""The committed reference files become the data bank's first content, and editors may import.

Historical models and no project code: a migration must load the same way in a year, whatever
the services then look like. ``manage.py databank_load`` (the services) does the same and is
idempotent: run after this, it adds nothing.
"""

import hashlib
import tomllib
from pathlib import Path

from django.contrib.auth.management import create_permissions
from django.db import migrations

REFERENCE = Path(__file__).resolve().parents[3] / "datasets" / "reference"
SUFFIX = {"ca": "", "es": "_es", "en": "_en"}
PLAIN = (
    "code", "publisher_code", "unit", "decimals", "direction", "periodicity",
    "territorial_level", "value_type", "aggregation", "value_min", "value_max",
    "disaggregations", "sdg_targets", "sdg_indicators", "categories", "dimensions",
    "source", "source_url", "licence", "seed_variable", "translation_pending",
)  # fmt: skip


def reference_load(apps, schema_editor):
    import csv
    import re

    from django.utils import timezone

    Indicator = apps.get_model("databank", "Indicator")
    Import = apps.get_model("databank", "Import")
    Value = apps.get_model("databank", "Value")
    DataVersion = apps.get_model("databank", "DataVersion")
    text = (REFERENCE / "indicators.toml").read_text(encoding="utf-8")
    first = re.search(r"^\[\[indicator\]\]", text, flags=re.MULTILINE)
    DataVersion.objects.update_or_create(
        pk=1, defaults={"version": 1, "stamp": "reference-load", "catalog_preamble": text[: first.start()] if first else ""}
    )
    ids = {}
    for position, raw in enumerate(tomllib.loads(text).get("indicator", [])):
        fields = {key: raw[key] for key in PLAIN if key in raw}
        for key in ("name", "definition", "method"):
            for lang, suffix in SUFFIX.items():
                fields[key + suffix] = (raw.get(key) or {}).get(lang, "")
        fields["sdg_rationale"] = (raw.get("sdg_rationale") or {}).get("en", "")
        ids[raw["code"]] = Indicator.objects.create(position=position, **fields).pk
    path = REFERENCE / "indicator_values.csv"
    content = path.read_bytes()
    with path.open(encoding="utf-8", newline="") as stream:
        rows = [row for row in csv.DictReader(stream) if row["indicator_code"] in ids]
    if not rows:
        return
    load = Import.objects.create(
        indicator_id=ids[rows[0]["indicator_code"]],
        file_name=path.name,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        state="applied",
        via="reference",
        applied_at=timezone.now(),
        added=len(rows),
    )
    Value.objects.bulk_create(
        (
            Value(
                indicator_id=ids[row["indicator_code"]],
                entity_code=row["entity_code"],
                year=int(row["year"]),
                disaggregation=row["disaggregation"],
                value=row["value"],
                status=row["status"],
                source_import=load,
            )
            for row in rows
        ),
        batch_size=5000,
    )


def editors_may_import(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="databank",
        codename__in=["import_values", "add_indicator", "change_indicator", "view_indicator"],
    )
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("databank", "0001_indicator_catalogue_values_imports"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [
        migrations.RunPython(reference_load, migrations.RunPython.noop),
        migrations.RunPython(editors_may_import, migrations.RunPython.noop),
    ]
