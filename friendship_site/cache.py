"""The page cache of anonymous readers, and its invalidation when content changes.

Every cached page is stored with the "content generation" it was made in; saving anything
readers can see bumps the generation, so after an editor publishes, unpublishes or
corrects, no reader gets the old page. The generation lives in the shared cache (Redis in
production), so every app process sees the bump at once.

A scheduled edition needs no action to appear: pages are kept only until the next
scheduled publication time, which is looked up when content changes, not per page.
"""

import datetime
import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.gzip import re_accepts_gzip
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control

GENERATION_KEY = "reader-pages:generation"
NEXT_SCHEDULED_KEY = "reader-pages:next-scheduled"
NOTHING_SCHEDULED = "nothing"
PAGE_TIMEOUT = 300  # seconds; shorter when a scheduled edition is due sooner


def content_generation():
    # A time, not 1: after the key is evicted, no page stored under an earlier generation
    # can match again.
    return cache.get_or_set(GENERATION_KEY, _fresh_generation, timeout=None)


def _fresh_generation():
    return int(timezone.now().timestamp())


def bump_content_generation(**kwargs):
    """Invalidate every reader page: now, and again when the transaction commits.

    Now, so that this process serves no old page; at commit, because another process may
    have cached a page between the first bump and the commit, from data that did not yet
    show the change.
    """
    _bump()
    transaction.on_commit(_bump_and_find_next_scheduled_edition)


def _bump():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates
        cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)
    cache.delete(NEXT_SCHEDULED_KEY)


def _bump_and_find_next_scheduled_edition():
    _bump()
    next_scheduled_edition()


def connect_page_cache_invalidation(app_config, exclude=()):
    """Bump the content generation whenever a model of ``app_config`` changes."""
    for model in app_config.get_models():
        if model.__name__ in exclude:
            continue
        uid = f"page-cache-{model._meta.label_lower}"
        post_save.connect(bump_content_generation, sender=model, dispatch_uid=uid)
        post_delete.connect(bump_content_generation, sender=model, dispatch_uid=uid)
    m2m_changed.connect(bump_content_generation, dispatch_uid="page-cache-m2m")


def next_scheduled_edition():
    """When the next scheduled edition goes live (None: nothing is scheduled).

    Kept in the cache between content changes; looked up again once that time has come.
    """
    from articles.models import ArticleTranslation, EditionStatus  # noqa: PLC0415 (app registry)

    now = timezone.now()
    upcoming = cache.get(NEXT_SCHEDULED_KEY)
    if upcoming is None or (upcoming != NOTHING_SCHEDULED and upcoming <= now):
        upcoming = (
            ArticleTranslation.objects.filter(status=EditionStatus.PUBLISHED, published_at__gt=now)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        ) or NOTHING_SCHEDULED
        cache.set(NEXT_SCHEDULED_KEY, upcoming, timeout=None)
    return None if upcoming == NOTHING_SCHEDULED else upcoming


def seconds_until_next_scheduled_edition():
    upcoming = next_scheduled_edition()
    if upcoming is None:
        return PAGE_TIMEOUT
    left = (upcoming - timezone.now()) / datetime.timedelta(seconds=1)
    return max(1, min(PAGE_TIMEOUT, int(left) + 1))


def reader_page_cache(view):
    """Mark a public page as one to keep for anonymous readers (GET only); the page is
    stored, and served again, by ReaderPageCacheMiddleware."""

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method != "GET" or request.user.is_authenticated or response.cookies:
            # An editor's page may show what readers cannot see yet: never kept anywhere.
            patch_cache_control(response, private=True, no_cache=True)
        else:
            # Browsers and proxies revalidate every time: the server's cache is the one
            # that knows when an editor acted.
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            response.reader_page = True
        return response

    cached_view.reader_page = True
    return cached_view


class ReaderPageCacheMiddleware:
    """Serve anonymous readers' pages from the cache before the rest of the stack runs.

    Placed near the top of MIDDLEWARE: a hit costs one round trip to the cache (the page
    and the current generation are read together) and skips sessions, locale, CSRF and
    the view. Pages are stored as they leave the stack, with every header the inner
    middleware added (compressed when the browser takes gzip, with their ETag), so a hit
    neither renders, compresses nor hashes anything. Requests that carry a session cookie
    (editors) are never served from, nor stored in, the cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method != "GET"
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or not is_reader_page(request)
        ):
            return self.get_response(request)
        key = page_key(request)
        found = cache.get_many([GENERATION_KEY, key])
        # Read before the page is made: a page made while an editor's change commits is
        # stored under the generation the change replaces, and never served.
        generation = found.get(GENERATION_KEY) or content_generation()
        stored = found.get(key)
        if stored is not None and stored[0] == generation:
            page = stored[1]
            return get_conditional_response(request, etag=page.get("ETag"), response=page)
        response = self.get_response(request)
        if (
            getattr(response, "reader_page", False)
            and response.status_code in (200, 404)
            and not response.cookies
        ):
            cache.set(key, (generation, response), seconds_until_next_scheduled_edition())
        return response


def is_reader_page(request):
    """Whether the address is a page views keep (@reader_page_cache): found from the URL
    alone, so other requests (search, the admin, health checks) never wait for the cache."""
    path = request.path_info
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(path, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return getattr(match.func, "reader_page", False)


def page_key(request):
    """The page's key: its full address (which carries the language) and whether it is
    sent compressed."""
    accepts_gzip = re_accepts_gzip.search(request.headers.get("Accept-Encoding", ""))
    digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"reader-pages:{'gzip' if accepts_gzip else 'identity'}:{digest}"
