"""Each format, read back: plain numbers in CSV and XLSX, formatted ones in DOCX and PDF."""

import csv
import io
import unicodedata

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.exporters import export, to_csv
from reports.report import Report, Section, build_report

pytestmark = pytest.mark.django_db


def csv_tables(text):
    """{section key: (header, rows)} from the stacked CSV."""
    tables, rows = {}, list(csv.reader(io.StringIO(text)))
    while rows:
        (key, _title), header, *rows = rows
        end = rows.index([]) if [] in rows else len(rows)
        tables[key], rows = (header, rows[:end]), rows[end + 1 :]
    return tables


def test_csv_holds_every_table_with_plain_numbers(year_2017):
    report = build_report(2017, "vi")

    tables = csv_tables(to_csv(report))

    assert list(tables) == [section.key for section in report.sections]
    header, rows = tables["aid"]
    assert header == ["Chỉ tiêu", "2017", "2016"]
    assert [row[1:] for row in rows[:4]] == [
        ["8", "6"],
        ["10", "7"],
        ["700500.00", "576638.00"],
        ["21.48", ""],
    ]
    assert rows[3][0] == "So với năm trước (%)"
    assert tables["overview"][1][3][1] == "1050000000"


def test_csv_file_starts_with_a_byte_order_mark_for_excel(year_2017):
    content = export(build_report(2017, "vi"), "csv")

    assert content.startswith("\ufeff".encode())
    assert "Liên hiệp".encode() in content


def test_xlsx_has_a_sheet_per_section_with_numeric_cells_and_frozen_headers(year_2017):
    report = build_report(2017, "en")

    workbook = load_workbook(io.BytesIO(export(report, "xlsx")))

    assert len(workbook.sheetnames) == len(report.sections) + 1  # and the narrative
    aid = workbook[workbook.sheetnames[9]]
    assert aid.title == "10. Foreign NGO aid"
    assert aid.freeze_panes == "A2"
    assert aid["A1"].font.bold
    assert [cell.value for cell in aid[1]] == ["Figure", "2017", "2016"]
    assert (aid["B2"].value, aid["B3"].value) == (8, 10)
    assert aid["B4"].value == pytest.approx(700500.00)
    assert aid["B4"].data_type == "n"
    assert aid["B4"].number_format == "#,##0.00"
    assert aid["B5"].value == pytest.approx(21.48)
    assert aid["C5"].value is None
    narrative = workbook[workbook.sheetnames[-1]]
    assert narrative["B11"].value == report.section("aid").narrative


def test_docx_has_the_narrative_and_formatted_tables(year_2017):
    report = build_report(2017, "en")

    document = Document(io.BytesIO(export(report, "docx")))

    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs[:2] == [report.union_name, "Yearly summary 2017"]
    assert report.section("aid").narrative in paragraphs
    aid_table = document.tables[[s.key for s in report.sections if s.rows].index("aid")]
    assert [cell.text for cell in aid_table.rows[3].cells] == [
        "Committed aid (USD)",
        "700,500.00",
        "576,638.00",
    ]
    assert aid_table.rows[4].cells[1].text == "+21.48%"


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


def test_pdf_in_vietnamese_embeds_its_text(year_2017):
    content = export(build_report(2017, "vi"), "pdf")

    text = pdf_text(content)
    assert content.startswith(b"%PDF")
    assert "Liên hiệp các tổ chức hữu nghị tỉnh Bình Dương" in text
    assert "Viện trợ phi chính phủ nước ngoài" in text
    assert "+21,48%" in text
    assert "700.500,00" in text


def test_pdf_in_chinese_embeds_its_text(year_2017):
    content = export(build_report(2017, "zh-hans"), "pdf")

    text = pdf_text(content)
    assert "平阳省友好组织联合会" in text
    assert "外国非政府援助" in text
    assert "+21.48%" in text


HOSTILE_NAMES = ['=HYPERLINK("http://evil.example","Laos")', "+cmd|' /C calc'!A0", "@SUM(1)"]


def report_naming(names):
    rows = [[name, 1] for name in names]
    section = Section("localities", "Partner localities", ["Name", "Count"], rows)
    return Report(year=2025, language="en", union_name="Union", title="Summary", sections=[section])


def test_csv_export_keeps_names_that_look_like_formulas_as_text():
    tables = csv_tables(to_csv(report_naming(HOSTILE_NAMES)))

    _header, rows = tables["localities"]
    assert [row[0] for row in rows] == ["'" + name for name in HOSTILE_NAMES]


def test_xlsx_export_keeps_names_that_look_like_formulas_as_text():
    workbook = load_workbook(io.BytesIO(export(report_naming(HOSTILE_NAMES), "xlsx")))

    sheet = workbook[workbook.sheetnames[0]]
    cells = [sheet.cell(row=row, column=1) for row in range(2, 2 + len(HOSTILE_NAMES))]
    assert [cell.value for cell in cells] == HOSTILE_NAMES
    assert {cell.data_type for cell in cells} == {"s"}


def test_csv_holds_the_translations_section_with_plain_numbers(late_translation):
    tables = csv_tables(to_csv(build_report(2017, "en")))

    header, rows = tables["translations"]
    assert header[2] == "Average days from source to translation publication"
    assert rows == [["English", "66.67", "1.8"], ["Simplified Chinese", "0.00", ""]]


def test_xlsx_has_the_translations_sheet_with_numeric_days(late_translation):
    report = build_report(2017, "en")

    workbook = load_workbook(io.BytesIO(export(report, "xlsx")))

    sheet = workbook[workbook.sheetnames[12]]
    assert sheet.title == "13. Translations"
    assert sheet["C2"].value == pytest.approx(1.8)
    assert sheet["C2"].number_format == "#,##0.0"
    assert sheet["C3"].value is None
    narrative = workbook[workbook.sheetnames[-1]]
    assert narrative["B14"].value == report.section("translations").narrative


def test_docx_has_the_translations_table_with_days_formatted(late_translation):
    report = build_report(2017, "vi")

    document = Document(io.BytesIO(export(report, "docx")))

    table = document.tables[[s.key for s in report.sections if s.rows].index("translations")]
    assert [cell.text for cell in table.rows[1].cells][1:] == ["66,67%", "1,8"]
    assert [cell.text for cell in table.rows[2].cells][1:] == ["0,00%", "—"]


def test_pdf_has_the_translations_section(late_translation):
    report = build_report(2017, "en")

    # Table cells and paragraphs wrap: compare with the lines joined.
    text = " ".join(pdf_text(export(report, "pdf")).split())

    assert "Average days from source to translation publication" in text
    assert "appeared on average 1.8 days after their Vietnamese source" in text
