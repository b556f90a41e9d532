"""The newsroom's roles: Django groups and the model permissions each one holds.

What a role may do to a given edition (its own draft, an assigned translation) is decided
in articles/workflow.py; these permissions are the coarse part. The groups are created by
migration 0003_roles and kept in line with this table after every ``migrate`` (and after a
test database is flushed) by :func:`sync_roles`, so the table here is the one truth.
"""

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.db.models import Q

REPORTER = "Reporter"
TRANSLATOR = "Translator"
EDITOR = "Editor"
EDITOR_IN_CHIEF = "Editor-in-chief"

ROLES = [REPORTER, TRANSLATOR, EDITOR, EDITOR_IN_CHIEF]

NEWSROOM_APPS = ["articles", "events", "organizations", "relations", "translation_desk"]
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
# The relations desk: everyone in the newsroom sees the occasions calendar and ticks off
# what they did (a letter sent, flowers delivered); its history is the desk's to read.
RELATIONS_DESK = [
    "relations.view_occasion",
    "relations.mark_occasion_done",
    "relations.view_occasiondone",
    "relations.view_occasionreminder",
]
# The term base: translators read it (and the overrides of the term check they record);
# editors keep it.
TERM_BASE = ["translation_desk.view_term", "translation_desk.view_termoverride"]
ROLE_PERMISSIONS = {
    REPORTER: [
        *VIEW_REFERENCE_DATA,
        *RELATIONS_DESK,
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.add_photo",
        "articles.change_photo",
        "articles.view_photo",
        "articles.add_correction",
        "articles.view_correction",
    ],
    TRANSLATOR: [
        *VIEW_REFERENCE_DATA,
        *RELATIONS_DESK,
        *TERM_BASE,
        "articles.view_article",
        "articles.translate_article",
        "articles.change_photo",
        "articles.view_photo",
        "articles.change_correction",
        "articles.view_correction",
    ],
    EDITOR: [
        *VIEW_REFERENCE_DATA,
        *RELATIONS_DESK,
        "relations.add_occasion",
        "relations.change_occasion",
        "relations.delete_occasion",
        *TERM_BASE,
        "translation_desk.add_term",
        "translation_desk.change_term",
        "translation_desk.delete_term",
        *(
            f"articles.{action}_{model}"
            for model in [
                "article",
                "category",
                "tag",
                "photo",
                "correction",
                "translationassignment",
            ]
            for action in ["add", "change", "delete", "view"]
        ),
        "articles.review_article",
        "articles.publish_article",
        "articles.assign_translator",
        "articles.translate_article",
        "articles.view_editionevent",
        "events.add_activity",
        "events.change_activity",
    ],
}


# Beyond the newsroom's apps: the editor-in-chief looks after accounts, so unlocks a login
# locked by django-axes and resets a lost phone's two-step login (never reads its secret).
ACCOUNT_CARE = [
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "otp_totp.view_totpdevice",
    "otp_totp.delete_totpdevice",
]


def users_with_permission(codename, app_label="articles"):
    """Active users who hold the permission ``app_label.codename`` through a role or
    directly, superusers included (e.g. the reviewers to notify, the translators to
    choose from, the relations desk's editors to remind)."""
    return (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True)
            | Q(
                groups__permissions__codename=codename,
                groups__permissions__content_type__app_label=app_label,
            )
            | Q(
                user_permissions__codename=codename,
                user_permissions__content_type__app_label=app_label,
            ),
            is_active=True,
        )
        .distinct()
    )


def sync_roles(apps=global_apps, **kwargs):
    """Create the role groups and give each exactly the permissions of the table above.

    ``apps`` is an app registry (a migration's, or the project's); the editor-in-chief
    gets every permission of the newsroom's apps and of user accounts.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    present = set()
    for app_label in {
        label.split(".")[0] for labels in ROLE_PERMISSIONS.values() for label in labels
    }:
        try:
            apps.get_app_config(app_label)
        except LookupError:  # a migration's registry, before that app's first migration
            continue
        present.add(app_label)
        # Django makes an app's permissions in its post_migrate, after every migration: the
        # roles migration (0003) runs before that, so make them now (as Django does: the
        # installed app's config, the registry being migrated).
        create_permissions(global_apps.get_app_config(app_label), verbosity=0, apps=apps)
    permissions = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for name, labels in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [permissions[label] for label in labels if label.split(".")[0] in present]
        )
    chief, _created = Group.objects.get_or_create(name=EDITOR_IN_CHIEF)
    chief.permissions.set(
        [
            *Permission.objects.filter(content_type__app_label__in=[*NEWSROOM_APPS, "auth"]),
            # Missing on the first migrate of a new database, until those apps' permissions
            # exist; the next post_migrate (or flush) adds them.
            *(permissions[label] for label in ACCOUNT_CARE if label in permissions),
        ]
    )
