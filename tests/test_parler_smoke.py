"""django-parler 2.4 is tested upstream only up to Django 6.0: these guard the parts we use
(forms, translated() lookups, prefetching) on Django 6.1. The admin is covered by
tests/test_admin.py."""

import pytest
from parler.forms import TranslatableModelForm

from organizations.models import Country, PartnerLocality
from tests.factories import CountryFactory, PartnerLocalityFactory

pytestmark = pytest.mark.django_db


class PartnerLocalityForm(TranslatableModelForm):
    class Meta:
        model = PartnerLocality
        fields = ["name", "slug", "country", "kind"]


def test_translatable_form_saves_the_language_it_edits():
    country = CountryFactory(code="LA")
    form = PartnerLocalityForm(
        data={"name": "Tỉnh Champasak", "slug": "", "country": country.pk, "kind": "province"},
        _current_language="vi",
    )

    assert form.is_valid(), form.errors
    locality = form.save()

    assert list(locality.get_available_languages()) == ["vi"]
    assert locality.safe_translation_getter("slug", language_code="vi") == "tinh-champasak"


def test_translatable_form_reports_a_taken_slug():
    PartnerLocalityFactory(name="Emmen City")
    form = PartnerLocalityForm(
        data={
            "name": "Emmen",
            "slug": "emmen-city",
            "country": CountryFactory().pk,
            "kind": "city",
        },
        _current_language="en",
    )

    assert not form.is_valid()
    assert form.errors["slug"] == [
        "The address “emmen-city” is already used in this language. “emmen-city-2” is free."
    ]


def test_translated_lookup_finds_by_translated_field():
    laos = CountryFactory(code="LA", name="Laos")
    CountryFactory(code="KH", name="Cambodia")

    assert list(Country.objects.translated("en", name="Laos")) == [laos]
    assert list(Country.objects.translated("vi", name="Laos")) == []


def test_active_translations_finds_each_object_once():
    laos = CountryFactory(code="LA", name="Laos")
    laos.set_current_language("vi")
    laos.name = "Lào"
    laos.save()

    assert list(Country.objects.active_translations().distinct()) == [laos]


def test_prefetched_translations_need_no_further_queries(django_assert_num_queries):
    for code in ["LA", "KH", "JP"]:
        CountryFactory(code=code)

    with django_assert_num_queries(2):
        names = [str(country) for country in Country.objects.prefetch_related("translations")]

    assert len(names) == 3
