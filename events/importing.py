"""Import activities from the spreadsheets the union's staff keep (CSV or XLSX).

One row per activity below a header row that names the columns (``COLUMNS``). The import
is all or nothing: every row is checked first — dates, choices, numbers, and every
country, partner locality, member association and sponsor must already exist, since an
import never creates them — and a file with any bad row writes nothing and reports each
problem with its line. An activity is recognised by its date, type and Vietnamese title,
so importing a file again updates what changed instead of duplicating it; activities
entered in the admin or loaded from the seed are recognised the same way.

``python manage.py import_activities`` and the admin's upload page both call
:func:`import_activities`.
"""

import codecs
import csv
import io
import re
import unicodedata
import warnings
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from itertools import islice, zip_longest
from pathlib import PurePath

import openpyxl
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from events.models import Activity, ActivityTranslation, ActivityType, UnionRole
from friendship_site.dates import DatePrecision
from organizations.models import (
    Country,
    ForeignNGO,
    FriendshipUnion,
    MemberAssociation,
    PartnerLocality,
)

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_ROWS = 20_000
# An .xlsx is a zip archive: refuse one that would unpack to far more than any activity
# log needs before openpyxl loads its strings into memory.
MAX_XLSX_UNPACKED_SIZE = 100 * 1024 * 1024
# The longest cell read: a title has at most 300 characters, a list of partners a few
# hundred. A longer cell is a mistake (or an attack): reported, not parsed.
MAX_CELL_LENGTH = 1000
# Characters refused in a cell: controls (NUL, which PostgreSQL cannot store, escape…)
# and invisible formatting (byte order marks of concatenated files, zero-width and
# bidirectional marks that would disguise a title on the public site). Tabs and line
# breaks are spaces like any other.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs"}
ALLOWED_CONTROLS = {"\t", "\n", "\r"}
# A title starting with one of these is read as a formula by the spreadsheet programs the
# union's figures are exported to: refused, titles being the import's only free text.
FORMULA_STARTS = ("=", "+", "-", "@")

COLUMNS = [
    "date",
    "end_date",
    "type",
    "role",
    "title_vi",
    "title_en",
    "title_zh",
    "countries",
    "localities",
    "associations",
    "participants",
    "beneficiaries",
    "scholarships",
    "amount_vnd",
    "aid_usd",
    "sponsor",
    "approved",
]
REQUIRED_COLUMNS = ["date", "type", "role", "title_vi"]
TITLE_LANGUAGES = {"title_vi": "vi", "title_en": "en", "title_zh": "zh-hans"}
RELATION_COLUMNS = ["countries", "localities", "associations"]
# The Activity field each remaining column sets ("date" sets starts_on and date_precision).
COLUMN_FIELDS = {
    "end_date": "ends_on",
    "type": "activity_type",
    "role": "union_role",
    "participants": "participants",
    "beneficiaries": "beneficiaries",
    "scholarships": "scholarships",
    "amount_vnd": "amount_vnd",
    "aid_usd": "aid_usd",
    "sponsor": "sponsor_id",
    "approved": "aid_approved",
}
# Where the model's own validation errors are reported: the column the field comes from.
FIELD_COLUMNS = {
    "starts_on": "date",
    "date_precision": "date",
    "sponsor": "sponsor",
    NON_FIELD_ERRORS: "",
    **{name: column for column, name in COLUMN_FIELDS.items()},
}

YES = {"yes", "true", "1", "có", "co"}
NO = {"no", "false", "0", "không", "khong"}
DASHES_RE = re.compile(r"[\u2010-\u2015\u2212]")
NEGATIVE_RE = re.compile(r"[-\u2212]\s*\d")
# Whole numbers: plain digits, or digits grouped by threes with one kind of separator
# (1000000, 1.000.000, 1,000,000, 1 000 000). With no decimals allowed, either way of
# writing thousands is unambiguous.
WHOLE_NUMBER_RE = re.compile(r"\d+|\d{1,3}(?P<sep>[.,\u00a0\u202f ])\d{3}(?:(?P=sep)\d{3})*")
# Dollars: a point before the cents; commas or spaces only between thousands.
USD_RE = re.compile(
    r"(?:\d+|\d{1,3}(?P<sep>[,\u00a0\u202f ])\d{3}(?:(?P=sep)\d{3})*)(?:\.\d{1,2})?"
)
# "70.000" or "1.500,50": thousands marked with points, as Vietnamese spreadsheets write
# them, but seventy dollars in English. Refused rather than guessed.
USD_POINT_THOUSANDS_RE = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?")
DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
MONTH_RE = re.compile(r"\d{4}-\d{2}")
YEAR_RE = re.compile(r"\d{4}")


class SpreadsheetError(Exception):
    """The file as a whole cannot be imported (unreadable, wrong columns, too large…)."""


class CellError(ValueError):
    """One cell's value is wrong; the message says why."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    """What an import did or, for a dry run, would do; or why it did nothing."""

    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def summary(self):
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }

    def refusal(self):
        count = len(self.errors)
        return ngettext(
            "%(count)s problem: nothing was imported.",
            "%(count)s problems: nothing was imported.",
            count,
        ) % {"count": count}


@dataclass
class PlannedRow:
    line: int
    key: tuple
    activity: Activity
    relations: dict
    action: str  # "created", "updated" or "unchanged"


def normalize_name(value):
    """The form in which names and titles are compared: NFC, case folded, dashes and
    spaces made uniform ("viet nam - lao" typed decomposed finds "Việt Nam – Lào")."""
    value = unicodedata.normalize("NFC", str(value))
    return " ".join(DASHES_RE.sub("-", value).casefold().split())


def activity_key(starts_on, activity_type, title_vi):
    """The stable key of an activity: its date, its type and its Vietnamese title."""
    return (starts_on, activity_type, normalize_name(title_vi))


# Reading the file.


def read_table(data, filename):
    """The column names of ``data`` and its rows as ``(line, cells)``, blank rows left out.

    Lines are the spreadsheet's: the header is line 1.
    """
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        rows = csv_rows(data)
    elif suffix == ".xlsx":
        rows = xlsx_rows(data)
    else:
        raise SpreadsheetError(
            _(
                "“%(name)s” is neither a .csv nor an .xlsx file: save the spreadsheet as "
                "“CSV UTF-8” or as an Excel workbook (.xlsx)."
            )
            % {"name": filename}
        )
    rows = iter(rows)
    _line, header = next(rows, (None, None))
    if header is None:
        raise SpreadsheetError(_("The file is empty."))
    columns = check_header(header)
    lines = list(islice(rows, MAX_ROWS + 1))
    if len(lines) > MAX_ROWS:
        raise SpreadsheetError(
            _("The file has more than %(max)s activities; split it into smaller files.")
            % {"max": MAX_ROWS}
        )
    if not lines:
        raise SpreadsheetError(_("The file has no activities below its header row."))
    return columns, lines


def non_blank(rows):
    """``(line, cells)`` of the rows that have a value (spreadsheets end in blank rows)."""
    for line, cells in enumerate(rows, start=1):
        if any(cell_text(cell) for cell in cells):
            yield line, cells


def csv_rows(data):
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SpreadsheetError(
            _(
                "The file is UTF-16 (Excel's “Unicode Text”). In Excel, save it as “CSV UTF-8 "
                "(Comma delimited)”."
            )
        )
    try:
        # utf-8-sig: Excel's "CSV UTF-8" starts with a byte order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(
            _(
                "The file is not UTF-8 (byte %(position)s cannot be read). In Excel, save it "
                "as “CSV UTF-8 (Comma delimited)”."
            )
            % {"position": error.start + 1}
        ) from None
    # Spreadsheets set to Vietnamese or European conventions separate CSV columns with
    # semicolons: take whichever separator the header row uses.
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from non_blank(reader)
    except csv.Error as error:
        raise SpreadsheetError(
            _("Line %(line)s cannot be read as CSV: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None


def xlsx_rows(data):
    unreadable = SpreadsheetError(_("The file cannot be read as an Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(member.file_size for member in archive.infolist()) > MAX_XLSX_UNPACKED_SIZE:
                raise unreadable
    except zipfile.BadZipFile:
        raise unreadable from None
    with warnings.catch_warnings():
        # openpyxl warns about workbook features it does not read (styles, validation
        # rules…); the import reads values only.
        warnings.simplefilter("ignore", UserWarning)
        # A damaged or forged workbook makes openpyxl raise whatever its parsing meets
        # (zip, XML, key, attribute, type errors…), while loading or, read-only, while
        # reading rows: any of them means the file cannot be read, never a crash.
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise unreadable from None
        try:
            if not workbook.worksheets:
                raise SpreadsheetError(_("The workbook has no worksheet."))
            # The first sheet is the log; formulas give the values Excel last computed. Read
            # here, within the warnings filter: the header and one row more than allowed.
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            return list(islice(non_blank(rows), MAX_ROWS + 2))
        except SpreadsheetError:
            raise
        except Exception:
            raise unreadable from None
        finally:
            workbook.close()


def check_header(header):
    columns = [normalize_name(cell) if cell is not None else "" for cell in header]
    named = [column for column in columns if column]
    problems = []
    if missing := [column for column in REQUIRED_COLUMNS if column not in named]:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown := [column for column in named if column not in COLUMNS]:
        # Shortened: a header cell may be anything, a megabyte of text among others.
        unknown = [Truncator(column).chars(40) for column in unknown[:10]]
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if twice := sorted({column for column in named if named.count(column) > 1}):
        problems.append(_("Columns named twice: %(columns)s.") % {"columns": ", ".join(twice)})
    if problems:
        problems.append(
            _("The columns are: %(columns)s; of these, %(required)s are required.")
            % {"columns": ", ".join(COLUMNS), "required": ", ".join(REQUIRED_COLUMNS)}
        )
        raise SpreadsheetError(" ".join(problems))
    return columns


# Reading cells. A parser takes a cell as the file gives it (text from CSV; text, numbers,
# booleans or datetimes from XLSX) and returns its value or raises CellError.


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


def cell_problem(value):
    """Why a cell cannot be read at all (too long, invisible characters), or None."""
    if not isinstance(value, str):
        return None
    if len(value) > MAX_CELL_LENGTH:
        return _("This cell holds %(length)s characters; at most %(max)s are read.") % {
            "length": len(value),
            "max": MAX_CELL_LENGTH,
        }
    if value.isprintable():  # the usual cell, checked in C
        return None
    for character in value:
        if (
            unicodedata.category(character) in INVISIBLE_CATEGORIES
            and character not in ALLOWED_CONTROLS
        ):
            return _(
                "This cell holds an invisible character (U+%(code)04X) that cannot be "
                "imported: delete it."
            ) % {"code": ord(character)}
    return None


def parse_date(value):
    """A date and its precision: YYYY-MM-DD, or YYYY-MM and YYYY when only the month or
    the year is known (stored as the first day of it, as everywhere on the site)."""
    if isinstance(value, datetime):
        return value.date(), DatePrecision.DAY
    if isinstance(value, date):
        return value, DatePrecision.DAY
    text = cell_text(value)
    try:
        if DAY_RE.fullmatch(text):
            return date.fromisoformat(text), DatePrecision.DAY
        if MONTH_RE.fullmatch(text):
            return date.fromisoformat(f"{text}-01"), DatePrecision.MONTH
        if YEAR_RE.fullmatch(text):
            return date(int(text), 1, 1), DatePrecision.YEAR
    except ValueError:
        raise CellError(_("“%(value)s” is not a real date.") % {"value": text}) from None
    raise CellError(
        _(
            "“%(value)s” is not a date: write YYYY-MM-DD (or YYYY-MM, YYYY when only the "
            "month or the year is known)."
        )
        % {"value": text}
    )


def parse_end_date(value):
    return parse_date(value)[0]


def choice_parser(choices):
    def parse(value):
        text = cell_text(value)
        if text.lower() not in choices.values:
            raise CellError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(choices.values)}
            )
        return text.lower()

    return parse


def refuse_non_numbers(value):
    text = cell_text(value)
    if isinstance(value, bool | date):
        raise CellError(_("“%(value)s” is not a number.") % {"value": text})
    if (isinstance(value, int | float) and value < 0) or NEGATIVE_RE.match(text):
        raise CellError(_("“%(value)s” is negative.") % {"value": text})
    return text


def parse_whole_number(value):
    """A whole number ≥ 0, digits grouped by threes or not (see WHOLE_NUMBER_RE)."""
    text = refuse_non_numbers(value)
    if isinstance(value, int | float) and float(value).is_integer():
        return int(value)
    if isinstance(value, float) or not WHOLE_NUMBER_RE.fullmatch(text):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": text})
    return int(re.sub(r"\D", "", text))


def parse_vnd(value):
    return Decimal(parse_whole_number(value))


def parse_usd(value):
    """Dollars ≥ 0, at most two decimals after a point (see USD_RE)."""
    text = refuse_non_numbers(value)
    if isinstance(value, int | float):
        # repr() of a float is the shortest text that reads back as it: 70000.1, not
        # 70000.10000000000582.
        amount = Decimal(repr(value) if isinstance(value, float) else value)
    elif USD_RE.fullmatch(text):
        amount = Decimal(re.sub(r"[^\d.]", "", text))
    elif USD_POINT_THOUSANDS_RE.fullmatch(text):
        raise CellError(
            _(
                "“%(value)s” is ambiguous: write dollars without thousands separators, with "
                "a point before the cents (70000 or 70000.50)."
            )
            % {"value": text}
        )
    else:
        raise CellError(_("“%(value)s” is not an amount in dollars.") % {"value": text})
    try:
        exact = amount == amount.quantize(Decimal("0.01"))
    except InvalidOperation:  # more digits than Decimal's precision: no real amount
        raise CellError(_("“%(value)s” is too large.") % {"value": text}) from None
    if not exact:
        raise CellError(_("“%(value)s” has more than two decimals.") % {"value": text})
    return amount


def parse_yes_no(value):
    if isinstance(value, bool):
        return value
    text = normalize_name(cell_text(value))
    if text in YES or text in NO:
        return text in YES
    raise CellError(_("“%(value)s” is neither yes nor no.") % {"value": cell_text(value)})


def split_list(value):
    """The items of a list cell, separated by semicolons, without blanks or repeats."""
    items = (item.strip() for item in cell_text(value).split(";"))
    return list(dict.fromkeys(item for item in items if item))


class NameIndex:
    """Records found by any of their names in any language, compared as normalize_name
    does. ``unknown`` and ``ambiguous`` are the messages, with ``%(name)s``."""

    def __init__(self, pairs, unknown, ambiguous):
        self.ids = defaultdict(set)
        for pk, name in pairs:
            if name:
                self.ids[normalize_name(name)].add(pk)
        self.unknown = unknown
        self.ambiguous = ambiguous

    def find(self, value):
        name = cell_text(value)
        found = self.ids.get(normalize_name(name), set())
        if len(found) != 1:
            raise CellError((self.ambiguous if found else self.unknown) % {"name": name})
        return next(iter(found))


class RowChecker:
    """Turns the cells of a row into an activity's values, or into its problems."""

    def __init__(self, union, columns):
        self.columns = columns
        self.present = set(columns)
        self.countries = {
            code.upper(): pk for code, pk in Country.objects.values_list("code", "pk")
        }
        sponsors = NameIndex(
            ForeignNGO.objects.values_list("pk", "translations__name"),
            unknown=_(
                "Unknown foreign NGO “%(name)s”: add it in the admin first (an import never "
                "creates one)."
            ),
            ambiguous=_("“%(name)s” names several foreign NGOs: write another of its names."),
        )
        self.parsers = {
            "date": parse_date,
            "end_date": parse_end_date,
            "type": choice_parser(ActivityType),
            "role": choice_parser(UnionRole),
            "participants": parse_whole_number,
            "beneficiaries": parse_whole_number,
            "scholarships": parse_whole_number,
            "amount_vnd": parse_vnd,
            "aid_usd": parse_usd,
            "sponsor": sponsors.find,
            "approved": parse_yes_no,
        }
        localities = NameIndex(
            PartnerLocality.objects.values_list("pk", "translations__name"),
            unknown=_(
                "Unknown partner locality “%(name)s”: add it in the admin first (an import "
                "never creates one)."
            ),
            ambiguous=_("“%(name)s” names several partner localities: write another of its names."),
        )
        associations = NameIndex(
            MemberAssociation.objects.filter(union=union).values_list("pk", "translations__name"),
            unknown=_(
                "Unknown member association “%(name)s”: add it in the admin first (an import "
                "never creates one)."
            ),
            ambiguous=_(
                "“%(name)s” names several member associations: write another of its names."
            ),
        )
        self.finders = {
            "countries": self.find_country,
            "localities": localities.find,
            "associations": associations.find,
        }
        self.title_field = ActivityTranslation._meta.get_field("title")

    def find_country(self, code):
        pk = self.countries.get(code.upper())
        if pk is None:
            raise CellError(
                _("Unknown country code “%(code)s” (ISO 3166 alpha-2, such as LA, KH or JP).")
                % {"code": code}
            )
        return pk

    def check(self, line, cells):
        """``(values, titles, relations, errors)`` of the row at ``line``.

        ``values`` holds the Activity fields of the columns the file has (an empty cell
        clears its field), ``titles`` the titles given, by language, and ``relations`` the
        primary keys for each many-to-many column the file has.
        """
        errors = []

        def problem(column, message):
            errors.append(RowError(line, column, message))

        row, unreadable = {}, set()
        for column, cell in zip_longest(self.columns, cells):
            if column and (message := cell_problem(cell)):
                # Reported once; the cell is then read as empty.
                problem(column, message)
                row[column] = None
                unreadable.add(column)
            elif column:
                row[column] = cell
            elif cell_text(cell):
                problem("", _("A cell of this row is in a column without a header."))
        for column in REQUIRED_COLUMNS:
            if column not in unreadable and not cell_text(row[column]):
                problem(column, _("This column is required."))

        values = {}
        for column, parse in self.parsers.items():
            if column not in self.present:
                continue
            if not cell_text(row[column]):
                if column not in REQUIRED_COLUMNS:  # those are reported above
                    values[COLUMN_FIELDS[column]] = None
                continue
            try:
                value = parse(row[column])
            except CellError as error:
                problem(column, str(error))
                continue
            if column == "date":
                values["starts_on"], values["date_precision"] = value
            else:
                values[COLUMN_FIELDS[column]] = value

        titles = {}
        for column, language in TITLE_LANGUAGES.items():
            if title := " ".join(cell_text(row.get(column)).split()):
                if title.startswith(FORMULA_STARTS):
                    problem(
                        column,
                        _(
                            "A title cannot start with “%(character)s”: spreadsheet programs "
                            "would read it as a formula."
                        )
                        % {"character": title[0]},
                    )
                    continue
                try:
                    titles[language] = self.title_field.clean(title, None)
                except ValidationError as error:
                    problem(column, " ".join(error.messages))

        relations = {}
        for column, find in self.finders.items():
            if column in self.present:
                relations[column] = set()
                for name in split_list(row[column]):
                    try:
                        relations[column].add(find(name))
                    except CellError as error:
                        problem(column, str(error))

        check_together(values, problem)
        return values, titles, relations, errors


def check_together(values, problem):
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        problem("end_date", _("The end date is before the date."))
    activity_type = values.get("activity_type")
    if activity_type and activity_type != ActivityType.AID_PROJECT:
        if values.get("sponsor_id") is not None:
            problem("sponsor", _("A sponsor is recorded only for aid_project rows."))
        if values.get("aid_approved") is not None:
            problem("approved", _("An approval is recorded only for aid_project rows."))


# Matching rows with stored activities, and writing.


def stored_titles(activity):
    return {
        translation.language_code: translation.title for translation in activity.translations.all()
    }


def existing_activities(union, dates):
    """The union's activities from the first to the last of ``dates``, by stable key."""
    found = defaultdict(list)
    if not dates:
        return found
    activities = Activity.objects.filter(
        union=union, starts_on__range=(min(dates), max(dates))
    ).prefetch_related("translations", *RELATION_COLUMNS)
    for activity in activities:
        if title_vi := stored_titles(activity).get("vi"):
            key = activity_key(activity.starts_on, activity.activity_type, title_vi)
            found[key].append(activity)
    return found


def apply_row(activity, values, titles, relations):
    """Set ``values`` and ``titles`` on ``activity``; whether anything differs.

    Translations are never removed: an empty title cell keeps the stored title.
    """
    changed = activity.pk is None
    for name, value in values.items():
        if getattr(activity, name) != value:
            setattr(activity, name, value)
            changed = True
    current_titles = stored_titles(activity) if activity.pk else {}
    for language, title in titles.items():
        if current_titles.get(language) != title:
            activity.set_current_language(language)
            activity.title = title
            changed = True
    if activity.pk:
        for name, pks in relations.items():
            changed = changed or {related.pk for related in getattr(activity, name).all()} != pks
    return changed


def validation_errors(line, error):
    return [
        RowError(line, FIELD_COLUMNS.get(name, name), message)
        for name, messages in error.message_dict.items()
        for message in messages
    ]


def field_errors(line, values, row_errors):
    """The model's field errors (a number out of range…) of a row that already has
    problems, on the columns without one, so that one upload reports them all."""
    reported = {error.column for error in row_errors}
    exclude = [field.name for field in Activity._meta.fields if field.name not in values]
    exclude += [name for name in values if FIELD_COLUMNS.get(name) in reported]
    activity = Activity(**{name: value for name, value in values.items() if name not in exclude})
    try:
        activity.clean_fields(exclude=exclude)
    except ValidationError as error:
        return validation_errors(line, error)
    return []


def plan_rows(union, columns, lines, filename):
    """Check every row and decide what it does: ``(planned rows, errors)``."""
    checker = RowChecker(union, columns)
    checked, errors = [], []
    for line, cells in lines:
        values, titles, relations, row_errors = checker.check(line, cells)
        if row_errors:
            errors.extend(row_errors)
            errors.extend(field_errors(line, values, row_errors))
        else:
            checked.append((line, values, titles, relations))

    existing = existing_activities(union, {values["starts_on"] for _line, values, *_ in checked})
    first_lines, planned = {}, []
    for line, values, titles, relations in checked:
        key = activity_key(values["starts_on"], values["activity_type"], titles["vi"])
        matches = existing.get(key, [])
        if key in first_lines:
            message = _("Line %(line)s has the same date, type and Vietnamese title.") % {
                "line": first_lines[key]
            }
            errors.append(RowError(line, "title_vi", message))
            continue
        first_lines[key] = line
        if len(matches) > 1:
            message = _(
                "Several stored activities have this date, type and Vietnamese title "
                "(%(ids)s): merge them in the admin first."
            ) % {"ids": ", ".join(f"#{activity.pk}" for activity in matches)}
            errors.append(RowError(line, "title_vi", message))
            continue
        activity = (
            matches[0] if matches else Activity(union=union, source=f"{filename}, line {line}")
        )
        changed = apply_row(activity, values, titles, relations)
        try:
            # The union and the sponsor were just read from the database, and the model's
            # one constraint (the end is not before the start) is checked by
            # check_together: validating them again would cost three queries a row.
            activity.full_clean(exclude=["union", "sponsor"], validate_constraints=False)
        except ValidationError as error:
            errors.extend(validation_errors(line, error))
            continue
        action = "created" if activity.pk is None else "updated" if changed else "unchanged"
        planned.append(PlannedRow(line, key, activity, relations, action))
    # By line, then in the order of the columns (problems of the whole row first).
    order = {column: position for position, column in enumerate(COLUMNS)}
    errors.sort(key=lambda error: (error.line, order.get(error.column, -1)))
    return planned, errors


@transaction.atomic
def write_rows(union, planned):
    # The rows were checked outside this transaction, which on SQLite holds the database's
    # write lock. Under the union's row lock, make sure that no other import (or editor)
    # created or removed a matching activity in between, or this one could duplicate it.
    list(FriendshipUnion.objects.select_for_update().filter(pk=union.pk).values_list("pk"))
    existing = existing_activities(union, {row.key[0] for row in planned})
    for row in planned:
        stored = [activity.pk for activity in existing.get(row.key, [])]
        if stored != ([row.activity.pk] if row.activity.pk else []):
            raise SpreadsheetError(
                _(
                    "Activities changed while the file was being checked (another import?). "
                    "Nothing was imported: import the file again."
                )
            )
    for row in planned:
        if row.action == "unchanged":
            continue
        row.activity.save()
        for name, pks in row.relations.items():
            if pks or row.action == "updated":
                getattr(row.activity, name).set(pks)


def import_activities(file, *, dry_run=False):
    """Import the activities in ``file`` (a binary file object whose name ends in .csv or
    .xlsx) into the home union.

    Every row is checked first; if any is wrong, or with ``dry_run``, nothing is written.
    Returns an :class:`ImportReport` with the counts or every row's problems; raises
    :class:`SpreadsheetError` when the file as a whole cannot be imported.
    """
    filename = PurePath(getattr(file, "name", None) or "").name
    data = file.read(MAX_FILE_SIZE + 1)
    if len(data) > MAX_FILE_SIZE:
        raise SpreadsheetError(
            _("The file is larger than %(size)s MB; split it into smaller files.")
            % {"size": MAX_FILE_SIZE // (1024 * 1024)}
        )
    union = FriendshipUnion.objects.home()
    if union is None:
        raise SpreadsheetError(_("No union is marked as this site's union; mark it first."))
    columns, lines = read_table(data, filename)
    # A new activity's source says where it came from: "activities-2024.xlsx, line 12".
    planned, errors = plan_rows(union, columns, lines, filename[:250])
    if errors:
        return ImportReport(dry_run=dry_run, errors=errors)
    counts = Counter(row.action for row in planned)
    report = ImportReport(
        dry_run=dry_run,
        created=counts["created"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
    )
    if not dry_run:
        write_rows(union, planned)
    return report


class ImportForm(forms.Form):
    """The admin's upload form."""

    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("A .csv file (UTF-8) or an Excel workbook (.xlsx)."),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only (dry run)"),
        required=False,
        help_text=gettext_lazy("Check every row and count what would change; import nothing."),
    )
