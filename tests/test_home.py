"""The edition home pages, the language switcher, hreflang and the reader page cache."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from articles import workflow
from articles.models import Article, ArticleTranslation, EditionStatus
from friendship_site.cache import bump_content_generation, seconds_until_next_scheduled_edition
from tests.factories import (
    ActivityFactory,
    ArticleFactory,
    CategoryFactory,
    FriendshipUnionFactory,
    PartnerLocalityFactory,
    PhotoFactory,
    add_edition,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def home_url(language):
    with translation.override(language):
        return reverse("home")


def listed(response):
    """The articles of the home's lead and latest cards."""
    context = response.context
    cards = ([context["lead"]] if context["lead"] else []) + list(context["latest"])
    return [Article.objects.get(pk=card.article_id) for card in cards]


def test_root_redirects_to_the_vietnamese_edition(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert response.headers["Location"] == "/vi/"


@pytest.mark.parametrize("language", ["vi", "en", "zh-hans"])
def test_each_edition_has_a_prefixed_home(client, language):
    response = client.get(f"/{language}/")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == language


def test_home_lists_only_what_is_published_in_its_language_newest_first(client):
    now = timezone.now()
    older = ArticleFactory(title="Older", published_at=now - 2 * HOUR)
    newer = ArticleFactory(title="Newer", published_at=now - HOUR)
    ArticleFactory(title="Draft", status=EditionStatus.DRAFT, published_at=None)
    ArticleFactory(title="Scheduled", published_at=now + HOUR)
    add_edition(ArticleFactory(title="Only in Vietnamese", status=EditionStatus.DRAFT), "vi")

    response = client.get(home_url("en"))

    assert listed(response) == [newer, older]


def test_home_leads_with_the_newest_story_that_has_a_photo(client):
    with_photo = ArticleFactory(lead_photo=PhotoFactory(), published_at=timezone.now() - 2 * HOUR)
    newest = ArticleFactory(published_at=timezone.now() - HOUR)

    response = client.get(home_url("en"))

    assert response.context["lead"].article_id == with_photo.pk
    assert [card.article_id for card in response.context["latest"]] == [newest.pk]


def test_home_groups_news_by_category_without_repeating_the_lead(client):
    society, politics = CategoryFactory(name="Society"), CategoryFactory(name="Politics")
    in_society = ArticleFactory(category=society, published_at=timezone.now() - 3 * HOUR)
    in_politics = ArticleFactory(category=politics, published_at=timezone.now() - 2 * HOUR)
    lead = ArticleFactory(category=politics, published_at=timezone.now() - HOUR)

    response = client.get(home_url("en"))

    assert response.context["lead"].article_id == lead.pk
    assert [
        (category, [card.article_id for card in cards])
        for category, cards in response.context["categories"]
    ] == [(society, [in_society.pk]), (politics, [in_politics.pk])]


def test_home_shows_upcoming_events_and_partner_localities(client):
    upcoming = ActivityFactory(
        title="Japan Festival", starts_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    ActivityFactory(title="Past", starts_on=timezone.localdate() - datetime.timedelta(days=3))
    locality = PartnerLocalityFactory(name="Heidelberg City")

    response = client.get(home_url("en"))

    assert list(response.context["upcoming"]) == [upcoming]
    assert list(response.context["localities"]) == [locality]
    assert "Heidelberg City" in response.text


def test_home_links_each_article_in_its_language(client):
    add_edition(ArticleFactory(title="Laos"), "vi", title="Hữu nghị Việt Nam – Lào")

    response = client.get(home_url("vi"))

    assert 'href="/vi/articles/huu-nghi-viet-nam-lao/"' in response.text


def test_home_tells_when_nothing_is_published(client):
    response = client.get(home_url("zh-hans"))

    assert response.context["lead"] is None
    assert response.status_code == 200


@pytest.mark.parametrize("article_count", [1, 3])
def test_home_query_count_does_not_grow_with_articles(
    client, article_count, django_assert_max_num_queries
):
    FriendshipUnionFactory(is_home=True)
    for _ in range(article_count):
        ArticleFactory(lead_photo=PhotoFactory(), category=CategoryFactory())
        PartnerLocalityFactory()
        ActivityFactory(starts_on=timezone.localdate() + datetime.timedelta(days=1))

    with django_assert_max_num_queries(16):
        response = client.get(home_url("en"))

    assert len(listed(response)) == article_count


def test_home_header_shows_the_union_name_motto_and_hotline(client):
    FriendshipUnionFactory(
        is_home=True,
        name="Union of Friendship Organizations of Binh Duong province",
        motto="Proactive, flexible, creative, effective",
        hotline="0274 383 347",
    )

    text = client.get(home_url("en")).text

    assert "Union of Friendship Organizations of Binh Duong province" in text
    assert "Proactive, flexible, creative, effective" in text
    assert 'href="tel:0274383347"' in text


def test_home_declares_every_edition_with_hreflang_and_a_canonical_url(client):
    text = client.get(home_url("en")).text

    assert '<link rel="canonical" href="http://testserver/en/">' in text
    for code in ["vi", "en", "zh-hans"]:
        assert f'<link rel="alternate" hreflang="{code}" href="http://testserver/{code}/">' in text
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/vi/">' in text


def test_language_switcher_links_the_other_editions(client):
    response = client.get(home_url("en"))

    links = {link["code"]: link["url"] for link in response.context["language_links"]}
    assert links == {"vi": "/vi/", "en": "/en/", "zh-hans": "/zh-hans/"}


def test_anonymous_pages_are_served_from_the_cache(client, django_assert_num_queries):
    ArticleFactory()
    client.get(home_url("en"))

    with django_assert_num_queries(0):
        response = client.get(home_url("en"))

    assert response.status_code == 200
    assert "max-age=0" in response.headers["Cache-Control"]


def test_publishing_clears_the_cached_pages(client, newsroom):
    edition = ArticleFactory(
        title="Approved story", status=EditionStatus.APPROVED, published_at=None
    )
    assert listed(client.get(home_url("en"))) == []

    workflow.perform("publish", edition.translations.get(), by=newsroom["editor"])

    assert [str(article) for article in listed(client.get(home_url("en")))] == ["Approved story"]


def test_unpublishing_removes_the_article_page_at_once(client, newsroom):
    article = ArticleFactory(title="Live story")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200

    workflow.perform("unpublish", article.translations.get(), by=newsroom["editor"])

    assert client.get(url).status_code == 404


def test_pages_are_cached_only_until_the_next_scheduled_edition():
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(seconds=90))

    assert 80 <= seconds_until_next_scheduled_edition() <= 91


def test_editors_always_get_a_fresh_page(client, admin_user, django_assert_max_num_queries):
    ArticleFactory()
    client.force_login(admin_user)
    client.get(home_url("en"))

    response = client.get(home_url("en"))

    assert "lead" in response.context


def test_editors_pages_are_kept_by_no_browser_or_proxy(client, admin_user):
    client.force_login(admin_user)

    response = client.get(home_url("en"))

    assert "private" in response.headers["Cache-Control"]
    assert "no-cache" in response.headers["Cache-Control"]


def test_a_cached_page_is_read_in_one_round_trip_to_the_cache(client, monkeypatch):
    ArticleFactory()
    client.get(home_url("en"))
    reads = []
    get = cache.get  # the backend's own, bound before it is replaced

    def recorded_get(key, *args, **kwargs):
        reads.append(key)
        return get(key, *args, **kwargs)

    def recorded_get_many(keys, **kwargs):
        reads.append(keys)
        return {key: value for key in keys if (value := get(key)) is not None}

    monkeypatch.setattr(cache, "get", recorded_get)
    monkeypatch.setattr(cache, "get_many", recorded_get_many)

    response = client.get(home_url("en"))

    assert response.status_code == 200
    assert len(reads) == 1


def test_pages_made_before_a_change_is_committed_are_not_served_after_it(
    client, django_capture_on_commit_callbacks
):
    # Another process may cache a page between an editor's save and its commit, from data
    # that does not show the change yet: the commit bumps the generation again.
    ArticleFactory(title="Old title")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        bump_content_generation()
    client.get(home_url("en"))  # cached by "another process" before the commit
    ArticleTranslation.objects.update(title="New title")  # no signal, as if uncommitted

    for callback in callbacks:
        callback()

    assert "New title" in client.get(home_url("en")).text


def test_a_cached_page_carries_the_same_headers_as_when_it_was_made(client):
    ArticleFactory()
    made = client.get(home_url("en"))

    served = client.get(home_url("en"))

    assert "lead" not in (served.context or {})  # from the cache: no view ran
    for header in ("Content-Language", "X-Frame-Options", "Vary", "Cache-Control", "ETag"):
        assert served[header] == made[header]


def test_a_reader_with_a_session_cookie_is_never_served_from_the_cache(client):
    ArticleFactory(title="Before")
    client.get(home_url("en"))
    client.cookies["sessionid"] = "left-over-from-a-logout"
    ArticleTranslation.objects.update(title="After")  # no signal: the cache still has Before

    assert "After" in client.get(home_url("en")).text


@pytest.mark.parametrize("url", ["/en/search/?q=friendship", "/healthz", "/robots.txt"])
def test_pages_that_are_never_kept_do_not_wait_for_the_cache(client, monkeypatch, url):
    monkeypatch.setattr(cache, "get_many", pytest.fail)

    assert client.get(url).status_code == 200
