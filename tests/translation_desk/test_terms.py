import datetime
import unicodedata

import pytest
from django.urls import reverse
from django.utils import translation

from articles.models import GalleryPhoto
from tests.factories import ArticleFactory, PhotoFactory, TermFactory, add_edition
from translation_desk.models import PersonTitle, Term
from translation_desk.terms import (
    check,
    check_texts,
    contains,
    edition_text,
    mark_terms,
    normalise,
    terms_in,
)


def governor(**fields):
    """The Lao governor as the term base has him (not saved: the matching needs no database)."""
    return TermFactory.build(pk=1, **fields)


def union():
    return Term(
        pk=2,
        key="binh-duong-union",
        kind="organization",
        vi="Liên hiệp các tổ chức hữu nghị tỉnh Bình Dương",
        en="Union of Friendship Organizations of Binh Duong province",
        zh_hans="平阳省友好组织联合会",
    )


def emmen():
    return Term(pk=3, key="emmen", kind="place", vi="Emmen", en="Emmen", zh_hans="埃门")


# Finding terms in the source.


def test_term_is_found_whatever_the_unicode_form_of_the_source():
    decomposed = unicodedata.normalize(
        "NFD", "Lãnh đạo Liên hiệp các tổ chức hữu nghị tỉnh Bình Dương"
    )

    assert terms_in(normalise(decomposed), "vi", [union()])


def test_term_is_found_whatever_the_case():
    text = normalise("LIÊN HIỆP CÁC TỔ CHỨC HỮU NGHỊ TỈNH BÌNH DƯƠNG")

    assert terms_in(text, "vi", [union()])


def test_term_is_not_found_inside_a_longer_word():
    assert terms_in(normalise("Pho mát Emmental"), "vi", [emmen()]) == []


def test_term_is_found_across_the_tags_and_entities_of_the_body():
    body = "<p>Liên hiệp các tổ chức <strong>hữu&nbsp;nghị</strong>\n tỉnh Bình Dương</p>"

    assert terms_in(normalise(body), "vi", [union()])


def test_chinese_rendering_is_found_between_other_characters():
    assert contains(normalise("由省长阿伦赛·松那拉率领的代表团"), "阿伦赛·松那拉")


# Checking a translation.


def test_missing_approved_rendering_is_a_problem():
    problems = check_texts(
        normalise("Liên hiệp các tổ chức hữu nghị tỉnh Bình Dương đón đoàn"),
        "vi",
        normalise("The Binh Duong Friendship Union welcomed the delegation"),
        "en",
        [union()],
    )

    assert [(p.kind, p.expected) for p in problems] == [
        ("missing", "Union of Friendship Organizations of Binh Duong province")
    ]


def test_forbidden_variant_is_a_problem():
    problems = check_texts(
        normalise("Bí thư, Tỉnh trưởng Alounxay SounNaLath"),
        "vi",
        normalise("<p>Governor Alounxai Sounnalath visited.</p>"),
        "en",
        [governor()],
    )

    assert [(p.kind, p.found_variant, p.expected) for p in problems] == [
        ("forbidden", "Alounxai Sounnalath", "Alounxay SounNaLath")
    ]


def test_forbidden_variant_inside_the_approved_rendering_is_no_problem():
    term = governor(forbidden_zh_hans="阿伦赛")

    problems = check_texts(
        normalise("Alounxay SounNaLath"), "vi", normalise("省长阿伦赛·松那拉"), "zh-hans", [term]
    )

    assert problems == []


def test_clean_translation_passes():
    problems = check_texts(
        normalise("Liên hiệp các tổ chức hữu nghị tỉnh Bình Dương đón ông Alounxay SounNaLath"),
        "vi",
        normalise(
            "The Union of Friendship Organizations of Binh Duong province welcomed "
            "Mr. Alounxay SounNaLath"
        ),
        "en",
        [union(), governor(), emmen()],
    )

    assert problems == []


def test_term_without_an_approved_rendering_in_the_target_is_not_checked():
    term = emmen()
    term.zh_hans = ""

    assert check_texts(normalise("Emmen"), "vi", normalise("荷兰的城市"), "zh-hans", [term]) == []


def test_problem_message_names_the_variant_and_the_approved_rendering():
    (problem,) = check_texts(
        normalise("Alounxay SounNaLath"),
        "vi",
        normalise("Alounxai Sounnalath"),
        "en",
        [governor()],
    )

    with translation.override("en"):
        assert problem.message == (
            "“Alounxai Sounnalath” is a forbidden rendering of “Alounxay SounNaLath”: "
            "use “Alounxay SounNaLath”."
        )


@pytest.mark.django_db
def test_photo_captions_of_the_edition_are_part_of_its_text():
    with translation.override("vi"):
        article = ArticleFactory(source_language="vi", title="Tin", lead_photo=PhotoFactory())
    photo = PhotoFactory(caption="Đoàn Champasak trong bộ sưu tập")
    GalleryPhoto.objects.create(article=article, photo=photo)
    article.lead_photo.set_current_language("vi")
    article.lead_photo.caption = "Ảnh chính: Emmen"
    article.lead_photo.save()
    photo.set_current_language("vi")
    photo.caption = "Ảnh bộ sưu tập: Champasak"
    photo.save()

    text = edition_text(article.edition("vi"))

    assert "Ảnh chính: Emmen" in text
    assert "Ảnh bộ sưu tập: Champasak" in text


@pytest.mark.django_db
def test_check_compares_the_translation_with_its_source_in_the_database():
    Term.objects.create(key="emmen", kind="place", vi="Emmen", en="Emmen", zh_hans="埃门")
    with translation.override("vi"):
        article = ArticleFactory(source_language="vi", title="Hợp tác với Emmen")
    add_edition(article, "en", title="Cooperation with a Dutch town", status="draft")

    (problem,) = check(article.edition("en"))

    assert (problem.kind, problem.source_text, problem.expected) == ("missing", "Emmen", "Emmen")


# Marking the source for the side-by-side page.


def test_mark_terms_wraps_each_occurrence_with_its_rendering():
    marked = mark_terms("<p>Emmen và emmen</p>", "vi", "zh-hans", [emmen()])

    assert marked == (
        '<p><mark class="term" data-rendering="埃门" title="埃门">Emmen</mark> và '
        '<mark class="term" data-rendering="埃门" title="埃门">emmen</mark></p>'
    )


def test_mark_terms_escapes_renderings_and_text_and_leaves_tags_alone():
    term = emmen()
    term.en = 'Emmen <b>"NL"</b>'
    source = '<p><a href="/emmen/" title="Emmen">Emmen</a> &amp; &lt;Emmen&gt;</p>'

    marked = mark_terms(source, "vi", "en", [term])

    rendering = "Emmen &lt;b&gt;&quot;NL&quot;&lt;/b&gt;"
    mark = f'<mark class="term" data-rendering="{rendering}" title="{rendering}">Emmen</mark>'
    assert marked == f'<p><a href="/emmen/" title="Emmen">{mark}</a> &amp; &lt;{mark}&gt;</p>'


def test_mark_terms_prefers_the_longest_term():
    short = Term(pk=4, key="ubnd", kind="organization", vi="Ủy ban nhân dân tỉnh", en="PPC")
    long = Term(
        pk=5,
        key="ubnd-binh-duong",
        kind="organization",
        vi="Ủy ban nhân dân tỉnh Bình Dương",
        en="Binh Duong Provincial People's Committee",
    )

    marked = mark_terms("Ủy ban nhân dân tỉnh Bình Dương", "vi", "en", [short, long])

    assert marked.count("<mark") == 1
    assert 'data-rendering="Binh Duong Provincial People&#x27;s Committee"' in marked


# People's titles over time.


@pytest.mark.django_db
def test_person_has_the_title_of_the_day():
    term = governor()
    term.pk = None
    term.save()
    PersonTitle.objects.create(
        term=term,
        vi="Tỉnh trưởng tỉnh Champasak",
        en="Governor of Champasak province",
        until=datetime.date(2020, 12, 31),
    )
    PersonTitle.objects.create(
        term=term,
        vi="Bí thư, Tỉnh trưởng tỉnh Champasak",
        en="Secretary and Governor of Champasak province",
        since=datetime.date(2021, 1, 1),
    )

    assert term.title_on(datetime.date(2025, 1, 3), "en") == (
        "Secretary and Governor of Champasak province"
    )
    assert term.title_on(datetime.date(2019, 5, 1), "en") == "Governor of Champasak province"


# The term base in the admin.


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Champasak", "占巴塞", "Champassak"])
def test_admin_finds_a_term_by_any_rendering_or_variant(admin_client, query):
    Term.objects.create(
        key="champasak",
        kind="place",
        vi="Champasak",
        en="Champasak",
        zh_hans="占巴塞",
        forbidden_en="Champassak",
    )

    response = admin_client.get(reverse("admin:translation_desk_term_changelist"), {"q": query})

    assert [term.key for term in response.context["cl"].result_list] == ["champasak"]


@pytest.mark.django_db
def test_admin_edits_a_persons_titles_on_the_persons_page(admin_client):
    person = Term.objects.create(key="vi-bao", kind="person", vi="Vi Bảo", en="Vi Bao")

    response = admin_client.get(reverse("admin:translation_desk_term_change", args=[person.pk]))

    assert "titles-TOTAL_FORMS" in response.content.decode()
