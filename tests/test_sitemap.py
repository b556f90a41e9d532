"""The sitemap, and the other addresses outside the language prefix: robots.txt, healthz."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import caches
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone, translation

from articles import workflow
from articles.models import ArticleTranslation, EditionStatus
from friendship_site.sitemaps import ArticleSitemap
from tests.factories import ArticleFactory, add_edition

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
HOMES = {"http://testserver/vi/", "http://testserver/en/", "http://testserver/zh-hans/"}


def index_locations(client):
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.content)
    return [sitemap.findtext(f"{SITEMAP}loc") for sitemap in root.findall(f"{SITEMAP}sitemap")]


def section_urls(client, location):
    response = client.get(location.removeprefix("http://testserver"))
    assert response.status_code == 200, location
    root = ET.fromstring(response.content)
    return [(url.findtext(f"{SITEMAP}loc"), url) for url in root.findall(f"{SITEMAP}url")]


def sitemap_urls(client):
    """{loc: <url>} of every section page the index lists."""
    return {
        loc: url
        for location in index_locations(client)
        for loc, url in section_urls(client, location)
    }


def alternates(url):
    return {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}


def page(language, slug):
    return f"http://testserver/{language}/articles/{slug}/"


def test_sitemap_is_an_index_outside_the_language_prefix(client):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/xml"
    assert ET.fromstring(response.content).tag == f"{SITEMAP}sitemapindex"


def test_sitemap_index_lists_the_home_and_article_pages(client):
    ArticleFactory()

    assert index_locations(client) == [
        "http://testserver/sitemap-home.xml",
        "http://testserver/sitemap-articles.xml",
    ]


@pytest.mark.parametrize("path", ["/sitemap-home.xml", "/sitemap-articles.xml"])
def test_sitemap_section_pages_are_xml_outside_the_language_prefix(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/xml"
    assert ET.fromstring(response.content).tag == f"{SITEMAP}urlset"


@pytest.mark.parametrize("path", ["/sitemap-news.xml", "/sitemap-articles.xml?p=2"])
def test_sitemap_unknown_section_or_page_is_not_found(client, path):
    ArticleFactory()

    response = client.get(path)

    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-home.xml", "/sitemap-articles.xml"])
def test_sitemap_is_served_from_the_reader_cache(client, path, django_assert_num_queries):
    client.get(path)

    with django_assert_num_queries(0):
        response = client.get(path)

    assert response.status_code == 200


def test_sitemap_articles_are_split_into_pages_of_limit_articles(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for title in ["Laos", "Cambodia", "Cuba"]:
        add_edition(ArticleFactory(title=title), "vi", title=f"{title} (vi)")
    ArticleFactory(title="Draft", status=EditionStatus.DRAFT, published_at=None)

    locations = index_locations(client)
    first, second = (
        [loc for loc, _url in section_urls(client, location)] for location in locations[1:]
    )

    assert locations[1:] == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-articles.xml?p=2",
    ]
    assert len(first) == 4
    assert sorted(first + second) == sorted(
        page(language, slug)
        for slug in ["laos", "cambodia", "cuba"]
        for language, slug in [("en", slug), ("vi", f"{slug}-vi")]
    )


def test_sitemap_lists_exactly_the_live_editions(client):
    add_edition(ArticleFactory(title="Laos"), "vi", title="Lào")
    add_edition(ArticleFactory(title="Japan"), "zh-hans", title="日本", status=EditionStatus.DRAFT)
    ArticleFactory(title="Draft", status=EditionStatus.DRAFT, published_at=None)
    ArticleFactory(title="Unpublished", status=EditionStatus.UNPUBLISHED)
    with translation.override("vi"):
        ArticleFactory(title="Ngày mai", published_at=timezone.now() + HOUR)

    urls = sitemap_urls(client)

    assert set(urls) == HOMES | {page("en", "laos"), page("vi", "lao"), page("en", "japan")}


def test_sitemap_alternates_are_the_languages_the_article_is_published_in(client):
    article = add_edition(ArticleFactory(title="Laos"), "vi", title="Lào")
    add_edition(article, "zh-hans", title="老挝", status=EditionStatus.IN_REVIEW)

    urls = sitemap_urls(client)

    expected = {"vi": page("vi", "lao"), "en": page("en", "laos"), "x-default": page("vi", "lao")}
    assert alternates(urls[page("en", "laos")]) == expected
    assert alternates(urls[page("vi", "lao")]) == expected


def test_sitemap_x_default_is_the_vietnamese_edition_itself(client):
    add_edition(ArticleFactory(title="Laos"), "vi", title="Lào")

    urls = sitemap_urls(client)

    assert alternates(urls[page("en", "laos")])["x-default"] == page("vi", "lao")


def test_sitemap_has_no_x_default_without_a_published_vietnamese_edition(client):
    article = add_edition(ArticleFactory(title="Japan"), "zh-hans", title="日本")
    add_edition(article, "vi", title="Nhật Bản", status=EditionStatus.UNPUBLISHED)

    urls = sitemap_urls(client)

    assert alternates(urls[page("en", "japan")]) == {
        "en": page("en", "japan"),
        "zh-hans": page("zh-hans", "ri-ben"),
    }


def test_sitemap_article_in_one_language_has_only_itself_as_alternate(client):
    with translation.override("zh-hans"):
        ArticleFactory(title="日本")

    urls = sitemap_urls(client)

    assert alternates(urls[page("zh-hans", "ri-ben")]) == {"zh-hans": page("zh-hans", "ri-ben")}


def test_sitemap_lastmod_is_each_editions_update_date(client):
    add_edition(ArticleFactory(title="Laos"), "vi", title="Lào")
    ArticleTranslation.objects.filter(language_code="en").update(
        updated_at=datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC)
    )
    ArticleTranslation.objects.filter(language_code="vi").update(
        updated_at=datetime.datetime(2025, 4, 2, 12, tzinfo=datetime.UTC)
    )

    urls = sitemap_urls(client)

    assert urls[page("en", "laos")].findtext(f"{SITEMAP}lastmod") == "2025-03-01"
    assert urls[page("vi", "lao")].findtext(f"{SITEMAP}lastmod") == "2025-04-02"


def test_sitemap_lists_each_editions_home_page_with_alternates(client):
    urls = sitemap_urls(client)

    assert alternates(urls["http://testserver/en/"]) == {
        "vi": "http://testserver/vi/",
        "en": "http://testserver/en/",
        "zh-hans": "http://testserver/zh-hans/",
        "x-default": "http://testserver/vi/",
    }


def test_sitemap_article_page_is_last_modified_with_its_newest_edition(client):
    add_edition(ArticleFactory(title="Laos"), "vi", title="Lào")
    ArticleTranslation.objects.update(
        updated_at=datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC)
    )
    ArticleTranslation.objects.filter(language_code="vi").update(
        updated_at=datetime.datetime(2025, 4, 2, 12, tzinfo=datetime.UTC)
    )

    response = client.get("/sitemap-articles.xml")

    assert response.headers["Last-Modified"] == "Wed, 02 Apr 2025 12:00:00 GMT"


# Every page also looks up the next scheduled publication (how long the page cache may
# keep it).
@pytest.mark.parametrize("article_count", [1, 5])
def test_sitemap_index_query_count_is_constant(
    client, article_count, django_assert_max_num_queries
):
    for article in ArticleFactory.create_batch(article_count):
        add_edition(article, "vi")

    # The number of articles with a live edition.
    with django_assert_max_num_queries(2):
        locations = index_locations(client)

    assert len(locations) == 2


@pytest.mark.parametrize("article_count", [1, 5])
def test_sitemap_home_page_query_count_is_constant(
    client, article_count, django_assert_max_num_queries
):
    for article in ArticleFactory.create_batch(article_count):
        add_edition(article, "vi")

    # The newest change in each language.
    with django_assert_max_num_queries(2):
        urls = section_urls(client, "/sitemap-home.xml")

    assert len(urls) == len(HOMES)


@pytest.mark.parametrize("article_count", [4, 10])
def test_sitemap_article_page_query_count_is_constant(
    client, monkeypatch, article_count, django_assert_max_num_queries
):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for article in ArticleFactory.create_batch(article_count):
        add_edition(article, "vi")

    # The number of articles (for the page count), the page's article ids, and their
    # live editions.
    with django_assert_max_num_queries(4):
        urls = section_urls(client, "/sitemap-articles.xml?p=2")

    assert len(urls) == 2 * 2


def test_robots_txt_allows_all_but_the_admin_and_previews_and_names_the_sitemap(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.vn"]

    response = client.get("/robots.txt", HTTP_HOST="news.example.vn", secure=True)

    assert response.text == (
        "User-agent: *\n"
        "Allow: /\n"
        "Disallow: /admin/\n"
        "Disallow: /*/articles/preview/\n"
        "\n"
        "Sitemap: https://news.example.vn/sitemap.xml\n"
    )


def test_robots_txt_is_plain_text(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"


@pytest.mark.parametrize("language", ["vi", "en", "zh-hans"])
def test_robots_txt_preview_rule_matches_the_preview_addresses(language):
    with translation.override(language):
        url = reverse("articles:preview", kwargs={"token": "token"})

    assert url == f"/{language}/articles/preview/token/"


def test_healthz_answers_ok_without_a_language_prefix(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.text == "ok"
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"


def test_healthz_is_never_cached_and_sets_no_cookie(client):
    response = client.get("/healthz")

    assert "no-store" in response.headers["Cache-Control"]
    assert not response.cookies


def test_healthz_is_unavailable_when_the_database_does_not_answer(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.text == "database: failed\n"


def test_healthz_is_unavailable_when_the_cache_loses_what_it_was_given(client, monkeypatch):
    monkeypatch.setattr(caches["default"], "get", lambda *args, **kwargs: None)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.text == "cache: failed\n"


def test_sitemap_drops_an_unpublished_article_at_once(client, newsroom):
    article = ArticleFactory(title="Soon gone")
    assert b"/en/articles/soon-gone/" in client.get("/sitemap-articles.xml").content

    workflow.perform("unpublish", article.translations.get(), by=newsroom["editor"])

    assert b"/en/articles/soon-gone/" not in client.get("/sitemap-articles.xml").content
