from django.contrib.auth.management import create_permissions
from django.db import migrations


def editors_may_publish(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure this one exists.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        codename="publish_datasets", content_type__app_label="dataportal"
    )
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("dataportal", "0003_sdgindexpage"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(editors_may_publish, migrations.RunPython.noop)]
