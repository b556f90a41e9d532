import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from articles.models import ArticleTranslation, EditionStatus
from search.index import search
from search.models import SearchEntry
from tests.factories import ArticleFactory, add_edition

pytestmark = pytest.mark.django_db


def found(language, *terms):
    return [entry.edition.title for entry in search(language, list(terms))]


def rebuild_search_index():
    output = StringIO()
    call_command("rebuild_search_index", stdout=output)
    return output.getvalue().strip()


def test_saving_an_edition_indexes_its_words():
    with translation.override("vi"):
        article = ArticleFactory(
            title="Hữu nghị Việt – Lào", lead="Đoàn đại biểu", body="<p>Tỉnh <b>Champasak</b></p>"
        )

    entry = SearchEntry.objects.get(edition__master=article)

    assert (entry.language_code, entry.title, entry.document) == (
        "vi",
        " huu nghi viet lao ",
        " doan dai bieu tinh champasak ",
    )


def test_changing_a_title_makes_the_new_word_findable_and_the_old_not():
    article = ArticleFactory(title="Friendship festival")
    edition = ArticleTranslation.objects.get(master=article)

    edition.title = "Scholarship ceremony"
    edition.save()

    assert found("en", "scholarship") == ["Scholarship ceremony"]
    assert found("en", "festival") == []


def test_saving_other_fields_only_leaves_the_entry_alone():
    article = ArticleFactory(title="Friendship festival")
    edition = ArticleTranslation.objects.get(master=article)
    indexed_at = SearchEntry.objects.get(pk=edition.pk).indexed_at

    edition.reporter_credit = "Huynh Thuy"
    edition.save(update_fields=["reporter_credit"])

    assert SearchEntry.objects.get(pk=edition.pk).indexed_at == indexed_at


def test_deleting_an_edition_deletes_its_entry():
    article = add_edition(ArticleFactory(title="Friendship"), "vi", title="Hữu nghị")

    article.delete_translation("vi")

    assert list(SearchEntry.objects.values_list("language_code", flat=True)) == ["en"]


def test_scheduled_edition_is_found_once_its_time_comes_without_reindexing():
    article = ArticleFactory(
        title="Scholarship", published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    before = found("en", "scholarship")

    # No save, no signal: only the clock (here, the stored time) moves.
    ArticleTranslation.objects.filter(master=article).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    assert before == []
    assert found("en", "scholarship") == ["Scholarship"]


def test_unpublishing_hides_the_edition_without_reindexing():
    article = ArticleFactory(title="Scholarship")

    ArticleTranslation.objects.filter(master=article).update(status=EditionStatus.UNPUBLISHED)

    assert found("en", "scholarship") == []


def test_rebuild_indexes_editions_changed_without_saving():
    article = ArticleFactory(title="Friendship festival")
    ArticleTranslation.objects.filter(master=article).update(title="Scholarship ceremony")

    output = rebuild_search_index()

    assert output == "Search index: 0 created, 1 updated, 0 unchanged."
    assert found("en", "scholarship") == ["Scholarship ceremony"]


def test_rebuild_creates_missing_entries():
    ArticleFactory.create_batch(2, title="Scholarship")
    SearchEntry.objects.all().delete()

    output = rebuild_search_index()

    assert output == "Search index: 2 created, 0 updated, 0 unchanged."
    assert len(found("en", "scholarship")) == 2


def test_rebuild_twice_changes_nothing_the_second_time():
    ArticleFactory(title="Scholarship")
    rebuild_search_index()

    output = rebuild_search_index()

    assert output == "Search index: 0 created, 0 updated, 1 unchanged."


def test_search_without_terms_finds_nothing():
    ArticleFactory(title="Scholarship")

    assert found("en") == []
