"""iCalendar feeds, read back with the icalendar library: the staff's behind a secret
address, and the public one of activities and public occasions."""

import calendar
import datetime
import secrets

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from friendship_site.dates import DatePrecision
from relations.models import CalendarFeed, SuggestedAction, anniversary_label
from tests.factories import ActivityFactory, OccasionFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# The staff feed: from 1 January last year to the end of the year after next.
FEED_YEARS = range(TODAY.year - 1, TODAY.year + 3)


def view_occasion():
    return Permission.objects.get(content_type__app_label="relations", codename="view_occasion")


@pytest.fixture
def staff_member():
    user = UserFactory(username="lan", first_name="Lan", last_name="Nguyen")
    user.user_permissions.add(view_occasion())
    return user


@pytest.fixture
def feed(staff_member):
    return CalendarFeed.objects.create(user=staff_member)


def read(response):
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def events(response):
    return read(response).walk("VEVENT")


def by_summary(vevents, text):
    return [event for event in vevents if text in str(event["SUMMARY"])]


def test_staff_feed_is_an_icalendar_with_the_required_properties(client, feed):
    OccasionFactory()

    response = client.get(feed.get_absolute_url())

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    parsed = read(response)
    assert (str(parsed["VERSION"]), str(parsed["CALSCALE"])) == ("2.0", "GREGORIAN")
    assert parsed["PRODID"]
    assert parsed["X-WR-CALNAME"]
    assert parsed["REFRESH-INTERVAL"].dt == datetime.timedelta(hours=6)
    for event in parsed.walk("VEVENT"):
        assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"} <= set(event)


def test_staff_feed_has_one_event_per_occurrence(client, feed):
    OccasionFactory(name="National Day of Laos")
    OccasionFactory(name="Tết", repeats_yearly=False, counts_years=False, date=TODAY)

    vevents = events(client.get(feed.get_absolute_url()))

    assert len(by_summary(vevents, "National Day of Laos")) == len(FEED_YEARS)
    assert len(by_summary(vevents, "Tết")) == 1
    assert len(vevents) == len(FEED_YEARS) + 1


def test_occurrences_are_all_day_events_on_their_day(client, feed):
    OccasionFactory(date=datetime.date(1975, 12, 2))

    vevents = events(client.get(feed.get_absolute_url()))

    assert sorted((event.start, event.end) for event in vevents) == [
        (datetime.date(year, 12, 2), datetime.date(year, 12, 3)) for year in FEED_YEARS
    ]
    assert all(not isinstance(event.start, datetime.datetime) for event in vevents)


def test_29_february_is_28_february_in_common_years(client, feed):
    OccasionFactory(date=datetime.date(2000, 2, 29))

    vevents = events(client.get(feed.get_absolute_url()))

    assert sorted(event.start for event in vevents) == [
        datetime.date(year, 2, 29 if calendar.isleap(year) else 28) for year in FEED_YEARS
    ]


def test_summary_carries_the_round_anniversary(client, feed):
    OccasionFactory(name="Vietnam–Germany relations", date=datetime.date(TODAY.year - 50, 9, 23))

    vevents = events(client.get(feed.get_absolute_url()))

    (this_year,) = [event for event in vevents if event.start.year == TODAY.year]
    # Outside the language prefix, the feed is in the desk's language, Vietnamese.
    with translation.override("vi"):
        label = anniversary_label(50)
    assert str(this_year["SUMMARY"]) == f"Vietnam–Germany relations – {label}"
    (next_year,) = [event for event in vevents if event.start.year == TODAY.year + 1]
    assert str(next_year["SUMMARY"]) == "Vietnam–Germany relations"


def test_description_gives_action_responsible_and_source(client, feed, staff_member):
    OccasionFactory(
        suggested_action=SuggestedAction.LETTER,
        responsible=staff_member,
        source="Embassy website",
    )

    description = str(events(client.get(feed.get_absolute_url()))[0]["DESCRIPTION"])

    assert "Lan Nguyen" in description
    assert "Embassy website" in description


def test_an_occurrence_without_a_known_day_says_so(client, feed):
    OccasionFactory(
        name="Binh Duong – Daejeon",
        date=datetime.date(2005, 1, 1),
        date_precision=DatePrecision.YEAR,
    )

    vevents = events(client.get(feed.get_absolute_url()))

    assert len(vevents) == len(FEED_YEARS)
    assert all(str(event.start.year) in str(event["SUMMARY"]) for event in vevents)


def test_uids_are_unique_and_stable_across_requests(client, feed):
    OccasionFactory()
    OccasionFactory(date=datetime.date(1990, 5, 1))

    first = [str(event["UID"]) for event in events(client.get(feed.get_absolute_url()))]
    second = [str(event["UID"]) for event in events(client.get(feed.get_absolute_url()))]

    assert len(set(first)) == len(first) == 2 * len(FEED_YEARS)
    assert first == second


def test_staff_feed_is_kept_by_no_shared_cache(client, feed):
    response = client.get(feed.get_absolute_url())

    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


# Without the token, nothing.


def assert_reveals_nothing(response):
    assert response.status_code == 404
    assert response.content == b""


def test_an_unknown_token_is_an_empty_404(client, feed):
    OccasionFactory()

    response = client.get(
        reverse("relations:staff_calendar", kwargs={"token": secrets.token_urlsafe(32)})
    )

    assert_reveals_nothing(response)


def test_a_replaced_token_is_an_empty_404(client, feed):
    old_address = feed.get_absolute_url()

    feed.replace_token()

    assert_reveals_nothing(client.get(old_address))
    assert client.get(feed.get_absolute_url()).status_code == 200


def test_a_deactivated_users_token_is_an_empty_404(client, feed, staff_member):
    staff_member.is_active = False
    staff_member.save()

    assert_reveals_nothing(client.get(feed.get_absolute_url()))


def test_the_token_of_a_user_without_the_permission_is_an_empty_404(client, feed, staff_member):
    staff_member.user_permissions.remove(view_occasion())

    assert_reveals_nothing(client.get(feed.get_absolute_url()))


def test_the_token_of_a_user_who_left_the_staff_is_an_empty_404(client, feed, staff_member):
    staff_member.is_staff = False
    staff_member.save()

    assert_reveals_nothing(client.get(feed.get_absolute_url()))


# The admin page with one's address.


def test_my_calendar_page_shows_ones_own_address(client, feed, staff_member):
    client.force_login(staff_member)

    response = client.get(reverse("relations:my_calendar"))

    assert response.status_code == 200
    assert f"webcal://testserver/calendar/{feed.token}.ics" in response.text
    assert f"http://testserver/calendar/{feed.token}.ics" in response.text  # tests: no HTTPS


def test_replacing_the_address_stops_the_old_one(client, feed, staff_member):
    client.force_login(staff_member)
    old_address = feed.get_absolute_url()

    response = client.post(reverse("relations:my_calendar"))

    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.get_absolute_url() != old_address
    assert client.get(old_address).status_code == 404


def test_my_calendar_page_is_refused_without_the_permission(client):
    client.force_login(UserFactory(username="no_desk"))

    assert client.get(reverse("relations:my_calendar")).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_my_calendar_page_sends_anonymous_to_the_login(client):
    response = client.get(reverse("relations:my_calendar"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# The public feed.


def public_feed(client, language):
    with translation.override(language):
        return client.get(reverse("events:calendar"))


def test_public_feed_lists_the_activities_described_in_its_language(client):
    ActivityFactory(title="Friendship festival", starts_on=TODAY - datetime.timedelta(days=30))
    with translation.override("vi"):  # described in Vietnamese only
        ActivityFactory(title="Lễ hội hữu nghị", starts_on=TODAY)

    english = [str(event["SUMMARY"]) for event in events(public_feed(client, "en"))]
    vietnamese = [str(event["SUMMARY"]) for event in events(public_feed(client, "vi"))]

    assert english == ["Friendship festival"]
    assert vietnamese == ["Lễ hội hữu nghị"]


def test_public_feed_links_each_activity_to_its_page(client):
    activity = ActivityFactory(title="Friendship festival", starts_on=TODAY)

    (event,) = events(public_feed(client, "en"))

    with translation.override("en"):
        assert str(event["URL"]) == f"http://testserver{activity.get_absolute_url()}"


def test_public_feed_leaves_out_activities_older_than_a_year(client):
    ActivityFactory(title="Long ago", starts_on=TODAY - datetime.timedelta(days=400))

    assert events(public_feed(client, "en")) == []


def test_public_feed_has_public_occasions_without_the_desks_notes(client, staff_member):
    OccasionFactory(
        name="Lao New Year",
        is_public=True,
        responsible=staff_member,
        suggested_action=SuggestedAction.FLOWERS,
    )
    OccasionFactory(name="Internal occasion", is_public=False)

    vevents = events(public_feed(client, "en"))

    assert by_summary(vevents, "Lao New Year")
    assert not by_summary(vevents, "Internal occasion")
    assert all("DESCRIPTION" not in event for event in vevents)


def test_public_feed_is_a_calendar_for_anyone(client):
    response = public_feed(client, "en")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert read(response)["VERSION"] == "2.0"


@pytest.mark.parametrize("item_count", [1, 3])
def test_staff_feed_query_count_is_constant(
    client, feed, staff_member, item_count, django_assert_num_queries
):
    OccasionFactory.create_batch(item_count, responsible=staff_member)

    # The feed and its user, the user's and their roles' permissions, the occasions with
    # their translations.
    with django_assert_num_queries(5):
        client.get(feed.get_absolute_url())


@pytest.mark.parametrize("item_count", [1, 3])
def test_public_feed_query_count_is_constant(client, item_count, django_assert_num_queries):
    ActivityFactory.create_batch(item_count, starts_on=TODAY)
    OccasionFactory.create_batch(item_count, is_public=True)

    # The activities with their translation, the public occasions with theirs.
    with django_assert_num_queries(4):
        public_feed(client, "en")
