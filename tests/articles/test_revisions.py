import pytest
from django.urls import reverse

from articles.models import ArticleTranslation
from articles.revisions import diff_html, readable_text
from tests.admin_forms import save_change_form
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def revisions_url(article, language="en"):
    return reverse("admin:articles_article_revisions", args=[article.pk, language])


def test_every_save_keeps_a_revision_per_language(staff_client):
    article = ArticleFactory(title="First", status="draft", published_at=None)

    save_change_form(staff_client, article, "en", title="Second")
    save_change_form(staff_client, article, "en", title="Third")

    edition = ArticleTranslation.objects.get(master=article)
    titles = list(edition.history.order_by("history_date").values_list("title", flat=True))
    assert titles == ["First", "Second", "Third"]
    assert edition.history.latest().history_user.is_superuser


def test_editor_compares_two_revisions(staff_client):
    article = ArticleFactory(title="Japan Festival", body="<p>Held in Thu Dau Mot.</p>")
    save_change_form(
        staff_client, article, "en", title="Japan Festival 2024", body="<p>Held in Binh Duong.</p>"
    )
    older, newer = ArticleTranslation.objects.get(master=article).history.order_by("history_date")

    response = staff_client.get(
        revisions_url(article), {"a": older.history_id, "b": newer.history_id}
    )

    assert response.status_code == 200
    # Rows come in CONTENT_FIELDS order: title, lead, body.
    title, lead, body = [
        (str(diff), changed) for _label, diff, changed in response.context["comparison"]["rows"]
    ]
    assert title == ("Japan Festival<ins> 2024</ins>", True)
    assert body == (
        "Held in <del>Thu</del><ins>Binh</ins> <del>Dau Mot</del><ins>Duong</ins>.",
        True,
    )
    assert lead[1] is False


def test_editor_restores_an_old_revision(staff_client):
    article = ArticleFactory(title="Right title", status="draft", published_at=None)
    save_change_form(staff_client, article, "en", title="Wrong title")
    first = ArticleTranslation.objects.get(master=article).history.earliest()

    response = staff_client.post(
        reverse("admin:articles_article_restore", args=[article.pk, "en", first.history_id])
    )

    assert response.status_code == 302
    edition = ArticleTranslation.objects.get(master=article)
    assert (edition.title, edition.status) == ("Right title", "draft")
    assert edition.history.count() == 3


def test_diff_escapes_markup():
    assert str(diff_html("a <b>", "a <i>")) == "a &lt;<del>b</del><ins>i</ins>&gt;"


def test_diff_of_chinese_text_works_character_by_character():
    assert str(diff_html("友好组织", "友好协会")) == "友好<del>组织</del><ins>协会</ins>"


def test_readable_text_puts_each_paragraph_on_a_line():
    assert readable_text("<h2>Title</h2><p>One &amp; two</p><p>Three</p>") == (
        "Title\nOne & two\nThree"
    )
