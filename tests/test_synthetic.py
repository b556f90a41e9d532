import unicodedata
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils.html import escape

from articles.models import Article, ArticleTranslation, EditionStatus, Photo
from events.models import Activity
from friendship_site.text import to_ascii
from search.models import SearchEntry

pytestmark = pytest.mark.django_db


def generate(articles=30, events=6, seed=7, *extra):
    call_command(
        "generate_synthetic",
        f"--articles={articles}",
        f"--events={events}",
        f"--seed={seed}",
        *extra,
        stdout=StringIO(),
    )


@pytest.fixture(autouse=True)
def _debug(settings):
    settings.DEBUG = True


def test_it_creates_the_requested_numbers():
    generate(articles=30, events=6)

    assert Article.objects.count() == 30
    assert Activity.objects.count() == 6
    assert ArticleTranslation.objects.filter(language_code="vi").count() == 30
    assert SearchEntry.objects.count() == ArticleTranslation.objects.count()


def test_the_same_seed_gives_the_same_titles():
    generate(seed=3)
    first = list(ArticleTranslation.objects.order_by("pk").values_list("title", "status"))
    ArticleTranslation.objects.all().delete()
    Article.objects.all().delete()

    generate(seed=3)

    again = list(ArticleTranslation.objects.order_by("pk").values_list("title", "status"))
    assert again == first


def test_editions_come_in_several_languages_and_states():
    generate(articles=80)

    languages = set(ArticleTranslation.objects.values_list("language_code", flat=True))
    statuses = set(ArticleTranslation.objects.values_list("status", flat=True))
    assert languages == {"vi", "en", "zh-hans"}
    assert {EditionStatus.PUBLISHED, EditionStatus.DRAFT} <= statuses
    assert len(statuses) >= 4
    assert Article.objects.outdated_in("en").exists() or Article.objects.outdated_in("zh-hans")


def test_text_is_nfc_vietnamese_and_slugs_are_unique_and_readable():
    generate(articles=40)

    editions = ArticleTranslation.objects.values_list("language_code", "slug", "title", "body")
    slugs = [(language, slug) for language, slug, _, _ in editions]
    assert len(slugs) == len(set(slugs))
    for _language, slug, title, body in editions:
        assert slug.isascii(), slug
        assert slug[0].isalpha(), slug
        assert unicodedata.is_normalized("NFC", title)
        assert body.startswith("<p>")
    vi_titles = " ".join(t for language, _, t, _ in editions if language == "vi")
    assert "hữu nghị" in vi_titles or "Hội" in vi_titles


def test_photos_are_shared_and_a_second_run_adds_none():
    generate(articles=40)
    generate(articles=10, seed=8)

    assert Photo.objects.count() == 12
    assert Article.objects.filter(lead_photo__isnull=False).count() == 50


def test_public_pages_show_published_editions_only(client):
    generate(articles=40)
    hidden = ArticleTranslation.objects.filter(language_code="en").exclude(
        status=EditionStatus.PUBLISHED
    )
    hidden_titles = [edition.title for edition in hidden if edition.title]

    home = client.get("/en/")
    listing = client.get("/en/articles/")

    assert home.status_code == 200
    assert listing.status_code == 200
    shown = listing.content.decode()
    live = Article.objects.for_language("en").published().newest_first().first()
    assert escape(live.title) in shown
    assert not any(escape(title) in shown for title in hidden_titles if title != live.title)


def test_search_finds_a_vietnamese_edition_typed_without_diacritics(client):
    generate(articles=40)
    article = Article.objects.for_language("vi").published().first()
    assert article is not None

    edition = article.edition("vi")
    # The title without its diacritics, as typed on a keyboard without Vietnamese input.
    query = " ".join(to_ascii(edition.title).split()[-4:])

    response = client.get("/vi/search/", {"q": query})

    assert response.status_code == 200
    assert edition in [entry.edition for entry in response.context["page_obj"]]


def test_it_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        generate()
    assert not Article.objects.exists()
