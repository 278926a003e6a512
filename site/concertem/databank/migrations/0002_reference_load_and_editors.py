"""The committed reference files become the data bank's first content, and editors may import.

Historical models; of the project's code only the pure file <-> field mapping, so that the
migration, ``manage.py databank_load`` (idempotent: run after this, it adds nothing) and
``databank_export`` read and write the catalogue the same way.
"""

import hashlib
from pathlib import Path

from django.contrib.auth.management import create_permissions
from django.db import migrations

REFERENCE = Path(__file__).resolve().parents[4] / "datasets" / "reference"


def reference_load(apps, schema_editor):
    import csv

    from django.utils import timezone

    # Pure functions (no models): the file <-> field mapping the services and export use.
    from concertem.databank.catalog_io import catalog_toml_read, indicator_fields

    Indicator = apps.get_model("databank", "Indicator")
    Import = apps.get_model("databank", "Import")
    Value = apps.get_model("databank", "Value")
    DataVersion = apps.get_model("databank", "DataVersion")
    preamble, raws = catalog_toml_read(
        (REFERENCE / "indicators.toml").read_text(encoding="utf-8")
    )
    DataVersion.objects.update_or_create(
        pk=1,
        defaults={"version": 1, "stamp": "reference-load", "catalog_preamble": preamble},
    )
    ids = {}
    for position, raw in enumerate(raws):
        ids[raw["code"]] = Indicator.objects.create(
            position=position, **indicator_fields(raw)
        ).pk
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
