"""Create the newsroom's roles as groups with their model permissions.

The permission table is frozen here, as a migration must be; articles/roles.py names the
groups for the code.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NEWSROOM_APPS = ["articles", "events", "organizations"]
VIEW_REFERENCE_DATA = [
    "organizations.view_country",
    "organizations.view_friendshipunion",
    "organizations.view_memberassociation",
    "organizations.view_partnerlocality",
    "organizations.view_cooperationagreement",
    "organizations.view_foreignngo",
    "events.view_activity",
    "events.view_reportedfigure",
    "articles.view_category",
    "articles.view_tag",
    "articles.view_notification",
]
ROLE_PERMISSIONS = {
    "Reporter": VIEW_REFERENCE_DATA
    + [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.add_photo",
        "articles.change_photo",
        "articles.view_photo",
        "articles.add_correction",
        "articles.view_correction",
    ],
    "Translator": VIEW_REFERENCE_DATA
    + [
        "articles.view_article",
        "articles.translate_article",
        "articles.change_photo",
        "articles.view_photo",
        "articles.change_correction",
        "articles.view_correction",
    ],
    "Editor": VIEW_REFERENCE_DATA
    + [
        f"articles.{action}_{model}"
        for model in ["article", "category", "tag", "photo", "correction"]
        for action in ["add", "change", "delete", "view"]
    ]
    + [
        "articles.review_article",
        "articles.publish_article",
        "articles.assign_translator",
        "articles.translate_article",
        "articles.view_editionevent",
        "articles.add_translationassignment",
        "articles.change_translationassignment",
        "articles.delete_translationassignment",
        "articles.view_translationassignment",
        "events.add_activity",
        "events.change_activity",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(labels):
        found = []
        for label in labels:
            app_label, codename = label.split(".")
            found.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        return found

    for name, labels in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions(labels))

    chief, _created = Group.objects.get_or_create(name="Editor-in-chief")
    chief.permissions.set(
        Permission.objects.filter(content_type__app_label__in=[*NEWSROOM_APPS, "auth"])
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Reporter", "Translator", "Editor", "Editor-in-chief"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow"),
        ("events", "0001_initial"),
        ("organizations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
