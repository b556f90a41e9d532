import datetime

import pytest
from django.utils import translation

from articles.models import ArticleTranslation, EditionStatus, TranslationAssignment
from tests.factories import ArticleFactory, add_edition
from translation_desk.stats import (
    backlog,
    desk_statistics,
    open_assignments,
    publication_delays,
    word_count,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def source(words_in_body=3, **fields):
    """A published Vietnamese article: a two-syllable title and ``words_in_body`` more."""
    body = "<p>" + " ".join(["chữ"] * words_in_body) + "</p>"
    with translation.override("vi"):
        return ArticleFactory(title="Hữu nghị", body=body, **fields)


def test_words_are_syllables_and_tags_are_not_words():
    assert word_count("Hữu nghị", "<p>Bình <strong>Dương</strong>,</p><p>Lào&nbsp;và</p>") == 6


def test_published_sources_without_a_translation_are_words_to_translate():
    source(words_in_body=3)
    translated = source(words_in_body=10)
    add_edition(translated, "en")

    figures = backlog()

    assert (figures["en"].missing, figures["en"].words_to_translate) == (1, 5)
    assert (figures["zh-hans"].missing, figures["zh-hans"].words_to_translate) == (2, 17)


def test_unpublished_sources_are_not_yet_to_translate():
    source(status=EditionStatus.DRAFT, published_at=None)

    assert backlog()["en"].words_to_translate == 0


def test_outdated_translations_are_counted_with_their_whole_source():
    article = source(words_in_body=4)
    add_edition(article, "en")
    ArticleTranslation.objects.filter(master=article, language_code="en").update(
        source_content_version=1
    )
    ArticleTranslation.objects.filter(master=article, language_code="vi").update(content_version=2)

    english = backlog()["en"]

    assert (english.outdated, english.missing, english.words_to_translate) == (1, 0, 6)


def test_up_to_date_translation_is_not_outdated():
    article = source()
    add_edition(article, "en")
    ArticleTranslation.objects.filter(master=article, language_code="en").update(
        source_content_version=1
    )

    assert backlog()["en"].outdated == 0


def test_open_assignments_are_counted_per_translator(newsroom):
    translator, editor = newsroom["translator"], newsroom["editor"]
    for words in (3, 5):
        TranslationAssignment.objects.create(
            article=source(words_in_body=words), language_code="en", translator=translator
        )
    approved = source(words_in_body=100)
    add_edition(approved, "en", status=EditionStatus.APPROVED)
    TranslationAssignment.objects.create(
        article=approved, language_code="en", translator=translator
    )
    in_draft = source(words_in_body=1)
    add_edition(in_draft, "zh-hans", status=EditionStatus.DRAFT)
    TranslationAssignment.objects.create(
        article=in_draft, language_code="zh-hans", translator=editor
    )

    rows = [(row.name, row.language, row.open, row.words) for row in open_assignments()]

    assert rows == [
        (translator.get_full_name() or "translator", "en", 2, 12),
        (editor.get_full_name() or "editor", "zh-hans", 1, 3),
    ]


def published_pair(source_day, translation_day, language="en"):
    article = source(published_at=datetime.datetime(2025, 1, source_day, 9, tzinfo=UTC))
    add_edition(
        article, language, published_at=datetime.datetime(2025, 1, translation_day, 9, tzinfo=UTC)
    )


def test_average_delay_runs_from_source_to_translation_publication():
    published_pair(1, 4)
    published_pair(10, 11)
    published_pair(1, 20, language="zh-hans")

    delays = publication_delays(
        datetime.datetime(2025, 1, 1, tzinfo=UTC), datetime.datetime(2025, 1, 15, tzinfo=UTC)
    )

    # The Chinese edition was published after the period.
    assert delays == {"en": datetime.timedelta(days=2), "zh-hans": None}


@pytest.mark.parametrize("count", [1, 4])
def test_desk_statistics_query_count_does_not_grow(newsroom, count, django_assert_num_queries):
    for _index in range(count):
        article = source()
        add_edition(article, "en")
        TranslationAssignment.objects.create(
            article=source(), language_code="en", translator=newsroom["translator"]
        )

    with django_assert_num_queries(4):
        statistics = desk_statistics()

    assert statistics.languages["zh-hans"].missing == 2 * count
    assert statistics.translators[0].open == count
    assert statistics.languages["en"].average_delay is not None
