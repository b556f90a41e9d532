"""The reader's article pages and lists, in every language."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Correction, EditionStatus, GalleryPhoto
from articles.views import ARTICLES_PER_PAGE
from tests.factories import (
    ActivityFactory,
    ArticleFactory,
    CategoryFactory,
    CountryFactory,
    MemberAssociationFactory,
    PartnerLocalityFactory,
    PhotoFactory,
    TagFactory,
    add_edition,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
LANGUAGES = ["vi", "en", "zh-hans"]


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def article_in(language, **fields):
    with translation.override(language):
        return ArticleFactory(**fields)


@pytest.mark.parametrize("language", LANGUAGES)
def test_article_page_shows_the_edition_in_its_language(client, language):
    article = article_in(
        language,
        title="Ngày hội",
        lead="Sapo.",
        body="<p>Nội dung.</p>",
        reporter_credit="Huỳnh Thủy",
        translator_credit="Vi Bảo",
    )

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    assert "<h1>Ngày hội</h1>" in response.text
    assert "<p>Nội dung.</p>" in response.text
    assert response.context["edition"].byline in response.text


def test_article_page_shows_tags_links_gallery_and_corrections(client):
    tag = TagFactory(name="Laos")
    activity = ActivityFactory(title="Japan Festival 2024")
    locality = PartnerLocalityFactory(name="Champasak province")
    association = MemberAssociationFactory(name="Vietnam–Laos Friendship Association")
    article = ArticleFactory(title="Story")
    article.tags.add(tag)
    article.activities.add(activity)
    article.localities.add(locality)
    article.associations.add(association)
    GalleryPhoto.objects.create(article=article, photo=PhotoFactory(caption="Gallery caption"))
    correction = Correction(article=article)
    correction.set_current_language("en")
    correction.text = "The date was corrected."
    correction.save()

    text = client.get(article.get_absolute_url()).text

    for expected in [
        'href="/en/tags/laos/"',
        'href="/en/events/japan-festival-2024/"',
        'href="/en/partners/champasak-province/"',
        "Vietnam–Laos Friendship Association",
        "Gallery caption",
        "The date was corrected.",
    ]:
        assert expected in text


def test_article_page_links_previous_and_next_in_its_language(client):
    now = timezone.now()
    first = ArticleFactory(title="First", published_at=now - 3 * HOUR)
    middle = ArticleFactory(title="Middle", published_at=now - 2 * HOUR)
    last = ArticleFactory(title="Last", published_at=now - HOUR)

    response = client.get(middle.get_absolute_url())

    assert response.context["previous"]["url"] == first.get_absolute_url()
    assert response.context["next"]["url"] == last.get_absolute_url()
    assert "← First" in response.text


def test_article_page_suggests_same_category_and_same_tag(client):
    category = CategoryFactory()
    tag = TagFactory()
    article = ArticleFactory(category=category)
    article.tags.add(tag)
    same_category = ArticleFactory(category=category)
    same_tag = ArticleFactory()
    same_tag.tags.add(tag)
    ArticleFactory()

    response = client.get(article.get_absolute_url())

    assert [card.article_id for card in response.context["same_category"]] == [same_category.pk]
    assert [card.article_id for card in response.context["same_tag"]] == [same_tag.pk]


def test_article_page_declares_only_the_languages_it_is_published_in(client):
    article = add_edition(ArticleFactory(title="Friendship"), "vi", title="Hữu nghị")
    add_edition(article, "zh-hans", title="友好", status=EditionStatus.DRAFT, published_at=None)

    response = client.get(url("articles:detail", "en", slug="friendship"))

    assert (
        '<link rel="alternate" hreflang="vi" href="http://testserver/vi/articles/huu-nghi/">'
        in response.text
    )
    assert 'hreflang="zh-hans" href="http://testserver' not in response.text
    links = {link["code"]: link["url"] for link in response.context["language_links"]}
    assert links == {
        "vi": "/vi/articles/huu-nghi/",
        "en": "/en/articles/friendship/",
        "zh-hans": "/zh-hans/",
    }


def test_article_page_has_open_graph_tags(client):
    article = ArticleFactory(title="Friendship", lead="A lead.", lead_photo=PhotoFactory())

    text = client.get(article.get_absolute_url()).text

    assert '<meta property="og:title" content="Friendship">' in text
    assert '<meta property="og:description" content="A lead.">' in text
    assert '<meta property="og:type" content="article">' in text
    assert '<meta name="twitter:card" content="summary_large_image">' in text


def test_article_missing_in_a_language_is_a_friendly_404_with_links(client):
    ArticleFactory(title="Friendship")

    response = client.get("/vi/articles/friendship/")

    assert response.status_code == 404
    assert [link["url"] for link in response.context["elsewhere"]] == ["/en/articles/friendship/"]


def test_unknown_article_is_a_404(client):
    assert client.get("/en/articles/no-such-article/").status_code == 404


@pytest.mark.parametrize(
    "fields",
    [
        {"status": EditionStatus.DRAFT, "published_at": None},
        {"status": EditionStatus.IN_REVIEW, "published_at": None},
        {"status": EditionStatus.APPROVED, "published_at": None},
        {"status": EditionStatus.UNPUBLISHED},
        {"status": EditionStatus.ARCHIVED},
        {"published_at": timezone.now() + datetime.timedelta(days=1)},
    ],
)
def test_unpublished_or_scheduled_article_is_nowhere_on_the_site(client, fields):
    category, tag = CategoryFactory(name="Society"), TagFactory(name="Laos")
    article = ArticleFactory(title="Hidden story", category=category, **fields)
    article.tags.add(tag)
    year = timezone.localdate().year

    pages = [
        "/en/",
        "/en/articles/",
        "/en/articles/hidden-story/",
        "/en/categories/society/",
        "/en/tags/laos/",
        f"/en/archive/{year}/",
    ]

    for page in pages:
        assert "Hidden story" not in client.get(page).text, page


def test_news_list_filters_by_category_country_locality_association_and_year(client):
    laos = CountryFactory(code="LA", name="Laos")
    champasak = PartnerLocalityFactory(name="Champasak", country=laos)
    association = MemberAssociationFactory(name="Vietnam-Laos")
    society = CategoryFactory(name="Society")
    match = ArticleFactory(category=society, published_at=timezone.now() - HOUR)
    match.countries.add(laos)
    match.localities.add(champasak)
    match.associations.add(association)
    ArticleFactory(category=society)
    query = {
        "category": "society",
        "country": "la",
        "locality": "champasak",
        "association": "vietnam-laos",
        "year": str(timezone.localdate().year),
    }

    response = client.get("/en/articles/", query)

    assert response.status_code == 200
    assert [card.article_id for card in response.context["page_obj"]] == [match.pk]


@pytest.mark.parametrize(
    "query",
    [
        {"category": "no-such-category"},
        {"country": "zz"},
        {"year": "nineteen"},
        {"year": "99999"},
        {"locality": "<script>"},
        {"association": "x" * 500},
    ],
)
def test_invalid_filter_value_is_a_400_with_a_message(client, query):
    ArticleFactory()

    response = client.get("/en/articles/", query)

    assert response.status_code == 400
    assert "not valid" in response.text


@pytest.mark.parametrize("page", ["abc", "-1", "0", "%00", "1.5"])
def test_malformed_page_number_shows_the_first_page(client, page):
    ArticleFactory(title="The only story")

    response = client.get("/en/articles/", {"page": page})

    assert response.status_code == 200
    assert "The only story" in response.text


@pytest.mark.parametrize("page", ["2", "999999", "1" * 400])
def test_page_past_the_end_is_a_404_not_an_error(client, page):
    ArticleFactory()

    response = client.get("/en/articles/", {"page": page})

    assert response.status_code == 404


def test_list_pages_link_older_and_newer_pages_without_counting(
    client, django_assert_max_num_queries
):
    for _ in range(ARTICLES_PER_PAGE + 1):
        ArticleFactory()

    first = client.get("/en/articles/")
    second = client.get("/en/articles/", {"page": "2"})

    assert 'rel="next" href="?page=2"' in first.text
    assert 'rel="prev"' not in first.text
    assert 'rel="prev" href="?page=1"' in second.text
    assert 'rel="next"' not in second.text
    assert len(second.context["page_obj"]) == 1
    assert "Page 2" in second.text


def test_category_page_lists_its_articles_in_the_language(client):
    category = CategoryFactory(name="Society")
    add_edition(category, "vi", name="Xã hội")
    in_category = add_edition(ArticleFactory(category=category), "vi")
    ArticleFactory()

    response = client.get("/vi/categories/xa-hoi/")

    assert [card.article_id for card in response.context["page_obj"]] == [in_category.pk]
    links = {link["code"]: link["url"] for link in response.context["language_links"]}
    assert links["en"] == "/en/categories/society/"


def test_tag_page_lists_its_articles(client):
    tag = TagFactory(name="Scholarships")
    tagged = ArticleFactory()
    tagged.tags.add(tag)
    ArticleFactory()

    response = client.get("/en/tags/scholarships/")

    assert [card.article_id for card in response.context["page_obj"]] == [tagged.pk]


def test_archive_lists_a_month_of_the_language(client):
    in_april = ArticleFactory(published_at=datetime.datetime(2025, 4, 25, 10, tzinfo=datetime.UTC))
    ArticleFactory(published_at=datetime.datetime(2025, 5, 2, 10, tzinfo=datetime.UTC))

    response = client.get("/en/archive/2025/4/")

    assert [card.article_id for card in response.context["page_obj"]] == [in_april.pk]
    assert response.context["title"] == "Archive: April 2025"


@pytest.mark.parametrize(
    "path", ["/en/archive/1800/", "/en/archive/2025/13/", "/en/categories/nope/", "/en/tags/nope/"]
)
def test_unknown_list_is_a_404(client, path):
    assert client.get(path).status_code == 404
