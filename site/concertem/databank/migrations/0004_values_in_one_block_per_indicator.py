"""The values move from one row per value (``Value``, ``ValueChange``) to one block per
indicator (``ValueBlock``) and one per import that replaced values (``ReplacedBlock``): the
blocks are built from the rows, then the row tables go. Backwards, the rows are rebuilt from
the blocks.
"""

import django.db.models.deletion
from django.db import migrations, models

from concertem.databank.value_codec import rows_decode, rows_encode, sources_expand, sources_runs


def _blocks_build(Block, owner, grouped):
    for owner_id, rows in grouped.items():
        rows.sort()
        Block.objects.create(
            **{owner: owner_id},
            rows=rows_encode([row[:5] for row in rows], 0),
            sources=sources_runs(row[5] for row in rows),
            count=len(rows),
        )


def values_into_blocks(apps, schema_editor):
    Value = apps.get_model("databank", "Value")
    ValueChange = apps.get_model("databank", "ValueChange")
    values, changes = {}, {}
    for indicator, e, y, d, v, s, source in Value.objects.values_list(
        "indicator_id", "entity_code", "year", "disaggregation", "value", "status", "source_import_id"
    ).iterator(chunk_size=5000):
        values.setdefault(indicator, []).append((e, str(y), d, v, s, source))
    for record, e, y, d, v, s, source in ValueChange.objects.values_list(
        "source_import_id",
        "entity_code",
        "year",
        "disaggregation",
        "previous_value",
        "previous_status",
        "previous_import_id",
    ).iterator(chunk_size=5000):
        changes.setdefault(record, []).append((e, str(y), d, v or "", s, source))
    _blocks_build(apps.get_model("databank", "ValueBlock"), "indicator_id", values)
    _blocks_build(apps.get_model("databank", "ReplacedBlock"), "source_import_id", changes)


def blocks_into_values(apps, schema_editor):
    Value = apps.get_model("databank", "Value")
    ValueChange = apps.get_model("databank", "ValueChange")
    for block in apps.get_model("databank", "ValueBlock").objects.all():
        rows = zip(
            rows_decode(block.rows, block.count), sources_expand(block.sources), strict=True
        )
        Value.objects.bulk_create(
            (
                Value(
                    indicator_id=block.indicator_id,
                    entity_code=e,
                    year=int(y),
                    disaggregation=d,
                    value=v,
                    status=s,
                    source_import_id=source,
                )
                for (e, y, d, v, s), source in rows
            ),
            batch_size=5000,
        )
    for block in apps.get_model("databank", "ReplacedBlock").objects.all():
        rows = zip(
            rows_decode(block.rows, block.count), sources_expand(block.sources), strict=True
        )
        ValueChange.objects.bulk_create(
            ValueChange(
                source_import_id=block.source_import_id,
                entity_code=e,
                year=int(y),
                disaggregation=d,
                previous_value=v,
                previous_status=s,
                previous_import_id=source,
            )
            for (e, y, d, v, s), source in rows
        )


class Migration(migrations.Migration):

    dependencies = [
        ('databank', '0003_value_indexes_without_duplicates'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReplacedBlock',
            fields=[
                ('source_import', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='replaced_block', serialize=False, to='databank.import')),
                ('rows', models.BinaryField()),
                ('sources', models.JSONField(default=list)),
                ('count', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='ValueBlock',
            fields=[
                ('indicator', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='value_block', serialize=False, to='databank.indicator')),
                ('rows', models.BinaryField()),
                ('sources', models.JSONField(default=list)),
                ('count', models.PositiveIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'indicator values',
                'verbose_name_plural': 'indicator values',
            },
        ),
        migrations.RunPython(values_into_blocks, blocks_into_values),
        migrations.RemoveField(
            model_name='valuechange',
            name='previous_import',
        ),
        migrations.RemoveField(
            model_name='valuechange',
            name='source_import',
        ),
        migrations.DeleteModel(
            name='Value',
        ),
        migrations.DeleteModel(
            name='ValueChange',
        ),
    ]
