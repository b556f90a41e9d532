"""E-mail the relations desk's reminders that are due (relations/reminders.py).

Run it every day (cron, a systemd timer): it sends each reminder once, and catches up on
days it did not run. A reminder that could not be sent is tried again at the next run;
the command then exits with status 1 so that the scheduler reports it.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from relations.reminders import send_reminders


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "E-mail the reminders of the relations desk's occasions that are due (run daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=iso_date,
            help="Run as of this day (YYYY-MM-DD) instead of today.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the reminders that are due without sending or recording them.",
        )

    def handle(self, *, date, dry_run, **options):
        today = date or timezone.localdate()
        run = send_reminders(today, dry_run=dry_run)
        for reminder in run.sent:
            occurrence = reminder.occurrence
            self.stdout.write(
                f"{'Due' if dry_run else 'Sent'}: {occurrence.occasion.title} "
                f"({occurrence.on.isoformat()}) -> {reminder.recipient.email}"
            )
        for reminder, error in run.failed:
            occurrence = reminder.occurrence
            self.stderr.write(
                f"Not sent: {occurrence.occasion.title} ({occurrence.on.isoformat()}) -> "
                f"{reminder.recipient.email}: {error}"
            )
        verb = "due" if dry_run else "sent"
        self.stdout.write(f"{len(run.sent)} reminders {verb} as of {today.isoformat()}.")
        if run.failed:
            raise CommandError(
                f"{len(run.failed)} reminders could not be sent; the next run tries them again."
            )
