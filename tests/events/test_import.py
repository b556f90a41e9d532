import datetime
import unicodedata
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from events import importing
from events.importing import COLUMNS, REQUIRED_COLUMNS, SpreadsheetError, import_activities
from events.models import Activity
from tests.factories import (
    ActivityFactory,
    CountryFactory,
    ForeignNGOFactory,
    FriendshipUnionFactory,
    MemberAssociationFactory,
    PartnerLocalityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR, "fixtures", "activities-2024-sample.csv")

EXCHANGE = {
    "date": "2024-04-13",
    "end_date": "2024-04-15",
    "type": "exchange",
    "role": "chaired",
    "title_vi": "Giao lưu hữu nghị Việt Nam – Lào",
    "title_en": "Vietnam–Laos friendship exchange",
    "countries": "LA",
    "localities": "Tỉnh Champasak",
    "associations": "Hội hữu nghị Việt Nam – Lào",
    "participants": "120",
}
AID_PROJECT = {
    "date": "2024-06",
    "type": "aid_project",
    "role": "coordinated",
    "title_vi": "Dự án nước sạch",
    "title_zh": "清洁水项目",
    "countries": "la; KH",
    "beneficiaries": "200",
    "amount_vnd": "1.000.000",
    "aid_usd": "70,000.50",
    "sponsor": "clean water fund",
    "approved": "có",
}


def csv_file(rows, columns=COLUMNS, name="activities.csv", encoding="utf-8", delimiter=","):
    lines = [delimiter.join(columns)]
    for row in rows:
        cells = [str(row.get(column, "")) for column in columns]
        lines.append(delimiter.join(f'"{cell}"' if delimiter in cell else cell for cell in cells))
    return SimpleUploadedFile(name, "\n".join(lines).encode(encoding))


def xlsx_file(rows, name="activities.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row.get(column) for column in COLUMNS])
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def partners():
    """The home union and the partners that EXCHANGE and AID_PROJECT name."""
    union = FriendshipUnionFactory(is_home=True)
    laos = CountryFactory(code="LA", name="Laos")
    CountryFactory(code="KH", name="Cambodia")
    champasak = PartnerLocalityFactory(country=laos, name="Champasak province")
    champasak.set_current_language("vi")
    champasak.name = "Tỉnh Champasak"
    champasak.save()
    association = MemberAssociationFactory(union=union, name="Vietnam–Laos Friendship Association")
    association.set_current_language("vi")
    association.name = "Hội hữu nghị Việt Nam – Lào"
    association.save()
    sponsor = ForeignNGOFactory(name="Clean Water Fund")
    return {"union": union, "champasak": champasak, "association": association, "sponsor": sponsor}


def test_import_creates_activities_with_translations_partners_and_figures(partners):
    report = import_activities(csv_file([EXCHANGE, AID_PROJECT]))

    assert (report.created, report.updated, report.unchanged, report.errors) == (2, 0, 0, [])
    exchange = Activity.objects.get(translations__title="Giao lưu hữu nghị Việt Nam – Lào")
    assert exchange.union == partners["union"]
    assert (exchange.starts_on, exchange.ends_on, exchange.date_precision) == (
        datetime.date(2024, 4, 13),
        datetime.date(2024, 4, 15),
        "day",
    )
    assert (exchange.activity_type, exchange.union_role, exchange.participants) == (
        "exchange",
        "chaired",
        120,
    )
    assert exchange.safe_translation_getter("title", language_code="en") == (
        "Vietnam–Laos friendship exchange"
    )
    assert list(exchange.localities.all()) == [partners["champasak"]]
    assert list(exchange.associations.all()) == [partners["association"]]
    assert exchange.source == "activities.csv, line 2"
    aid = Activity.objects.get(activity_type="aid_project")
    assert (aid.starts_on, aid.date_precision) == (datetime.date(2024, 6, 1), "month")
    assert sorted(aid.countries.values_list("code", flat=True)) == ["KH", "LA"]
    assert (aid.beneficiaries, aid.amount_vnd, aid.aid_usd) == (
        200,
        Decimal(1_000_000),
        Decimal("70000.50"),
    )
    assert (aid.sponsor, aid.aid_approved) == (partners["sponsor"], True)
    assert sorted(aid.translations.values_list("language_code", flat=True)) == ["vi", "zh-hans"]


def test_file_with_bad_rows_imports_nothing_and_reports_every_problem(partners):
    rows = [
        {**EXCHANGE, "countries": "LA;XX"},
        {**EXCHANGE, "title_vi": "B", "localities": "Atlantis"},
        {**EXCHANGE, "title_vi": "C", "date": "13/04/2024", "end_date": ""},
        {**AID_PROJECT, "amount_vnd": "-5000"},
        {**EXCHANGE, "title_vi": "E", "type": "picnic"},
        {**EXCHANGE, "title_vi": ""},
        {**EXCHANGE, "title_vi": "G", "end_date": "2024-04-12"},
        {**EXCHANGE, "title_vi": "H", "approved": "yes"},
        {**EXCHANGE, "title_vi": "I", "date": "2024-02-30", "end_date": ""},
        {**EXCHANGE, "title_vi": "A good row"},
    ]

    report = import_activities(csv_file(rows))

    assert [(error.line, error.column) for error in report.errors] == [
        (2, "countries"),
        (3, "localities"),
        (4, "date"),
        (5, "amount_vnd"),
        (6, "type"),
        (7, "title_vi"),
        (8, "end_date"),
        (9, "approved"),
        (10, "date"),
    ]
    assert [error.message for error in report.errors] == [
        "Unknown country code “XX” (ISO 3166 alpha-2, such as LA, KH or JP).",
        "Unknown partner locality “Atlantis”: add it in the admin first (an import never "
        "creates one).",
        "“13/04/2024” is not a date: write YYYY-MM-DD (or YYYY-MM, YYYY when only the month "
        "or the year is known).",
        "“-5000” is negative.",
        "“picnic” is not one of: delegation_received, delegation_sent, scholarship, festival, "
        "anniversary, conference, humanitarian, exchange, aid_project.",
        "This column is required.",
        "The end date is before the date.",
        "An approval is recorded only for aid_project rows.",
        "“2024-02-30” is not a real date.",
    ]
    assert report.refusal() == "9 problems: nothing was imported."
    assert Activity.objects.count() == 0


def test_importing_the_same_file_twice_creates_nothing_twice(partners):
    import_activities(csv_file([EXCHANGE, AID_PROJECT]))

    report = import_activities(csv_file([EXCHANGE, AID_PROJECT]))

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert Activity.objects.count() == 2


def test_reimport_with_a_changed_figure_updates_the_activity(partners):
    import_activities(csv_file([EXCHANGE, AID_PROJECT]))

    report = import_activities(csv_file([{**EXCHANGE, "participants": "150"}, AID_PROJECT]))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Activity.objects.get(activity_type="exchange").participants == 150
    assert Activity.objects.count() == 2


def test_reimport_recognises_the_title_whatever_its_case_and_spacing(partners):
    import_activities(csv_file([EXCHANGE]))

    report = import_activities(
        csv_file([{**EXCHANGE, "title_vi": "  giao lưu HỮU NGHỊ Việt Nam - Lào "}])
    )

    assert (report.created, report.updated) == (0, 1)
    assert Activity.objects.get().safe_translation_getter("title", language_code="vi") == (
        "giao lưu HỮU NGHỊ Việt Nam - Lào"
    )


def test_reimport_keeps_a_translation_left_empty_in_the_file(partners):
    import_activities(csv_file([EXCHANGE]))

    report = import_activities(csv_file([{**EXCHANGE, "title_en": ""}]))

    assert report.unchanged == 1
    assert Activity.objects.get().safe_translation_getter("title", language_code="en") == (
        "Vietnam–Laos friendship exchange"
    )


def test_import_recognises_an_activity_entered_in_the_admin(partners):
    activity = ActivityFactory(
        union=partners["union"],
        activity_type="exchange",
        starts_on=datetime.date(2024, 4, 13),
        title="Friendship exchange",
    )
    activity.set_current_language("vi")
    activity.title = "Giao lưu hữu nghị Việt Nam – Lào"
    activity.save()

    report = import_activities(csv_file([EXCHANGE]))

    assert (report.created, report.updated) == (0, 1)
    assert list(Activity.objects.all()) == [activity]
    assert Activity.objects.get().participants == 120


def test_same_activity_twice_in_a_file_is_reported(partners):
    report = import_activities(csv_file([EXCHANGE, {**EXCHANGE, "participants": "3"}]))

    assert [(error.line, error.column, error.message) for error in report.errors] == [
        (3, "title_vi", "Line 2 has the same date, type and Vietnamese title."),
    ]


def test_xlsx_file_imports_as_the_csv_file_does(partners):
    import_activities(csv_file([EXCHANGE, AID_PROJECT]))
    cells = [
        {**EXCHANGE, "date": datetime.datetime(2024, 4, 13), "end_date": "2024-04-15"},
        {**AID_PROJECT, "beneficiaries": 200, "amount_vnd": 1_000_000, "aid_usd": 70000.5},
    ]

    report = import_activities(xlsx_file(cells))

    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 2, [])


def test_xlsx_file_creates_activities(partners):
    report = import_activities(xlsx_file([{**AID_PROJECT, "approved": True, "aid_usd": 12}]))

    assert report.created == 1
    assert Activity.objects.get().aid_usd == Decimal(12)


def test_file_not_in_utf8_is_refused_with_a_clear_error(partners):
    upload = csv_file(
        [{**EXCHANGE, "title_vi": "Café"}], columns=REQUIRED_COLUMNS, encoding="cp1252"
    )

    with pytest.raises(SpreadsheetError) as error:
        import_activities(upload)

    assert str(error.value).startswith("The file is not UTF-8 (byte ")


def test_excel_byte_order_mark_is_accepted(partners):
    upload = csv_file([EXCHANGE], encoding="utf-8-sig")

    assert import_activities(upload).created == 1


def test_semicolon_separated_csv_is_read(partners):
    upload = csv_file([EXCHANGE, AID_PROJECT], delimiter=";")

    assert import_activities(upload).created == 2


def test_missing_and_unknown_columns_are_refused_with_a_clear_error(partners):
    columns = [column for column in COLUMNS if column != "role"] + ["colour"]

    with pytest.raises(SpreadsheetError) as error:
        import_activities(csv_file([EXCHANGE], columns=columns))

    assert str(error.value).startswith("Missing columns: role. Unknown columns: colour. ")


def test_optional_columns_may_be_left_out(partners):
    report = import_activities(csv_file([EXCHANGE], columns=REQUIRED_COLUMNS))

    assert report.created == 1
    assert Activity.objects.get().countries.count() == 0


def test_decomposed_vietnamese_names_match(partners):
    row = {
        **EXCHANGE,
        "localities": unicodedata.normalize("NFD", "tỉnh champasak"),
        "associations": unicodedata.normalize("NFD", "HỘI HỮU NGHỊ VIỆT NAM - LÀO"),
    }

    report = import_activities(csv_file([row]))

    assert report.errors == []
    assert list(Activity.objects.get().localities.all()) == [partners["champasak"]]


def test_a_name_shared_by_two_localities_is_refused(partners):
    PartnerLocalityFactory(name="Tỉnh Champasak")

    report = import_activities(csv_file([EXCHANGE]))

    assert [(error.line, error.column) for error in report.errors] == [(2, "localities")]


def test_unknown_sponsor_is_refused_and_not_created(partners):
    report = import_activities(csv_file([{**AID_PROJECT, "sponsor": "Unknown Foundation"}]))

    assert [(error.column, error.message) for error in report.errors] == [
        (
            "sponsor",
            "Unknown foreign NGO “Unknown Foundation”: add it in the admin first (an import "
            "never creates one).",
        )
    ]


def test_model_validation_errors_are_reported_per_row(partners):
    report = import_activities(csv_file([{**EXCHANGE, "participants": str(10**20)}]))

    assert [(error.line, error.column) for error in report.errors] == [(2, "participants")]


def test_model_validation_errors_are_reported_beside_other_problems_of_the_row(partners):
    row = {**EXCHANGE, "countries": "XX", "participants": str(10**20)}

    report = import_activities(csv_file([row]))

    assert [(error.line, error.column) for error in report.errors] == [
        (2, "countries"),
        (2, "participants"),
    ]


def test_the_import_checks_the_only_constraint_of_activity_itself():
    # The import skips the model's constraint queries because check_together covers this
    # one: a new constraint on Activity needs a check there too.
    assert [constraint.name for constraint in Activity._meta.constraints] == [
        "events_activity_ends_after_start"
    ]


def test_without_a_home_union_nothing_is_imported(partners):
    partners["union"].is_home = False
    partners["union"].save()

    with pytest.raises(SpreadsheetError, match="No union is marked"):
        import_activities(csv_file([EXCHANGE]))


def test_too_many_rows_are_refused(partners, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 1)

    with pytest.raises(SpreadsheetError, match="more than 1 activities"):
        import_activities(csv_file([EXCHANGE, AID_PROJECT]))


def test_too_large_a_file_is_refused(partners, monkeypatch):
    monkeypatch.setattr(importing, "MAX_FILE_SIZE", 100)

    with pytest.raises(SpreadsheetError, match="larger than"):
        import_activities(csv_file([EXCHANGE]))


@pytest.mark.parametrize("name", ["activities.xls", "activities.txt", "activities"])
def test_other_file_types_are_refused(partners, name):
    with pytest.raises(SpreadsheetError, match="neither a .csv nor an .xlsx"):
        import_activities(csv_file([EXCHANGE], name=name))


def test_a_broken_xlsx_file_is_refused(partners):
    with pytest.raises(SpreadsheetError, match="cannot be read as an Excel workbook"):
        import_activities(SimpleUploadedFile("activities.xlsx", b"not a zip"))


@pytest.mark.parametrize(
    ("text", "value"),
    [("1000000", 1_000_000), ("1.000.000", 1_000_000), ("1,000,000", 1_000_000), ("0", 0)],
)
def test_whole_numbers_may_group_thousands(text, value):
    assert importing.parse_whole_number(text) == value


@pytest.mark.parametrize("text", ["1.5", "1.000,5", "1.00.000", "12abc", "-3", "1,000.000"])
def test_whole_numbers_refuse_anything_else(text):
    with pytest.raises(importing.CellError):
        importing.parse_whole_number(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("70000", "70000"), ("70000.5", "70000.5"), ("70,000.50", "70000.50"), ("0.99", "0.99")],
)
def test_dollars_take_cents_after_a_point(text, value):
    assert importing.parse_usd(text) == Decimal(value)


@pytest.mark.parametrize("text", ["70.000", "1.500,50", "70000.123", "70,5", "$70"])
def test_dollars_refuse_ambiguous_or_malformed_amounts(text):
    with pytest.raises(importing.CellError):
        importing.parse_usd(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("yes", True), ("No", False), ("TRUE", True), ("0", False), ("Có", True), ("không", False)],
)
def test_approval_reads_yes_and_no_in_both_languages(text, value):
    assert importing.parse_yes_no(text) is value


# The admin's upload page.


def import_url():
    return reverse("admin:events_activity_import")


def test_import_page_imports_for_an_editor(client, newsroom, partners):
    client.force_login(newsroom["editor"])

    response = client.post(import_url(), {"file": csv_file([EXCHANGE, AID_PROJECT])})

    assert response.status_code == 200
    assert response.context["report"].created == 2
    assert Activity.objects.count() == 2


def test_import_page_dry_run_imports_nothing(client, newsroom, partners):
    client.force_login(newsroom["editor"])

    response = client.post(import_url(), {"file": csv_file([EXCHANGE]), "dry_run": "on"})

    assert (response.context["report"].dry_run, response.context["report"].created) == (True, 1)
    assert Activity.objects.count() == 0


def test_import_page_lists_the_problems_of_a_bad_file(client, newsroom, partners, settings):
    client.force_login(newsroom["editor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the admin speaks Vietnamese by default

    response = client.post(import_url(), {"file": csv_file([{**EXCHANGE, "countries": "XX"}])})

    assert [(error.line, error.column) for error in response.context["report"].errors] == [
        (2, "countries")
    ]
    assert "Unknown country code “XX”" in response.content.decode()
    assert Activity.objects.count() == 0


def test_import_page_shows_a_file_error_on_the_form(client, newsroom, partners, settings):
    client.force_login(newsroom["editor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    upload = csv_file(
        [{**EXCHANGE, "title_vi": "Café"}], columns=REQUIRED_COLUMNS, encoding="cp1252"
    )

    response = client.post(import_url(), {"file": upload})

    assert response.context["report"] is None
    assert response.context["form"].errors["file"][0].startswith("The file is not UTF-8")


def test_import_page_is_refused_to_a_reporter(client, newsroom, partners):
    client.force_login(newsroom["reporter"])

    response = client.post(import_url(), {"file": csv_file([EXCHANGE])})

    assert response.status_code == 403
    assert Activity.objects.count() == 0


def test_import_page_is_refused_without_the_change_permission(client, partners):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="add_activity"))
    client.force_login(user)

    response = client.get(import_url())

    assert response.status_code == 403


def test_import_page_sends_anonymous_visitors_to_the_login(client):
    response = client.get(import_url())

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_activity_list_links_to_the_import_page_for_an_editor(client, newsroom):
    client.force_login(newsroom["editor"])

    response = client.get(reverse("admin:events_activity_changelist"))

    assert f'href="{import_url()}"' in response.content.decode()


def test_activity_list_hides_the_import_link_from_a_reporter(client, newsroom):
    client.force_login(newsroom["reporter"])

    response = client.get(reverse("admin:events_activity_changelist"))

    assert import_url() not in response.content.decode()


# The management command.


def test_command_reimports_the_sample_file_into_the_seeded_database():
    call_command("load_seed_content", stdout=StringIO())
    before = Activity.objects.count()
    output = StringIO()

    call_command("import_activities", SAMPLE, stdout=output)

    assert output.getvalue() == "0 created, 0 updated, 8 unchanged.\n"
    assert Activity.objects.count() == before


def test_command_imports_the_sample_file_into_an_empty_year():
    call_command("load_seed_content", stdout=StringIO())
    Activity.objects.in_year(2024).delete()
    output = StringIO()

    call_command("import_activities", SAMPLE, stdout=output)

    assert output.getvalue() == "8 created, 0 updated, 0 unchanged.\n"
    assert Activity.objects.in_year(2024).filter(date_precision="year").count() == 7


def test_command_lists_every_problem_and_fails(partners, tmp_path):
    path = tmp_path / "activities.csv"
    path.write_bytes(csv_file([{**EXCHANGE, "countries": "XX"}, {**EXCHANGE, "type": "x"}]).read())
    errors = StringIO()

    with pytest.raises(CommandError, match="2 problems: nothing was imported."):
        call_command("import_activities", path, stderr=errors)

    assert errors.getvalue().splitlines() == [
        "line 2, countries: Unknown country code “XX” (ISO 3166 alpha-2, such as LA, KH or JP).",
        "line 3, type: “x” is not one of: delegation_received, delegation_sent, scholarship, "
        "festival, anniversary, conference, humanitarian, exchange, aid_project.",
    ]
    assert Activity.objects.count() == 0


def test_command_dry_run_imports_nothing(partners, tmp_path):
    path = tmp_path / "activities.csv"
    path.write_bytes(csv_file([EXCHANGE]).read())
    output = StringIO()

    call_command("import_activities", path, "--dry-run", stdout=output)

    assert output.getvalue() == (
        "Dry run, nothing was imported: 1 created, 0 updated, 0 unchanged.\n"
    )
    assert Activity.objects.count() == 0


def test_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_activities", tmp_path / "nowhere.csv")
