import logging
import sys
import uuid

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.views import defaults
from django.views.decorators.cache import never_cache

from articles.models import Category
from articles.views import reader_articles
from events.models import Activity
from friendship_site.cache import reader_page_cache
from friendship_site.i18n import with_translation
from organizations.views import localities

logger = logging.getLogger(__name__)

LATEST_COUNT = 8
PER_CATEGORY = 3
# The newest articles the home page groups by category; enough for a few each.
CATEGORY_POOL = 60


@reader_page_cache
def home(request):
    """An edition's home page: lead story, latest news, news by category, upcoming events,
    partner localities."""
    language = get_language()
    newest = list(reader_articles(language).as_cards()[:CATEGORY_POOL])
    lead = next((card for card in newest if card.lead_photo), None) or (
        newest[0] if newest else None
    )
    latest = [card for card in newest if card != lead][:LATEST_COUNT]
    categories = []
    for category in with_translation(Category.objects.translated(language), language):
        cards = [card for card in newest if card.category_id == category.pk and card != lead]
        if cards:
            categories.append((category, cards[:PER_CATEGORY]))
    upcoming = Activity.objects.for_language(language).upcoming()
    return render(
        request,
        "home.html",
        {
            "lead": lead,
            "latest": latest,
            "categories": categories,
            "upcoming": upcoming[:5],
            "localities": localities(language),
        },
    )


def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    return HttpResponse(
        render_to_string("robots.txt", {"sitemap_url": sitemap_url}),
        content_type="text/plain; charset=utf-8",
    )


def _database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache_answers():
    backend = caches["default"]
    if isinstance(backend, DummyCache):  # CACHE_URL=dummy:// stores nothing, by design
        return True
    # A key of its own: two load balancers checking at once cannot read each other's.
    key = f"healthz:{uuid.uuid4().hex}"
    backend.set(key, "ok", timeout=10)
    answered = backend.get(key) == "ok"
    backend.delete(key)
    return answered


HEALTH_CHECKS = {"database": _database_answers, "cache": _cache_answers}


@never_cache
def healthz(request):
    """For load balancers: 200 "ok", or 503 naming the checks that failed."""
    failed = []
    for name, check in HEALTH_CHECKS.items():
        try:
            passed = check()
        except Exception:
            logger.exception("Health check %s raised", name)
            passed = False
        if not passed:
            failed.append(name)
    if failed:
        body = "".join(f"{name}: failed\n" for name in failed)
        return HttpResponse(body, status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


# How long a client should wait before trying again while the database is away: a restart
# or a failover takes seconds.
RETRY_AFTER_SECONDS = 10


def database_unavailable(exception):
    """Whether ``exception`` (or one it was raised from or while handling) says the database
    cannot be reached or used just now: refused or lost connections, a server shutting
    down or starting up, locks and cancelled statements."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, OperationalError | InterfaceError):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


def server_error(request):
    """handler500, for any exception a view or middleware let through.

    While the database is away (restarted, failing over) the page is a 503 with
    Retry-After, which tells clients, crawlers and load balancers to come back soon rather
    than that the site is broken; anything else is the usual 500. Both render without a
    request context, so without a query: the database may be what failed. Django has
    already logged the exception.
    """
    if not database_unavailable(sys.exc_info()[1]):
        return defaults.server_error(request)
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
