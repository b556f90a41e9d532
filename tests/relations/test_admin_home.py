"""The admin home's "next 60 days" of the relations desk."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from friendship_site.dates import DatePrecision
from relations.models import OccasionDone, SuggestedAction
from tests.factories import OccasionFactory, PartnerLocalityFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")


@pytest.fixture
def today(monkeypatch):
    """The admin's today: 15 December 2025 (its next 60 days run to 12 February 2026)."""
    day = datetime.date(2025, 12, 15)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: day)
    return day


def home_of(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(HOME)


def listed(response):
    return [
        (entry.occurrence.on, entry.occasion.title)
        for entry in response.context["entries"]  # the inclusion tag's context
    ]


def test_next_60_days_run_across_the_new_year(client, newsroom, today):
    OccasionFactory(name="Past this year", date=datetime.date(1990, 12, 14))
    OccasionFactory(name="Today", date=datetime.date(1990, 12, 15))
    OccasionFactory(name="New Year", date=datetime.date(1990, 1, 1))
    OccasionFactory(name="Last of the 60 days", date=datetime.date(1990, 2, 12))
    OccasionFactory(name="Day 61", date=datetime.date(1990, 2, 13))

    response = home_of(client, newsroom["reporter"])

    assert listed(response) == [
        (datetime.date(2025, 12, 15), "Today"),
        (datetime.date(2026, 1, 1), "New Year"),
        (datetime.date(2026, 2, 12), "Last of the 60 days"),
    ]


def test_next_days_count_the_years_of_the_year_they_fall_in(client, newsroom, today):
    OccasionFactory(name="Vietnam–Cambodia", date=datetime.date(1976, 1, 24))

    response = home_of(client, newsroom["reporter"])

    assert "50th anniversary" in response.text  # 2026, not 2025


def test_next_days_show_the_suggested_action_and_the_link_to_the_calendar(client, newsroom, today):
    OccasionFactory(date=datetime.date(1975, 12, 20), suggested_action=SuggestedAction.FLOWERS)

    response = home_of(client, newsroom["translator"])

    assert "Flowers" in response.text
    assert f'href="{reverse("admin:relations_occasion_calendar")}"' in response.text


def test_next_days_show_who_marked_it_done_for_that_year(client, newsroom, today):
    lan = UserFactory(username="lan", first_name="Lan", last_name="Tran")
    new_year = OccasionFactory(date=datetime.date(1990, 1, 1))
    OccasionDone.objects.create(occasion=new_year, year=2025, done_by=lan)  # last year's

    before = home_of(client, newsroom["reporter"])
    OccasionDone.objects.create(occasion=new_year, year=2026, done_by=lan)
    after = client.get(HOME)

    assert "Lan Tran" not in before.text
    assert "✓ Lan Tran" in after.text


def test_next_days_include_this_months_occasions_whose_day_is_not_known(client, newsroom, today):
    OccasionFactory(
        name="Sister cities", date=datetime.date(2015, 12, 1), date_precision=DatePrecision.MONTH
    )

    response = home_of(client, newsroom["reporter"])

    assert listed(response) == [(datetime.date(2025, 12, 1), "Sister cities")]


def test_next_days_leave_occasions_known_only_to_the_year_to_the_calendar(client, newsroom, today):
    # Placed on 1 January 2026, within the 60 days, but its day could be any of the year.
    OccasionFactory(
        name="Signed in 2015", date=datetime.date(2015, 1, 1), date_precision=DatePrecision.YEAR
    )

    assert listed(home_of(client, newsroom["reporter"])) == []


def test_next_days_are_not_shown_without_the_calendar_permission(client, today):
    OccasionFactory(name="National Day of Laos", date=datetime.date(1975, 12, 20))

    response = home_of(client, UserFactory(username="staff_without_role"))

    assert response.status_code == 200
    assert "National Day of Laos" not in response.text
    assert 'id="relations-next-days"' not in response.text


def test_next_days_are_not_on_the_app_indexes(client, newsroom, today):
    OccasionFactory(name="National Day of Laos", date=datetime.date(1975, 12, 20))
    client.force_login(newsroom["reporter"])

    response = client.get(reverse("admin:app_list", args=["articles"]))

    assert 'id="relations-next-days"' not in response.text


@pytest.mark.parametrize("count", [1, 3])
def test_admin_home_query_count_does_not_grow_with_occasions(
    client, newsroom, today, count, django_assert_max_num_queries
):
    for number in range(count):
        locality = PartnerLocalityFactory()
        occasion = OccasionFactory(
            date=datetime.date(1975, 12, 20 + number),
            country=locality.country,
            locality=locality,
            responsible=UserFactory(),
        )
        OccasionDone.objects.create(occasion=occasion, year=2025, done_by=UserFactory())
    client.force_login(newsroom["reporter"])

    with django_assert_max_num_queries(16):
        response = client.get(HOME)

    assert len(response.context["entries"]) == count
