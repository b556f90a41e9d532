"""Load the union, its partners, activities and articles from fixtures/ (idempotent)."""

from django.core.management.base import BaseCommand

from friendship_site.seed import load_seed_content


class Command(BaseCommand):
    help = (
        "Load the seed content built from the union's articles. Objects that already exist "
        "are kept as they are, so running it again creates nothing twice."
    )

    def handle(self, *args, **options):
        report = load_seed_content()
        for line in report.lines():
            self.stdout.write(line)
