"""On PostgreSQL, the public pages read the big tables through indexes.

A sequential scan of the articles, their editions, the events or the search entries is
harmless at a thousand rows and ruinous at a hundred thousand: each page's queries are
EXPLAINed on a synthetic newsroom large enough for the planner to choose as it would in
production (bench/ measures the same pages at 100,000 articles).
"""

from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from articles.models import ArticleTranslation, Category
from friendship_site.cache import bump_content_generation

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

BIG_TABLES = {
    "articles_article",
    "articles_article_translation",
    "articles_article_tags",
    "events_activity",
    "events_activity_translation",
    "search_searchentry",
}


def sequential_scans(plan):
    """The big tables a plan (EXPLAIN FORMAT JSON) reads from start to end."""
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in BIG_TABLES:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found += sequential_scans(child)
    return found


def page_urls():
    edition = ArticleTranslation.objects.live("vi").newest_first()[100]
    with translation.override("vi"):
        category = Category.objects.translated("vi").first().get_absolute_url()
        return [
            reverse("home"),
            reverse("articles:list"),
            reverse("articles:list") + "?year=2025&page=3",
            category,
            category + "?page=20",
            reverse("articles:detail", kwargs={"slug": edition.slug}),
            reverse("articles:archive_month", kwargs={"year": 2025, "month": 3}),
            reverse("events:list"),
            reverse("feed"),
            reverse("search:results") + "?q=" + quote("hop tac huu nghi"),
            "/zh-hans/search/?q=" + quote("友好合作"),
        ]


def test_public_pages_read_the_big_tables_through_indexes(client):
    call_command(
        "generate_synthetic",
        "--articles=6000",
        "--events=1500",
        "--seed=3",
        "--force",
        stdout=StringIO(),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    offenders = []
    for url in page_urls():
        bump_content_generation()  # no page from the cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        for query in queries.captured_queries:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (FORMAT JSON) " + query["sql"])
                plan = cursor.fetchone()[0][0]["Plan"]
            for table in sequential_scans(plan):
                offenders.append((url, table, query["sql"][:200]))

    assert offenders == []
