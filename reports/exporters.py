"""The yearly summary as files: CSV, XLSX, DOCX and PDF, all from the same ``Report``.

CSV and XLSX carry plain numbers (machine-readable: 700500.00, 21.48); DOCX and PDF carry
them formatted per language, as on screen.
"""

import csv
import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from PIL import ImageFile

from reports.charts import bar_chart
from reports.formatting import Days, Money, Percent, plain_value


def to_csv(report):
    """All tables in one CSV text, one after another: a row with the section's key and
    title, the header row, the data rows, then an empty row. Numbers are plain (a dot
    before decimals, no grouping); "n/a" is an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for index, section in enumerate(report.sections):
        if index:
            writer.writerow([])
        writer.writerow([section.key, section.title])
        writer.writerow(section.columns)
        writer.writerows([_csv_cell(cell) for cell in row] for row in section.rows)
    return buffer.getvalue()


# Text a spreadsheet program would run as a formula when it opens the file (CSV injection):
# names typed by staff reach the exports, "=HYPERLINK(…)" among them if someone wished.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(cell):
    value = plain_value(cell)
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # The apostrophe is what spreadsheets themselves use to say "this is text".
        return "'" + value
    return value


def xlsx_number_format(cell):
    if isinstance(cell, Percent):
        return "+0.00;-0.00;0.00"
    if isinstance(cell, Money) and cell.decimals:
        return "#,##0.00"
    if isinstance(cell, Days):
        return "#,##0.0"
    return "#,##0"


def to_xlsx(report):
    """One sheet per section (real number cells, bold header row frozen) and a last
    sheet with the narrative paragraphs."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = f"{report.union_name} – {report.title}"
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="417690")

    def add_sheet(index, title, columns, rows):
        # Sheet names: at most 31 characters, unique, without []:*?/\
        name = f"{index}. {title}"
        for character in "[]:*?/\\":
            name = name.replace(character, " ")
        if len(name) > 31:
            name = name[:30].rstrip() + "…"
        sheet = workbook.create_sheet(name)
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        for row in rows:
            sheet.append([plain_value(cell) for cell in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=True):
                if isinstance(value, int | Decimal | Money | Percent | Days):
                    cell.number_format = xlsx_number_format(value)
                elif cell.data_type == "f":
                    # openpyxl stores text starting with "=" as a formula: keep it text.
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
        for number, column in enumerate(columns, start=1):
            longest = max(
                [len(str(column))] + [len(str(plain_value(row[number - 1]))) for row in rows]
            )
            sheet.column_dimensions[get_column_letter(number)].width = min(max(longest, 8) + 2, 70)
        return sheet

    for index, section in enumerate(report.sections, start=1):
        add_sheet(index, section.title, section.columns, section.rows)
    with translation.override(report.language):
        narrative = add_sheet(
            len(report.sections) + 1,
            translation.gettext("Narrative"),
            [translation.gettext("Section"), translation.gettext("Paragraph")],
            [[section.title, section.narrative] for section in report.sections],
        )
    narrative.column_dimensions["B"].width = 120
    for (paragraph,) in narrative.iter_rows(min_row=2, min_col=2, max_col=2):
        paragraph.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_docx(report):
    """An editable Word document: headings, narrative paragraphs and tables, numbers
    formatted per language."""
    document = Document()
    document.core_properties.title = report.title
    document.core_properties.language = report.language
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    # Chinese text takes the East Asian font, which python-docx does not set by itself.
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "SimSun")

    document.add_heading(report.union_name, level=0)
    document.add_heading(report.title, level=1)
    for section in report.sections:
        document.add_heading(section.title, level=2)
        if section.narrative:
            document.add_paragraph(section.narrative)
        if not section.rows:
            continue
        table = document.add_table(rows=1, cols=len(section.columns))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, label in zip(table.rows[0].cells, section.columns, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(str(label)).bold = True
        for row in section.display_rows(report.language):
            cells = table.add_row().cells
            for cell, (text, is_number) in zip(cells, row, strict=True):
                cell.text = text
                if is_number:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def weasyprint_html():
    """WeasyPrint's HTML class, imported on first use: the import takes over a second.

    Importing WeasyPrint switches on Pillow's process-wide LOAD_TRUNCATED_IMAGES; it is put
    back, since the photo upload check (articles/uploads.py) must go on refusing truncated
    pictures in the same process.
    """
    truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    from weasyprint import HTML  # noqa: PLC0415

    ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    return HTML


def to_pdf(report):
    """A printable A4 report (WeasyPrint), with the fonts that hold Vietnamese and Chinese
    glyphs (DejaVu Sans, WenQuanYi Micro Hei: `make report-deps`) embedded."""
    html = render_to_string(
        "reports/summary_pdf.html",
        {
            "report": report,
            "sections": [
                (
                    section,
                    section.display_rows(report.language),
                    bar_chart(section.chart, report.language) if section.chart else None,
                )
                for section in report.sections
            ],
        },
    )
    return weasyprint_html()(string=html).write_pdf()


# name → (export function, content type, file extension, text output)
FORMATS = {
    "xlsx": (
        to_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "csv": (to_csv, "text/csv; charset=utf-8", "csv"),
    "pdf": (to_pdf, "application/pdf", "pdf"),
    "docx": (
        to_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
}


def export(report, format):
    """The file's bytes; CSV is UTF-8 with a byte order mark, so that Excel reads the
    Vietnamese and Chinese text correctly."""
    content = FORMATS[format][0](report)
    if isinstance(content, str):
        return content.encode("utf-8-sig")
    return content


def filename(report, format):
    return f"yearly-summary-{report.year}-{report.language}.{FORMATS[format][2]}"
