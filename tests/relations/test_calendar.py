"""The staff calendar in the admin: months and years of occasions, filters, "done" ticks."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import formats, timezone

from friendship_site.dates import DatePrecision
from relations import calendar
from relations.models import Occasion, OccasionDone, OccasionKind, SuggestedAction
from tests.factories import (
    CountryFactory,
    OccasionFactory,
    PartnerLocalityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CALENDAR = reverse("admin:relations_occasion_calendar")
DONE = reverse("admin:relations_occasion_done")


def day_cell(month, day):
    return next(cell for week in month.weeks for cell in week if cell.on == day and cell.in_month)


def titles(entries):
    return [entry.occasion.title for entry in entries]


def month_of(year, month, occasions=None):
    occasions = Occasion.objects.all() if occasions is None else occasions
    return calendar.month_view(occasions, year, month)[0]


# Laying out a month and a year (relations/calendar.py).


def test_month_grid_weeks_begin_on_monday_and_cover_the_whole_month():
    month = month_of(2026, 2)

    assert month.weeks[0][0].on == datetime.date(2026, 1, 26)
    assert month.weeks[-1][-1].on == datetime.date(2026, 3, 1)
    assert all(len(week) == 7 for week in month.weeks)
    assert [day.on.weekday() for day in month.weeks[0]] == list(range(7))


def test_occurrence_is_placed_on_its_day():
    OccasionFactory(name="National Day of Vietnam", date=datetime.date(1945, 9, 2))

    month = month_of(2025, 9)

    assert titles(day_cell(month, datetime.date(2025, 9, 2)).entries) == ["National Day of Vietnam"]
    assert sum(len(day.entries) for week in month.weeks for day in week) == 1


def test_days_of_neighbouring_months_stay_empty():
    OccasionFactory(date=datetime.date(1975, 10, 1))

    month = month_of(2025, 9)  # its last week ends on Sunday 5 October

    october_first = next(day for day in month.weeks[-1] if day.on == datetime.date(2025, 10, 1))
    assert not october_first.in_month
    assert october_first.entries == []


def test_29_february_is_on_28_february_in_a_common_year():
    OccasionFactory(name="Leap day", date=datetime.date(2000, 2, 29))

    month = month_of(2025, 2)

    assert titles(day_cell(month, datetime.date(2025, 2, 28)).entries) == ["Leap day"]


def test_29_february_is_on_29_february_in_a_leap_year():
    OccasionFactory(name="Leap day", date=datetime.date(2000, 2, 29))

    month = month_of(2028, 2)

    assert titles(day_cell(month, datetime.date(2028, 2, 29)).entries) == ["Leap day"]
    assert day_cell(month, datetime.date(2028, 2, 28)).entries == []


def test_occasion_that_began_this_year_is_on_the_calendar_without_an_anniversary():
    OccasionFactory(name="New partnership", date=datetime.date(2025, 9, 10))

    (entry,) = day_cell(month_of(2025, 9), datetime.date(2025, 9, 10)).entries

    assert entry.occurrence.years == 0
    assert entry.occurrence.anniversary == ""


def test_occasion_is_absent_from_the_years_before_it_began():
    OccasionFactory(date=datetime.date(2025, 9, 10))

    assert month_of(2024, 9).entries == []


def test_holiday_entered_for_another_year_is_absent():
    OccasionFactory(
        name="Lao New Year 2024",
        kind=OccasionKind.TRADITIONAL_HOLIDAY,
        date=datetime.date(2024, 4, 14),
        repeats_yearly=False,
        counts_years=False,
    )

    assert month_of(2025, 4).entries == []
    assert titles(month_of(2024, 4).entries) == ["Lao New Year 2024"]


def test_occurrence_known_to_the_month_is_listed_apart_from_the_days():
    OccasionFactory(
        name="Sister cities", date=datetime.date(2015, 9, 1), date_precision=DatePrecision.MONTH
    )

    month = month_of(2025, 9)

    assert titles(month.undated) == ["Sister cities"]
    assert day_cell(month, datetime.date(2025, 9, 1)).entries == []


def test_occurrence_known_to_the_year_is_listed_with_every_month_of_its_years():
    OccasionFactory(
        name="Association founded",
        date=datetime.date(2005, 1, 1),
        date_precision=DatePrecision.YEAR,
    )

    month, year_only = calendar.month_view(Occasion.objects.all(), 2025, 6)

    assert titles(year_only) == ["Association founded"]
    assert month.undated == []
    assert day_cell(month_of(2025, 1), datetime.date(2025, 1, 1)).entries == []


def test_year_view_lists_each_month_with_its_occurrences():
    OccasionFactory(name="Laos", date=datetime.date(1975, 12, 2))
    OccasionFactory(name="Germany", date=datetime.date(1975, 9, 23))
    OccasionFactory(name="Undated", date=datetime.date(1990, 1, 1), date_precision="year")

    year = calendar.year_view(Occasion.objects.all(), 2025)

    assert [month.first.month for month in year.months] == list(range(1, 13))
    assert {month.first.month: titles(month.entries) for month in year.months if month.entries} == {
        9: ["Germany"],
        12: ["Laos"],
    }
    assert titles(year.undated) == ["Undated"]


def test_entry_carries_the_done_mark_of_its_own_year(admin_user):
    occasion = OccasionFactory(date=datetime.date(1975, 12, 2))
    OccasionDone.objects.create(occasion=occasion, year=2024, done_by=admin_user)

    assert month_of(2024, 12).entries[0].done.done_by == admin_user
    assert month_of(2025, 12).entries[0].done is None


# The page.


def logged_in(client, user):
    """``client`` logged in as ``user``, reading the admin in English (it defaults to
    Vietnamese)."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def reporter_client(client, newsroom):
    return logged_in(client, newsroom["reporter"])


def test_calendar_page_shows_the_month_asked_for(reporter_client):
    OccasionFactory(
        name="Vietnam–Germany relations",
        kind=OccasionKind.DIPLOMATIC_RELATIONS,
        date=datetime.date(1975, 9, 23),
        suggested_action=SuggestedAction.LETTER,
    )

    response = reporter_client.get(CALENDAR, {"year": 2025, "month": 9})

    assert response.status_code == 200
    assert response.context["month"].first == datetime.date(2025, 9, 1)
    assert titles(response.context["month"].entries) == ["Vietnam–Germany relations"]
    assert "50th anniversary" in response.text
    assert "Congratulatory letter" in response.text


def test_calendar_page_shows_this_month_by_default(reporter_client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2026, 3, 14))

    response = reporter_client.get(CALENDAR)

    assert response.context["month"].first == datetime.date(2026, 3, 1)


def test_calendar_page_links_the_neighbouring_months_across_the_year(reporter_client):
    response = reporter_client.get(CALENDAR, {"year": 2025, "month": 12})

    assert response.context["previous_url"] == "?view=month&year=2025&month=11"
    assert response.context["next_url"] == "?view=month&year=2026&month=1"
    assert response.context["other_view_url"] == "?view=year&year=2025&month=12"


def test_calendar_page_shows_the_year_view(reporter_client):
    OccasionFactory(name="Laos", date=datetime.date(1975, 12, 2))

    response = reporter_client.get(CALENDAR, {"view": "year", "year": 2025, "month": 9})

    assert response.status_code == 200
    assert "month" not in response.context
    assert titles(response.context["year"].months[11].entries) == ["Laos"]
    assert response.context["next_url"] == "?view=year&year=2026&month=9"
    assert response.context["other_view_url"] == "?view=month&year=2025&month=9"


@pytest.fixture
def partners():
    laos, japan = CountryFactory(code="LA"), CountryFactory(code="JP")
    champasak = PartnerLocalityFactory(country=laos, name="Champasak")
    return {
        "laos": laos,
        "champasak": champasak,
        "lao_day": OccasionFactory(name="Lao National Day", country=laos),
        "champasak_mou": OccasionFactory(
            name="Champasak MoU", kind=OccasionKind.PARTNERSHIP, locality=champasak
        ),
        "japan_day": OccasionFactory(name="Japan National Day", country=japan),
    }


def calendar_titles(client, **query):
    response = client.get(CALENDAR, {"year": 2025, "month": 12, **query})
    assert response.status_code == 200
    return sorted(titles(response.context["month"].entries))


def test_country_filter_keeps_the_country_and_its_localities(reporter_client, partners):
    assert calendar_titles(reporter_client, country=partners["laos"].pk) == [
        "Champasak MoU",
        "Lao National Day",
    ]


def test_locality_filter_keeps_the_localitys_occasions(reporter_client, partners):
    assert calendar_titles(reporter_client, locality=partners["champasak"].pk) == ["Champasak MoU"]


def test_kind_filter_keeps_that_kind(reporter_client, partners):
    assert calendar_titles(reporter_client, kind=OccasionKind.PARTNERSHIP) == ["Champasak MoU"]


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"year": "1800"},
        {"month": "13"},
        {"month": "0"},
        {"view": "week"},
        {"country": "999999"},
        {"country": "LA"},
        {"locality": "-1"},
        {"kind": "birthday"},
    ],
    ids=lambda query: "-".join(f"{key}={value}" for key, value in query.items()),
)
def test_invalid_filters_are_form_errors(reporter_client, query):
    response = reporter_client.get(CALENDAR, {"year": 2025, "month": 9, **query})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == set(query)
    assert "month" not in response.context
    assert "year" not in response.context


def test_previous_month_of_the_first_calendar_year_is_an_error_not_a_crash(reporter_client):
    first = reporter_client.get(CALENDAR, {"year": 1900, "month": 1})

    response = reporter_client.get(CALENDAR + first.context["previous_url"])

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["year"]


# "Done this year".


def tick(client, occasion, year, done=True, **extra):
    data = {"occasion": occasion.pk, "year": year, "done": "true" if done else "false", **extra}
    return client.post(DONE, data)


def test_ticking_done_records_who_and_which_year(reporter_client, newsroom):
    occasion = OccasionFactory()

    response = tick(reporter_client, occasion, 2025)

    assert response.status_code == 302
    mark = OccasionDone.objects.get()
    assert (mark.occasion, mark.year, mark.done_by) == (occasion, 2025, newsroom["reporter"])


def test_ticking_again_keeps_the_first_persons_mark(client, newsroom):
    occasion = OccasionFactory()
    OccasionDone.objects.create(occasion=occasion, year=2025, done_by=newsroom["editor"])
    logged_in(client, newsroom["reporter"])

    tick(client, occasion, 2025)

    assert OccasionDone.objects.get().done_by == newsroom["editor"]


def test_unticking_removes_the_mark_of_that_year_only(reporter_client, newsroom):
    occasion = OccasionFactory()
    for year in (2024, 2025):
        OccasionDone.objects.create(occasion=occasion, year=year, done_by=newsroom["editor"])

    tick(reporter_client, occasion, 2025, done=False)

    assert list(OccasionDone.objects.values_list("year", flat=True)) == [2024]


def test_ticking_a_year_the_occasion_does_not_fall_in_is_refused(reporter_client):
    occasion = OccasionFactory(date=datetime.date(2020, 5, 1))

    response = tick(reporter_client, occasion, 2019)

    assert response.status_code == 302
    assert not OccasionDone.objects.exists()


def test_ticking_goes_back_to_the_page_it_came_from(reporter_client):
    back = CALENDAR + "?year=2025&month=9"

    response = tick(reporter_client, OccasionFactory(), 2025, next=back)

    assert response.headers["Location"] == back


def test_ticking_never_sends_to_another_site(reporter_client):
    response = tick(reporter_client, OccasionFactory(), 2025, next="https://evil.example/")

    assert response.headers["Location"] == CALENDAR


def test_calendar_shows_who_did_it_and_when(reporter_client, newsroom):
    lan = newsroom["editor"]
    lan.first_name, lan.last_name = "Lan", "Nguyen"
    lan.save()
    occasion = OccasionFactory(date=datetime.date(1975, 9, 23))
    OccasionDone.objects.create(occasion=occasion, year=2025, done_by=lan)

    response = reporter_client.get(CALENDAR, {"year": 2025, "month": 9})

    done_on = formats.date_format(timezone.localtime(OccasionDone.objects.get().done_at))
    assert f"Done by Lan Nguyen, {done_on}" in response.text
    assert 'aria-pressed="true"' in response.text


def test_calendar_offers_the_tick_as_a_form_with_csrf(reporter_client):
    OccasionFactory(date=datetime.date(1975, 9, 23))

    response = reporter_client.get(CALENDAR, {"year": 2025, "month": 9})

    (tick_form,) = re.findall(r'<form[^>]*class="calendar-tick".*?</form>', response.text, re.S)
    assert f'action="{DONE}"' in tick_form
    assert 'method="post"' in tick_form
    assert 'name="csrfmiddlewaretoken"' in tick_form
    assert 'aria-pressed="false"' in tick_form


def test_calendar_post_without_csrf_is_refused(newsroom):
    from django.test import Client  # noqa: PLC0415 (a client that checks CSRF)

    client = Client(enforce_csrf_checks=True)
    client.force_login(newsroom["reporter"])

    response = tick(client, OccasionFactory(), 2025)

    assert response.status_code == 403
    assert not OccasionDone.objects.exists()


# Who may see and tick.


@pytest.mark.parametrize("role", ["reporter", "translator", "editor", "chief"])
def test_every_newsroom_role_sees_the_calendar_and_ticks(client, newsroom, role):
    logged_in(client, newsroom[role])

    seen = client.get(CALENDAR).status_code
    ticked = tick(client, OccasionFactory(), 2025).status_code

    assert (seen, ticked) == (200, 302)
    assert OccasionDone.objects.get().done_by == newsroom[role]


def test_staff_without_a_role_may_neither_see_nor_tick(client):
    logged_in(client, UserFactory(username="staff_without_role"))

    seen = client.get(CALENDAR).status_code
    ticked = tick(client, OccasionFactory(), 2025).status_code

    assert (seen, ticked) == (403, 403)
    assert not OccasionDone.objects.exists()


def test_reading_the_calendar_does_not_allow_ticking(client):
    reader = UserFactory(username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_occasion"))
    logged_in(client, reader)
    OccasionFactory(date=datetime.date(1975, 9, 23))

    page = client.get(CALENDAR, {"year": 2025, "month": 9})
    ticked = tick(client, Occasion.objects.get(), 2025)

    assert page.status_code == 200
    assert "aria-pressed" not in page.text
    assert ticked.status_code == 403
    assert not OccasionDone.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, method):
    for address in (CALENDAR, DONE):
        response = getattr(client, method)(address)

        assert response.status_code == 302
        assert response.headers["Location"].startswith(reverse("admin:login"))


def test_ticking_is_a_post(reporter_client):
    assert reporter_client.get(DONE).status_code == 405


# Links to the calendar.


def test_occasion_list_links_to_the_calendar(reporter_client):
    response = reporter_client.get(reverse("admin:relations_occasion_changelist"))

    assert f'href="{CALENDAR}"' in response.text


def test_relations_app_index_links_to_the_calendar(reporter_client):
    response = reporter_client.get(reverse("admin:app_list", args=["relations"]))

    assert f'href="{CALENDAR}"' in response.text


# Queries.


def occasions_with_everything(count, user):
    """``count`` occasions, each with its country, locality, responsible and done mark."""
    for number in range(count):
        locality = PartnerLocalityFactory()
        occasion = OccasionFactory(
            date=datetime.date(1975, 9, 1 + number),
            country=locality.country,
            locality=locality,
            responsible=UserFactory(),
            suggested_action=SuggestedAction.FLOWERS,
        )
        OccasionDone.objects.create(occasion=occasion, year=2025, done_by=UserFactory())


@pytest.mark.parametrize("view", ["month", "year"])
@pytest.mark.parametrize("count", [1, 3])
def test_calendar_query_count_does_not_grow_with_occasions(
    reporter_client, newsroom, django_assert_max_num_queries, count, view
):
    occasions_with_everything(count, newsroom["editor"])

    with django_assert_max_num_queries(18):
        response = reporter_client.get(CALENDAR, {"view": view, "year": 2025, "month": 9})

    assert response.status_code == 200
    assert len(OccasionDone.objects.all()) == count
