"""Copy the debates' and the office's e-mail preferences and digest queues into the one
pair of models here, so nobody's choice or waiting digest is lost. The old tables are
dropped afterwards by debates 0006 and office 0004."""

from django.db import migrations


def rows_copy(apps, schema_editor):
    EmailPreference = apps.get_model("notifications", "EmailPreference")
    PendingEmail = apps.get_model("notifications", "PendingEmail")
    sources = {
        "debates": (
            apps.get_model("debates", "NotificationPreference"),
            apps.get_model("debates", "PendingNotification"),
        ),
        "office": (
            apps.get_model("office", "NotificationPreference"),
            apps.get_model("office", "PendingNotification"),
        ),
    }
    for source, (Preference, Pending) in sources.items():
        EmailPreference.objects.bulk_create(
            [
                EmailPreference(user_id=row.user_id, source=source, frequency=row.frequency)
                for row in Preference.objects.all()
            ],
            ignore_conflicts=True,
        )
        PendingEmail.objects.bulk_create(
            [
                PendingEmail(
                    user_id=row.user_id,
                    source=source,
                    comment_id=getattr(row, "comment_id", None),
                    request_id=getattr(row, "request_id", None),
                    text=getattr(row, "text", ""),
                    created_at=row.created_at,
                )
                for row in Pending.objects.order_by("created_at", "id")
            ],
            ignore_conflicts=True,
        )


def rows_copy_back(apps, schema_editor):
    EmailPreference = apps.get_model("notifications", "EmailPreference")
    PendingEmail = apps.get_model("notifications", "PendingEmail")
    for source in ("debates", "office"):
        Preference = apps.get_model(source, "NotificationPreference")
        Pending = apps.get_model(source, "PendingNotification")
        for row in EmailPreference.objects.filter(source=source):
            Preference.objects.update_or_create(
                user_id=row.user_id, defaults={"frequency": row.frequency}
            )
        for row in PendingEmail.objects.filter(source=source):
            if source == "debates":
                Pending.objects.get_or_create(user_id=row.user_id, comment_id=row.comment_id)
            else:
                Pending.objects.create(user_id=row.user_id, request_id=row.request_id, text=row.text)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_email_preferences_and_digest_queue"),
        ("debates", "0005_merge_lifecycle_and_comment_deletion"),
        ("office", "0003_random_references_no_counter"),
    ]

    operations = [migrations.RunPython(rows_copy, rows_copy_back)]
