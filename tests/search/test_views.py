import datetime
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import EditionStatus
from search import index
from tests.factories import ArticleFactory, FriendshipUnionFactory, add_edition

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def search(client, language, query, **params):
    with translation.override(language):
        url = reverse("search:results")
    return client.get(url, {"q": query, **params})


def found(response):
    return [result.title for result in response.context["results"]]


@pytest.fixture
def vietnamese_article():
    with translation.override("vi"):
        return ArticleFactory(
            title="Đẩy mạnh hoạt động đối ngoại nhân dân",
            lead="Liên hiệp các tổ chức hữu nghị tỉnh tổng kết công tác năm 2024.",
            body="<p>Hoạt động <strong>đối ngoại</strong> nhân dân được triển khai đồng bộ.</p>",
        )


@pytest.fixture
def chinese_article():
    with translation.override("zh-hans"):
        return ArticleFactory(
            title="平阳省友好组织联合会举行2024年工作总结会议",
            body="<p>会议总结了民间外交工作。</p>",
        )


def test_vietnamese_search_ignores_diacritics(client, vietnamese_article):
    response = search(client, "vi", "doi ngoai nhan dan")

    assert found(response) == ["Đẩy mạnh hoạt động <mark>đối ngoại nhân dân</mark>"]


def test_decomposed_query_finds_the_article(client, vietnamese_article):
    response = search(client, "vi", unicodedata.normalize("NFD", "đối ngoại"))

    assert len(found(response)) == 1


def test_query_with_diacritics_and_capitals_finds_the_article(client, vietnamese_article):
    response = search(client, "vi", "ĐỐI NGOẠI Nhân Dân")

    assert len(found(response)) == 1


def test_chinese_word_finds_the_article_containing_it(client, chinese_article):
    response = search(client, "zh-hans", "友好")

    assert found(response) == ["平阳省<mark>友好</mark>组织联合会举行2024年工作总结会议"]


def test_chinese_search_matches_words_not_characters(client, chinese_article):
    response = search(client, "zh-hans", "好组")

    assert found(response) == []


def test_english_search_is_case_insensitive(client):
    ArticleFactory(title="Friendship festival in Champasak")

    response = search(client, "en", "FRIENDSHIP champasak")

    assert found(response) == ["<mark>Friendship</mark> festival in <mark>Champasak</mark>"]


def test_every_word_of_the_query_must_be_found(client):
    ArticleFactory(title="Friendship festival")

    response = search(client, "en", "friendship delegation")

    assert found(response) == []


def test_words_match_whole_words_only(client):
    ArticleFactory(title="A Laotian delegation")

    response = search(client, "en", "laos")

    assert found(response) == []


def test_title_match_ranks_above_body_match(client):
    now = timezone.now()
    in_body = ArticleFactory(
        title="Delegation visits",
        body="<p>Scholarship, scholarship and scholarship again.</p>",
        published_at=now - HOUR,
    )
    in_title = ArticleFactory(title="Scholarship awarded", published_at=now - 2 * HOUR)

    response = search(client, "en", "scholarship")

    assert [result.url for result in response.context["results"]] == [
        in_title.get_absolute_url(),
        in_body.get_absolute_url(),
    ]


def test_newer_article_ranks_first_among_equal_matches(client):
    now = timezone.now()
    ArticleFactory(title="Older scholarship", published_at=now - 2 * HOUR)
    ArticleFactory(title="Newer scholarship", published_at=now - HOUR)

    response = search(client, "en", "scholarship")

    assert found(response) == ["Newer <mark>scholarship</mark>", "Older <mark>scholarship</mark>"]


def test_search_finds_editions_of_the_current_language_only(client):
    with translation.override("vi"):
        article = ArticleFactory(title="Lễ hội hữu nghị Champasak")
    add_edition(article, "en", title="Friendship festival in Champasak")

    english = search(client, "en", "champasak")
    vietnamese = search(client, "vi", "champasak")
    untranslated = search(client, "en", "huu nghi")

    assert found(english) == ["Friendship festival in <mark>Champasak</mark>"]
    assert found(vietnamese) == ["Lễ hội hữu nghị <mark>Champasak</mark>"]
    assert found(untranslated) == []


def test_results_link_to_the_edition_of_the_current_language(client):
    with translation.override("vi"):
        article = ArticleFactory(title="Lễ hội hữu nghị Champasak")
    add_edition(article, "en", title="Friendship festival in Champasak")

    response = search(client, "en", "champasak")

    assert '<a href="/en/articles/friendship-festival-in-champasak/">' in response.text


@pytest.mark.parametrize(
    ("status", "published_at"),
    [
        (EditionStatus.DRAFT, None),
        (EditionStatus.IN_REVIEW, None),
        (EditionStatus.APPROVED, None),
        (EditionStatus.PUBLISHED, timezone.now() + datetime.timedelta(days=1)),
        (EditionStatus.UNPUBLISHED, timezone.now() - HOUR),
        (EditionStatus.ARCHIVED, timezone.now() - HOUR),
    ],
    ids=["draft", "in-review", "approved", "scheduled", "unpublished", "archived"],
)
def test_editions_readers_cannot_see_are_never_found(client, status, published_at):
    ArticleFactory(title="Friendship scholarship", status=status, published_at=published_at)

    response = search(client, "en", "scholarship")

    assert found(response) == []


def test_edition_is_not_found_through_another_language_being_published(client):
    with translation.override("vi"):
        article = ArticleFactory(title="Học bổng hữu nghị")
    add_edition(article, "en", title="Friendship scholarship", status=EditionStatus.DRAFT)

    response = search(client, "en", "scholarship")

    assert found(response) == []


def test_snippet_highlights_the_words_as_written(client, vietnamese_article):
    response = search(client, "vi", "doi ngoai")

    assert response.context["results"][0].snippet == (
        "Liên hiệp các tổ chức hữu nghị tỉnh tổng kết công tác năm 2024. "
        "Hoạt động <mark>đối ngoại</mark> nhân dân được triển khai đồng bộ."
    )


def test_snippet_is_escaped(client):
    ArticleFactory(
        title="Friendship",
        lead="Scholarship <script>alert(1)</script>",
        body="<p>&lt;img src=x onerror=alert(1)&gt; scholarship</p>",
    )

    response = search(client, "en", "scholarship")

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in response.text
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text


def test_results_page_shows_the_count_and_the_query(client, vietnamese_article):
    response = search(client, "en", "<b>friendship</b>")

    assert "0 articles found for “&lt;b&gt;friendship&lt;/b&gt;”." in response.text


def test_empty_query_shows_only_the_form(client, vietnamese_article):
    response = search(client, "vi", "   ")

    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert 'type="search" name="q"' in response.text
    assert "result-count" not in response.text


def test_search_page_without_a_query_shows_the_form(client):
    with translation.override("vi"):
        response = client.get(reverse("search:results"))

    assert response.status_code == 200
    assert response.context["page_obj"] is None


@pytest.mark.parametrize(
    "query",
    [
        "đối ngoại " * 500,
        "\x00",
        "đối\x00ngoại",
        "\x1b[31m\u202e\u200b",
        "!!! … ???",
        "%",
        "_",
        "' OR 1=1 --",
        '"; DROP TABLE search_searchentry; --',
        "đối ngoại 友好 friendship Дружба صداقة 🤝",
        "a" * 3000,
    ],
    ids=[
        "5000-chars",
        "nul",
        "nul-inside",
        "control-and-bidi",
        "punctuation",
        "percent",
        "underscore",
        "sql-quote",
        "sql-drop",
        "mixed-scripts",
        "one-long-word",
    ],
)
def test_bad_queries_get_a_page_not_an_error(client, vietnamese_article, query):
    response = search(client, "vi", query)

    assert response.status_code == 200


def test_undecodable_query_string_gets_a_page(client, vietnamese_article):
    response = client.get("/vi/search/?q=%FF%FE%00doi")

    assert response.status_code == 200


def test_query_with_a_nul_character_still_searches(client, vietnamese_article):
    response = search(client, "vi", "đối\x00ngoại")

    assert len(found(response)) == 1


def test_too_long_query_gets_a_clear_message(client, vietnamese_article):
    response = search(client, "en", "đối ngoại " * 500)

    assert "Please shorten your search to 200 characters (it has 4999)." in response.text
    assert response.context["page_obj"] is None


def test_query_of_punctuation_explains_itself(client, vietnamese_article):
    response = search(client, "en", "%")

    assert "punctuation and symbols alone find nothing" in response.text
    assert found(response) == []


def test_query_of_many_words_searches_the_first_twelve(client):
    ArticleFactory(title=" ".join(f"w{number}" for number in range(12)))

    response = search(client, "en", " ".join(f"w{number}" for number in range(20)))

    assert len(found(response)) == 1
    assert "Only the first 12 words were searched." in response.text


@pytest.mark.parametrize("page", ["abc", "-1", "0", "999999", "1" * 400, "\x00"])
def test_bad_page_number_shows_a_page_not_an_error(client, page):
    ArticleFactory(title="Scholarship")

    response = search(client, "en", "scholarship", page=page)

    assert response.status_code == 200
    assert len(found(response)) == 1


def test_results_are_paginated_keeping_the_query(client):
    ArticleFactory.create_batch(12, title="Scholarship")

    first = search(client, "en", "scholarship")
    second = search(client, "en", "scholarship", page=2)

    assert len(found(first)) == 10
    assert 'href="?q=scholarship&amp;page=2"' in first.text
    assert len(found(second)) == 2


def test_search_page_is_not_indexed_by_search_engines(client):
    response = search(client, "en", "scholarship")

    assert response.headers["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize("result_count", [1, 12])
def test_search_page_reads_the_database_a_bounded_number_of_times(
    client, result_count, django_assert_max_num_queries
):
    FriendshipUnionFactory(is_home=True)
    for number in range(result_count):
        article = ArticleFactory(title=f"Scholarship {number}")
        add_edition(article, "vi", title=f"Học bổng {number}")

    # The newest matches, ranked (on PostgreSQL first among the newest entries, then
    # through the GIN index: two queries); the page's editions; the home union with its
    # translations, for base.html. One more, at most, when most of the newest matches
    # are drafts (tests/search/test_index.py).
    with django_assert_max_num_queries(4):
        response = search(client, "en", "scholarship")

    assert len(found(response)) == min(result_count, 10)


def test_more_matches_than_are_ranked_says_so(client, monkeypatch):
    monkeypatch.setattr(index, "MAX_RESULTS", 3)
    monkeypatch.setattr(index, "CANDIDATES", 5)
    ArticleFactory.create_batch(4, title="Scholarship")

    response = search(client, "en", "scholarship")

    assert response.context["page_obj"].paginator.count == 3
    assert (
        "More than 3 articles found for “scholarship”: "
        "the 3 most recent are listed, best matches first."
    ) in " ".join(response.text.split())


def test_as_many_matches_as_are_ranked_are_counted(client, monkeypatch):
    monkeypatch.setattr(index, "MAX_RESULTS", 3)
    monkeypatch.setattr(index, "CANDIDATES", 5)
    ArticleFactory.create_batch(3, title="Scholarship")

    response = search(client, "en", "scholarship")

    assert "3 articles found for “scholarship”." in " ".join(response.text.split())
    assert "More than" not in response.text


def test_language_switcher_searches_the_same_words_in_other_editions(client):
    response = client.get("/en/search/", {"q": "friendship"})

    links = {link["code"]: link["url"] for link in response.context["language_links"]}
    assert links["vi"] == "/vi/search/?q=friendship"
