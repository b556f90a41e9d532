"""Structured data for search engines: schema.org NewsArticle as JSON-LD."""

import json

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from articles.renditions import rendition_within
from organizations.models import FriendshipUnion

# Written as JSON escapes, these characters cannot end the <script> element ("</script>"),
# open a comment ("<!--") or start an entity, and JSON readers decode them to the same text
# (django.utils.html.json_script does the same; U+2028/9 for older JavaScript parsers).
SCRIPT_SAFE = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}

# The width of the picture shared with the page, as og:image (article_detail.html).
SHARED_IMAGE_WIDTH = 1200

# "No union given", as opposed to a given None (no home union yet).
NOT_GIVEN = object()


def _iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def news_article_json_ld(article, edition, request, *, union=NOT_GIVEN):
    """The NewsArticle of ``edition`` (of ``article``), safe to print as it is inside
    ``<script type="application/ld+json">…</script>``.

    Reads the article's category (with its translations) and lead photo: use an article
    from ``for_listing()``. Pass ``union`` (``FriendshipUnion.objects.home()``, None included)
    when it is already loaded: then no query is made.
    """
    language = edition.language_code
    url = request.build_absolute_uri(article.get_absolute_url_for(language))
    if union is NOT_GIVEN:
        union = FriendshipUnion.objects.home(language)
    union_name = union and union.safe_translation_getter("name", language_code=language)
    with translation.override(language):
        home_url = request.build_absolute_uri(reverse("home"))
        union_name = union_name or gettext("Union of Friendship Organizations")
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": edition.title,
        "description": edition.seo_description or edition.lead,
        "datePublished": _iso(edition.published_at),
        "dateModified": _iso(edition.updated_at),
        "inLanguage": language,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "image": None,
        "author": None,
        "translator": None,
        "publisher": {"@type": "Organization", "name": union_name, "url": home_url},
        # Read with the edition by for_article_page(); else from the category itself.
        "articleSection": getattr(edition, "category_name", None)
        or article.category.safe_translation_getter("name", language_code=language),
    }
    # A rendition, never the original upload: renditions carry no EXIF (no GPS position,
    # no camera serial), and they are what readers are sent anyway.
    rendition = rendition_within(article.lead_photo, SHARED_IMAGE_WIDTH)
    if rendition is not None:
        data["image"] = {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(rendition.jpeg_url),
            "width": rendition.width,
            "height": rendition.height,
        }
    if edition.reporter_credit:
        data["author"] = {"@type": "Person", "name": edition.reporter_credit}
    if edition.translator_credit:
        data["translator"] = {"@type": "Person", "name": edition.translator_credit}
    data = {key: value for key, value in data.items() if value not in (None, "")}
    # Safe: no "<", ">" or "&" is left in the text (SCRIPT_SAFE), and HTML-escaping it
    # instead would break the JSON (a script's text is not unescaped by browsers).
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(SCRIPT_SAFE))
