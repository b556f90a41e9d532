import datetime
from decimal import Decimal

import pytest

from events.models import ActivityType
from reports.summary import UNKNOWN_MONTH, compute_summary, percent_change
from tests.factories import ActivityFactory
from tests.reports.conftest import aid_project

pytestmark = pytest.mark.django_db


def test_summary_counts_the_activities_of_the_year(year_2017):
    summary = compute_summary(2017, "en")

    assert summary.union_name == "Union of Friendship Organizations of Binh Duong province"
    assert summary.total == 15
    assert summary.by_type == {
        "delegation_received": 1,
        "delegation_sent": 1,
        "scholarship": 1,
        "festival": 0,
        "anniversary": 0,
        "conference": 0,
        "humanitarian": 1,
        "exchange": 0,
        "aid_project": 11,
    }
    assert summary.by_role == {"chaired": 2, "coordinated": 12, "attended": 1}


def test_summary_puts_activities_known_only_to_the_year_in_the_unknown_month(year_2017):
    summary = compute_summary(2017, "en")

    assert summary.by_month == {
        1: 0,
        2: 0,
        3: 10,
        4: 2,
        5: 0,
        6: 1,
        7: 0,
        8: 0,
        9: 1,
        10: 0,
        11: 0,
        12: 0,
        UNKNOWN_MONTH: 1,
    }


def test_summary_counts_partners_with_names_in_the_language(year_2017):
    english = compute_summary(2017, "en")
    vietnamese = compute_summary(2017, "vi")

    assert english.by_country == [("Cambodia", 2), ("Laos", 2), ("South Korea", 1)]
    assert vietnamese.by_country == [("Campuchia", 2), ("Lào", 2), ("Hàn Quốc", 1)]
    assert english.by_locality == [("Champasak", "Laos", 1), ("Daejeon", "South Korea", 1)]
    assert english.by_association == [
        ("Vietnam–Cambodia Association", 1),
        ("Vietnam–Laos Association", 1),
    ]


def test_summary_counts_people_money_delegations_and_scholarships(year_2017):
    summary = compute_summary(2017, "en")

    assert summary.delegations == {"delegation_received": (1, 12), "delegation_sent": (1, 6)}
    assert summary.participants == 58
    assert summary.beneficiaries == 120
    assert summary.mobilized_vnd == Decimal(1_050_000_000)
    assert summary.scholarship_programmes == 1
    assert summary.scholarships == 35
    assert summary.scholarship_value_vnd == Decimal(150_000_000)


def test_summary_reproduces_the_aid_the_union_reported_for_2017(year_2017):
    summary = compute_summary(2017, "en")

    assert (summary.aid.sponsors, summary.aid.projects) == (8, 10)
    assert summary.aid.committed_usd == Decimal("700500.00")
    assert summary.aid.recorded == 11
    assert (summary.previous_aid.sponsors, summary.previous_aid.projects) == (6, 7)
    assert summary.previous_aid.committed_usd == Decimal("576638.00")
    assert summary.aid_change_percent == Decimal("21.48")


def test_aid_change_is_none_when_the_previous_year_had_no_approved_aid(union):
    aid_project(union, datetime.date(2017, 3, 1), "1000.00", None)
    aid_project(union, datetime.date(2016, 3, 1), "1000.00", None, approved=False)

    summary = compute_summary(2017, "en")

    assert summary.previous_aid.committed_usd == 0
    assert summary.aid_change_percent is None


def test_percent_change_rounds_half_up_to_two_decimals():
    assert percent_change(Decimal(200), Decimal(150)) == Decimal("-25.00")
    assert percent_change(Decimal(3), Decimal(4)) == Decimal("33.33")
    assert percent_change(Decimal(0), Decimal(4)) is None


def test_summary_keeps_the_reported_figures_apart(year_2017):
    summary = compute_summary(2017, "en")

    assert [(row["metric"], row["qualifier"], row["value"]) for row in summary.reported] == [
        ("aid_committed_usd", "more_than", Decimal("700000.00")),
        ("aid_growth_percent", "exact", Decimal("21.48")),
    ]


def test_summary_counts_articles_per_language_and_translation_coverage(year_2017):
    summary = compute_summary(2017, "en")

    assert summary.articles == {"vi": 2, "en": 2, "zh-hans": 0}
    assert summary.coverage == {"en": Decimal("50.00"), "zh-hans": Decimal("0.00")}


def test_anniversaries_are_five_year_multiples_of_the_first_agreement(anniversaries):
    summary = compute_summary(2024, "en")

    assert summary.anniversaries == [
        ("Daejeon", "South Korea", 2005, 20),
        ("Eindhoven", summary.anniversaries[1][1], 2010, 15),
    ]


def test_summary_averages_days_from_source_to_translation_publication(late_translation):
    summary = compute_summary(2017, "en")

    # (0 + 3.5) / 2 days, rounded half up; no Chinese translation was published.
    assert summary.translation_delays == {"en": Decimal("1.8"), "zh-hans": None}


def test_translation_delays_count_only_translations_published_in_the_year(late_translation):
    summary = compute_summary(2018, "en")

    assert summary.translation_delays == {"en": None, "zh-hans": None}


@pytest.mark.parametrize("count", [10, 100])
def test_summary_query_count_does_not_grow_with_activities(union, count, django_assert_num_queries):
    for index in range(count):
        ActivityFactory(
            union=union,
            activity_type=ActivityType.values[index % len(ActivityType.values)],
            starts_on=datetime.date(2024, index % 12 + 1, 1),
            participants=index,
        )

    # Pinned from a real run: 12, and one for the translations' publication delays.
    with django_assert_num_queries(13):
        summary = compute_summary(2024, "en")

    assert summary.total == count
