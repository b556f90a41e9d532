from datetime import timedelta

from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from articles.models import Article

PREVIEW_SALT = "articles.preview"
# A shared preview link works this long, without login, for one edition only.
PREVIEW_MAX_AGE = timedelta(days=3)


def article_detail(request, slug):
    language = get_language()
    article = get_object_or_404(
        Article.objects.for_language(language)
        .published()
        .for_listing()
        .translated(language, slug=slug)
    )
    return article_page(request, article, language)


def article_page(request, article, language, *, preview_share_url=None):
    """The reader's page of ``article`` in ``language`` (also used for previews)."""
    article.set_current_language(language)
    edition = article.edition(language)
    source = edition.source()
    source_note = None
    if source is not None and edition.is_outdated() and source.is_live():
        source_note = {
            "changed_at": source.content_changed_at,
            "url": article.get_absolute_url_for(source.language_code),
            "language": source.language_code,
        }
    corrections = [
        correction
        for correction in article.corrections.prefetch_related("translations")
        if correction.has_translation(language)
    ]
    for correction in corrections:
        correction.set_current_language(language)
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "edition": edition,
            "source_note": source_note,
            "corrections": corrections,
            "is_preview": preview_share_url is not None or not edition.is_live(),
            "preview_share_url": preview_share_url,
        },
    )
    if not edition.is_live():
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Cache-Control"] = "private, no-store"
    return response


def preview_url(article, language):
    """A signed link to preview one edition without logging in (expires, see above)."""
    token = signing.dumps({"article": article.pk, "language": language}, salt=PREVIEW_SALT)
    return reverse("articles:preview", kwargs={"token": token})


@never_cache
def article_preview(request, token):
    try:
        payload = signing.loads(token, salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
    except signing.BadSignature as error:  # expired links are bad signatures too
        raise Http404("This preview link is invalid or has expired.") from error
    language = payload.get("language")
    if language != get_language():
        raise Http404
    article = get_object_or_404(
        Article.objects.for_language(language).for_listing(), pk=payload.get("article")
    )
    return article_page(request, article, language)
