"""Fill the database with synthetic multilingual content, for load tests and benchmarks."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from friendship_site.synthetic import generate


class Command(BaseCommand):
    help = (
        "Create N synthetic articles (vi source, en and zh-hans editions in various states) "
        "and M activities, with bulk inserts. The same --seed gives the same content."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--events", type=int, default=200)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--skip-search-index",
            action="store_true",
            help="Do not index the new editions (faster); run rebuild_search_index later.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (writes fake data)."
        )

    def handle(self, *args, articles, events, seed, skip_search_index, force, **options):
        # Fake articles in a production database would be published to readers.
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this writes fake content. Pass --force to do it.")
        if articles < 0 or events < 0:
            raise CommandError("--articles and --events cannot be negative.")
        report = generate(articles, events, seed=seed, index=not skip_search_index)
        for line in report.lines():
            self.stdout.write(line)
