"""The page cache of anonymous readers, and its invalidation when content changes.

Every cached page's key carries a "content generation"; saving anything readers can see
bumps it, so after an editor publishes, unpublishes or corrects, no reader gets the old
page. A scheduled edition needs no action to appear: pages are kept only until the next
scheduled publication time.
"""

import functools
import hashlib

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

GENERATION_KEY = "reader-pages:generation"
PAGE_TIMEOUT = 300  # seconds; shorter when a scheduled edition is due sooner


def content_generation():
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def bump_content_generation(**kwargs):
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates
        cache.set(GENERATION_KEY, int(timezone.now().timestamp()), timeout=None)


def connect_page_cache_invalidation(app_config, exclude=()):
    """Bump the content generation whenever a model of ``app_config`` changes."""
    for model in app_config.get_models():
        if model.__name__ in exclude:
            continue
        uid = f"page-cache-{model._meta.label_lower}"
        post_save.connect(bump_content_generation, sender=model, dispatch_uid=uid)
        post_delete.connect(bump_content_generation, sender=model, dispatch_uid=uid)
    m2m_changed.connect(bump_content_generation, dispatch_uid="page-cache-m2m")


def seconds_until_next_scheduled_edition():
    from articles.models import ArticleTranslation, EditionStatus  # noqa: PLC0415 (app registry)

    now = timezone.now()
    upcoming = (
        ArticleTranslation.objects.filter(status=EditionStatus.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if upcoming is None:
        return PAGE_TIMEOUT
    return max(1, min(PAGE_TIMEOUT, int((upcoming - now).total_seconds()) + 1))


def reader_page_cache(view):
    """Cache a public page for anonymous readers (GET only), per language and full URL."""

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = f"reader-pages:{content_generation()}:{get_language()}:{digest}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code in (200, 404) and not response.cookies:
                if hasattr(response, "render"):
                    response.render()
                cache.set(key, response, seconds_until_next_scheduled_edition())
        # Browsers and proxies revalidate every time: the server's cache is the one that
        # knows when an editor acted.
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return cached_view
