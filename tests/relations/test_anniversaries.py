"""Anniversaries are computed from the first year, never typed."""

import datetime

import pytest
from django.utils import translation

from friendship_site.dates import DatePrecision
from organizations.models import CooperationAgreement
from relations.models import Occasion, OccasionKind, anniversary_label
from tests.factories import MemberAssociationFactory, OccasionFactory, PartnerLocalityFactory

pytestmark = pytest.mark.django_db


def test_occurrence_counts_the_years_since_the_first_day():
    relations = OccasionFactory(date=datetime.date(1975, 9, 23))

    occurrence = relations.occurrence_in(2025)

    assert occurrence.on == datetime.date(2025, 9, 23)
    assert occurrence.years == 50
    assert occurrence.is_anniversary


def test_years_that_are_not_round_are_no_anniversary():
    occurrence = OccasionFactory(date=datetime.date(1975, 9, 23)).occurrence_in(2027)

    assert occurrence.years == 52
    assert not occurrence.is_anniversary
    assert occurrence.anniversary == ""


def test_no_occurrence_before_the_relationship_began():
    assert OccasionFactory(date=datetime.date(2005, 6, 1)).occurrence_in(2004) is None


def test_the_first_year_itself_is_no_anniversary():
    occurrence = OccasionFactory(date=datetime.date(2005, 6, 1)).occurrence_in(2005)

    assert occurrence.years == 0
    assert not occurrence.is_anniversary


def test_29_february_falls_on_28_february_in_common_years():
    leap_day = OccasionFactory(date=datetime.date(2000, 2, 29))

    assert leap_day.occurrence_in(2025).on == datetime.date(2025, 2, 28)
    assert leap_day.occurrence_in(2028).on == datetime.date(2028, 2, 29)
    assert leap_day.occurrence_in(2025).years == 25


def test_holiday_without_counted_years_is_never_an_anniversary():
    kings_day = OccasionFactory(
        kind=OccasionKind.NATIONAL_DAY, date=datetime.date(1967, 4, 27), counts_years=False
    )

    occurrence = kings_day.occurrence_in(2027)

    assert occurrence.years is None
    assert not occurrence.is_anniversary


def test_holiday_entered_for_one_year_occurs_only_that_year():
    tet = OccasionFactory(
        kind=OccasionKind.TRADITIONAL_HOLIDAY,
        date=datetime.date(2026, 2, 17),
        repeats_yearly=False,
        counts_years=False,
    )

    assert tet.occurrence_in(2026).on == datetime.date(2026, 2, 17)
    assert tet.occurrence_in(2027) is None


def test_step_of_round_years_is_configurable(settings):
    settings.RELATIONS_ANNIVERSARY_STEP = 10
    occasion = OccasionFactory(date=datetime.date(2010, 5, 1))

    assert not occasion.occurrence_in(2025).is_anniversary
    assert occasion.occurrence_in(2030).is_anniversary


def test_anniversaries_of_a_year_are_listed_by_day():
    germany = OccasionFactory(name="Vietnam–Germany", date=datetime.date(1975, 9, 23))
    russia = OccasionFactory(name="Vietnam–Russia", date=datetime.date(1950, 1, 30))
    OccasionFactory(name="Vietnam–Japan", date=datetime.date(1973, 9, 21))

    anniversaries = Occasion.objects.anniversaries_in(2025)

    assert [(item.occasion, item.years) for item in anniversaries] == [(russia, 75), (germany, 50)]


def test_occurrences_between_cross_the_new_year():
    national_day = OccasionFactory(date=datetime.date(1975, 12, 2))
    russia = OccasionFactory(date=datetime.date(1950, 1, 30))

    found = Occasion.objects.occurrences_between(
        datetime.date(2025, 11, 15), datetime.date(2026, 2, 1)
    )

    assert [(item.occasion, item.on) for item in found] == [
        (national_day, datetime.date(2025, 12, 2)),
        (russia, datetime.date(2026, 1, 30)),
    ]


@pytest.mark.parametrize(
    ("language", "years", "label"),
    [
        ("en", 1, "1st anniversary"),
        ("en", 2, "2nd anniversary"),
        ("en", 3, "3rd anniversary"),
        ("en", 11, "11th anniversary"),
        ("en", 12, "12th anniversary"),
        ("en", 20, "20th anniversary"),
        ("en", 21, "21st anniversary"),
        ("en", 112, "112th anniversary"),
        ("vi", 20, "20 năm"),
        ("zh-hans", 20, "20周年"),
    ],
)
def test_anniversary_ordinal_in_each_language(language, years, label):
    with translation.override(language):
        assert anniversary_label(years) == label


def test_agreement_gets_its_occasion_named_after_the_partner():
    daejeon = PartnerLocalityFactory(name="Daejeon City")

    CooperationAgreement.objects.create(
        locality=daejeon,
        kind="friendship_cooperation",
        signed_on=datetime.date(2005, 1, 1),
        signed_on_precision=DatePrecision.YEAR,
    )

    occasion = Occasion.objects.get(locality=daejeon)
    assert occasion.kind == OccasionKind.PARTNERSHIP
    assert occasion.country == daejeon.country
    assert "Daejeon City" in occasion.title
    assert occasion.occurrence_in(2025).anniversary == "20th anniversary"


def test_editing_the_agreement_keeps_the_desks_choices():
    agreement = CooperationAgreement.objects.create(
        locality=PartnerLocalityFactory(), kind="mou", signed_on=datetime.date(2015, 3, 1)
    )
    Occasion.objects.filter(agreement=agreement).update(remind_days_before=30)

    agreement.signed_on = datetime.date(2015, 4, 1)
    agreement.save()

    occasion = Occasion.objects.get(agreement=agreement)
    assert occasion.date == datetime.date(2015, 4, 1)
    assert occasion.remind_days_before == 30


def test_association_founding_date_makes_an_occasion_and_removing_it_removes_it():
    association = MemberAssociationFactory(founded_on=datetime.date(2010, 8, 19))
    assert Occasion.objects.get(association=association).occurrence_in(2030).years == 20

    association.founded_on = None
    association.save()

    assert not Occasion.objects.filter(association=association).exists()
