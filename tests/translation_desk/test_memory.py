import datetime
import unicodedata

import pytest
from django.utils import translation

from articles.models import ArticleTranslation, EditionEvent, EditionStatus, WorkflowAction
from tests.factories import ArticleFactory, add_edition
from translation_desk.memory import segments, suggestions_for

pytestmark = pytest.mark.django_db

MOTTO_VI = "Chủ động, linh hoạt, sáng tạo, hiệu quả."
MOTTO_EN = "Proactive, flexible, creative, effective."


def translated_article(vi_body, en_body, status=EditionStatus.PUBLISHED, **vi_fields):
    """An article written in Vietnamese with an English edition in ``status``."""
    with translation.override("vi"):
        article = ArticleFactory(body=vi_body, **vi_fields)
    add_edition(article, "en", body=en_body, status=status)
    article.translations.filter(language_code="en").update(source_content_version=1)
    return article


def new_source(body, **fields):
    with translation.override("vi"):
        return ArticleFactory(body=body, **fields)


def test_identical_paragraph_approved_elsewhere_is_offered():
    earlier = translated_article(
        f"<p>Mở đầu.</p><p>{MOTTO_VI}</p>", f"<p>Opening.</p><p><em>{MOTTO_EN}</em></p>"
    )
    article = new_source(f"<p>Khác hẳn.</p><p>{MOTTO_VI}</p>")

    found = suggestions_for(article, "en")

    assert list(found) == [3]
    (suggestion,) = found[3]
    assert suggestion.text == MOTTO_EN
    assert suggestion.html == f"<em>{MOTTO_EN}</em>"
    assert suggestion.source_article == earlier
    assert suggestion.language == "en"


def test_approved_but_unpublished_translation_is_offered():
    translated_article(f"<p>{MOTTO_VI}</p>", f"<p>{MOTTO_EN}</p>", status=EditionStatus.APPROVED)

    found = suggestions_for(new_source(f"<p>{MOTTO_VI}</p>"), "en")

    assert [s.text for s in found[2]] == [MOTTO_EN]


@pytest.mark.parametrize(
    "status", [EditionStatus.DRAFT, EditionStatus.IN_REVIEW, EditionStatus.CHANGES_REQUESTED]
)
def test_translation_not_yet_approved_is_not_offered(status):
    translated_article(f"<p>{MOTTO_VI}</p>", f"<p>{MOTTO_EN}</p>", status=status)

    assert suggestions_for(new_source(f"<p>{MOTTO_VI}</p>"), "en") == {}


def test_outdated_translation_is_not_offered():
    earlier = translated_article(f"<p>{MOTTO_VI}</p>", f"<p>{MOTTO_EN}</p>")
    # The source moved on (content_version 2) since the translation followed version 1.
    ArticleTranslation.objects.filter(master=earlier, language_code="vi").update(content_version=2)

    assert suggestions_for(new_source(f"<p>{MOTTO_VI}</p>"), "en") == {}


def test_the_articles_own_translation_is_not_offered():
    article = translated_article(f"<p>{MOTTO_VI}</p>", f"<p>{MOTTO_EN}</p>")

    assert suggestions_for(article, "en") == {}


def test_paragraphs_match_across_unicode_forms_spaces_and_inline_tags():
    translated_article(
        "<p>Chủ động,   linh hoạt, <strong>sáng tạo</strong>, hiệu quả.</p>", f"<p>{MOTTO_EN}</p>"
    )
    decomposed = unicodedata.normalize("NFD", MOTTO_VI)  # as some keyboards type it
    assert decomposed != MOTTO_VI

    found = suggestions_for(new_source(f"<p>\n  {decomposed} </p>"), "en")

    assert [s.text for s in found[2]] == [MOTTO_EN]


def test_different_paragraph_is_not_offered():
    translated_article(f"<p>{MOTTO_VI}</p>", f"<p>{MOTTO_EN}</p>")

    assert suggestions_for(new_source("<p>Chủ động, linh hoạt, sáng tạo.</p>"), "en") == {}


def test_body_blocks_are_not_paired_when_the_translation_has_another_number_of_blocks():
    translated_article(f"<p>{MOTTO_VI}</p>", f"<p>{MOTTO_EN}</p><p>Added by the translator.</p>")

    assert suggestions_for(new_source(f"<p>{MOTTO_VI}</p>"), "en") == {}


def test_title_and_lead_pair_whatever_the_body():
    translated_article(
        "<p>Một.</p>",
        "<p>One.</p><p>Two.</p>",
        title="Kỷ niệm 20 năm quan hệ hữu nghị",
    )
    ArticleTranslation.objects.filter(language_code="en").update(title="20 years of friendship")

    found = suggestions_for(
        new_source("<p>Khác.</p>", title="Kỷ niệm 20 năm quan hệ hữu nghị"), "en"
    )

    assert [s.text for s in found[0]] == ["20 years of friendship"]


def test_suggestions_come_newest_approval_first():
    older = translated_article(f"<p>{MOTTO_VI}</p>", "<p>Older wording.</p>")
    newer = translated_article(f"<p>{MOTTO_VI}</p>", f"<p>{MOTTO_EN}</p>")
    ArticleTranslation.objects.filter(master=older, language_code="en").update(
        published_at="2024-01-01T00:00:00Z"
    )
    ArticleTranslation.objects.filter(master=newer, language_code="en").update(
        published_at="2025-01-01T00:00:00Z"
    )

    found = suggestions_for(new_source(f"<p>{MOTTO_VI}</p>"), "en")

    assert [s.source_article for s in found[2]] == [newer, older]


def test_innermost_blocks_are_the_segments():
    body = "<ul><li><p>Một</p></li><li>Hai</li></ul><blockquote><p>Ba</p></blockquote><h2>Bốn</h2>"

    assert segments("T", "", body) == ["T", "", "Một", "Hai", "Ba", "Bốn"]


def test_approval_time_is_the_editors_approval_when_recorded():
    earlier = translated_article(f"<p>{MOTTO_VI}</p>", f"<p>{MOTTO_EN}</p>")
    approved_at = datetime.datetime(2025, 3, 1, 8, tzinfo=datetime.UTC)
    EditionEvent.objects.create(
        article=earlier, language_code="en", action=WorkflowAction.APPROVE, created_at=approved_at
    )

    found = suggestions_for(new_source(f"<p>{MOTTO_VI}</p>"), "en")

    assert found[2][0].approved_at == approved_at


def test_the_same_wording_is_offered_once_from_its_newest_approval():
    older = translated_article(f"<p>{MOTTO_VI}</p>", f"<p>{MOTTO_EN}</p>")
    newer = translated_article(f"<p>{MOTTO_VI}</p>", f"<p>{MOTTO_EN}</p>")
    ArticleTranslation.objects.filter(master=older, language_code="en").update(
        published_at="2024-01-01T00:00:00Z"
    )

    found = suggestions_for(new_source(f"<p>{MOTTO_VI}</p>"), "en")

    assert [s.source_article for s in found[2]] == [newer]


@pytest.mark.parametrize("count", [1, 5])
def test_query_count_does_not_grow_with_articles(count, django_assert_num_queries):
    for index in range(count):
        translated_article(f"<p>{MOTTO_VI}</p>", f"<p>{MOTTO_EN} ({index})</p>")
        translated_article("<p>Khác.</p>", "<p>Other.</p>")
    edition = new_source(f"<p>{MOTTO_VI}</p>").source_edition()

    with django_assert_num_queries(2):
        found = suggestions_for(edition, "en")

    assert len(found[2]) == count
