"""A partner locality's page tells the relationship in order: agreements, visits both ways,
other events and the articles readers can see in the page's language."""

import datetime

import pytest
from django.utils import timezone

from articles.models import EditionStatus
from events.models import ActivityType
from organizations.models import CooperationAgreement
from tests.factories import ActivityFactory, ArticleFactory, PartnerLocalityFactory, add_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def daejeon():
    locality = PartnerLocalityFactory(name="Daejeon City")
    CooperationAgreement.objects.create(
        locality=locality,
        kind="friendship_cooperation",
        signed_on=datetime.date(2005, 1, 1),
        signed_on_precision="year",
    )
    return locality


def activity_about(locality, **fields):
    activity = ActivityFactory(**fields)
    activity.localities.add(locality)
    return activity


def article_about(locality, **fields):
    article = ArticleFactory(**fields)
    article.localities.add(locality)
    return article


def test_timeline_reads_oldest_first(daejeon):
    article_about(daejeon, title="Daejeon in the news")
    activity_about(daejeon, title="Festival", starts_on=datetime.date(2020, 5, 1))

    timeline = daejeon.timeline("en")

    assert [entry.category for entry in timeline] == ["agreement", "event", "article"]
    assert [entry.on.year for entry in timeline] == [2005, 2020, timezone.localdate().year]


def test_visits_both_ways_are_told_apart(daejeon):
    activity_about(
        daejeon,
        activity_type=ActivityType.DELEGATION_RECEIVED,
        starts_on=datetime.date(2024, 3, 1),
    )
    activity_about(
        daejeon, activity_type=ActivityType.DELEGATION_SENT, starts_on=datetime.date(2024, 9, 1)
    )

    received, sent = daejeon.timeline("en")[1:]

    assert (received.category, sent.category) == ("delegation_received", "delegation_sent")
    assert received.kind != sent.kind
    assert "Daejeon City" in received.kind
    assert "Daejeon City" in sent.kind


def test_unpublished_articles_are_absent(daejeon):
    article_about(daejeon, status=EditionStatus.DRAFT)
    article_about(daejeon, published_at=timezone.now() + datetime.timedelta(days=1))

    assert [entry.category for entry in daejeon.timeline("en")] == ["agreement"]


def test_articles_and_events_of_another_language_are_absent(daejeon):
    article = article_about(daejeon, title="English only")
    add_edition(article, "vi", title="Bản tiếng Việt")
    activity_about(daejeon, title="English activity")

    titles = [entry.title for entry in daejeon.timeline("vi")]

    assert "Bản tiếng Việt" in titles
    assert "English only" not in titles
    assert "English activity" not in titles


def test_dates_known_to_the_year_or_month_show_only_that(daejeon):
    activity_about(daejeon, starts_on=datetime.date(2024, 8, 1), date_precision="month")

    agreement, activity = daejeon.timeline("en")

    assert (agreement.on_display, agreement.datetime_attr) == ("2005", "2005")
    assert (activity.on_display, activity.datetime_attr) == ("August 2024", "2024-08")


def test_dates_known_to_the_day_show_the_day(daejeon):
    activity_about(daejeon, starts_on=datetime.date(2024, 8, 20))

    activity = daejeon.timeline("en")[-1]

    assert activity.datetime_attr == "2024-08-20"
    assert activity.on_display == "Aug. 20, 2024"


def test_locality_page_prints_the_timeline_as_an_ordered_list_of_dated_entries(client, daejeon):
    activity = activity_about(daejeon, title="20 years with Daejeon")

    response = client.get("/en/partners/daejeon-city/")

    timeline = response.text.split('<ol class="timeline">')[1].split("</ol>")[0]
    assert '<time datetime="2005">2005</time>' in timeline
    assert f'href="{activity.get_absolute_url()}"' in timeline
    assert timeline.index("2005") < timeline.index("20 years with Daejeon")
