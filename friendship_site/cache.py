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

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.translation import get_language

GENERATION_KEY = "reader-pages:generation"
NEXT_SCHEDULED_KEY = "reader-pages:next-scheduled"
NOTHING_SCHEDULED = "nothing"
PAGE_TIMEOUT = 300  # seconds; shorter when a scheduled edition is due sooner

# Pages are stored as they are sent, compressed for browsers that take gzip, with their
# ETag: a hit then costs no compression and no hashing of the page.
_compress = GZipMiddleware(lambda request: None).process_response


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
    """Cache a public page for anonymous readers (GET only), per language and full URL.

    A hit costs one round trip to the cache: the page and the current generation are read
    together, and the page is served only if it was made in that generation.
    """

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            # An editor's page may show what readers cannot see yet: never kept anywhere.
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        encoding = (
            "gzip"
            if re_accepts_gzip.search(request.headers.get("Accept-Encoding", ""))
            else "identity"
        )
        key = f"reader-pages:{get_language()}:{encoding}:{digest}"
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY) or content_generation()
        stored = found.get(key)
        if stored is not None and stored[0] == generation:
            response = stored[1]
        else:
            response = view(request, *args, **kwargs)
            if response.status_code in (200, 404) and not response.cookies:
                if hasattr(response, "render"):
                    response.render()
                set_response_etag(response)
                response = _compress(request, response)
                cache.set(key, (generation, response), seconds_until_next_scheduled_edition())
        if response.cookies:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            # Browsers and proxies revalidate every time: the server's cache is the one
            # that knows when an editor acted.
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return cached_view
