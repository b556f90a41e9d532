"""The PostgreSQL side of search: the GIN index exists and the search uses it."""

import pytest
from django.db import connection

from search.index import search
from tests.factories import ArticleFactory

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

    assert definition.endswith("USING gin (vector)")


def test_search_condition_is_served_by_the_gin_index():
    ArticleFactory.create_batch(3, title="Scholarship")
    ArticleFactory(title="Delegation")
    entries = search("en", ["scholarship"])

    with connection.cursor() as cursor:
        # On a few rows the planner rightly reads whole tables; with every other way to
        # the entries priced out, it reaches them through the GIN index only if the index
        # can answer the search's condition.
        for setting in ["enable_seqscan", "enable_indexscan", "enable_nestloop"]:
            cursor.execute(f"SET LOCAL {setting} = off")
        plan = entries.explain()

    assert "Bitmap Index Scan on search_entry_vector" in plan
