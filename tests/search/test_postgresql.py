"""The PostgreSQL side of search: the GIN index exists and the search uses it."""

import pytest
from django.db import connection

from search.index import search
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_search_vector_has_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["search_entry_vector"]
        )
        (definition,) = cursor.fetchone()

    assert "USING gin" in definition
    assert "to_tsvector('simple'::regconfig" in definition


def test_search_uses_the_gin_index():
    category = CategoryFactory()
    ArticleFactory.create_batch(20, category=category)
    ArticleFactory.create_batch(2, title="Scholarship", category=category)
    entries = search("en", ["scholarship"])

    with connection.cursor() as cursor:
        # With statistics, and sequential scans priced out as on a large table, the
        # planner picks the index only if its expression is the one the search uses.
        cursor.execute("ANALYZE search_searchentry, articles_article_translation")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = entries.explain()

    assert "Bitmap Index Scan on search_entry_vector" in plan
