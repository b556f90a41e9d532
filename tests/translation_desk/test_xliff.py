"""XLIFF exchange with outside translators (translation_desk/xliff.py and its admin pages):
the round trip, conflicts, all-or-nothing imports, and hostile files."""

import copy

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from lxml import etree
from translate.storage.xliff import xlifffile

from articles import workflow
from articles.models import (
    Article,
    ArticleTranslation,
    EditionEvent,
    EditionStatus,
    GalleryPhoto,
    Photo,
    TranslationAssignment,
)
from tests.factories import ArticleFactory, PhotoFactory, add_edition
from translation_desk import xliff
from translation_desk.models import Term
from translation_desk.segments import articles_for_exchange

pytestmark = pytest.mark.django_db

XLIFF = "{urn:oasis:names:tc:xliff:document:1.2}"
BODY = (
    "<h2>Hợp tác hữu nghị</h2>"
    "<p>Đoàn <strong>Champasak</strong> thăm <em>Đà Nẵng</em>, xem "
    '<a href="https://example.org/lao">chương trình</a>.</p>'
    "<ul><li><p>Giáo dục</p></li><li><p>Y tế &amp; văn hóa</p></li></ul>"
    "<blockquote><p>Tình hữu nghị</p></blockquote>"
)


def source_article(reporter=None, body=BODY, **fields):
    """A Vietnamese article, a draft, with a lead photo and a one-photo gallery."""
    with translation.override("vi"):
        lead_photo = PhotoFactory(caption="Ảnh đầu", alt_text="Hai đoàn")
        article = ArticleFactory(
            title="Đoàn Lào thăm Đà Nẵng",
            lead="Chuyến thăm hữu nghị.",
            body=body,
            seo_description="Đoàn Champasak",
            status=EditionStatus.DRAFT,
            published_at=None,
            created_by=reporter,
            lead_photo=lead_photo,
            **fields,
        )
        gallery_photo = PhotoFactory(caption="Ảnh thứ hai", alt_text="")
    GalleryPhoto.objects.create(article=article, photo=gallery_photo)
    return article


def exported(*articles, language="en"):
    queryset = articles_for_exchange(
        type(articles[0]).objects.filter(pk__in=[a.pk for a in articles])
    ).order_by("pk")
    return xliff.export(queryset, language)


def translated(data, translate=lambda text: f"EN {text}"):
    """The exported file as a CAT tool returns it: every target is the source with its
    inline codes (tags) kept and each run of text replaced by ``translate(text)``."""
    store = xlifffile.parsestring(data)
    for unit in store.getunits():
        unit.rich_target = [_translated_text(part, translate) for part in unit.rich_source]
    return bytes(store)


def _translated_text(element, translate):
    if isinstance(element, str):
        return translate(element)
    clone = copy.copy(element)
    clone.sub = [_translated_text(child, translate) for child in element.sub]
    return clone


def upload(data, name="articles.xlf"):
    return SimpleUploadedFile(name, data, content_type="application/x-xliff+xml")


def units_by_id(data):
    root = etree.fromstring(data)
    return {
        (unit.getparent().getparent().get("original"), unit.get("id")): unit
        for unit in root.iter(f"{XLIFF}trans-unit")
    }


def english(article):
    return ArticleTranslation.objects.get(master=article, language_code="en")


@pytest.fixture
def assigned(newsroom):
    article = source_article(newsroom["reporter"])
    TranslationAssignment.objects.create(
        article=article, language_code="en", translator=newsroom["translator"]
    )
    return article


# --- Export ---------------------------------------------------------------------------


def test_export_is_xliff_12_with_one_file_per_article_and_stable_unit_ids(newsroom):
    first, second = source_article(), source_article()

    root = etree.fromstring(exported(first, second))

    assert root.get("version") == "1.2"
    files = root.findall(f"{XLIFF}file")
    assert [f.get("original") for f in files] == [f"article-{first.pk}", f"article-{second.pk}"]
    assert {(f.get("source-language"), f.get("target-language")) for f in files} == {("vi", "en")}
    ids = [unit.get("id") for unit in files[0].iter(f"{XLIFF}trans-unit")]
    photos = [first.lead_photo_id, first.gallery.get().photo_id]
    assert ids == [
        "title",
        "lead",
        "seo_description",
        "body-1",
        "body-2",
        "body-3",
        "body-4",
        "body-5",
        f"photo-{photos[0]}-caption",
        f"photo-{photos[0]}-alt",
        f"photo-{photos[1]}-caption",
    ]


def test_export_is_read_back_by_translate_toolkit_with_the_sources(newsroom):
    article = source_article()

    store = xlifffile.parsestring(exported(article))

    sources = {unit.getid(): unit.source for unit in store.getunits()}
    name = f"article-{article.pk}"
    assert sources[f"{name}\x04title"] == "Đoàn Lào thăm Đà Nẵng"
    assert sources[f"{name}\x04body-2"] == "Đoàn Champasak thăm Đà Nẵng, xem chương trình."
    assert sources[f"{name}\x04body-4"] == "Y tế & văn hóa"


def test_export_writes_inline_markup_as_codes_without_the_link_address(newsroom):
    article = source_article()

    units = units_by_id(exported(article))

    source = units[(f"article-{article.pk}", "body-2")].find(f"{XLIFF}source")
    assert etree.tostring(source, encoding="unicode", with_tail=False).split(">", 1)[1] == (
        'Đoàn <g id="1" ctype="bold">Champasak</g> thăm <g id="2" ctype="italic">Đà Nẵng</g>'
        ', xem <g id="3" ctype="link">chương trình</g>.</source>'
    )


def test_export_offers_an_existing_translation_for_revision(newsroom):
    article = source_article()
    add_edition(article, "en", title="Lao delegation visits Da Nang", status="draft")

    units = units_by_id(exported(article))

    title = units[(f"article-{article.pk}", "title")].find(f"{XLIFF}target")
    lead = units[(f"article-{article.pk}", "lead")].find(f"{XLIFF}target")
    assert (title.text, title.get("state")) == ("Lao delegation visits Da Nang", "translated")
    assert (lead.text, lead.get("state")) == (None, "new")


def test_export_reads_a_constant_number_of_queries_whatever_the_number_of_articles(newsroom):
    source_article()
    with CaptureQueriesContext(connection) as one:
        exported(*xliff.Article.objects.all())
    source_article(), source_article()
    with CaptureQueriesContext(connection) as three:
        data = exported(*xliff.Article.objects.all())

    assert data.count(b"<file ") == 3
    assert len(three) == len(one)


# --- Round trip -------------------------------------------------------------------------


def test_round_trip_writes_every_target_into_the_english_edition(newsroom, assigned):
    result = xliff.import_xliff(upload(translated(exported(assigned))), newsroom["translator"])

    assert result.ok, (result.errors, result.conflicts)
    edition = english(assigned)
    assert edition.title == "EN Đoàn Lào thăm Đà Nẵng"
    assert edition.lead == "EN Chuyến thăm hữu nghị."
    assert edition.seo_description == "EN Đoàn Champasak"
    assert "<h2>EN Hợp tác hữu nghị</h2>" in edition.body
    assert "<li><p>EN Y tế &amp; văn hóa</p></li>" in edition.body


def test_round_trip_translates_the_photo_captions(newsroom, assigned):
    xliff.import_xliff(upload(translated(exported(assigned))), newsroom["translator"])

    lead_photo = Photo.objects.language("en").get(pk=assigned.lead_photo_id)
    gallery_photo = Photo.objects.language("en").get(pk=assigned.gallery.get().photo_id)
    assert (lead_photo.caption, lead_photo.alt_text) == ("EN Ảnh đầu", "EN Hai đoàn")
    assert gallery_photo.caption == "EN Ảnh thứ hai"


def test_round_trip_puts_the_translation_in_review(newsroom, assigned):
    xliff.import_xliff(upload(translated(exported(assigned))), newsroom["translator"])

    edition = english(assigned)
    assert edition.status == EditionStatus.IN_REVIEW
    assert not edition.is_outdated()
    assert EditionEvent.objects.filter(
        article=assigned, language_code="en", action="submit", actor=newsroom["translator"]
    ).exists()


def test_round_trip_keeps_inline_markup_exactly(newsroom, assigned):
    # The translator keeps the tags; the body is the source's structure around the targets.
    result = xliff.import_xliff(
        upload(translated(exported(assigned), translate=lambda source: source)),
        newsroom["editor"],
    )

    assert result.ok
    assert english(assigned).body == BODY


def test_round_trip_into_chinese_revises_an_existing_draft(newsroom, assigned):
    add_edition(assigned, "zh-hans", title="旧标题", status="draft", published_at=None)
    data = translated(exported(assigned, language="zh-hans"), translate=lambda s: f"中 {s}")

    result = xliff.import_xliff(upload(data), newsroom["editor"])

    assert result.ok
    edition = ArticleTranslation.objects.get(master=assigned, language_code="zh-hans")
    assert (edition.title, edition.status) == ("中 Đoàn Lào thăm Đà Nẵng", "in_review")


# --- Conflicts and refusals: nothing imported -------------------------------------------


def test_source_changed_after_export_is_a_conflict_naming_unit_and_both_texts(newsroom, assigned):
    data = translated(exported(assigned))
    source = assigned.source_edition()
    source.lead = "Chuyến thăm đã hoãn."
    source.save()

    result = xliff.import_xliff(upload(data), newsroom["translator"])

    assert [(c.article, c.unit, c.exported, c.current) for c in result.conflicts] == [
        (assigned, "lead", "Chuyến thăm hữu nghị.", "Chuyến thăm đã hoãn.")
    ]
    assert not ArticleTranslation.objects.filter(master=assigned, language_code="en").exists()


def test_a_new_source_paragraph_after_export_is_a_conflict(newsroom, assigned):
    data = translated(exported(assigned))
    source = assigned.source_edition()
    source.body = BODY + "<p>Đoạn mới</p>"
    source.save()

    result = xliff.import_xliff(upload(data), newsroom["translator"])

    assert [(c.unit, c.exported, c.current) for c in result.conflicts] == [
        ("body-6", "", "Đoạn mới")
    ]
    assert not result.imported


def test_translation_edited_in_the_admin_after_export_is_a_conflict(newsroom, assigned):
    add_edition(assigned, "en", title="Draft", status="draft", published_at=None)
    data = translated(exported(assigned))
    edition = english(assigned)
    edition.title = "Edited meanwhile"
    edition.save()

    result = xliff.import_xliff(upload(data), newsroom["translator"])

    assert len(result.conflicts) == 1
    assert english(assigned).title == "Edited meanwhile"


def test_a_batch_is_imported_whole_or_not_at_all(newsroom, assigned):
    second = source_article(newsroom["reporter"])
    data = translated(exported(assigned, second))
    source = second.source_edition()
    source.title = "Tiêu đề mới"
    source.save()

    result = xliff.import_xliff(upload(data), newsroom["editor"])

    assert result.conflicts
    assert not ArticleTranslation.objects.filter(language_code="en").exists()
    assert not Photo._parler_meta.root_model.objects.filter(language_code="en").exists()


def test_a_refused_submission_rolls_back_the_whole_file(newsroom, assigned, monkeypatch):
    # The term-base check (or any other rule of SUBMIT) refusing the second article undoes
    # the first one too, and its problems are listed.
    second = source_article(newsroom["reporter"])
    perform = workflow.perform

    def refuse_the_second(action, edition, **kwargs):
        if edition.master_id == second.pk:
            raise ValidationError(["“Champasak” must read “Champasak” in English."])
        return perform(action, edition, **kwargs)

    monkeypatch.setattr(workflow, "perform", refuse_the_second)

    result = xliff.import_xliff(upload(translated(exported(assigned, second))), newsroom["editor"])

    assert result.errors == [f"“{second}”: “Champasak” must read “Champasak” in English."]
    assert result.imported == []
    assert not ArticleTranslation.objects.filter(language_code="en").exists()
    assert not EditionEvent.objects.filter(action="submit").exists()


def test_an_import_tells_the_reviewers_once_committed(
    newsroom, assigned, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        xliff.import_xliff(upload(translated(exported(assigned))), newsroom["translator"])

    assert sorted(mailoutbox[0].to) == ["chief@newsroom.example", "editor@newsroom.example"]


def test_a_term_problem_rolls_back_the_whole_file_and_is_listed(newsroom, assigned):
    # The real term check of SUBMIT: "Champasak" must read "Champasak", never "Champassak".
    Term.objects.create(
        key="champasak", kind="place", vi="Champasak", en="Champasak", forbidden_en="Champassak"
    )
    second = source_article(newsroom["reporter"])
    data = translated(
        exported(assigned, second),
        translate=lambda s: s.replace("Champasak", "Champassak"),
    )

    result = xliff.import_xliff(upload(data), newsroom["editor"])

    assert result.errors
    assert all("Champassak" in error for error in result.errors)
    assert result.imported == []
    assert not ArticleTranslation.objects.filter(language_code="en").exists()


def test_a_rolled_back_import_sends_no_notification(
    newsroom, assigned, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    second = source_article(newsroom["reporter"])
    perform = workflow.perform

    def refuse_the_second(action, edition, **kwargs):
        if edition.master_id == second.pk:
            raise ValidationError("refused")
        return perform(action, edition, **kwargs)

    monkeypatch.setattr(workflow, "perform", refuse_the_second)

    with django_capture_on_commit_callbacks(execute=True):
        xliff.import_xliff(upload(translated(exported(assigned, second))), newsroom["translator"])

    assert mailoutbox == []


def test_markup_typed_into_a_target_stays_text(newsroom, assigned):
    # Tags travel as inline codes mapped to the source's own tags: what a translator types
    # is text, escaped; the body is sanitized on save all the same.
    data = translated(
        exported(assigned),
        translate=lambda s: s + "<script>alert(1)</script>" if s == "Giáo dục" else s,
    )

    result = xliff.import_xliff(upload(data), newsroom["editor"])

    assert result.ok
    assert "<li><p>Giáo dục&lt;script&gt;alert(1)&lt;/script&gt;</p></li>" in english(assigned).body
    assert "<script" not in english(assigned).body


def test_a_tag_the_source_does_not_have_is_refused(newsroom, assigned):
    root = etree.fromstring(translated(exported(assigned)))
    target = root.find(f".//{XLIFF}trans-unit[@id='body-2']/{XLIFF}target")
    etree.SubElement(target, f"{XLIFF}g", id="99").text = "forged"

    result = xliff.import_xliff(upload(etree.tostring(root)), newsroom["editor"])

    assert result.errors == [f"“{assigned}”, body-2: the target has tags the source has not: 99."]
    assert not ArticleTranslation.objects.filter(language_code="en").exists()


def test_a_translator_cannot_change_a_translation_in_review(newsroom, assigned):
    add_edition(assigned, "en", title="Submitted", status="in_review", published_at=None)

    result = xliff.import_xliff(upload(translated(exported(assigned))), newsroom["translator"])

    assert not result.ok
    assert english(assigned).title == "Submitted"


def test_the_desk_revises_a_translation_in_review_which_stays_in_review(newsroom, assigned):
    add_edition(assigned, "en", title="Submitted", status="in_review", published_at=None)

    result = xliff.import_xliff(upload(translated(exported(assigned))), newsroom["editor"])

    assert result.ok
    assert (english(assigned).title, english(assigned).status) == (
        "EN Đoàn Lào thăm Đà Nẵng",
        "in_review",
    )


def test_a_unit_twice_in_the_file_is_refused(newsroom, assigned):
    root = etree.fromstring(translated(exported(assigned)))
    units = list(root.iter(f"{XLIFF}trans-unit"))
    units[1].set("id", "title")

    result = xliff.import_xliff(upload(etree.tostring(root)), newsroom["editor"])

    assert f"“{assigned}”: the unit “title” is in the file twice." in result.errors
    assert not ArticleTranslation.objects.filter(language_code="en").exists()


def test_an_unknown_unit_id_is_refused(newsroom, assigned):
    data = translated(exported(assigned))
    root = etree.fromstring(data)
    next(root.iter(f"{XLIFF}trans-unit")).set("id", "body-99")

    result = xliff.import_xliff(upload(etree.tostring(root)), newsroom["translator"])

    assert any("body-99" in error for error in result.errors)
    assert not ArticleTranslation.objects.filter(language_code="en").exists()


def test_an_article_not_assigned_to_the_translator_is_refused(newsroom, assigned):
    result = xliff.import_xliff(
        upload(translated(exported(assigned))), newsroom["other_translator"]
    )

    assert result.errors == [f"You are not the translator of “{assigned}” into en."]
    assert not ArticleTranslation.objects.filter(language_code="en").exists()


def test_an_article_that_does_not_exist_is_refused(newsroom, assigned):
    data = translated(exported(assigned)).replace(
        f'original="article-{assigned.pk}"'.encode(), b'original="article-999999"'
    )

    result = xliff.import_xliff(upload(data), newsroom["editor"])

    assert result.errors == ["Article article-999999 does not exist (any more)."]


def test_an_untranslated_title_is_refused(newsroom, assigned):
    data = translated(
        exported(assigned), translate=lambda s: "" if s == "Đoàn Lào thăm Đà Nẵng" else s
    )

    result = xliff.import_xliff(upload(data), newsroom["translator"])

    assert result.errors == [f"“{assigned}”: the title is not translated."]
    assert not ArticleTranslation.objects.filter(language_code="en").exists()


def test_a_title_longer_than_the_column_is_refused(newsroom, assigned):
    data = translated(
        exported(assigned), translate=lambda s: "T" * 301 if s == "Đoàn Lào thăm Đà Nẵng" else s
    )

    result = xliff.import_xliff(upload(data), newsroom["translator"])

    assert result.errors == [f"“{assigned}”, title: at most 300 characters (301 now)."]
    assert not ArticleTranslation.objects.filter(language_code="en").exists()


def test_a_file_that_lost_the_edition_version_is_refused(newsroom, assigned):
    # Without it an edit made in the admin after the export would be overwritten unseen.
    data = translated(exported(assigned)).replace(b' nr:edition-version="none"', b"")

    result = xliff.import_xliff(upload(data), newsroom["translator"])

    assert len(result.errors) == 1
    assert "export the article again" in result.errors[0]
    assert not ArticleTranslation.objects.filter(language_code="en").exists()


def test_a_published_translation_is_not_overwritten_by_an_import(newsroom, assigned):
    add_edition(assigned, "en", title="Live", status="published")

    result = xliff.import_xliff(upload(translated(exported(assigned))), newsroom["editor"])

    assert not result.ok
    assert english(assigned).title == "Live"


def test_a_target_language_that_is_not_ours_is_refused(newsroom, assigned):
    data = translated(exported(assigned)).replace(b'target-language="en"', b'target-language="fr"')

    result = xliff.import_xliff(upload(data), newsroom["editor"])

    assert result.errors == ["The file's target language must be one of: en, zh-hans."]


# --- Hostile and broken files -----------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="article-1" source-language="vi" target-language="en" datatype="html"><body>
<trans-unit id="title"><source>x</source><target>&lol3;</target></trans-unit>
</body></file></xliff>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "%s">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="article-1" source-language="vi" target-language="en" datatype="html"><body>
<trans-unit id="title"><source>x</source><target>&secret;</target></trans-unit>
</body></file></xliff>"""


@pytest.fixture
def lxml_never_parses(monkeypatch):
    """translate-toolkit (lxml) must not be asked to read a refused file at all."""

    def fail(*args, **kwargs):
        raise AssertionError("translate-toolkit was asked to parse the file")

    monkeypatch.setattr(xlifffile, "parsestring", fail)


def refusal(data, user):
    with pytest.raises(ValidationError) as refused:
        xliff.import_xliff(upload(data), user)
    return refused.value


def test_billion_laughs_is_refused_before_any_parsing(newsroom, lxml_never_parses):
    error = refusal(BILLION_LAUGHS, newsroom["editor"])

    assert error.code == "entities"
    assert error.messages == ["The file declares entities or a document type (DTD): refused."]


@pytest.mark.parametrize("address", [b"file:///etc/passwd", b"http://127.0.0.1:9/secret"])
def test_an_external_entity_is_refused_and_never_fetched(newsroom, lxml_never_parses, address):
    error = refusal(EXTERNAL_ENTITY % address, newsroom["editor"])

    assert error.code == "entities"
    assert "root:" not in str(error.messages)
    assert not ArticleTranslation.objects.filter(language_code="en").exists()


def test_a_file_that_is_not_xml_is_refused(newsroom):
    error = refusal(b"PK\x03\x04 a zip file, not XML", newsroom["editor"])

    assert error.messages == ["The file is not XML."]


def test_xliff_2_is_refused_with_a_hint(newsroom):
    data = b'<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0"/>'

    error = refusal(data, newsroom["editor"])

    assert error.code == "not_xliff"


def test_a_file_over_the_size_limit_is_refused_unread(newsroom, monkeypatch):
    monkeypatch.setattr(xliff, "MAX_UPLOAD_SIZE", 1000)
    data = b"<xliff>" + b" " * 1000 + b"</xliff>"

    error = refusal(data, newsroom["editor"])

    assert error.code == "too_big"


# --- Admin pages ------------------------------------------------------------------------

EXPORT = "translation_desk:xliff_export"
IMPORT = "translation_desk:xliff_import"


@pytest.mark.parametrize("page", [EXPORT, IMPORT])
def test_anonymous_visitors_are_sent_to_the_login(client, page):
    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("page", [EXPORT, IMPORT])
def test_reporters_do_not_exchange_translations(client, newsroom, page):
    client.force_login(newsroom["reporter"])

    assert client.get(reverse(page)).status_code == 403


@pytest.mark.parametrize("role", ["translator", "editor"])
@pytest.mark.parametrize("page", [EXPORT, IMPORT])
def test_translators_and_editors_open_the_pages(client, newsroom, role, page):
    client.force_login(newsroom[role])

    assert client.get(reverse(page)).status_code == 200


def test_translator_sees_only_their_assigned_articles_for_export(client, newsroom, assigned):
    other = source_article(newsroom["reporter"])
    client.force_login(newsroom["translator"])

    response = client.get(reverse(EXPORT), {"language": "en"})

    listed = set(response.context["form"].fields["articles"].queryset)
    assert listed == {assigned}
    assert other not in listed


def test_the_export_page_lists_articles_in_a_constant_number_of_queries(client, newsroom):
    client.force_login(newsroom["editor"])
    source_article()
    client.get(reverse(EXPORT))  # the session and permissions, once
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(EXPORT), {"language": "en"})
    add_edition(source_article(), "en", title="Translated", status="draft", published_at=None)
    source_article()
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse(EXPORT), {"language": "en"})

    assert len(response.context["rows"]) == 3
    assert len(three) == len(one)


def test_the_export_page_downloads_the_chosen_articles(client, newsroom, assigned):
    client.force_login(newsroom["editor"])

    response = client.post(reverse(EXPORT), {"language": "en", "articles": [assigned.pk]})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="articles-en-')
    assert response["Content-Disposition"].endswith('.xlf"')
    assert f'original="article-{assigned.pk}"'.encode() in response.content


def test_a_translator_cannot_export_an_article_not_assigned_to_them(client, newsroom, assigned):
    client.force_login(newsroom["other_translator"])

    response = client.post(reverse(EXPORT), {"language": "en", "articles": [assigned.pk]})

    assert response.status_code == 200
    assert response.context["form"].errors["articles"]


def test_the_import_page_lists_what_was_imported(client, newsroom, assigned):
    client.force_login(newsroom["translator"])

    response = client.post(reverse(IMPORT), {"file": upload(translated(exported(assigned)))})

    assert response.status_code == 200
    assert "EN Đoàn Lào thăm Đà Nẵng" in response.content.decode()
    assert english(assigned).status == EditionStatus.IN_REVIEW


def test_the_import_page_reports_a_conflict_and_imports_nothing(client, newsroom, assigned):
    data = translated(exported(assigned))
    source = assigned.source_edition()
    source.lead = "Chuyến thăm đã hoãn."
    source.save()
    client.force_login(newsroom["translator"])

    response = client.post(reverse(IMPORT), {"file": upload(data)})

    assert response.status_code == 422
    assert "Chuyến thăm đã hoãn." in response.content.decode()
    assert not ArticleTranslation.objects.filter(language_code="en").exists()


def test_the_import_page_refuses_a_hostile_file_with_the_clear_error(client, newsroom):
    client.force_login(newsroom["editor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the admin speaks Vietnamese

    response = client.post(reverse(IMPORT), {"file": upload(BILLION_LAUGHS)})

    assert response.status_code == 400
    assert "declares entities" in response.content.decode()


# The article list's bulk actions.

CHANGELIST = reverse("admin:articles_article_changelist")


def run_action(client, action, *articles):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [str(article.pk) for article in articles]},
    )


def test_desk_exports_the_chosen_articles_from_the_article_list(client, newsroom):
    first, second = source_article(newsroom["reporter"]), source_article(newsroom["reporter"])
    client.force_login(newsroom["editor"])

    response = run_action(client, "export_for_translation_into_chinese", first, second)

    assert response["Content-Disposition"].startswith('attachment; filename="articles-zh-hans-')
    files = units_by_id(response.content)
    assert {key[0] for key in files} == {f"article-{first.pk}", f"article-{second.pk}"}


def test_translator_exports_from_the_list_only_what_is_assigned(client, newsroom, assigned):
    other = source_article(newsroom["reporter"])
    client.force_login(newsroom["translator"])

    response = run_action(client, "export_for_translation_into_english", assigned, other)

    assert response.status_code == 302  # back to the list with the error, no file
    assert "Content-Disposition" not in response


@pytest.mark.parametrize(("role", "offered"), [("reporter", False), ("translator", True)])
def test_the_export_actions_are_offered_to_those_who_translate(rf, newsroom, role, offered):
    request = rf.get(CHANGELIST)
    request.user = newsroom[role]

    actions = admin.site._registry[Article].get_actions(request)

    assert ("export_for_translation_into_english" in actions) is offered
