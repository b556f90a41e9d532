import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import EditionStatus
from tests.factories import ArticleFactory, FriendshipUnionFactory, PhotoFactory, add_edition

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def home_url(language):
    with translation.override(language):
        return reverse("home")


def test_root_redirects_to_the_vietnamese_edition(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert response.headers["Location"] == "/vi/"


@pytest.mark.parametrize("language", ["vi", "en", "zh-hans"])
def test_each_edition_has_a_prefixed_home(client, language):
    response = client.get(f"/{language}/")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == language


def test_edition_lists_only_what_is_published_in_its_language_newest_first(client):
    now = timezone.now()
    older = ArticleFactory(title="Older", published_at=now - 2 * HOUR)
    newer = ArticleFactory(title="Newer", published_at=now - HOUR)
    ArticleFactory(title="Draft", status=EditionStatus.DRAFT, published_at=None)
    ArticleFactory(title="Scheduled", published_at=now + HOUR)
    add_edition(ArticleFactory(title="Only in Vietnamese", status=EditionStatus.DRAFT), "vi")

    response = client.get(home_url("en"))

    assert list(response.context["page_obj"]) == [newer, older]


def test_edition_home_links_each_article_in_its_language(client):
    article = add_edition(ArticleFactory(title="Laos"), "vi", title="Hữu nghị Việt Nam – Lào")

    response = client.get(home_url("vi"))

    assert '<a href="/vi/articles/huu-nghi-viet-nam-lao/">Hữu nghị Việt Nam – Lào</a>' in (
        response.text
    )
    assert list(response.context["page_obj"]) == [article]


def test_edition_home_tells_when_nothing_is_published(client):
    response = client.get(home_url("zh-hans"))

    assert list(response.context["page_obj"]) == []
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["abc", "-1", "999999", "1" * 400, "%00"])
def test_bad_page_number_shows_a_page_not_an_error(client, page):
    ArticleFactory()

    response = client.get(home_url("en"), {"page": page})

    assert response.status_code == 200


@pytest.mark.parametrize("article_count", [1, 3])
def test_edition_home_query_count_is_constant(client, article_count, django_assert_num_queries):
    FriendshipUnionFactory(is_home=True)
    ArticleFactory.create_batch(article_count, lead_photo=PhotoFactory())

    # Home union and its translations; count; articles with category and photo; the
    # translations of articles, categories and photos.
    with django_assert_num_queries(7):
        response = client.get(home_url("en"))

    assert len(response.context["page_obj"]) == article_count


def test_article_page_shows_the_edition(client):
    article = ArticleFactory(
        title="Japan Festival 2024",
        reporter_credit="Huynh Thuy",
        translator_credit="Vi Bao",
        body="<p>Festival body.</p>",
    )

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "<h1>Japan Festival 2024</h1>" in response.text
    assert "<p>Festival body.</p>" in response.text
    assert "Reported by Huynh Thuy – Translated by Vi Bao" in response.text


def test_article_page_is_not_found_in_a_language_without_that_edition(client):
    ArticleFactory(title="Japan Festival 2024")

    response = client.get("/vi/articles/japan-festival-2024/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "edition",
    [
        {"status": EditionStatus.DRAFT, "published_at": None},
        {"status": EditionStatus.IN_REVIEW, "published_at": None},
        {"status": EditionStatus.UNPUBLISHED},
    ],
)
def test_article_page_is_not_found_before_publication(client, edition):
    ArticleFactory(title="Not yet", **edition)

    response = client.get("/en/articles/not-yet/")

    assert response.status_code == 404


def test_scheduled_article_page_is_not_found_before_its_time(client):
    ArticleFactory(title="Tomorrow", published_at=timezone.now() + HOUR)

    response = client.get("/en/articles/tomorrow/")

    assert response.status_code == 404
