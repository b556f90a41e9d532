"""The sitemap: an index (/sitemap.xml) of section pages, /sitemap-home.xml for each
edition's home page and /sitemap-articles.xml?p=… for the live article editions, one <url>
per (page, language), with hreflang links to the languages the same page is live in.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property

from articles.models import ArticleTranslation, EditionStatus


def live_editions():
    """Editions readers can see now (ArticleTranslation.is_live, as a query)."""
    return ArticleTranslation.objects.filter(
        status=EditionStatus.PUBLISHED, published_at__lte=timezone.now()
    )


class ItemPaginator(Paginator):
    """Pages of ``per_page`` items, each page listing its items' (item, language) pairs.

    Django's i18n sitemap pages the (item, language) pairs of every item, so each page
    would read all the items; here a page reads only its own.
    """

    def __init__(self, items, per_page, languages_for_item):
        super().__init__(items, per_page)
        self.languages_for_item = languages_for_item

    def _get_page(self, items, number, paginator):
        pairs = [(item, language) for item in items for language in self.languages_for_item(item)]
        return super()._get_page(pairs, number, paginator)


class EditionSitemap(Sitemap):
    """Django's i18n sitemap, paged by item, with each edition's lastmod and a real x-default.

    With ``i18n`` Django pairs every item with each language of
    ``get_languages_for_item()`` and calls ``location(item)`` inside
    ``translation.override(language)``, but calls ``lastmod(item)`` without the language,
    and makes x-default the URL with its "/vi/" removed, which here is only a redirect.
    So ``edition_lastmod(item, language)`` replaces ``lastmod``, and x-default is the
    Vietnamese page itself (there only when the page exists in Vietnamese).
    """

    i18n = True
    alternates = True
    x_default = True

    @property
    def paginator(self):
        return ItemPaginator(self.items(), self.limit, self.get_languages_for_item)

    def edition_lastmod(self, item, language):
        return None

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            item, language = url["item"]
            url["lastmod"] = self.edition_lastmod(item, language)
            locations = {
                alternate["lang_code"]: alternate["location"] for alternate in url["alternates"]
            }
            for alternate in url["alternates"]:
                if alternate["lang_code"] == "x-default":
                    alternate["location"] = locations[settings.LANGUAGE_CODE]
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and all(lastmods):
            # Read by the view for the Last-Modified header.
            self.latest_lastmod = max(lastmods)
        return urls


class HomeSitemap(EditionSitemap):
    """/vi/, /en/, /zh-hans/: every edition has its home page, even an empty one."""

    def items(self):
        return ["home"]

    def location(self, item):
        return reverse(item)

    @cached_property
    def newest_change(self):
        """{language: when its list last changed}, from one query."""
        rows = (
            live_editions()
            .values("language_code")
            .annotate(published=Max("published_at"), updated=Max("updated_at"))
        )
        return {row["language_code"]: max(row["published"], row["updated"]) for row in rows}

    def edition_lastmod(self, item, language):
        return self.newest_change.get(language)


class LiveArticles:
    """The articles with a live edition, by id, as the sitemap's paginator reads them.

    ``count()`` is one query, and a slice two: the slice's article ids, then just the
    columns the sitemap needs of their live editions (no article bodies; and parler's
    translation models cannot be loaded with deferred fields). An article is
    ``{language: {"slug", "updated_at", …}}`` of its live editions.
    """

    def __init__(self):
        # One "now" (taken here) for the count and the slices.
        self.editions = live_editions()

    def count(self):
        return self.editions.values("master_id").distinct().count()

    def __getitem__(self, page):
        if not isinstance(page, slice):
            raise TypeError("LiveArticles is read in slices, a page at a time")
        ids = self.editions.order_by("master_id").values_list("master_id", flat=True).distinct()
        ids = list(ids[page])
        if not ids:
            return []
        # The ids are consecutive among the articles with a live edition, so the live
        # editions with an id in their range are exactly theirs: two parameters, not
        # thousands, and one walk of the master_id index.
        rows = (
            self.editions.filter(master_id__gte=ids[0], master_id__lte=ids[-1])
            .order_by("master_id", "language_code")
            .values("master_id", "language_code", "slug", "updated_at")
        )
        articles = {}
        for row in rows:
            articles.setdefault(row["master_id"], {})[row["language_code"]] = row
        return list(articles.values())


class ArticleSitemap(EditionSitemap):
    """One <url> per live edition; its alternates are the article's other live editions."""

    # Articles per page. Each gives up to one <url> per language, so a page has at most
    # 30,000 <url>s; even with 200-letter slugs (about 1.6 kB per <url> with its four
    # links) that stays under the protocol's 50,000 URLs and 50 MB per file.
    limit = 10_000

    def items(self):
        return LiveArticles()

    def get_languages_for_item(self, item):
        return [code for code, _name in settings.LANGUAGES if code in item]

    def location(self, item):
        # Django activates the language of the <url> (or of the alternate) being written,
        # and asks for each edition's address once per <url> it appears in: reverse once.
        edition = item[translation.get_language()]
        if "location" not in edition:
            edition["location"] = reverse("articles:detail", kwargs={"slug": edition["slug"]})
        return edition["location"]

    def edition_lastmod(self, item, language):
        return item[language]["updated_at"]


SITEMAPS = {"home": HomeSitemap, "articles": ArticleSitemap}
