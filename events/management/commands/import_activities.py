"""Import activities from a spreadsheet (CSV or XLSX) into this site's union.

All or nothing: a file with any bad row imports nothing, and every problem is listed with
its line. Importing the same file again updates what changed and duplicates nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from events.importing import SpreadsheetError, import_activities


class Command(BaseCommand):
    help = (
        "Import activities from a CSV (UTF-8) or XLSX file with the columns date, end_date, "
        "type, role, title_vi, title_en, title_zh, countries, localities, associations, "
        "participants, beneficiaries, scholarships, amount_vnd, aid_usd, sponsor, approved. "
        "A file with any bad row imports nothing; importing it again duplicates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The .csv or .xlsx file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and count what would change; import nothing.",
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            with file.open("rb") as handle:
                report = import_activities(handle, dry_run=dry_run)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from None
        except SpreadsheetError as error:
            raise CommandError(str(error)) from None
        if report.errors:
            for error in report.errors:
                where = {"line": error.line, "column": error.column, "message": error.message}
                if error.column:
                    self.stderr.write(_("line %(line)s, %(column)s: %(message)s") % where)
                else:
                    self.stderr.write(_("line %(line)s: %(message)s") % where)
            raise CommandError(report.refusal())
        if dry_run:
            self.stdout.write(
                _("Dry run, nothing was imported: %(summary)s") % {"summary": report.summary()}
            )
        else:
            self.stdout.write(report.summary())
