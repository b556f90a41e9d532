"""Every public page reads the database a bounded number of times (at most 8), whatever
the amount of content: a page that makes one more query per article, photo or
translation gets slower with every report the union publishes."""

import datetime
import functools

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Correction, GalleryPhoto, Photo
from articles.renditions import renditions
from friendship_site.cache import bump_content_generation
from tests.factories import (
    ActivityFactory,
    ArticleFactory,
    CategoryFactory,
    CountryFactory,
    FriendshipUnionFactory,
    MemberAssociationFactory,
    PartnerLocalityFactory,
    PhotoFactory,
    TagFactory,
    add_edition,
)

QUERY_BUDGET = 8


@pytest.fixture
def subjects(db):
    """What articles are filed under and about; one of each."""
    FriendshipUnionFactory(is_home=True)
    country = CountryFactory(code="LA", name="Laos")
    association = MemberAssociationFactory(name="Vietnam-Laos")
    association.countries.add(country)
    return {
        "country": country,
        "locality": PartnerLocalityFactory(name="Champasak", country=country),
        "association": association,
        "category": CategoryFactory(name="Society"),
        "tag": TagFactory(name="Scholarships"),
    }


def add_content(subjects, copies):
    """``copies`` of everything a page lists, linked the way editors link them."""
    country, locality, association = (
        subjects["country"],
        subjects["locality"],
        subjects["association"],
    )
    category, tag = subjects["category"], subjects["tag"]
    for number in range(copies):
        article = ArticleFactory(
            category=category,
            lead_photo=PhotoFactory(),
            published_at=timezone.now() - datetime.timedelta(hours=number + 1),
        )
        add_edition(article, "vi", title=f"Bài {number}")
        article.tags.add(tag)
        article.countries.add(country)
        article.localities.add(locality)
        article.associations.add(association)
        activity = ActivityFactory(
            starts_on=timezone.localdate() + datetime.timedelta(days=number - copies // 2)
        )
        activity.countries.add(country)
        activity.localities.add(locality)
        activity.associations.add(association)
        article.activities.add(activity)
        GalleryPhoto.objects.create(article=article, photo=PhotoFactory())
        correction = Correction(article=article)
        correction.set_current_language("en")
        correction.text = "A date was wrong."
        correction.save()
    # As the admin does on upload: the renditions are kept with each photo.
    for photo in Photo.objects.all():
        renditions(photo)
    return article


def public_urls(article):
    slug = article.safe_translation_getter("slug", language_code="en")
    urls = [
        reverse("home"),
        reverse("articles:list"),
        reverse("articles:list") + "?category=society&country=la&page=1",
        reverse("articles:category", kwargs={"slug": "society"}),
        reverse("articles:tag", kwargs={"slug": "scholarships"}),
        reverse("articles:archive_year", kwargs={"year": timezone.localdate().year}),
        reverse("articles:detail", kwargs={"slug": slug}),
        reverse("events:list"),
        reverse("events:detail", kwargs={"slug": article.activities.get().slug}),
        reverse("organizations:union"),
        reverse("organizations:localities"),
        reverse("organizations:locality", kwargs={"slug": "champasak"}),
        reverse("organizations:association", kwargs={"slug": "vietnam-laos"}),
        reverse("organizations:country", kwargs={"code": "la"}),
        reverse("feed"),
        reverse("search:results") + "?q=article",
        "/sitemap.xml",
    ]
    return urls


def queries_per_page(client, assert_max_queries, on_commit, urls):
    # SQLite answers once per connection whether it has JSON functions (a query Django
    # makes the first time a page uses them): not a query of any page.
    assert connection.features.supports_json_field
    counts = {}
    for url in urls:
        # As after an editor's change: a new content generation (no page is cached), and
        # the next scheduled publication looked up when the change was committed.
        with on_commit(execute=True):
            bump_content_generation()
        with assert_max_queries(QUERY_BUDGET) as context:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(context.captured_queries)
    return counts


def test_every_public_page_stays_within_the_query_budget(
    client, subjects, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    article = add_content(subjects, copies=3)

    with translation.override("en"):
        urls = public_urls(article)
    queries_per_page(
        client, django_assert_max_num_queries, django_capture_on_commit_callbacks, urls
    )


def test_public_pages_make_as_many_queries_with_more_content(
    client, subjects, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    article = add_content(subjects, copies=2)
    with translation.override("en"):
        urls = public_urls(article)
    count = functools.partial(
        queries_per_page,
        client,
        django_assert_max_num_queries,
        django_capture_on_commit_callbacks,
        urls,
    )
    before = count()

    add_content(subjects, copies=6)

    assert count() == before
