"""Restore a backup made by ``manage.py backup``: the database, the media files, then the
caches are emptied. Everything is checked before anything changes (backups/archive.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from backups.archive import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database and the media files with those of a backup archive. "
        "Stop the site's processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive written by backup.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the archive (paths, manifest, checksums, rows); change nothing.",
        )

    def handle(self, *args, archive, yes, dry_run, **options):
        try:
            restore_backup(
                archive,
                confirm=None if yes else self.confirm,
                dry_run=dry_run,
                report=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        if dry_run:
            self.stdout.write(_("Dry run: nothing was changed."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Restore complete.")))

    def confirm(self, manifest):
        question = _(
            "This replaces the whole database and the media files with the backup made "
            "%(created_at)s. Type “yes” to continue: "
        ) % {"created_at": manifest["created_at"]}
        return input(question).strip().lower() == "yes"
