import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from articles.models import ArticleTranslation, EditionStatus, GalleryPhoto, TranslationAssignment
from tests.articles.test_admin_workflow import logged_in
from tests.factories import ArticleFactory, PhotoFactory, TermFactory, add_edition

pytestmark = pytest.mark.django_db

SOURCE = (
    "<p>Liên hiệp đón Tỉnh trưởng Alounxay SounNaLath.</p>"
    "<p>Hai bên trao đổi về <strong>hợp tác</strong> giáo dục.</p>"
)


@pytest.fixture
def article(newsroom):
    TermFactory()
    with translation.override("vi"):
        article = ArticleFactory(
            source_language="vi",
            title="Đón đoàn Champasak",
            lead="Đoàn đại biểu tỉnh Champasak thăm tỉnh.",
            body=SOURCE,
            created_by=newsroom["reporter"],
        )
    TranslationAssignment.objects.create(
        article=article, language_code="en", translator=newsroom["translator"]
    )
    return article


def page_url(article, language="en"):
    return reverse("admin:articles_article_side_by_side", args=[article.pk, language])


def english(article):
    return ArticleTranslation.objects.get(master=article, language_code="en")


def form_data(article, **units):
    edition = article.translations.filter(language_code="en").first()
    data = {
        "started_edition_version": edition.version if edition else 0,
        "title": "Champasak delegation welcomed",
        "lead": "A delegation of Champasak province visits.",
        "body-1": "The union welcomed Governor Alounxay SounNaLath.",
        "body-2": "Both sides discussed <strong>cooperation</strong> in education.",
        "from": "side_by_side",
    }
    data.update(units)
    return data


def test_page_marks_source_terms_with_their_approved_rendering(client, newsroom, article):
    response = logged_in(client, newsroom["translator"]).get(page_url(article))

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(
        r'<mark class="term" data-rendering="Alounxay SounNaLath"[^>]*>Alounxay SounNaLath</mark>',
        html,
    )
    assert 'data-state="missing"' in html


def test_page_shows_each_source_paragraph_next_to_its_translation(client, newsroom, article):
    logged_in(client, newsroom["translator"]).post(page_url(article), form_data(article))

    response = client.get(page_url(article))

    rows = {row.unit: row for row in response.context["page"].rows}
    assert list(rows) == ["title", "lead", "body-1", "body-2"]
    assert rows["body-2"].target == (
        "Both sides discussed <strong>cooperation</strong> in education."
    )
    assert 'data-state="ok"' in response.content.decode()


def test_saving_builds_the_body_on_the_source_paragraphs_as_a_draft(client, newsroom, article):
    response = logged_in(client, newsroom["translator"]).post(page_url(article), form_data(article))

    assert response.status_code == 302
    edition = english(article)
    assert edition.body == (
        "<p>The union welcomed Governor Alounxay SounNaLath.</p>"
        "<p>Both sides discussed <strong>cooperation</strong> in education.</p>"
    )
    assert edition.status == EditionStatus.DRAFT
    assert edition.last_edited_by == newsroom["translator"]
    assert not edition.is_outdated()


def test_an_untranslated_paragraph_keeps_its_place(client, newsroom, article):
    client = logged_in(client, newsroom["translator"])
    client.post(page_url(article), form_data(article, **{"body-1": ""}))

    rows = {row.unit: row for row in client.get(page_url(article)).context["page"].rows}

    assert rows["body-1"].target == ""
    assert rows["body-2"].target.startswith("Both sides discussed")


def test_save_over_a_newer_save_is_refused_and_the_text_kept(client, newsroom, article):
    client = logged_in(client, newsroom["translator"])
    client.post(page_url(article), form_data(article))
    stale = form_data(article, title="My newer title")
    stale["started_edition_version"] = english(article).version - 1

    response = client.post(page_url(article), stale)

    assert response.status_code == 200
    assert "while you were editing it" in response.content.decode()
    assert 'value="My newer title"' in response.content.decode()
    assert english(article).title == "Champasak delegation welcomed"


def test_paragraph_tags_inside_a_part_are_refused(client, newsroom, article):
    response = logged_in(client, newsroom["translator"]).post(
        page_url(article), form_data(article, **{"body-2": "One.</p><p>Two."})
    )

    assert response.status_code == 200
    assert "Only bold, italics, links and line breaks" in response.content.decode()
    assert not ArticleTranslation.objects.filter(master=article, language_code="en").exists()


def test_submitting_a_forbidden_variant_shows_the_term_check_and_keeps_the_text(
    client, newsroom, article
):
    data = form_data(article, **{"body-1": "The union welcomed Governor Alounxai Sounnalath."})
    data["_submit"] = "1"

    response = logged_in(client, newsroom["translator"]).post(page_url(article), data)

    assert response.status_code == 200
    assert response.templates[0].name == "admin/articles/article/term_check.html"
    assert "“Alounxai Sounnalath” is a forbidden rendering" in response.content.decode()
    assert 'name="from" value="side_by_side"' in response.content.decode()
    edition = english(article)
    assert edition.status == EditionStatus.DRAFT
    assert "Alounxai Sounnalath" in edition.body


def test_submitting_a_clean_translation_puts_it_in_review(client, newsroom, article):
    data = form_data(article)
    data["_submit"] = "1"

    response = logged_in(client, newsroom["translator"]).post(page_url(article), data)

    assert response.status_code == 302
    assert english(article).status == EditionStatus.IN_REVIEW


def test_source_paragraph_changed_since_the_translation_is_highlighted(client, newsroom, article):
    client = logged_in(client, newsroom["translator"])
    client.post(page_url(article), form_data(article))
    with translation.override("vi"):
        article.set_current_language("vi")
        article.body = SOURCE.replace("giáo dục", "giáo dục và y tế")
        article.save()

    response = client.get(page_url(article))

    rows = {row.unit: row for row in response.context["page"].rows}
    assert "<ins>" in rows["body-2"].changed
    assert not rows["body-1"].changed
    assert 'class="unit changed"' in response.content.decode()


def test_translation_memory_offers_an_approved_translation_of_the_same_paragraph(
    client, newsroom, article
):
    with translation.override("vi"):
        other = ArticleFactory(source_language="vi", body="<p>Một câu chung.</p>")
    add_edition(other, "en", body="<p>A shared sentence.</p>", status=EditionStatus.PUBLISHED)
    with translation.override("vi"):
        article.set_current_language("vi")
        article.body = SOURCE + "<p>Một câu chung.</p>"
        article.save()

    response = logged_in(client, newsroom["translator"]).get(page_url(article))

    rows = {row.unit: row for row in response.context["page"].rows}
    assert [offer.text for offer in rows["body-3"].suggestions] == ["A shared sentence."]
    assert 'class="use-offer"' in response.content.decode()


def test_another_translator_reads_the_page_but_cannot_save(client, newsroom, article):
    client = logged_in(client, newsroom["other_translator"])

    page = client.get(page_url(article))
    save = client.post(page_url(article), form_data(article))

    assert page.status_code == 200
    assert page.context["form"] is None
    assert save.status_code == 403


def test_the_source_language_has_no_side_by_side_page(client, newsroom, article):
    response = logged_in(client, newsroom["editor"]).get(page_url(article, "vi"))

    assert response.status_code == 404


def page_queries(client, article):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page_url(article)).status_code == 200
    return len(queries)


def test_page_query_count_does_not_grow_with_paragraphs_and_photos(client, newsroom, article):
    client = logged_in(client, newsroom["translator"])
    client.post(page_url(article), form_data(article))

    def change_source(paragraphs, photos):
        with translation.override("vi"):
            article.set_current_language("vi")
            article.body = SOURCE + "".join(f"<p>Đoạn {n}.</p>" for n in range(paragraphs))
            article.lead_photo = PhotoFactory(caption="Ảnh đoàn")
            article.save()
        for position in range(photos):
            GalleryPhoto.objects.create(article=article, photo=PhotoFactory(), position=position)

    change_source(paragraphs=1, photos=1)  # outdated now: the source's changes are read too
    few = page_queries(client, article)
    change_source(paragraphs=30, photos=5)

    assert page_queries(client, article) == few


def test_script_in_a_part_is_refused_and_a_hostile_link_sanitized(client, newsroom, article):
    client = logged_in(client, newsroom["translator"])
    refused = client.post(
        page_url(article), form_data(article, **{"body-1": "Hi <script>alert(1)</script>"})
    )
    client.post(
        page_url(article),
        form_data(article, **{"body-1": '<a href="javascript:alert(1)" onclick="x()">Hi</a>'}),
    )

    assert "Only bold, italics, links and line breaks" in refused.content.decode()
    body = english(article).body
    assert "Hi</a>" in body
    assert "javascript:" not in body
    assert "onclick" not in body


def test_reviewing_editor_sees_kept_problems_and_approves_from_the_page(client, newsroom, article):
    client = logged_in(client, newsroom["translator"])
    data = form_data(article, **{"body-1": "The union welcomed Governor Alounxai Sounnalath."})
    data["_submit"] = "1"
    problem, _reason = client.post(page_url(article), data).context["problems"][0]
    client.post(
        reverse("admin:articles_article_workflow", args=[article.pk, "en"]),
        {
            "action": "submit",
            "from": "side_by_side",
            f"reason:{problem.key}": "As the letter spells it",
        },
    )
    editor = logged_in(client, newsroom["editor"])

    page = editor.get(page_url(article))
    approved = editor.post(
        reverse("admin:articles_article_workflow", args=[article.pk, "en"]),
        {"action": "approve", "from": "side_by_side"},
    )

    assert "As the letter spells it" in page.content.decode()
    assert 'value="approve"' in page.content.decode()
    assert approved.headers["Location"] == page_url(article)
    assert english(article).status == EditionStatus.APPROVED


def test_translators_desk_links_each_assigned_translation_to_its_side_by_side_page(
    client, newsroom, article
):
    response = logged_in(client, newsroom["translator"]).get(reverse("admin:articles_inbox"))

    assert page_url(article) in response.content.decode()


def test_a_body_with_moved_paragraphs_is_shown_until_the_translator_restructures_it(
    client, newsroom, article
):
    add_edition(
        article,
        "en",
        title="Champasak delegation welcomed",
        body="<h2>The union welcomed Governor Alounxay SounNaLath.</h2><p>Education.</p>",
        status=EditionStatus.DRAFT,
    )
    client = logged_in(client, newsroom["translator"])

    shown = client.get(page_url(article))
    restructuring = client.get(page_url(article) + "?restructure=1")
    data = form_data(article, **{"body-2": "Both sides discussed education."})
    data["restructure"] = "1"
    client.post(page_url(article), data)

    assert "body-1" not in shown.context["form"].fields
    assert "?restructure=1" in shown.content.decode()
    assert restructuring.context["form"]["body-1"].initial == (
        "The union welcomed Governor Alounxay SounNaLath."
    )
    assert english(article).body == (
        "<p>The union welcomed Governor Alounxay SounNaLath.</p>"
        "<p>Both sides discussed education.</p>"
    )


def test_chinese_page_marks_terms_with_the_chinese_rendering_and_finds_it_without_spaces(
    client, newsroom, article
):
    TranslationAssignment.objects.create(
        article=article, language_code="zh-hans", translator=newsroom["translator"]
    )
    add_edition(
        article,
        "zh-hans",
        title="欢迎占巴塞代表团",
        body="<p>联合会欢迎省长阿伦赛·松那拉率团访问。</p><p>双方讨论了教育合作。</p>",
        status=EditionStatus.DRAFT,
    )

    response = logged_in(client, newsroom["translator"]).get(page_url(article, "zh-hans"))

    rows = {row.unit: row for row in response.context["page"].rows}
    assert 'data-rendering="阿伦赛·松那拉"' in str(rows["body-1"].source)
    assert [term.state for term in rows["body-1"].terms] == ["ok"]
