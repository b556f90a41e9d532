"""Back up the whole site (database and media files) into one archive: see backups/archive.py."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from backups.archive import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one archive holding the database, the media files and a manifest "
        "(friendship-backup-<UTC time>.tar.gz)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=".",
            help="The archive's path, or a directory for it (default: here).",
        )

    def handle(self, *args, output, **options):
        try:
            path, manifest = create_backup(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(entry["rows"] for entry in manifest["tables"].values())
        media = manifest["media"]
        self.stdout.write(
            _("Backup written to %(path)s: %(rows)d rows, %(files)d media files.")
            % {"path": path, "rows": rows, "files": len(media["files"])}
        )
        if media["storage"] != "filesystem":
            self.stdout.write(
                _(
                    "Media files are in object storage (MEDIA_STORAGE=s3) and are not in the "
                    "archive: the bucket keeps them (turn on its versioning or replication)."
                )
            )
