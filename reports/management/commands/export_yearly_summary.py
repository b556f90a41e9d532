"""Export the yearly summary of the site's union to a file.

python manage.py export_yearly_summary 2024 --format xlsx --language vi --output summary.xlsx
python manage.py export_yearly_summary 2024 --format csv --output -    # CSV to stdout
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.exporters import FORMATS, export
from reports.forms import FIRST_YEAR, LAST_YEAR, YearlySummaryForm
from reports.report import build_report
from reports.summary import NoHomeUnion


class Command(BaseCommand):
    help = "Export the yearly summary (activities, aid, articles…) as XLSX, CSV, PDF or DOCX."

    def add_arguments(self, parser):
        parser.add_argument("year", help=f"the year to summarise ({FIRST_YEAR}–{LAST_YEAR})")
        parser.add_argument("--format", default="xlsx", help=f"one of {', '.join(FORMATS)}")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            help=f"one of {', '.join(code for code, _name in settings.LANGUAGES)}",
        )
        parser.add_argument(
            "--output", required=True, help="the file to write; - writes CSV to stdout"
        )

    def handle(self, *args, year, format, language, output, **options):
        form = YearlySummaryForm({"year": year, "format": format, "language": language})
        if not form.is_valid():
            problems = {
                "year": f"year must be a number from {FIRST_YEAR} to {LAST_YEAR}, not {year!r}",
                "format": f"format must be one of {', '.join(FORMATS)}, not {format!r}",
                "language": "language must be one of "
                + ", ".join(code for code, _name in settings.LANGUAGES)
                + f", not {language!r}",
            }
            raise CommandError("; ".join(problems[name] for name in form.errors))
        if output == "-" and format != "csv":
            raise CommandError(f"--output - (stdout) is for CSV only; write {format} to a file")
        try:
            report = build_report(form.cleaned_data["year"], language)
        except NoHomeUnion:
            raise CommandError(
                "the site's union is not in the database; run load_seed_content first"
            ) from None
        if output == "-":
            self.stdout.write(FORMATS["csv"][0](report), ending="")
            return
        path = Path(output)
        try:
            path.write_bytes(export(report, format))
        except OSError as error:
            raise CommandError(f"cannot write {path}: {error}") from error
        self.stderr.write(f"Wrote {path} ({format}, {language}, {report.year})")
