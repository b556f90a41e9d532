import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import Activity, ActivityType
from tests.factories import ActivityFactory, ForeignNGOFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_upcoming_and_past_split_on_today():
    today = timezone.localdate()
    past = ActivityFactory(starts_on=today - 3 * DAY)
    running = ActivityFactory(starts_on=today - DAY, ends_on=today + DAY)
    upcoming = ActivityFactory(starts_on=today + DAY)
    today_only = ActivityFactory(starts_on=today)

    assert set(Activity.objects.upcoming()) == {running, upcoming, today_only}
    assert list(Activity.objects.past()) == [past]


def test_in_year_filters_by_start_date():
    in_2017 = ActivityFactory(starts_on=datetime.date(2017, 12, 31))
    ActivityFactory(starts_on=datetime.date(2018, 1, 1))

    assert list(Activity.objects.in_year(2017)) == [in_2017]


def test_database_refuses_an_end_before_the_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(starts_on=datetime.date(2024, 4, 13), ends_on=datetime.date(2024, 4, 12))


def test_sponsor_is_only_for_aid_projects():
    activity = ActivityFactory(activity_type=ActivityType.FESTIVAL)
    activity.sponsor = ForeignNGOFactory()

    with pytest.raises(ValidationError):
        activity.full_clean()


def test_aid_project_takes_a_sponsor_and_approval():
    activity = ActivityFactory(activity_type=ActivityType.AID_PROJECT)
    activity.sponsor = ForeignNGOFactory()
    activity.aid_approved = True
    activity.aid_usd = 70000

    activity.full_clean()


def test_negative_amounts_are_refused():
    activity = ActivityFactory(activity_type=ActivityType.AID_PROJECT)
    activity.aid_usd = -1

    with pytest.raises(ValidationError) as error:
        activity.full_clean()

    assert list(error.value.message_dict) == ["aid_usd"]


def test_date_display_of_a_month_precise_activity():
    activity = ActivityFactory(starts_on=datetime.date(2025, 1, 1), date_precision="month")

    assert activity.date_display == "January 2025"


def test_slug_is_made_from_the_title():
    activity = ActivityFactory(title="Japan Festival 2024")

    assert activity.translations.get().slug == "japan-festival-2024"
