"""The seed content holds the union's dates: partner countries' national days, relations
with Vietnam, the holidays of the seeds, and the agreements' anniversaries."""

import datetime

import pytest

from friendship_site.seed import load_seed_content
from relations.models import Occasion, OccasionKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    load_seed_content()


def described(occurrence):
    """(kind, country code, locality's English slug, years): what an occurrence is about."""
    occasion = occurrence.occasion
    locality = occasion.locality
    return (
        occasion.kind,
        occasion.country.code if occasion.country else None,
        locality.safe_translation_getter("slug", language_code="en") if locality else None,
        occurrence.years,
    )


def test_seed_yields_the_anniversaries_the_seeds_name_for_2025(seeded):
    anniversaries = {described(found) for found in Occasion.objects.anniversaries_in(2025)}

    assert anniversaries >= {
        (OccasionKind.DIPLOMATIC_RELATIONS, "DE", None, 50),
        (OccasionKind.DIPLOMATIC_RELATIONS, "RU", None, 75),
        (OccasionKind.PARTNERSHIP, "KR", "daejeon", 20),
        (OccasionKind.PARTNERSHIP, "NL", "eindhoven", 10),
        (OccasionKind.PARTNERSHIP, "NL", "emmen", 10),
        (OccasionKind.PARTNERSHIP, "BE", "east-flanders", 10),
    }


def test_agreements_have_one_occasion_each_and_no_seeded_copy(seeded):
    partnerships = Occasion.objects.filter(kind=OccasionKind.PARTNERSHIP)

    assert partnerships.filter(agreement__isnull=True).count() == 0
    assert partnerships.count() == 6  # Heidelberg, Yamaguchi, Daejeon, Eindhoven, Emmen, E. Fl.


def test_loading_twice_creates_no_occasion_twice(seeded):
    first = set(Occasion.objects.values_list("pk", flat=True))

    load_seed_content()

    assert set(Occasion.objects.values_list("pk", flat=True)) == first


def test_reloading_keeps_the_desks_changes_to_an_occasion(seeded):
    laos = Occasion.objects.get(kind=OccasionKind.NATIONAL_DAY, country__code="LA")
    laos.remind_days_before = 30
    laos.save()

    load_seed_content()

    assert Occasion.objects.get(pk=laos.pk).remind_days_before == 30


def test_every_seeded_occasion_has_a_source(seeded):
    assert Occasion.objects.count() > 20
    assert not Occasion.objects.filter(source="").exists()


def test_each_partner_country_has_a_national_day_and_a_date_of_relations(seeded):
    for kind in (OccasionKind.NATIONAL_DAY, OccasionKind.DIPLOMATIC_RELATIONS):
        countries = set(Occasion.objects.filter(kind=kind).values_list("country__code", flat=True))

        assert countries == {"LA", "KH", "CN", "IN", "RU", "JP", "KR", "SG", "DE", "NL", "BE"}


def test_national_days_that_mark_no_dated_founding_count_no_years(seeded):
    kings_day = Occasion.objects.get(kind=OccasionKind.NATIONAL_DAY, country__code="NL")
    laos = Occasion.objects.get(kind=OccasionKind.NATIONAL_DAY, country__code="LA")

    assert kings_day.occurrence_in(2025).years is None
    assert laos.occurrence_in(2025).years == 50


def test_lunar_holidays_are_entered_for_their_own_year_only(seeded):
    tet_2026 = Occasion.objects.get(
        kind=OccasionKind.TRADITIONAL_HOLIDAY, date=datetime.date(2026, 2, 17)
    )

    assert tet_2026.occurrence_in(2026).on == datetime.date(2026, 2, 17)
    assert tet_2026.occurrence_in(2027) is None
