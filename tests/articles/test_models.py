import datetime
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from articles.models import Article, ArticleTranslation, EditionStatus
from tests.factories import ArticleFactory, CategoryFactory, add_edition

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def edition(article, language):
    return ArticleTranslation.objects.get(master=article, language_code=language)


def test_slug_is_made_from_a_vietnamese_title():
    article = ArticleFactory(title="placeholder")

    add_edition(article, "vi", title="Đẩy mạnh hoạt động đối ngoại")

    assert edition(article, "vi").slug == "day-manh-hoat-dong-doi-ngoai"


def test_slug_is_made_from_a_chinese_title_in_pinyin():
    article = ArticleFactory(title="placeholder")

    add_edition(article, "zh-hans", title="平阳省友好组织联合会:加强团结与友好关系")

    assert edition(article, "zh-hans").slug == (
        "ping-yang-sheng-you-hao-zu-zhi-lian-he-hui-jia-qiang-tuan-jie-yu-you-hao-guan-xi"
    )


def test_slug_of_an_unsluggable_title_falls_back_to_article():
    article = ArticleFactory(title="???")

    assert edition(article, "en").slug == "article"


def test_slug_taken_in_the_same_language_gets_a_number():
    ArticleFactory(title="Japan Festival 2024")

    second = ArticleFactory(title="Japan Festival 2024")

    assert edition(second, "en").slug == "japan-festival-2024-2"


def test_same_slug_is_allowed_in_two_languages():
    first = ArticleFactory(title="Champasak")
    second = ArticleFactory(title="placeholder")

    add_edition(second, "vi", title="Champasak")

    assert edition(first, "en").slug == edition(second, "vi").slug == "champasak"


def test_database_refuses_a_duplicate_slug_in_one_language():
    ArticleFactory(title="Heidelberg")
    second = ArticleFactory(title="Emmen")

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleTranslation.objects.filter(master=second).update(slug="heidelberg")


def test_taken_slug_is_a_validation_error_that_suggests_a_free_one():
    ArticleFactory(title="Daejeon")
    second = ArticleFactory(title="Other", status=EditionStatus.DRAFT, published_at=None)
    translation_row = edition(second, "en")
    translation_row.slug = "daejeon"

    with pytest.raises(ValidationError) as error:
        translation_row.full_clean()

    assert error.value.message_dict == {
        "slug": ["The address “daejeon” is already used in this language. “daejeon-2” is free."]
    }


def test_slug_of_a_published_edition_cannot_change():
    article = ArticleFactory(title="Yamaguchi", status=EditionStatus.PUBLISHED)
    translation_row = edition(article, "en")
    translation_row.slug = "yamaguchi-prefecture"

    with pytest.raises(ValidationError) as error:
        translation_row.full_clean()

    assert list(error.value.message_dict) == ["slug"]


def test_slug_of_a_draft_can_change():
    article = ArticleFactory(title="Yamaguchi", status=EditionStatus.DRAFT, published_at=None)
    translation_row = edition(article, "en")
    translation_row.slug = "yamaguchi-prefecture"

    translation_row.full_clean()


def test_editing_the_title_keeps_the_slug():
    article = ArticleFactory(title="Emmen City")

    article.title = "Emmen City (Netherlands)"
    article.save()

    assert edition(article, "en").slug == "emmen-city"


def test_text_is_stored_in_nfc():
    decomposed = unicodedata.normalize("NFD", "Đối ngoại nhân dân")
    article = ArticleFactory(title="placeholder")

    add_edition(article, "vi", title=decomposed, lead=decomposed)

    stored = edition(article, "vi")
    assert stored.title == stored.lead == "Đối ngoại nhân dân"
    assert unicodedata.is_normalized("NFC", stored.title)


def test_control_characters_are_dropped_on_save_but_line_breaks_kept():
    article = ArticleFactory(title="placeholder")

    add_edition(article, "vi", title="Đoàn\x07 Champasak\x1b\x00", lead="Dòng một\nDòng\thai")

    stored = edition(article, "vi")
    assert stored.title == "Đoàn Champasak"
    assert stored.lead == "Dòng một\nDòng\thai"


def test_body_is_sanitized_on_save():
    article = ArticleFactory(body='<p onclick="steal()">Hi<script>alert(1)</script></p>')

    assert edition(article, "en").body == "<p>Hi</p>"


def test_publishing_without_a_time_sets_now():
    before = timezone.now()

    article = ArticleFactory(status=EditionStatus.PUBLISHED, published_at=None)

    assert edition(article, "en").published_at >= before


def test_published_hides_drafts_and_scheduled_editions():
    live = ArticleFactory()
    ArticleFactory(status=EditionStatus.DRAFT, published_at=None)
    ArticleFactory(published_at=timezone.now() + HOUR)
    ArticleFactory(status=EditionStatus.UNPUBLISHED)

    assert list(Article.objects.published()) == [live]


def test_scheduled_edition_appears_when_its_time_comes(monkeypatch):
    scheduled = ArticleFactory(published_at=timezone.now() + HOUR)
    later = timezone.now() + 2 * HOUR

    monkeypatch.setattr("django.utils.timezone.now", lambda: later)

    assert list(Article.objects.published()) == [scheduled]


def test_for_language_keeps_articles_with_an_edition_in_it():
    english_only = ArticleFactory()
    both = add_edition(ArticleFactory(), "vi", status=EditionStatus.DRAFT)

    assert list(Article.objects.for_language("vi")) == [both]
    assert set(Article.objects.for_language("en")) == {english_only, both}


def test_for_language_returns_articles_in_that_language():
    add_edition(ArticleFactory(title="Laos"), "vi", title="Lào")

    (found,) = Article.objects.for_language("vi")

    assert found.title == "Lào"


@pytest.mark.parametrize("active_language", ["vi", "en", "zh-hans"])
def test_published_and_for_language_compose_in_either_order(active_language):
    english_published = add_edition(
        ArticleFactory(title="EN live"), "vi", status=EditionStatus.DRAFT, published_at=None
    )
    vietnamese_published = add_edition(
        ArticleFactory(title="EN draft", status=EditionStatus.DRAFT, published_at=None), "vi"
    )

    with translation.override(active_language):
        published_then_language = list(Article.objects.published().for_language("en"))
        language_then_published = list(Article.objects.for_language("en").published())
        in_vietnamese = list(Article.objects.published().for_language("vi"))

    assert published_then_language == language_then_published == [english_published]
    assert in_vietnamese == [vietnamese_published]


def test_published_alone_means_published_in_some_language():
    vietnamese_only = add_edition(
        ArticleFactory(status=EditionStatus.DRAFT, published_at=None), "vi"
    )
    ArticleFactory(status=EditionStatus.DRAFT, published_at=None)

    assert list(Article.objects.published()) == [vietnamese_only]


def test_newest_first_orders_by_the_languages_publication_time():
    now = timezone.now()
    older_in_english = add_edition(
        ArticleFactory(published_at=now - 3 * HOUR), "vi", published_at=now - HOUR
    )
    newer_in_english = add_edition(
        ArticleFactory(published_at=now - 2 * HOUR), "vi", published_at=now - 4 * HOUR
    )

    english = list(Article.objects.for_language("en").published().newest_first())
    vietnamese = list(Article.objects.for_language("vi").published().newest_first())

    assert english == [newer_in_english, older_in_english]
    assert vietnamese == [older_in_english, newer_in_english]


def test_is_published_is_per_language():
    article = add_edition(ArticleFactory(), "vi", status=EditionStatus.IN_REVIEW)

    assert article.is_published("en") is True
    assert article.is_published("vi") is False
    assert article.is_published("zh-hans") is False


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Reported by Huynh Thuy – Translated by Vi Bao"),
        ("vi", "Bài: Huynh Thuy – Dịch: Vi Bao"),
        ("zh-hans", "文:Huynh Thuy 译:Vi Bao"),
    ],
)
def test_byline_is_printed_in_the_editions_language(language, expected):
    article = add_edition(
        ArticleFactory(), language, reporter_credit="Huynh Thuy", translator_credit="Vi Bao"
    )

    assert edition(article, language).byline == expected


def test_str_falls_back_to_another_language():
    article = ArticleFactory(title="Japan Festival 2024")

    with translation.override("vi"):
        article.set_current_language("vi")
        assert str(article) == "Japan Festival 2024"


def test_absolute_url_is_the_current_languages_edition():
    article = add_edition(ArticleFactory(title="Laos"), "vi", title="Lào")

    article.set_current_language("vi")

    assert article.get_absolute_url() == "/vi/articles/lao/"


def test_absolute_url_falls_back_to_an_existing_edition():
    article = add_edition(ArticleFactory(title="placeholder"), "vi", title="Lào")
    ArticleTranslation.objects.filter(master=article, language_code="en").delete()
    article = Article.objects.get(pk=article.pk)

    article.set_current_language("zh-hans")

    assert article.get_absolute_url() == "/vi/articles/lao/"


def test_free_slug_is_found_in_two_queries_however_many_are_taken(django_assert_num_queries):
    for _ in range(5):
        ArticleFactory(title="Japan Festival")
    edition = ArticleTranslation(language_code="en", title="Japan Festival")

    with django_assert_num_queries(2):
        slug = edition.free_slug("japan-festival")

    assert slug == "japan-festival-6"


def test_editions_carry_their_articles_category_for_category_lists():
    article = add_edition(ArticleFactory(), "vi")
    society = CategoryFactory()

    article.category = society
    article.save()

    assert set(ArticleTranslation.objects.values_list("article_category", flat=True)) == {
        society.pk
    }


def test_new_edition_is_listed_in_its_articles_category():
    article = ArticleFactory()

    vietnamese = add_edition(article, "vi").translations.get(language_code="vi")

    assert vietnamese.article_category_id == article.category_id
