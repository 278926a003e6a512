"""Give Wagtail's Editors and Moderators groups the office: edit the service catalogue and
the territorial agents, and see and handle every support request."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Editors", "Moderators")
CODENAMES = (
    "manage_office",
    "add_service",
    "change_service",
    "view_service",
    "delete_service",
    "add_territorialagent",
    "change_territorialagent",
    "view_territorialagent",
    "delete_territorialagent",
)


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="office", codename__in=CODENAMES)


def permission_grant(apps, schema_editor):
    # Permissions are normally created after migrations; create them now so the grant
    # below finds them on a fresh database.
    app_config = apps.get_app_config("office")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*_permissions(apps))


def permission_revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("office", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(permission_grant, permission_revoke)]
