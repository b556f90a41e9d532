"""RSS 2.0 and Atom feeds of each language edition (/vi/feed/, /en/feed/atom/…) and of each
category in it (/en/categories/<slug>/feed/).

A feed holds the editions published in the language of its URL prefix, never another
language's: a reader of /en/feed/ gets English titles and English links only.
"""

import re
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext

from articles.models import ArticleTranslation, Category, Tag
from friendship_site.i18n import with_translation
from organizations.models import FriendshipUnion

FEED_SIZE = 20

# What XML 1.0 cannot carry, not even as a character reference: C0 controls but tab and
# newlines, and the two non-characters. One pasted into a title would otherwise make
# Django refuse to write the whole feed (UnserializableContentError, a 500).
XML_ILLEGAL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value):
    """``value`` (text, or a list or dict of them) without what XML 1.0 cannot carry."""
    if isinstance(value, str):
        return XML_ILLEGAL_RE.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(xml_safe(item) for item in value)
    if isinstance(value, dict):
        return {key: xml_safe(item) for key, item in value.items()}
    return value


class XmlSafeFeedMixin:
    """A feed generator that drops the characters XML cannot carry from every text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = xml_safe(self.feed)

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = xml_safe(self.items[-1])


class XmlSafeRssFeed(XmlSafeFeedMixin, Rss201rev2Feed):
    pass


class XmlSafeAtomFeed(XmlSafeFeedMixin, Atom1Feed):
    pass


@dataclass(frozen=True)
class FeedScope:
    """What one request's feed covers. The Feed instance is shared by every request (it is
    created once in the URLconf), so nothing per request may live on ``self``."""

    language: str
    union_name: str
    category: Category | None = None

    @property
    def category_name(self):
        return translated_name(self.category, self.language)


def home_union_name(language):
    union = FriendshipUnion.objects.home(language)
    name = union and union.safe_translation_getter("name", language_code=language)
    if name:
        return name
    with translation.override(language):
        return gettext("Union of Friendship Organizations")


def latest_editions(language, category=None):
    """The newest editions published in ``language``, with their article, category and tags.

    A constant number of queries whatever the number of items.
    """
    editions = ArticleTranslation.objects.live(language).newest_first()
    if category is not None:
        editions = editions.in_category(category.pk)
    return list(
        editions.select_related("master").prefetch_related(
            Prefetch(
                "master__category", queryset=with_translation(Category.objects.all(), language)
            ),
            Prefetch("master__tags", queryset=with_translation(Tag.objects.all(), language)),
        )[:FEED_SIZE]
    )


def translated_name(obj, language):
    return obj.safe_translation_getter("name", language_code=language)


class LatestArticlesFeed(Feed):
    """The newest articles published in the language of the URL (RSS 2.0)."""

    feed_type = XmlSafeRssFeed

    def get_object(self, request):
        language = translation.get_language()
        return FeedScope(language=language, union_name=home_union_name(language))

    def title(self, scope):
        return scope.union_name

    def link(self, scope):
        return reverse("home")

    def description(self, scope):
        return gettext("Latest news")

    def author_name(self, scope):
        return scope.union_name

    # Feed.language is left unset: Django then writes the active language, the URL's.

    def items(self, scope):
        return latest_editions(scope.language)

    def item_title(self, edition):
        # RSS readers read titles as HTML: escaped once more, as Django does (#6533).
        return escape(edition.title)

    def item_description(self, edition):
        # The lead is plain text, and a feed's description is HTML: escape it.
        return escape(edition.lead or edition.seo_description)

    def item_link(self, edition):
        with translation.override(edition.language_code):
            return reverse("articles:detail", kwargs={"slug": edition.slug})

    def item_pubdate(self, edition):
        return edition.published_at

    def item_updateddate(self, edition):
        return edition.updated_at

    def item_author_name(self, edition):
        return edition.reporter_credit or None

    def item_categories(self, edition):
        article, language = edition.master, edition.language_code
        names = [translated_name(article.category, language)]
        names += [translated_name(tag, language) for tag in article.tags.all()]
        return [name for name in names if name]


class CategoryFeed(LatestArticlesFeed):
    """The newest articles of one category, found by its slug in the URL's language."""

    def get_object(self, request, slug):
        language = translation.get_language()
        # Category.DoesNotExist becomes a 404 in Feed.__call__.
        category = (
            Category.objects.translated(language, slug=slug)
            .language(language)
            .prefetch_related("translations")
            .get()
        )
        return FeedScope(language, home_union_name(language), category)

    def title(self, scope):
        return f"{scope.union_name} – {scope.category_name}"

    def link(self, scope):
        with translation.override(scope.language):
            return reverse("articles:category", kwargs={"slug": scope.category.slug})

    def description(self, scope):
        return (
            scope.category.safe_translation_getter("description", language_code=scope.language)
            or scope.category_name
        )

    def items(self, scope):
        return latest_editions(scope.language, scope.category)


class AtomFeedMixin:
    feed_type = XmlSafeAtomFeed

    def subtitle(self, scope):
        return self.description(scope)

    def item_title(self, edition):
        # Atom titles are text (no type="html"): escaping would show "&amp;" to readers.
        return edition.title


class LatestArticlesAtomFeed(AtomFeedMixin, LatestArticlesFeed):
    pass


class CategoryAtomFeed(AtomFeedMixin, CategoryFeed):
    pass
