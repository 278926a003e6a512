"""An index for the debates' windows of threads (debates/threads.py).

The first threads of a debate are its first top-level comments by date: with an index on
(content_type, object_pk, submit_date, id), the database walks one debate's comments in
date order and stops after the window, instead of sorting every comment of the site (the
plan SQLite chose without it: the site_id index, then a temporary B-tree). The table is
django-comments', hence SQL rather than a model index; the statements are the same on
SQLite and PostgreSQL.
"""

from django.db import migrations

INDEX = "debates_comment_object_date"


class Migration(migrations.Migration):
    dependencies = [
        ("debates", "0006_notification_models_moved_to_notifications"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON django_comments "
                "(content_type_id, object_pk, submit_date, id)"
            ),
            reverse_sql=f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
