"""The article page's workflow-related parts: outdated note, corrections, rich text."""

import pytest
from django.utils import timezone, translation

from articles.models import ArticleTranslation, Correction
from tests.factories import ArticleFactory, add_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def vietnamese_article():
    with translation.override("vi"):
        article = ArticleFactory(title="Hữu nghị", source_language="vi")
    add_edition(article, "en", title="Friendship")
    ArticleTranslation.objects.filter(language_code="en").update(source_content_version=1)
    return article


def test_translation_page_notes_that_the_original_changed(client, vietnamese_article):
    source = ArticleTranslation.objects.get(master=vietnamese_article, language_code="vi")
    source.title = "Hữu nghị bền vững"
    source.save()

    response = client.get("/en/articles/friendship/")

    assert "The original was updated on" in response.text
    assert 'href="/vi/articles/huu-nghi/"' in response.text


def test_current_translation_has_no_note(client, vietnamese_article):
    response = client.get("/en/articles/friendship/")

    assert "The original was updated" not in response.text


def test_correction_shows_in_each_edition_once_translated(client, vietnamese_article):
    correction = Correction(article=vietnamese_article, created_at=timezone.now())
    correction.set_current_language("vi")
    correction.text = "Sửa tên tỉnh Champasak."
    correction.save()

    english_before = client.get("/en/articles/friendship/").text
    vietnamese = client.get("/vi/articles/huu-nghi/").text
    correction.set_current_language("en")
    correction.text = "Corrected the name of Champasak province."
    correction.save()
    english_after = client.get("/en/articles/friendship/").text

    assert "Sửa tên tỉnh Champasak." in vietnamese
    assert "Corrections and updates" not in english_before
    assert "Corrected the name of Champasak province." in english_after


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<p onclick="alert(1)">x</p>',
        '<iframe src="https://evil.example"></iframe>',
    ],
)
def test_body_keeps_no_script(payload):
    article = ArticleFactory(body=f"<p>Safe.</p>{payload}")

    stored = ArticleTranslation.objects.get(master=article).body

    for needle in ["<script", "onerror", "javascript:", "onclick", "<iframe"]:
        assert needle not in stored
    assert "<p>Safe.</p>" in stored


def test_body_keeps_headings_lists_links_quotes_and_figures():
    html = (
        '<h2>Title</h2><ul><li>One</li></ul><p><a href="https://vufo.org.vn">VUFO</a></p>'
        "<blockquote><p>Quote</p></blockquote>"
        '<figure><img src="/media/a.jpg" alt="Alt"><figcaption>Caption</figcaption></figure>'
    )
    article = ArticleFactory(body=html)

    stored = ArticleTranslation.objects.get(master=article).body

    for part in [
        "<h2>Title</h2>",
        "<li>One</li>",
        "https://vufo.org.vn",
        "<blockquote>",
        "<figcaption>Caption</figcaption>",
        'alt="Alt"',
    ]:
        assert part in stored
