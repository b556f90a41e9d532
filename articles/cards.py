"""Article cards: what lists of articles print, read as plain values in one query.

A list page shows twenty cards or more; building twenty parler Articles, each with its
category, photo and their translations, cost most of a page's time. A card is a row of
``ArticleTranslation.objects.as_cards()``: the edition's title, address, date and lead, its
category's name and its lead photo (with the renditions kept on the photo, so printing it
needs no lookup either).
"""

from django.db.models.query import ValuesIterable
from django.urls import reverse

SLUG_PLACEHOLDER = "slug-placeholder"


class PhotoRef:
    """A photo as pages print it: enough for ``{% photo_img %}`` and a caption."""

    __slots__ = ("pk", "image", "rendition_manifest", "alt_text", "caption", "credit")

    def __init__(self, pk, image, rendition_manifest, alt_text="", caption="", credit=""):
        self.pk = pk
        self.image = image  # the stored name
        self.rendition_manifest = rendition_manifest
        self.alt_text = alt_text or ""
        self.caption = caption or ""
        self.credit = credit or ""

    def __bool__(self):
        return bool(self.pk and self.image)


class ArticleCard:
    """One article in a list, in the list's language."""

    __slots__ = (
        "article_id",
        "category_id",
        "category_name",
        "lead",
        "lead_photo",
        "published_at",
        "slug",
        "title",
        "url",
    )

    def __init__(self, row, url_pattern):
        self.article_id = row["master_id"]
        self.category_id = row["master__category_id"]
        self.category_name = row["category_name"]
        self.title = row["title"]
        self.slug = row["slug"]
        self.lead = row["lead"]
        self.published_at = row["published_at"]
        self.url = url_pattern.replace(SLUG_PLACEHOLDER, row["slug"])
        photo_id = row["master__lead_photo_id"]
        self.lead_photo = (
            PhotoRef(
                photo_id,
                row["master__lead_photo__image"],
                row["master__lead_photo__rendition_manifest"],
                row["photo_alt_text"],
            )
            if photo_id
            else None
        )

    def __eq__(self, other):
        return isinstance(other, ArticleCard) and other.article_id == self.article_id

    def __hash__(self):
        return hash(self.article_id)

    def __str__(self):
        return self.title

    def __repr__(self):
        return f"<ArticleCard {self.article_id}: {self.title[:40]}>"


class ArticleCardIterable(ValuesIterable):
    """Yields ArticleCards instead of dicts; the article address is reversed once per
    query, not once per card."""

    def __iter__(self):
        url_pattern = reverse("articles:detail", kwargs={"slug": SLUG_PLACEHOLDER})
        for row in super().__iter__():
            yield ArticleCard(row, url_pattern)
