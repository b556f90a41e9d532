"""Create the newsroom's roles as groups with their model permissions (articles/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from articles.roles import ROLES, sync_roles


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    sync_roles(apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow"),
        ("events", "0001_initial"),
        ("organizations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
