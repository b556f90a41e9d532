import unicodedata
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from organizations.models import CooperationAgreement, Country, FriendshipUnion
from tests.factories import CountryFactory, FriendshipUnionFactory, PartnerLocalityFactory

pytestmark = pytest.mark.django_db


def test_home_is_the_union_that_publishes_the_site():
    FriendshipUnionFactory(code="vufo")
    home = FriendshipUnionFactory(code="binh-duong", is_home=True)

    assert FriendshipUnion.objects.home() == home


def test_home_is_none_before_seed_content():
    assert FriendshipUnion.objects.home() is None


def test_only_one_union_can_publish_the_site():
    FriendshipUnionFactory(is_home=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        FriendshipUnionFactory(is_home=True)


def test_country_code_is_stored_in_capitals():
    country = CountryFactory(code="la", name="Laos")

    assert Country.objects.get(pk=country.pk).code == "LA"


def test_translated_names_are_stored_in_nfc():
    locality = PartnerLocalityFactory(name="placeholder")
    locality.set_current_language("vi")
    locality.name = unicodedata.normalize("NFD", "Tỉnh Đông Flanders")
    locality.save()

    locality.refresh_from_db()
    stored = locality.translations.get(language_code="vi")
    assert stored.name == "Tỉnh Đông Flanders"
    assert stored.slug == "tinh-dong-flanders"


def test_untranslated_fields_are_stored_in_nfc():
    union = FriendshipUnionFactory(hotline=unicodedata.normalize("NFD", "Đường dây nóng 0274"))

    union.refresh_from_db()
    assert union.hotline == "Đường dây nóng 0274"


def test_first_agreement_is_the_oldest():
    locality = PartnerLocalityFactory()
    CooperationAgreement.objects.create(locality=locality, kind="mou", signed_on=date(2024, 8, 1))
    oldest = CooperationAgreement.objects.create(
        locality=locality, kind="friendship_cooperation", signed_on=date(2015, 1, 1)
    )

    assert locality.first_agreement() == oldest


def test_first_agreement_of_a_locality_without_any_is_none():
    assert PartnerLocalityFactory().first_agreement() is None


@pytest.mark.parametrize(
    ("precision", "english", "vietnamese"),
    [
        ("day", "Aug. 15, 2024", "Ngày 15 tháng 8 năm 2024"),
        ("month", "August 2024", "Tháng 8 2024"),
        ("year", "2024", "2024"),
    ],
)
def test_agreement_date_shows_only_what_is_known(precision, english, vietnamese):
    agreement = CooperationAgreement(
        kind="mou", signed_on=date(2024, 8, 15), signed_on_precision=precision
    )

    with translation.override("vi"):
        shown_in_vietnamese = agreement.signed_on_display

    assert agreement.signed_on_display == english
    assert shown_in_vietnamese == vietnamese
