import datetime
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import EditionStatus
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    FriendshipUnionFactory,
    TagFactory,
    add_edition,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


def feed_url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def rss_channel(response):
    return ET.fromstring(response.content).find("channel")


def rss_titles(response):
    return [item.findtext("title") for item in rss_channel(response).findall("item")]


def atom_entries(response):
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def translate(obj, language, **fields):
    obj.set_current_language(language)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    return obj


def test_feed_lists_editions_published_in_its_language_newest_first(client):
    now = timezone.now()
    ArticleFactory(title="Older", published_at=now - 2 * HOUR)
    ArticleFactory(title="Newer", published_at=now - HOUR)

    response = client.get(feed_url("feed", "en"))

    assert response.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert rss_titles(response) == ["Newer", "Older"]


@pytest.mark.parametrize(
    "edition",
    [
        {"status": EditionStatus.DRAFT, "published_at": None},
        {"status": EditionStatus.IN_REVIEW, "published_at": None},
        {"status": EditionStatus.APPROVED, "published_at": None},
        {"status": EditionStatus.UNPUBLISHED},
        {"status": EditionStatus.ARCHIVED},
        {"published_at": timezone.now() + datetime.timedelta(days=1)},  # scheduled
    ],
)
def test_feed_leaves_out_editions_readers_cannot_see(client, edition):
    ArticleFactory(title="Published")
    ArticleFactory(title="Not for readers", **edition)

    response = client.get(feed_url("feed", "en"))

    assert rss_titles(response) == ["Published"]


def test_feed_leaves_out_editions_of_other_languages(client):
    ArticleFactory(title="English")
    with translation.override("vi"):
        ArticleFactory(title="Chỉ có tiếng Việt")
    add_edition(ArticleFactory(title="English draft", status=EditionStatus.DRAFT), "vi")

    response = client.get(feed_url("feed", "en"))

    assert rss_titles(response) == ["English"]


def test_feed_item_links_to_the_edition_page_in_its_language(client):
    add_edition(ArticleFactory(title="Laos"), "vi", title="Hữu nghị Việt Nam – Lào")

    response = client.get(feed_url("feed", "vi"))

    item = rss_channel(response).find("item")
    assert item.findtext("link") == "http://testserver/vi/articles/huu-nghi-viet-nam-lao/"
    assert item.findtext("guid") == "http://testserver/vi/articles/huu-nghi-viet-nam-lao/"


@pytest.mark.parametrize("language", ["vi", "en", "zh-hans"])
def test_rss_feed_language_is_the_language_of_its_address(client, language):
    response = client.get(feed_url("feed", language))

    assert rss_channel(response).findtext("language") == language


@pytest.mark.parametrize("language", ["vi", "en", "zh-hans"])
def test_atom_feed_language_is_the_language_of_its_address(client, language):
    response = client.get(feed_url("feed_atom", language))

    assert ET.fromstring(response.content).get(XML_LANG) == language


def test_feed_description_is_the_lead_escaped_as_text(client):
    ArticleFactory(lead="Laos & Vietnam: <b>friends</b>")

    response = client.get(feed_url("feed", "en"))

    description = rss_channel(response).find("item").findtext("description")
    assert description == "Laos &amp; Vietnam: &lt;b&gt;friends&lt;/b&gt;"


def test_rss_titles_are_escaped_once_more_as_django_does(client):
    ArticleFactory(title="Laos & Vietnam")

    response = client.get(feed_url("feed", "en"))

    assert rss_titles(response) == ["Laos &amp; Vietnam"]


def test_atom_titles_are_plain_text(client):
    ArticleFactory(title="Laos & Vietnam's festival")

    response = client.get(feed_url("feed_atom", "en"))

    assert [entry.findtext(f"{ATOM}title") for entry in atom_entries(response)] == [
        "Laos & Vietnam's festival"
    ]


def test_rss_item_pubdate_is_the_editions_publication_time(client):
    published_at = timezone.now() - 3 * HOUR
    ArticleFactory(published_at=published_at)

    response = client.get(feed_url("feed", "en"))

    pubdate = rss_channel(response).find("item").findtext("pubDate")
    assert parsedate_to_datetime(pubdate) == published_at.replace(microsecond=0)


def test_atom_entry_dates_are_the_editions_publication_and_update_times(client):
    article = ArticleFactory(published_at=timezone.now() - 3 * HOUR)
    edition = article.edition("en")

    response = client.get(feed_url("feed_atom", "en"))

    entry = atom_entries(response)[0]
    published = datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
    updated = datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    assert (published, updated) == (edition.published_at, edition.updated_at)


def test_feed_item_author_is_the_reporter_credit(client):
    ArticleFactory(reporter_credit="Huynh Thuy", translator_credit="Vi Bao")

    response = client.get(feed_url("feed", "en"))

    assert rss_channel(response).find("item").findtext(DC_CREATOR) == "Huynh Thuy"


def test_feed_item_has_no_author_without_a_reporter_credit(client):
    ArticleFactory(reporter_credit="")

    response = client.get(feed_url("feed_atom", "en"))

    assert atom_entries(response)[0].find(f"{ATOM}author") is None


def test_feed_item_categories_are_named_in_its_language(client):
    category = translate(CategoryFactory(name="Foreign affairs"), "vi", name="Đối ngoại")
    tag = translate(TagFactory(name="Laos"), "vi", name="Lào")
    article = add_edition(ArticleFactory(category=category), "vi")
    article.tags.add(tag)

    response = client.get(feed_url("feed", "vi"))

    item = rss_channel(response).find("item")
    assert [element.text for element in item.findall("category")] == ["Đối ngoại", "Lào"]


def test_feed_title_is_the_home_unions_name_in_its_language(client):
    union = FriendshipUnionFactory(is_home=True, name="Union of Friendship Organizations")
    translate(union, "vi", name="Liên hiệp các tổ chức hữu nghị")

    response = client.get(feed_url("feed", "vi"))

    assert rss_channel(response).findtext("title") == "Liên hiệp các tổ chức hữu nghị"


def test_feed_title_without_a_home_union_is_the_generic_name(client):
    response = client.get(feed_url("feed", "en"))

    assert rss_channel(response).findtext("title") == "Union of Friendship Organizations"


def test_feed_links_to_the_home_page_of_its_language(client):
    response = client.get(feed_url("feed", "zh-hans"))

    assert rss_channel(response).findtext("link") == "http://testserver/zh-hans/"


def test_feed_holds_the_20_newest_editions(client):
    now = timezone.now()
    for minutes in range(21):
        ArticleFactory(title=f"{minutes} minutes ago", published_at=now - minutes * HOUR / 60)

    response = client.get(feed_url("feed", "en"))

    assert rss_titles(response) == [f"{minutes} minutes ago" for minutes in range(20)]


def test_atom_feed_entries_link_to_the_editions(client):
    ArticleFactory(title="Japan Festival 2024")

    response = client.get(feed_url("feed_atom", "en"))

    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    links = [entry.find(f"{ATOM}link").get("href") for entry in atom_entries(response)]
    assert links == ["http://testserver/en/articles/japan-festival-2024/"]


def test_category_feed_lists_only_its_categorys_editions(client):
    category = CategoryFactory(name="Foreign affairs")
    ArticleFactory(title="Delegation from Laos", category=category)
    ArticleFactory(title="Other news")

    response = client.get(feed_url("category_feed", "en", slug="foreign-affairs"))

    assert rss_titles(response) == ["Delegation from Laos"]


def test_category_feed_title_names_the_union_and_the_category(client):
    union = FriendshipUnionFactory(is_home=True, name="Binh Duong Union")
    translate(union, "vi", name="Liên hiệp Bình Dương")
    translate(CategoryFactory(name="Foreign affairs"), "vi", name="Đối ngoại")

    response = client.get(feed_url("category_feed_atom", "vi", slug="doi-ngoai"))

    title = ET.fromstring(response.content).findtext(f"{ATOM}title")
    assert title == "Liên hiệp Bình Dương – Đối ngoại"


def test_category_feed_leaves_out_editions_of_other_languages(client):
    category = translate(CategoryFactory(name="Foreign affairs"), "vi", name="Đối ngoại")
    ArticleFactory(title="Only in English", category=category)

    response = client.get(feed_url("category_feed", "vi", slug="doi-ngoai"))

    assert rss_titles(response) == []


def test_category_feed_of_an_unknown_slug_is_not_found(client):
    response = client.get(feed_url("category_feed", "en", slug="no-such-category"))

    assert response.status_code == 404


def test_category_feed_needs_the_slug_of_its_language(client):
    translate(CategoryFactory(name="Foreign affairs"), "vi", name="Đối ngoại")

    response = client.get(feed_url("category_feed", "vi", slug="foreign-affairs"))

    assert response.status_code == 404


@pytest.mark.parametrize("article_count", [1, 5])
def test_feed_query_count_is_constant(client, article_count, django_assert_max_num_queries):
    FriendshipUnionFactory(is_home=True)
    tag = TagFactory()
    for article in ArticleFactory.create_batch(article_count):
        article.tags.add(tag)

    # Home union and its translations; articles with their category; their editions, the
    # category's translations, tags and tags' translations.
    with django_assert_max_num_queries(7):
        response = client.get(feed_url("feed", "en"))

    assert len(rss_titles(response)) == article_count


@pytest.mark.parametrize("article_count", [1, 5])
def test_category_feed_query_count_is_constant(
    client, article_count, django_assert_max_num_queries
):
    FriendshipUnionFactory(is_home=True)
    category = CategoryFactory(name="Foreign affairs")
    tag = TagFactory()
    for article in ArticleFactory.create_batch(article_count, category=category):
        article.tags.add(tag)

    # As the edition's feed, and the category with its translations.
    with django_assert_max_num_queries(9):
        response = client.get(feed_url("category_feed_atom", "en", slug="foreign-affairs"))

    assert len(atom_entries(response)) == article_count
