import datetime

from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from articles.filters import ArticleFilter
from articles.models import Article, ArticleTranslation, Category, EditionStatus, Tag
from articles.seo import news_article_json_ld
from friendship_site.cache import reader_page_cache
from friendship_site.i18n import language_links, translated_urls
from organizations.models import FriendshipUnion

ARTICLES_PER_PAGE = 20

PREVIEW_SALT = "articles.preview"
# A shared preview link works this long, without login, for one edition only.
PREVIEW_MAX_AGE = datetime.timedelta(days=3)


def reader_articles(language):
    """The articles of ``language``'s edition, as every list shows them."""
    return Article.objects.for_language(language).published().for_cards().newest_first()


def article_list_page(request, articles, *, title, status=200, **context):
    page_obj = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/article_list.html",
        {"title": title, "page_obj": page_obj, **context},
        status=status,
    )


@reader_page_cache
def article_list(request):
    language = get_language()
    article_filter = ArticleFilter(
        request.GET, queryset=reader_articles(language), language=language
    )
    if not article_filter.is_valid():
        return article_list_page(
            request, Article.objects.none(), title=_("News"), filter=article_filter, status=400
        )
    return article_list_page(request, article_filter.qs, title=_("News"), filter=article_filter)


@reader_page_cache
def category_detail(request, slug):
    language = get_language()
    category = get_object_or_404(Category.objects.translated(language, slug=slug))
    return article_list_page(
        request,
        reader_articles(language).in_category(category),
        title=category.safe_translation_getter("name", language_code=language),
        intro=category.safe_translation_getter("description", language_code=language),
        category_slug=slug,
        language_links=language_links(request, translated_urls(category, "articles:category")),
    )


@reader_page_cache
def tag_detail(request, slug):
    language = get_language()
    tag = get_object_or_404(Tag.objects.translated(language, slug=slug))
    return article_list_page(
        request,
        reader_articles(language).tagged(tag),
        title=_("Tag: %(name)s")
        % {"name": tag.safe_translation_getter("name", language_code=language)},
        language_links=language_links(request, translated_urls(tag, "articles:tag")),
    )


@reader_page_cache
def archive(request, year, month=None):
    if not 1990 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        raise Http404
    language = get_language()
    if month:
        title = formats.date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")
    else:
        title = str(year)
    return article_list_page(
        request,
        reader_articles(language).published_in(year, month),
        title=_("Archive: %(period)s") % {"period": title},
    )


@reader_page_cache
def article_detail(request, slug):
    language = get_language()
    article = (
        Article.objects.for_language(language)
        .published()
        .for_listing()
        .translated(language, slug=slug)
        .first()
    )
    if article is None:
        return edition_not_found(request, slug, language)
    return article_page(request, article, language)


def edition_not_found(request, slug, language):
    """404 for an article address; if the article exists in other editions, link to them."""
    edition = (
        ArticleTranslation.objects.filter(slug=slug)
        .exclude(language_code=language)
        .select_related("master")
        .first()
    )
    elsewhere = []
    if edition is not None:
        article = Article.objects.for_listing().get(pk=edition.master_id)
        elsewhere = [
            link
            for link in language_links(request, published_urls(article))
            if link["exists"] and link["code"] != language
        ]
    return render(
        request, "articles/not_in_this_language.html", {"elsewhere": elsewhere}, status=404
    )


def published_urls(article):
    """{language: URL} of the article's live editions."""
    return {
        edition.language_code: article.get_absolute_url_for(edition.language_code)
        for edition in article.translations.all()
        if edition.is_live()
    }


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
    is_live = edition.is_live()
    listed = reader_articles(language)
    tags = list(
        article.tags.translated(language).language(language).prefetch_related("translations")
    )
    union = FriendshipUnion.objects.home()
    context = {
        "home_union": union,
        "article": article,
        "edition": edition,
        "source_note": source_note,
        "corrections": corrections,
        "is_preview": preview_share_url is not None or not is_live,
        "preview_share_url": preview_share_url,
        "tags": article.tags.translated(language)
        .language(language)
        .prefetch_related("translations"),
        "gallery": article.gallery.select_related("photo").prefetch_related("photo__translations"),
        "activities": article.activities.for_language(language).for_listing(),
        "localities": article.localities.translated(language)
        .language(language)
        .prefetch_related("translations"),
        "associations": article.associations.translated(language)
        .language(language)
        .prefetch_related("translations"),
        **related_articles(listed, article, tags),
        "language_links": language_links(request, published_urls(article)),
    }
    if is_live:
        context["previous"], context["next"] = neighbours(edition)
        context["json_ld"] = news_article_json_ld(article, edition, request, union=union)
    response = render(request, "articles/article_detail.html", context)
    if not is_live:
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Cache-Control"] = "private, no-store"
    return response


def related_articles(listed, article, tags, count=4):
    """ "Same category" and "same tag" lists, read in one query."""
    candidates = list(listed.related_to(article, tags)[: 4 * count])
    same_category = [other for other in candidates if other.category_id == article.category_id]
    same_tag = [
        other for other in candidates if other.shares_tag and other not in same_category[:count]
    ]
    return {"same_category": same_category[:count], "same_tag": same_tag[:count]}


def neighbours(edition):
    """Title and address of the articles published just before and after ``edition``."""
    live = ArticleTranslation.objects.filter(
        language_code=edition.language_code,
        status=EditionStatus.PUBLISHED,
        published_at__lte=timezone.now(),
    ).values("title", "slug")
    moment = edition.published_at
    previous = live.filter(published_at__lt=moment).order_by("-published_at", "-pk").first()
    following = live.filter(published_at__gt=moment).order_by("published_at", "pk").first()
    return [
        {**found, "url": reverse("articles:detail", kwargs={"slug": found["slug"]})}
        if found
        else None
        for found in (previous, following)
    ]


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
