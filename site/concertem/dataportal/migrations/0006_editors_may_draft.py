from django.contrib.auth.management import create_permissions
from django.db import migrations


def editors_may_draft(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="dataportal", content_type__model="formuladraft"
    )
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("dataportal", "0005_formuladraft")]

    operations = [migrations.RunPython(editors_may_draft, migrations.RunPython.noop)]
