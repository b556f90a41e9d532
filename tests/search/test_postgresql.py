"""The PostgreSQL side of search: one GIN index per language, and the search's queries
use it (or, for common words, the index of the newest entries) rather than read the
whole table."""

import json

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from friendship_site.synthetic import generate
from search import index
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.fixture
def entries():
    """About 850 entries in three languages (the synthetic newsroom), and three English
    editions holding a word no other has."""
    generate(articles=400, events=0, seed=3)
    ArticleFactory.create_batch(3, title="Quasar scholarship")
    with connection.cursor() as cursor:
        # What autovacuum does on a live site, which the test's transaction hides the
        # rows from: move the new entries from the GIN indexes' pending lists into the
        # indexes proper (a long pending list makes the planner shun an index), and
        # gather the statistics the planner estimates with.
        for code, _name in settings.LANGUAGES:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index_name(code)])
        cursor.execute("ANALYZE search_searchentry")
        cursor.execute("ANALYZE articles_article_translation")


def index_name(language):
    return f"search_entry_vector_{language.replace('-', '_')}"


def search_queries(language, words):
    """The SQL of the search's queries that read the entries, and what they found."""
    with CaptureQueriesContext(connection) as context:
        results = index.search(language, words)
    queries = [query["sql"] for query in context.captured_queries]
    return [sql for sql in queries if "search_searchentry" in sql], results


def plan(sql):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (document,) = cursor.fetchone()
    if isinstance(document, str):
        document = json.loads(document)
    return document[0]["Plan"]


def nodes(node):
    """Every node of a plan, its subplans and init plans included."""
    yield node
    for child in node.get("Plans", []):
        yield from nodes(child)


def scans_of(node, table):
    return {
        (each["Node Type"], each.get("Index Name"))
        for each in nodes(node)
        if each.get("Relation Name") == table or each.get("Index Name", "").startswith("search_")
    }


def test_every_language_has_its_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            ["search_searchentry"],
        )
        definitions = dict(cursor.fetchall())

    for code, _name in settings.LANGUAGES:
        name = index_name(code)
        assert definitions[name].endswith(
            f"USING gin (vector) WHERE ((language_code)::text = '{code}'::text)"
        ), name
    assert "search_entry_vector" not in definitions  # the one for all languages is gone


def test_rare_word_is_found_through_the_gin_index_of_its_language(entries):
    queries, results = search_queries("en", ["quasar"])
    # Fewer entries than NEWEST_ENTRIES: nothing to walk, the GIN index answers.
    (gin_query,) = [sql for sql in queries if " @@ " in sql]

    scans = scans_of(plan(gin_query), "search_searchentry")

    assert len(results.hits) == 3
    assert ("Bitmap Index Scan", "search_entry_vector_en") in scans
    assert not any(node_type == "Seq Scan" for node_type, _index in scans)


def test_common_words_walk_the_newest_entries_and_stop(entries, monkeypatch):
    # At this size every search would take the GIN index; with a small NEWEST_ENTRIES the
    # walk of the newest entries, which serves common words at scale, runs too.
    monkeypatch.setattr(index, "NEWEST_ENTRIES", 200)
    monkeypatch.setattr(index, "CANDIDATES", 20)
    monkeypatch.setattr(index, "MAX_RESULTS", 10)

    queries, results = search_queries("vi", ["huu", "nghi"])
    (walk,) = queries  # enough matches among the newest: one query
    walk_plan = plan(walk)
    walked = [
        node
        for node in nodes(walk_plan)
        if node.get("Relation Name") == "search_searchentry"
        and "ts_match_vq" in node.get("Filter", "")
    ]

    assert results.more
    assert len(results.hits) == 10
    # Only the newest entries are read, through an index of edition ids, and each is
    # tested by its vector (at scale: an index scan of search_entry_newest, newest
    # first, stopping at CANDIDATES matches; at this size the planner may read the
    # same range through a bitmap and sort it).
    (node,) = walked
    condition = node.get("Index Cond") or node.get("Recheck Cond")
    assert "edition_id >=" in condition
    scans = scans_of(walk_plan, "search_searchentry")
    assert not any(node_type == "Seq Scan" for node_type, _index in scans)
    assert not any((name or "").startswith("search_entry_vector") for _type, name in scans)


def test_walk_and_gin_index_find_the_same_editions(entries, monkeypatch):
    monkeypatch.setattr(index, "CANDIDATES", 40)
    monkeypatch.setattr(index, "MAX_RESULTS", 30)
    with translation.override("vi"):
        through_gin = index.search("vi", ["hoc", "bong"])
        monkeypatch.setattr(index, "NEWEST_ENTRIES", 100)
        walked = index.search("vi", ["hoc", "bong"])

    assert walked == through_gin
    assert len(walked.hits) == 30
