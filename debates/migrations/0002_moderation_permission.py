"""Give Wagtail's Editors and Moderators groups the right to moderate debates and to
invite, verify and block officials."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Editors", "Moderators")
CODENAMES = (
    "moderate_debates",
    "add_official",
    "change_official",
    "view_official",
    "delete_official",
    "add_userblock",
    "change_userblock",
    "view_userblock",
    "delete_userblock",
    "view_moderationaction",
)


def permission_grant(apps, schema_editor):
    # Permissions are normally created after migrations; create them now so the
    # grant below finds them on a fresh database.
    app_config = apps.get_app_config("debates")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="debates", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def permission_revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="debates", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("debates", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(permission_grant, permission_revoke)]
