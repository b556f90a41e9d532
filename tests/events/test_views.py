import datetime

import pytest
from django.utils import timezone

from tests.factories import ActivityFactory, ArticleFactory, CountryFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_events_page_separates_upcoming_and_past(client):
    today = timezone.localdate()
    upcoming = ActivityFactory(title="Khmer New Year", starts_on=today + DAY)
    past = ActivityFactory(title="Japan Festival", starts_on=today - DAY)

    response = client.get("/en/events/")

    assert list(response.context["upcoming"]) == [upcoming]
    assert list(response.context["page_obj"]) == [past]


def test_events_filter_by_type_year_and_country(client):
    laos = CountryFactory(code="LA")
    match = ActivityFactory(activity_type="festival", starts_on=datetime.date(2024, 4, 13))
    match.countries.add(laos)
    ActivityFactory(activity_type="festival", starts_on=datetime.date(2023, 4, 13))
    ActivityFactory(activity_type="scholarship", starts_on=datetime.date(2024, 4, 13))

    response = client.get("/en/events/", {"type": "festival", "year": "2024", "country": "la"})

    assert list(response.context["page_obj"]) == [match]


@pytest.mark.parametrize("query", [{"type": "party"}, {"year": "abc"}, {"country": "zz"}])
def test_invalid_event_filter_is_a_400(client, query):
    response = client.get("/en/events/", query)

    assert response.status_code == 400
    assert "not valid" in response.text


def test_event_page_shows_its_articles(client):
    activity = ActivityFactory(title="Japan Festival 2024", participants=1200)
    article = ArticleFactory()
    article.activities.add(activity)

    response = client.get("/en/events/japan-festival-2024/")

    assert [card.article_id for card in response.context["articles"]] == [article.pk]
    assert "1,200" in response.text


def test_event_without_a_translation_is_a_404_in_that_language(client):
    ActivityFactory(title="Japan Festival 2024")

    assert client.get("/vi/events/japan-festival-2024/").status_code == 404
