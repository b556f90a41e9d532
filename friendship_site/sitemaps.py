"""The sitemap (/sitemap.xml): each edition's home page and every live article edition, one
<url> per (page, language), with hreflang links to the languages the same page is live in.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
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


class EditionSitemap(Sitemap):
    """Django's i18n sitemap, with the lastmod of each edition and a real x-default.

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


class ArticleSitemap(EditionSitemap):
    """One <url> per live edition; its alternates are the article's other live editions.

    An item is one article's live editions, ``{language: {"slug", "updated_at"}}``, read
    in one query of just those columns: no article bodies are loaded for the sitemap (and
    parler's translation models cannot be loaded with deferred fields).
    """

    def items(self):
        rows = (
            live_editions()
            .order_by("master_id", "language_code")
            .values("master_id", "language_code", "slug", "updated_at")
        )
        articles = {}
        for row in rows:
            articles.setdefault(row["master_id"], {})[row["language_code"]] = row
        return list(articles.values())

    def get_languages_for_item(self, item):
        return [code for code, _name in settings.LANGUAGES if code in item]

    def location(self, item):
        # Django activates the language of the <url> (or of the alternate) being written.
        return reverse("articles:detail", kwargs={"slug": item[translation.get_language()]["slug"]})

    def edition_lastmod(self, item, language):
        return item[language]["updated_at"]


SITEMAPS = {"home": HomeSitemap, "articles": ArticleSitemap}
