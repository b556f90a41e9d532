"""Every write that touches several rows is all or nothing: a failure injected halfway
through (a save, a bulk insert, a later step raising) leaves the database as it was.

The tests run inside pytest-django's transaction, so a write path's own atomic block is a
savepoint here: one missing leaves the rows written before the failure visible, and the
test fails. Run them on PostgreSQL too (DATABASE_URL=postgres://…).
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet

from articles import revisions, workflow
from articles.models import Article, ArticleTranslation, EditionEvent, Notification
from events.importing import import_activities
from events.models import Activity, ActivityTranslation
from friendship_site import seed, synthetic
from organizations.models import FriendshipUnion, PartnerLocality
from search.models import SearchEntry
from tests.factories import (
    ActivityFactory,
    ArticleFactory,
    CategoryFactory,
    CountryFactory,
    FriendshipUnionFactory,
)

pytestmark = pytest.mark.django_db


class InjectedFailure(Exception):
    """The crash a test provokes; nothing else raises it."""


def failing_on_call(number, original):
    """``original``, except that its ``number``-th call raises InjectedFailure."""
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(1)
        if len(calls) == number:
            raise InjectedFailure
        return original(*args, **kwargs)

    return wrapper


def always_failing(*args, **kwargs):
    raise InjectedFailure


def counts(*models):
    return {model._meta.label: model.objects.count() for model in models}


# The activities importer.

IMPORT_WRITES = [
    Activity,
    ActivityTranslation,
    Activity.countries.through,
    Activity.localities.through,
    Activity.associations.through,
]


def activities_file(*titles):
    lines = ["date,type,role,title_vi,countries,participants"]
    lines += [f"2024-04-{day:02},exchange,chaired,{title},LA,50" for day, title in titles]
    return SimpleUploadedFile("activities.csv", "\n".join(lines).encode())


@pytest.fixture
def union():
    CountryFactory(code="LA", name="Laos")
    return FriendshipUnionFactory(is_home=True)


def test_import_crashing_at_the_third_activity_writes_none(union, monkeypatch):
    before = counts(*IMPORT_WRITES)
    monkeypatch.setattr(Activity, "save", failing_on_call(3, Activity.save))

    with pytest.raises(InjectedFailure):
        import_activities(activities_file((1, "Một"), (2, "Hai"), (3, "Ba")))

    assert counts(*IMPORT_WRITES) == before


def test_import_crashing_after_an_update_restores_the_updated_activity(union, monkeypatch):
    stored = ActivityFactory(
        union=union, starts_on=datetime.date(2024, 4, 1), title="Một", participants=10
    )
    stored.set_current_language("vi")
    stored.title = "Một"
    stored.save()
    before = counts(*IMPORT_WRITES)
    monkeypatch.setattr(Activity, "save", failing_on_call(2, Activity.save))

    with pytest.raises(InjectedFailure):
        import_activities(activities_file((1, "Một"), (2, "Hai")))

    stored.refresh_from_db()
    assert (stored.participants, list(stored.countries.all())) == (10, [])
    assert counts(*IMPORT_WRITES) == before


def test_import_crashing_while_linking_partners_writes_nothing(union, monkeypatch):
    before = counts(*IMPORT_WRITES)
    original = QuerySet.bulk_create
    calls = []

    def bulk_create(queryset, objs, *args, **kwargs):
        # The second activity's country link: the first activity is fully written by then.
        if queryset.model is Activity.countries.through:
            calls.append(1)
            if len(calls) == 2:
                raise InjectedFailure
        return original(queryset, objs, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", bulk_create)

    with pytest.raises(InjectedFailure):
        import_activities(activities_file((1, "Một"), (2, "Hai")))

    assert counts(*IMPORT_WRITES) == before


# The editorial workflow and revisions.


def edition_in_review(newsroom):
    article = ArticleFactory(
        created_by=newsroom["reporter"], title="In review", status="in_review", published_at=None
    )
    return ArticleTranslation.objects.get(master=article)


def test_workflow_notification_failure_undoes_the_transition(newsroom, monkeypatch):
    edition = edition_in_review(newsroom)
    revisions_before = edition.history.count()
    monkeypatch.setattr(Notification.objects, "bulk_create", always_failing)

    with pytest.raises(InjectedFailure):
        workflow.perform("approve", edition, by=newsroom["editor"])

    edition.refresh_from_db()
    assert edition.status == "in_review"
    assert edition.history.count() == revisions_before
    assert counts(EditionEvent, Notification) == {
        "articles.EditionEvent": 0,
        "articles.Notification": 0,
    }


def test_revision_restore_failure_keeps_the_current_text(newsroom, monkeypatch):
    edition = edition_in_review(newsroom)
    edition.title = "Wrong title"
    edition.save()
    first = edition.history.earliest()
    revisions_before = edition.history.count()
    monkeypatch.setattr(EditionEvent.objects, "create", always_failing)

    with pytest.raises(InjectedFailure):
        revisions.restore(edition, first, by=newsroom["editor"])

    edition.refresh_from_db()
    assert edition.title == "Wrong title"
    assert edition.history.count() == revisions_before


def test_article_category_change_failing_on_the_editions_keeps_the_old_category(monkeypatch):
    old, new = CategoryFactory(), CategoryFactory()
    article = ArticleFactory(category=old)
    original = QuerySet.update

    def update(queryset, **kwargs):
        if queryset.model is ArticleTranslation and "article_category_id" in kwargs:
            raise InjectedFailure
        return original(queryset, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update)
    article.category = new

    with pytest.raises(InjectedFailure):
        article.save()

    assert Article.objects.get(pk=article.pk).category_id == old.pk


# Bulk loaders.


def test_seed_loader_failing_on_its_last_step_loads_nothing(monkeypatch):
    monkeypatch.setattr(seed, "load_articles", always_failing)

    with pytest.raises(InjectedFailure):
        seed.load_seed_content()

    assert counts(FriendshipUnion, PartnerLocality, Activity, Article) == {
        "organizations.FriendshipUnion": 0,
        "organizations.PartnerLocality": 0,
        "events.Activity": 0,
        "articles.Article": 0,
    }


def test_synthetic_generator_failing_on_the_search_index_writes_nothing(monkeypatch):
    monkeypatch.setattr(SearchEntry.objects, "bulk_create", always_failing)

    with pytest.raises(InjectedFailure):
        synthetic.generate(articles=5, events=2, seed=1)

    assert counts(FriendshipUnion, Activity, Article, ArticleTranslation, SearchEntry) == {
        "organizations.FriendshipUnion": 0,
        "events.Activity": 0,
        "articles.Article": 0,
        "articles.ArticleTranslation": 0,
        "search.SearchEntry": 0,
    }
