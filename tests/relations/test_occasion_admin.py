"""Occasions in the admin: what the list shows, and which facts the desk may change."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from organizations.models import CooperationAgreement
from relations.models import Occasion, OccasionDone
from tests.admin_forms import form_values
from tests.factories import OccasionFactory, PartnerLocalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, newsroom):
    client.force_login(newsroom["editor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def change_url(occasion):
    return reverse("admin:relations_occasion_change", args=[occasion.pk]) + "?language=en"


def agreement_occasion():
    locality = PartnerLocalityFactory(name="Daejeon")
    agreement = CooperationAgreement.objects.create(
        locality=locality, kind="mou", signed_on=datetime.date(2005, 10, 7)
    )
    return agreement.occasion


def save(client, occasion, **changes):
    data = form_values(client.get(change_url(occasion)))
    data.update(changes)
    return client.post(change_url(occasion), data)


def test_agreements_occasion_keeps_the_agreements_facts(editor_client):
    occasion = agreement_occasion()

    response = save(editor_client, occasion, date="2010-01-01", kind="custom")

    assert response.status_code == 302
    occasion.refresh_from_db()
    assert (occasion.date, occasion.kind) == (datetime.date(2005, 10, 7), "partnership")


def test_agreements_occasion_takes_the_desks_choices(editor_client, newsroom):
    occasion = agreement_occasion()

    save(editor_client, occasion, suggested_action="delegation", responsible=newsroom["editor"].pk)

    occasion.refresh_from_db()
    assert (occasion.suggested_action, occasion.responsible) == ("delegation", newsroom["editor"])


def test_desks_own_occasion_has_every_fact_editable(editor_client):
    occasion = OccasionFactory(date=datetime.date(1975, 12, 2))

    save(editor_client, occasion, date="1975-12-03")

    occasion.refresh_from_db()
    assert occasion.date == datetime.date(1975, 12, 3)


def test_occasion_list_shows_the_next_round_anniversary(editor_client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2025, 1, 1))
    agreement_occasion()

    response = editor_client.get(reverse("admin:relations_occasion_changelist"))

    assert "Daejeon" in response.text
    assert "20th anniversary" in response.text


def test_occasion_list_shows_who_did_it_this_year(editor_client, newsroom, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2025, 1, 1))
    occasion = OccasionFactory()
    OccasionDone.objects.create(occasion=occasion, year=2024, done_by=newsroom["reporter"])
    OccasionDone.objects.create(occasion=occasion, year=2025, done_by=newsroom["chief"])

    response = editor_client.get(reverse("admin:relations_occasion_changelist"))

    assert "✓ chief" in response.text
    assert "✓ reporter" not in response.text


def test_occasion_search_finds_an_agreement_by_its_partner(editor_client):
    agreement_occasion()
    OccasionFactory(name="National Day of Laos")

    response = editor_client.get(reverse("admin:relations_occasion_changelist"), {"q": "daejeon"})

    assert [occasion.pk for occasion in response.context["cl"].result_list] == list(
        Occasion.objects.filter(agreement__isnull=False).values_list("pk", flat=True)
    )
