"""Create (or reset) one demo account per newsroom role, for a local site."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from articles.roles import EDITOR, EDITOR_IN_CHIEF, REPORTER, TRANSLATOR

DEMO_PASSWORD = "friendship-demo"
DEMO_ACCOUNTS = [
    ("reporter", REPORTER),
    ("translator", TRANSLATOR),
    ("editor", EDITOR),
    ("chief", EDITOR_IN_CHIEF),
]


class Command(BaseCommand):
    help = "Create a demo account for each role (refused when DEBUG is off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo accounts have a published password: DEBUG only.")
        for username, role in DEMO_ACCOUNTS:
            user, _created = get_user_model().objects.get_or_create(username=username)
            user.is_staff = True
            user.email = f"{username}@localhost"
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
        names = ", ".join(f"{username} ({role})" for username, role in DEMO_ACCOUNTS)
        self.stdout.write(
            f"Demo accounts: {names}; password “{DEMO_PASSWORD}” for all (log in at /admin/)"
        )
