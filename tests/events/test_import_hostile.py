"""Hostile and broken files given to the activities importer: each gets a clear error (on
its line, or for the whole file) and writes nothing, never a crash."""

import codecs
import io
import struct
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events import importing
from events.importing import MAX_CELL_LENGTH, MAX_FILE_SIZE, SpreadsheetError, import_activities
from events.models import Activity, ActivityTranslation
from tests.factories import CountryFactory, FriendshipUnionFactory

pytestmark = pytest.mark.django_db

HEADER = "date,type,role,title_vi,countries"
ROW = "2024-04-13,exchange,chaired,Giao lưu hữu nghị,LA"
SHEET = "xl/worksheets/sheet1.xml"
WRITTEN = [
    Activity,
    ActivityTranslation,
    Activity.countries.through,
    Activity.localities.through,
    Activity.associations.through,
]


@pytest.fixture
def union():
    CountryFactory(code="LA", name="Laos")
    return FriendshipUnionFactory(is_home=True)


@pytest.fixture
def nothing_written():
    """Asserts, at the end of the test, that no table the importer writes has changed."""
    before = {model: model.objects.count() for model in WRITTEN}
    yield
    assert {model: model.objects.count() for model in WRITTEN} == before


def upload(data, name="activities.csv"):
    return SimpleUploadedFile(name, data)


def csv_bytes(*lines, encoding="utf-8", newline="\n"):
    return newline.join(lines).encode(encoding)


def refusal(data, name="activities.csv"):
    with pytest.raises(SpreadsheetError) as refused:
        import_activities(upload(data, name))
    return str(refused.value)


def row_errors(data, name="activities.csv"):
    report = import_activities(upload(data, name))
    assert report.created == report.updated == 0
    return [(error.line, error.column, error.message) for error in report.errors]


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezip(data, replace):
    """The zip archive ``data`` with some members' contents replaced: {name: function}."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename in replace:
                content = replace[info.filename](content.decode()).encode()
            target.writestr(info.filename, content)
    return out.getvalue()


def understate(data, name, size):
    """``data`` with the zip headers of member ``name`` claiming it unpacks to ``size``."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        local = archive.getinfo(name).header_offset
    data[local + 22 : local + 26] = struct.pack("<I", size)  # the local file header's
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name.encode():
        central = data.find(b"PK\x01\x02", central + 1)
    data[central + 24 : central + 28] = struct.pack("<I", size)  # the central directory's
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        assert archive.getinfo(name).file_size == size
    return bytes(data)


def valid_xlsx():
    # An ASCII title: openpyxl writes other characters as XML references (&#432;…), and
    # the tests below find the title in the sheet's XML.
    return xlsx_bytes([HEADER.split(","), ["2024-04-13", "exchange", "chaired", "Giao luu", "LA"]])


# Encodings and line endings.


def test_latin1_bytes_in_a_utf8_file_are_refused(union, nothing_written):
    data = csv_bytes(HEADER, ROW) + b"\n" + "2024-05-01,exchange,chaired,Hà Noi,LA".encode("cp1252")

    assert "not UTF-8" in refusal(data)


def test_a_cp1258_file_is_refused(union, nothing_written):
    data = csv_bytes(HEADER, "2024-05-01,exchange,chaired,Hà Nam,LA", encoding="cp1258")

    assert "not UTF-8" in refusal(data)


@pytest.mark.parametrize(
    ("bom", "encoding"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_a_utf16_file_is_refused_by_name(union, nothing_written, bom, encoding):
    data = bom + csv_bytes(HEADER, ROW, encoding=encoding)

    assert "UTF-16" in refusal(data)


def test_mixed_line_endings_read_every_row(union):
    data = (HEADER + "\r" + ROW + "\r\n" + "2024-05-01,exchange,chaired,Hội thảo,LA\n").encode()

    report = import_activities(upload(data))

    assert (report.created, report.errors) == (2, [])


def test_a_byte_order_mark_inside_the_file_is_reported_on_its_line(union, nothing_written):
    # Two exports pasted together: the second one's byte order mark starts line 3.
    data = csv_bytes(HEADER, ROW, "\ufeff2024-05-01,exchange,chaired,Hội thảo,LA")

    assert row_errors(data) == [
        (
            3,
            "date",
            "This cell holds an invisible character (U+FEFF) that cannot be imported: delete it.",
        )
    ]


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\u202e", "\u200b"])
def test_control_and_invisible_characters_in_a_title_are_reported(
    union, nothing_written, character
):
    data = csv_bytes(HEADER, f"2024-04-13,exchange,chaired,Giao lưu{character}hữu nghị,LA")

    [(line, column, message)] = row_errors(data)

    assert (line, column) == (2, "title_vi")
    assert f"U+{ord(character):04X}" in message


# Columns.


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("date,type,title_vi", "Missing columns: role."),
        ("date,type,role,title_vi,title_vi", "Columns named twice: title_vi."),
        ("date,type,role,title_vi,colour", "Unknown columns: colour."),
        ("", "The file is empty."),
    ],
)
def test_wrong_columns_are_refused_with_a_clear_error(union, nothing_written, header, expected):
    assert expected in refusal(csv_bytes(header, ROW) if header else b"")


def test_a_megabyte_column_name_is_shortened_in_the_error(union, nothing_written):
    header = "date,type,role,title_vi," + "x" * 100_000

    message = refusal(csv_bytes(header, ROW))

    assert "Unknown columns: xxxxxxxx" in message
    assert len(message) < 1000


def test_cells_beyond_the_header_are_reported(union, nothing_written):
    assert row_errors(csv_bytes(HEADER, ROW + ",extra")) == [
        (2, "", "A cell of this row is in a column without a header.")
    ]


def test_a_row_with_missing_cells_reports_the_required_ones(union, nothing_written):
    assert row_errors(csv_bytes(HEADER, "2024-04-13,exchange")) == [
        (2, "role", "This column is required."),
        (2, "title_vi", "This column is required."),
    ]


def test_a_header_without_rows_is_refused(union, nothing_written):
    assert "no activities below its header" in refusal(csv_bytes(HEADER, ",,,,", ""))


# Sizes.


def test_a_cell_longer_than_the_limit_is_reported_not_parsed(union, nothing_written):
    data = csv_bytes(HEADER, "2024-04-13,exchange,chaired,Giao lưu,LA;" + "KH;" * 20_000)

    assert row_errors(data) == [
        (
            2,
            "countries",
            f"This cell holds 60003 characters; at most {MAX_CELL_LENGTH} are read.",
        )
    ]


def test_a_megabyte_csv_cell_is_refused(union, nothing_written):
    data = csv_bytes(HEADER, "2024-04-13,exchange,chaired," + "x" * (1 << 20) + ",LA")

    assert "Line 2 cannot be read as CSV" in refusal(data)


def test_a_megabyte_xlsx_cell_is_reported(union, nothing_written):
    data = xlsx_bytes([HEADER.split(","), ["2024-04-13", "exchange", "chaired", "x" * (1 << 20)]])

    [(line, column, message)] = row_errors(data, "activities.xlsx")

    assert (line, column) == (2, "title_vi")
    # openpyxl reads at most Excel's 32,767 characters of a cell.
    assert message == (f"This cell holds 32767 characters; at most {MAX_CELL_LENGTH} are read.")


def test_a_number_too_long_for_python_is_reported(union, nothing_written):
    data = csv_bytes(HEADER + ",participants", ROW + "," + "9" * 5000)

    assert [column for _line, column, _message in row_errors(data)] == ["participants"]


def test_dollars_beyond_decimal_precision_are_reported(union, nothing_written):
    data = csv_bytes(HEADER + ",aid_usd", "2024-04-13,aid_project,chaired,Dự án,LA," + "9" * 40)

    assert row_errors(data) == [(2, "aid_usd", f"“{'9' * 40}” is too large.")]


def test_a_hundred_thousand_rows_are_refused(union, nothing_written):
    rows = [f"2024-04-13,exchange,chaired,Activity {n},LA" for n in range(100_000)]
    data = csv_bytes(HEADER, *rows)
    assert len(data) < MAX_FILE_SIZE

    assert "more than 20000 activities" in refusal(data)


def test_a_file_over_the_size_limit_is_refused_unread(union, nothing_written):
    data = csv_bytes(HEADER, ROW) + b"\n" + b"x" * MAX_FILE_SIZE

    assert "larger than 5 MB" in refusal(data)


# Formulas.


@pytest.mark.parametrize(
    "title",
    ['=HYPERLINK("http://evil.example","click")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)"],
)
def test_a_title_that_spreadsheets_would_run_as_a_formula_is_refused(union, nothing_written, title):
    data = csv_bytes(
        HEADER, f'2024-04-13,exchange,chaired,"{title.replace(chr(34), chr(34) * 2)}",LA'
    )

    assert row_errors(data) == [
        (
            2,
            "title_vi",
            f"A title cannot start with “{title[0]}”: spreadsheet programs would read it as "
            "a formula.",
        )
    ]


def test_an_xlsx_formula_imports_the_value_excel_computed(union):
    # Excel stores each formula's last value (<v>); openpyxl cannot write one, so it is
    # put in the sheet by hand.
    cell = '<c r="D2" t="inlineStr"><is><t>Giao luu</t></is></c>'
    formula = '<c r="D2" t="str"><f>HYPERLINK("http://evil.example","x")</f><v>Hội thảo</v></c>'
    data = rezip(valid_xlsx(), {SHEET: lambda sheet: sheet.replace(cell, formula)})

    report = import_activities(upload(data, "activities.xlsx"))

    assert report.created == 1
    assert Activity.objects.get().safe_translation_getter("title", language_code="vi") == "Hội thảo"


def test_an_xlsx_formula_without_a_computed_value_is_an_empty_cell(union, nothing_written):
    data = xlsx_bytes(
        [HEADER.split(","), ["2024-04-13", "exchange", "chaired", "=cmd|' /C calc'!A0", "LA"]]
    )

    assert row_errors(data, "activities.xlsx") == [(2, "title_vi", "This column is required.")]


def test_an_xlsx_text_cell_that_looks_like_a_formula_is_refused(union, nothing_written):
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER.split(","))
    workbook.active.append(["2024-04-13", "exchange", "chaired", "", "LA"])
    workbook.active["D2"].value = '=HYPERLINK("http://evil.example")'
    workbook.active["D2"].data_type = "s"  # text, as Excel stores '=HYPERLINK(…)
    buffer = io.BytesIO()
    workbook.save(buffer)

    [(line, column, message)] = row_errors(buffer.getvalue(), "activities.xlsx")

    assert (line, column) == (2, "title_vi")
    assert "formula" in message


# Forged and foreign files.


def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_unpacking(union, nothing_written):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            zeros = b"\0" * (1 << 20)
            for _megabyte in range(importing.MAX_XLSX_UNPACKED_SIZE // len(zeros) + 1):
                member.write(zeros)
    assert len(out.getvalue()) < MAX_FILE_SIZE

    assert refusal(out.getvalue(), "activities.xlsx") == (
        "The file cannot be read as an Excel workbook (.xlsx)."
    )


def test_an_xlsx_understating_its_unpacked_size_is_refused(union, nothing_written):
    # A member whose headers claim 100 bytes: zipfile stops there, and the truncated sheet
    # (or its checksum) makes the file unreadable, whatever it would have unpacked to.
    rows = "<row/>" * 200_000
    data = rezip(
        valid_xlsx(), {SHEET: lambda sheet: sheet.replace("</sheetData>", rows + "</sheetData>")}
    )

    assert "cannot be read" in refusal(understate(data, SHEET, 100), "activities.xlsx")


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE worksheet [<!ENTITY l0 "lol">'
        + "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
        + "]>",
    ],
    ids=["external-entity", "billion-laughs"],
)
def test_xml_entity_attacks_in_an_xlsx_are_refused(union, nothing_written, doctype):
    entity = "&x;" if "SYSTEM" in doctype else "&l9;"
    data = rezip(
        valid_xlsx(),
        {SHEET: lambda sheet: doctype + sheet.replace("Giao luu", entity)},
    )

    assert "cannot be read" in refusal(data, "activities.xlsx")


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "activities.xlsx", "cannot be read as an Excel"),
        (b"%PDF-1.7\n\xe2\xe3\xcf\xd3\n", "activities.csv", "not UTF-8"),
        (b"", "activities.xlsx", "cannot be read as an Excel"),
        (b"", "activities.csv", "The file is empty."),
        (b"date,type", "activities.ods", "neither a .csv nor an .xlsx"),
    ],
    ids=["png-as-xlsx", "pdf-as-csv", "empty-xlsx", "empty-csv", "ods"],
)
def test_a_file_that_is_no_spreadsheet_is_refused(union, nothing_written, data, name, expected):
    assert expected in refusal(data, name)


def test_a_zip_that_is_no_workbook_is_refused(union, nothing_written):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")  # broken XML
        archive.writestr("word/document.xml", "<w:document/>")

    assert "cannot be read" in refusal(out.getvalue(), "activities.xlsx")


def test_a_workbook_of_charts_only_is_refused(union, nothing_written):
    workbook = openpyxl.Workbook()
    workbook.create_chartsheet()
    workbook.remove(workbook.active)
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert refusal(buffer.getvalue(), "activities.xlsx")


# The admin's upload page.


@pytest.mark.parametrize(
    ("data", "name", "refused"),
    [
        ("date,type".encode("utf-16"), "activities.csv", "file"),
        (b"PK\x03\x04garbage", "activities.xlsx", "file"),
        (csv_bytes(HEADER, "2024-04-13,exchange,chaired,a\x00b,LA"), "activities.csv", "rows"),
        (csv_bytes(HEADER, "2024-04-13,exchange,chaired,=1+1,LA"), "activities.csv", "rows"),
    ],
    ids=["utf16", "forged-zip", "nul", "formula"],
)
def test_import_page_shows_hostile_files_errors_and_writes_nothing(
    client, newsroom, union, nothing_written, data, name, refused
):
    client.force_login(newsroom["editor"])

    response = client.post(reverse("admin:events_activity_import"), {"file": upload(data, name)})

    # The admin speaks Vietnamese: the errors are checked where the page gets them.
    assert response.status_code == 200
    if refused == "file":
        assert response.context["form"].errors["file"]
    else:
        assert response.context["report"].errors
