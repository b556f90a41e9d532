"""Django-side tasks of the harness, each run in its own process against one benchmark
database (``python -m bench.probe TASK [ARGS]``, configured by the environment that
bench/common.py builds). Each prints one JSON document on stdout.

settings   the settings the harness must adapt to (sessions, static files, HTTPS)
discover   the URLs to measure, found in this database
session    a logged-in editor: the session cookie to send
flush      empty the cache
explain    EXPLAIN the SELECTs that the given pages run (JSON list of URLs on stdin)
export     time one export_yearly_summary command: YEAR FORMAT LANGUAGE
"""

import io
import json
import math
import sys
import time
from contextlib import redirect_stderr
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import quote

import django

django.setup()

# Django is set up above: the project's modules can only be imported after it.
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from articles.models import Article, Category  # noqa: E402
from articles.roles import EDITOR  # noqa: E402
from articles.views import ARTICLES_PER_PAGE, reader_articles  # noqa: E402

EDITOR_USERNAME = "bench-editor"
# (key, language, query). "友好合作" is the team's query; jieba keeps it as one word, so it
# finds only editions with that very compound. "友好 合作" (two words) finds the editions
# with both, and shows what a Chinese search with results costs.
SEARCHES = [
    ("search_vi", "vi", "hop tac huu nghi"),
    ("search_zh-hans", "zh-hans", "友好合作"),
    ("search_zh-hans_words", "zh-hans", "友好 合作"),
]
# The category list pages measured: the first, and one deep in the list (OFFSET cost).
DEEP_PAGE = 50
# A table this big must not be read whole by a reader's page (at 100k articles, the
# article, edition and search tables are far above it).
LARGE_TABLE_ROWS = 10_000


def task_settings():
    storages = getattr(settings, "STORAGES", {})
    static_backend = storages.get("staticfiles", {}).get("BACKEND", "")
    return {
        "django": django.get_version(),
        "session_engine": settings.SESSION_ENGINE,
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "static_root": str(settings.STATIC_ROOT),
        "staticfiles_backend": static_backend,
        "staticfiles_installed": "django.contrib.staticfiles" in settings.INSTALLED_APPS,
        "middleware": list(settings.MIDDLEWARE),
        "secure_ssl_redirect": getattr(settings, "SECURE_SSL_REDIRECT", False),
        "secure_proxy_ssl_header": getattr(settings, "SECURE_PROXY_SSL_HEADER", None),
        "cache_backend": settings.CACHES["default"]["BACKEND"],
        "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE"),
        "debug": settings.DEBUG,
    }


def _live_vi_articles():
    return Article.objects.for_language("vi").published()


def task_discover():
    """The pages to measure, chosen in this database the same way at every size."""
    pages = []
    with translation.override("vi"):
        live = _live_vi_articles()
        total = live.count()
        if not total:
            raise SystemExit("no published Vietnamese article in this database")
        # A typical article, not the newest: the one in the middle of the edition's
        # history, with tags (its page lists related articles), in a stable order.
        article = (
            live.filter(tags__isnull=False)
            .distinct()
            .newest_first()
            .prefetch_related("translations")[total // 2]
        )
        pages.append(
            {
                "key": "article",
                "label": "article (vi)",
                "url": article.get_absolute_url_for("vi"),
                "note": f"article #{article.pk}, middle of {total:,} live vi articles",
            }
        )
        biggest = live.values("category").annotate(n=Count("pk")).order_by("-n", "category").first()
        category = Category.objects.language("vi").get(pk=biggest["category"])
        listed = reader_articles("vi").in_category(category).count()
        last_page = max(1, math.ceil(listed / ARTICLES_PER_PAGE))
        base = reverse("articles:category", kwargs={"slug": category.slug})
        pages.append(
            {
                "key": "category_p1",
                "label": "category list, page 1",
                "url": base,
                "note": f"biggest category: {listed:,} articles, {last_page} pages",
            }
        )
        deep = min(DEEP_PAGE, last_page)
        pages.append(
            {
                "key": "category_deep",
                "label": f"category list, page {DEEP_PAGE}"
                if deep == DEEP_PAGE
                else f"category list, page {deep} (last; < {DEEP_PAGE} pages)",
                "url": f"{base}?page={deep}",
                "note": f"page {deep} of {last_page}",
                "comparable": deep == DEEP_PAGE,
            }
        )
        pages.append({"key": "home", "label": "home /vi/", "url": reverse("home")})
    for key, language, words in SEARCHES:
        with translation.override(language):
            url = reverse("search:results")
        query = words.replace(" ", "+")  # then percent-encoded by quote() below
        pages.append(
            {
                "key": key,
                "label": f"search {language} “{words}”",
                "url": f"{url}?q={quote(query, safe='+')}",
            }
        )
    pages.append({"key": "sitemap", "label": "/sitemap.xml", "url": reverse("sitemap")})
    try:
        # When /sitemap.xml is an index, crawlers then read its section pages: the first
        # page of the articles' section is the heavy one.
        section = reverse("sitemap_section", kwargs={"section": "articles"})
    except NoReverseMatch:
        pass
    else:
        pages.append(
            {
                "key": "sitemap_articles",
                "label": "articles' sitemap, page 1",
                "url": f"{section}?p=1",
            }
        )
    with translation.override("vi"):
        pages.append({"key": "feed", "label": "feed /vi/feed/", "url": reverse("feed")})
    return {"pages": pages, "live_vi_articles": total, "articles": Article.objects.count()}


def task_session():
    """An editor (the Editor role's group, as create_demo_accounts makes them) and a session
    made by Django's own login machinery (the test Client's force_login)."""
    user, _created = get_user_model().objects.get_or_create(username=EDITOR_USERNAME)
    user.is_staff = True
    user.is_active = True
    user.email = f"{EDITOR_USERNAME}@localhost"
    user.set_unusable_password()
    user.save()
    user.groups.set([Group.objects.get(name=EDITOR)])
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"username": user.username, "cookie_name": cookie.key, "cookie_value": cookie.value}


def task_flush():
    caches["default"].clear()
    return {"flushed": settings.CACHES["default"]["BACKEND"]}


def _relation_sizes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relkind IN ('r', 'm', 'p')"
        )
        return dict(cursor.fetchall())


def _plan_nodes(node):
    yield node
    for child in node.get("Plans", ()):
        yield from _plan_nodes(child)


def task_explain():
    """For each page: the SELECTs it runs (anonymous reader, no page cache), each with the
    Seq Scans its plan makes on large tables."""
    pages = json.load(sys.stdin)
    sizes = _relation_sizes()
    client = Client()
    results = []
    for page in pages:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page["url"])
        if response.status_code != 200:
            raise SystemExit(f"{page['url']} answered {response.status_code}")
        queries = []
        for query in captured.captured_queries:
            text = query["sql"]
            if not text.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {text}")
                explained = cursor.fetchone()[0]
            if isinstance(explained, str):
                explained = json.loads(explained)
            plan = explained[0]
            seq_scans = sorted(
                {
                    node["Relation Name"]
                    for node in _plan_nodes(plan["Plan"])
                    if node["Node Type"] == "Seq Scan"
                    and sizes.get(node["Relation Name"], 0) >= LARGE_TABLE_ROWS
                }
            )
            queries.append(
                {
                    "sql": text,
                    "ms": round(plan.get("Execution Time", 0.0), 2),
                    "rows": plan["Plan"].get("Actual Rows"),
                    "seq_scans": [
                        {"table": table, "rows": sizes.get(table, 0)} for table in seq_scans
                    ],
                }
            )
        results.append({"key": page["key"], "url": page["url"], "queries": queries})
    return {"pages": results, "large_table_rows": LARGE_TABLE_ROWS}


def task_export(year, format, language):
    """Time the export_yearly_summary command itself (this process is already started)."""
    with TemporaryDirectory() as directory:
        output = Path(directory) / f"summary.{format}"
        started = time.perf_counter()
        with redirect_stderr(io.StringIO()):
            call_command(
                "export_yearly_summary",
                year,
                format=format,
                language=language,
                output=str(output),
            )
        seconds = time.perf_counter() - started
        size = output.stat().st_size
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM events_activity WHERE extract(year FROM starts_on) = %s",
            [int(year)],
        )
        activities = cursor.fetchone()[0]
    return {"seconds": seconds, "bytes": size, "activities": activities}


TASKS = {
    "settings": task_settings,
    "discover": task_discover,
    "session": task_session,
    "flush": task_flush,
    "explain": task_explain,
    "export": task_export,
}

if __name__ == "__main__":
    task, *arguments = sys.argv[1:]
    json.dump(TASKS[task](*arguments), sys.stdout, ensure_ascii=False)
