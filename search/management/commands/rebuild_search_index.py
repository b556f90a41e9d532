"""Bring the search index up to date with every article edition.

Saving an edition indexes it; run this after changing the rules of search/text.py, or
after changing editions without saving them one by one (``QuerySet.update``, raw SQL).
Running it twice changes nothing the second time.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from search.index import rebuild


class Command(BaseCommand):
    help = "Create or refresh the search entry of every article edition (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            created, updated, unchanged = rebuild()
        self.stdout.write(
            f"Search index: {created} created, {updated} updated, {unchanged} unchanged."
        )
