import datetime

from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from articles.cards import PhotoRef
from articles.filters import ArticleFilter
from articles.models import Article, ArticleTranslation, CategoryTranslation, TagTranslation
from articles.seo import news_article_json_ld
from friendship_site.cache import reader_page_cache
from friendship_site.context_processors import home_union
from friendship_site.i18n import language_links, slug_urls, translations_by_slug
from friendship_site.pagination import ListPage

ARTICLES_PER_PAGE = 20

PREVIEW_SALT = "articles.preview"
# A shared preview link works this long, without login, for one edition only.
PREVIEW_MAX_AGE = datetime.timedelta(days=3)


def reader_articles(language):
    """The live editions of ``language``, newest first; ``.as_cards()`` to print them."""
    return ArticleTranslation.objects.live(language).newest_first()


def article_list_page(request, editions, *, title, status=200, **context):
    page_obj = ListPage.from_request(request, editions.as_cards(), ARTICLES_PER_PAGE)
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
            request,
            ArticleTranslation.objects.none(),
            title=_("News"),
            filter=article_filter,
            status=400,
        )
    return article_list_page(request, article_filter.qs, title=_("News"), filter=article_filter)


@reader_page_cache
def category_detail(request, slug):
    language = get_language()
    translations = translations_by_slug(CategoryTranslation, language, slug)
    category = translations[language]
    return article_list_page(
        request,
        reader_articles(language).in_category(category.master_id),
        title=category.name,
        intro=category.description,
        category_slug=slug,
        language_links=language_links(request, slug_urls(translations, "articles:category")),
    )


@reader_page_cache
def tag_detail(request, slug):
    language = get_language()
    translations = translations_by_slug(TagTranslation, language, slug)
    tag = translations[language]
    return article_list_page(
        request,
        reader_articles(language).tagged_with_any([tag.master_id]),
        title=_("Tag: %(name)s") % {"name": tag.name},
        language_links=language_links(request, slug_urls(translations, "articles:tag")),
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
    edition = ArticleTranslation.objects.live(language).filter(slug=slug).for_article_page().first()
    if edition is None:
        return edition_not_found(request, slug, language)
    return article_page(request, edition)


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
        article = Article.objects.prefetch_related("translations").get(pk=edition.master_id)
        elsewhere = [
            link
            for link in language_links(request, published_urls(article))
            if link["exists"] and link["code"] != language
        ]
    return render(
        request, "articles/not_in_this_language.html", {"elsewhere": elsewhere}, status=404
    )


def published_urls(article):
    """{language: URL} of the article's live editions (prefetch its translations)."""
    editions = article.translations.all()
    live = {edition.language_code: edition for edition in editions if edition.is_live()}
    return slug_urls(live, "articles:detail")


def article_page(request, edition, *, preview_share_url=None):
    """The reader's page of ``edition`` (also used for previews); ``edition`` comes from
    ``ArticleTranslation.objects.for_article_page()``."""
    language = edition.language_code
    article = edition.master
    article.set_current_language(language)
    source = edition.source()
    source_note = None
    if source is not None and edition.is_outdated() and source.is_live():
        source_note = {
            "changed_at": source.content_changed_at,
            "url": article.get_absolute_url_for(source.language_code),
            "language": source.language_code,
        }
    is_live = edition.is_live()
    linked = edition.linked_pages()
    lead_photo = article.lead_photo and PhotoRef(
        article.lead_photo_id,
        article.lead_photo.image.name,
        article.lead_photo.rendition_manifest,
        edition.photo_alt_text,
        edition.photo_caption,
        edition.photo_credit,
    )
    context = {
        "article": article,
        "edition": edition,
        "lead_photo": lead_photo,
        "source_note": source_note,
        "corrections": edition.corrections() if edition.has_corrections else [],
        "is_preview": preview_share_url is not None or not is_live,
        "preview_share_url": preview_share_url,
        "gallery": edition.gallery_photos() if edition.has_gallery else [],
        "tags": linked["tag"],
        "activities": linked["activity"],
        "localities": linked["locality"],
        "associations": linked["association"],
        **related_articles(edition, [tag["pk"] for tag in linked["tag"]]),
        "language_links": language_links(request, published_urls(article)),
    }
    if is_live:
        context["previous"], context["next"] = neighbours(edition)
        context["json_ld"] = news_article_json_ld(
            article, edition, request, union=home_union(request)
        )
    response = render(request, "articles/article_detail.html", context)
    if not is_live:
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Cache-Control"] = "private, no-store"
    return response


def related_articles(edition, tag_ids, count=4):
    """ "Same category" and "same tag" lists; an article is in one list only.

    Two queries that each stop after a few rows of the newest editions; one query with
    "category or tag" made PostgreSQL hash every article of the category and of the
    tags first (20 ms at 100,000 articles).
    """
    others = reader_articles(edition.language_code).exclude(master_id=edition.master_id)
    same_category = list(others.in_category(edition.master.category_id).as_cards()[:count])
    same_tag = []
    if tag_ids:
        shown = {card.article_id for card in same_category}
        # Repeats (several shared tags) and the same-category ones are dropped here.
        for card in others.tagged_with_any(tag_ids).as_cards()[: (count + len(shown)) * 2]:
            if card.article_id not in shown and len(same_tag) < count:
                shown.add(card.article_id)
                same_tag.append(card)
    return {"same_category": same_category, "same_tag": same_tag}


def neighbours(edition):
    """Title and address of the articles published just before and after ``edition``
    (read by for_article_page())."""
    found = []
    with translation.override(edition.language_code):
        for neighbour in (edition.previous, edition.next):
            if neighbour:
                url = reverse("articles:detail", kwargs={"slug": neighbour["slug"]})
                found.append({**neighbour, "url": url})
            else:
                found.append(None)
    return found


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
    edition = get_object_or_404(
        ArticleTranslation.objects.for_article_page(),
        master_id=payload.get("article"),
        language_code=language,
    )
    return article_page(request, edition)
