"""The report's text: labels and narrative in each language, numbers formatted per
language (tables and prose)."""

import datetime
from decimal import Decimal

import pytest

from reports.formatting import (
    Days,
    Money,
    Percent,
    format_number,
    format_value,
    prose_number,
)
from reports.report import build_report
from tests.reports.conftest import aid_project

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [("vi", "1.234.567,89"), ("en", "1,234,567.89"), ("zh-hans", "1,234,567.89")],
)
def test_numbers_are_grouped_per_language(language, expected):
    assert format_number(Decimal("1234567.891"), language, 2) == expected


def test_chinese_prose_counts_in_wan_and_yi():
    assert prose_number(700000, "zh-hans") == "70万"
    assert prose_number(Decimal("700500.00"), "zh-hans", 2) == "70.05万"
    assert prose_number(1_050_000_000, "zh-hans") == "10.5亿"
    assert prose_number(9999, "zh-hans") == "9,999"


def test_table_values_are_formatted_per_language():
    assert format_value(Money(Decimal("700500.00"), "USD"), "vi") == "700.500,00"
    assert format_value(Money(Decimal(1_050_000_000), "VND"), "en") == "1,050,000,000"
    assert format_value(Percent(Decimal("21.48"), signed=True), "en") == "+21.48%"
    assert format_value(Percent(Decimal("21.48"), signed=True), "vi") == "+21,48%"
    assert format_value(Percent(None), "en") == "n/a"


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "vi",
            "Năm 2017, Liên hiệp đã xúc tiến cho 8 tổ chức phi chính phủ nước ngoài được UBND "
            "tỉnh chấp thuận triển khai 10 dự án, với tổng số vốn cam kết tài trợ 700.500 đô la "
            "Mỹ. Tăng 21,48% so với năm 2016 (576.638 đô la Mỹ).",
        ),
        (
            "en",
            "In 2017 the Provincial People's Committee approved 10 foreign NGO aid projects "
            "(sponsors: 8), with committed aid of 700,500 USD. That is 21.48% more than in "
            "2016 (576,638 USD).",
        ),
        (
            "zh-hans",
            "2017年,联合会促成8个外国非政府组织获省人民委员会批准实施10个援助项目,"
            "承诺援助资金70.05万美元。比2016年(57.66万美元)增长21.48%。",
        ),
    ],
)
def test_aid_narrative_is_written_in_the_language(year_2017, language, sentence):
    report = build_report(2017, language)

    assert report.section("aid").narrative == sentence


def test_narratives_format_numbers_per_language(year_2017):
    vietnamese = build_report(2017, "vi").section("overview").narrative
    english = build_report(2017, "en").section("overview").narrative

    assert "1.050.000.000 đồng" in vietnamese
    assert "1,050,000,000 VND" in english


def test_aid_change_is_na_when_the_previous_year_is_zero(union):
    aid_project(union, datetime.date(2017, 3, 1), "1000.00", None)

    report = build_report(2017, "en")

    aid = report.section("aid")
    change_row = aid.rows[3]
    assert aid.display_rows("en")[3][1] == ("n/a", True)
    assert change_row[1] == Percent(None, signed=True)
    assert aid.narrative.endswith("No approved aid was recorded in 2016 to compare with.")


def test_months_table_has_an_unknown_month_row(year_2017):
    rows = build_report(2017, "en").section("by_month").rows

    assert rows[0] == ["January", 0]
    assert rows[-1] == ["Month unknown (dated to the year only)", 1]


def test_reported_figures_are_shown_as_stated(year_2017):
    rows = build_report(2017, "en").section("reported").rows

    assert [row[:2] for row in rows] == [
        ["Committed aid (USD)", "more than 700,000 USD"],
        ["Growth of committed aid on the year before (%)", "21.48%"],
    ]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "20 years Binh Duong – Daejeon"),
        ("vi", "20 năm Bình Dương – Daejeon"),
        ("zh-hans", "平阳 – 大田 20周年"),
    ],
)
def test_anniversaries_are_written_in_the_language(anniversaries, language, text):
    section = build_report(2024, language).section("anniversaries")

    assert section.rows[0][0] == text
    assert text in section.narrative


def test_translations_section_shows_coverage_and_days_to_publish(late_translation):
    section = build_report(2017, "en").section("translations")

    assert section.rows == [
        ["English", Percent(Decimal("66.67")), Days(Decimal("1.8"))],
        ["Simplified Chinese", Percent(Decimal("0.00")), Days(None)],
    ]
    assert section.narrative == (
        "English translations published in 2017 appeared on average 1.8 days after their "
        "Vietnamese source. No Simplified Chinese translation was published in 2017."
    )


def test_days_are_written_with_one_decimal_per_language():
    assert format_value(Days(Decimal("1.8")), "vi") == "1,8"
    assert format_value(Days(Decimal("12")), "en") == "12.0"
    assert format_value(Days(None), "en") == "—"
