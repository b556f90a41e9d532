import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from articles.models import ArticleTranslation, EditionStatus
from search import index
from search.index import load_editions, search
from search.models import SearchEntry
from tests.factories import ArticleFactory, add_edition

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def found(language, *terms):
    hits = search(language, list(terms)).hits
    load_editions(hits)
    return [hit.edition.title for hit in hits]


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


def test_the_newest_matches_are_ranked_and_more_are_announced(monkeypatch):
    monkeypatch.setattr(index, "MAX_RESULTS", 3)
    monkeypatch.setattr(index, "CANDIDATES", 5)
    now = timezone.now()
    ArticleFactory(title="Scholarship one", published_at=now - HOUR)
    ArticleFactory(title="Scholarship two", published_at=now - 4 * HOUR)
    ArticleFactory(title="Festival", body="<p>A scholarship.</p>", published_at=now - 3 * HOUR)
    ArticleFactory(title="Delegation", body="<p>A scholarship.</p>", published_at=now - 2 * HOUR)

    results = search("en", ["scholarship"])
    load_editions(results.hits)

    # The three newest editions (the first written is left out), title matches first,
    # then newer.
    assert results.more
    assert [hit.edition.title for hit in results.hits] == [
        "Scholarship two",
        "Delegation",
        "Festival",
    ]


def test_newest_matches_hidden_from_readers_do_not_hide_older_ones(monkeypatch):
    monkeypatch.setattr(index, "MAX_RESULTS", 2)
    monkeypatch.setattr(index, "CANDIDATES", 3)
    ArticleFactory(title="Published scholarship")
    ArticleFactory.create_batch(3, title="Draft scholarship", status=EditionStatus.DRAFT)

    results = search("en", ["scholarship"])
    load_editions(results.hits)

    assert [hit.edition.title for hit in results.hits] == ["Published scholarship"]
    assert not results.more


def test_an_edition_deleted_after_the_search_is_left_out_of_the_page():
    article = ArticleFactory(title="Scholarship")
    hits = search("en", ["scholarship"]).hits

    article.delete()
    load_editions(hits)

    assert [hit.edition for hit in hits] == [None]
