"""Create (or reset) the demo editor account that `make run` prints."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError

DEMO_USERNAME = "editor"
DEMO_PASSWORD = "friendship-demo"
NEWSROOM_APPS = ["articles", "events", "organizations"]


class Command(BaseCommand):
    help = "Create the demo editor account for a local site (refused when DEBUG is off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo account has a published password: DEBUG only.")
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True}
        )
        user.is_staff = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.user_permissions.set(
            Permission.objects.filter(content_type__app_label__in=NEWSROOM_APPS)
        )
        verb = "Created" if created else "Reset"
        self.stdout.write(
            f"{verb} the demo editor: user “{DEMO_USERNAME}”, password “{DEMO_PASSWORD}” "
            "(log in at /admin/)"
        )
