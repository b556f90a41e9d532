import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_command_writes_the_file(year_2017, tmp_path):
    output = tmp_path / "summary.xlsx"

    call_command(
        "export_yearly_summary", "2017", "--format", "xlsx", "--language", "en",
        "--output", str(output), stderr=io.StringIO(),
    )  # fmt: skip

    workbook = load_workbook(output)
    assert workbook.sheetnames[0] == "1. Activities, people reached…"


def test_command_writes_csv_to_stdout(year_2017):
    stdout = io.StringIO()

    call_command(
        "export_yearly_summary", "2017", "--format", "csv", "--language", "en", "--output", "-",
        stdout=stdout,
    )  # fmt: skip

    rows = list(csv.reader(io.StringIO(stdout.getvalue())))
    assert rows[0] == ["overview", "Activities, people reached and money mobilized"]
    assert ["Committed aid (USD)", "700500.00", "576638.00"] in rows


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["20x7"], "year must be a number from 1950 to 2100, not '20x7'"),
        (["2017", "--format", "odt"], "format must be one of xlsx, csv, pdf, docx, not 'odt'"),
        (["2017", "--language", "fr"], "language must be one of vi, en, zh-hans, not 'fr'"),
        (["2017", "--format", "pdf", "--output", "-"], "--output - (stdout) is for CSV only"),
    ],
)
def test_command_refuses_bad_arguments(union, arguments, message, tmp_path):
    arguments = (
        [*arguments, "--output", str(tmp_path / "x")] if "--output" not in arguments else arguments
    )

    with pytest.raises(CommandError) as error:
        call_command("export_yearly_summary", *arguments)

    assert message in str(error.value)


def test_command_needs_the_home_union(db, tmp_path):
    with pytest.raises(CommandError, match="run load_seed_content first"):
        call_command("export_yearly_summary", "2017", "--output", str(tmp_path / "x.xlsx"))
