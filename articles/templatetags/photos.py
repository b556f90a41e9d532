"""{% photo_img photo %}: a photo as a <picture> of its renditions (articles/renditions.py)."""

from django import template
from django.utils import translation
from parler.models import TranslationDoesNotExist

from articles.cards import PhotoRef
from articles.renditions import rendition_within, renditions

register = template.Library()

# The article column (.article, 46rem at most, in a container padded by 1rem each side).
DEFAULT_SIZES = "(max-width: 48rem) calc(100vw - 2rem), 46rem"
# The <img src> serves browsers that ignore srcset; its size also sets width/height.
DEFAULT_WIDTH = 800


@register.inclusion_tag("includes/photo.html")
def photo_img(photo, sizes=DEFAULT_SIZES, lazy=True, css_class="", decorative=False):
    """Print ``photo`` as WebP and JPEG renditions; nothing when it has none.

    ``lazy=False`` for a photo above the fold (the lead photo): loaded at once, first.
    ``decorative=True`` gives alt="", e.g. when a link next to it says the same.
    """
    items = renditions(photo) if photo else []
    if not items:
        return {}
    default = min(items, key=lambda item: abs(item.width - DEFAULT_WIDTH))
    return {
        "webp_srcset": ", ".join(f"{item.webp_url} {item.width}w" for item in items),
        "jpeg_srcset": ", ".join(f"{item.jpeg_url} {item.width}w" for item in items),
        "default": default,
        "sizes": sizes,
        "alt": "" if decorative else _alt_text(photo),
        "lazy": lazy,
        "css_class": css_class,
    }


@register.simple_tag
def photo_url(photo, width=1200):
    """The JPEG rendition closest to ``width`` without exceeding it (when possible): for
    og:image and other places that take one address. "" when the photo has none."""
    rendition = rendition_within(photo, width)
    return rendition.jpeg_url if rendition else ""


def _alt_text(photo):
    # In the reader's language only: alt text in another language would be read aloud
    # with the wrong voice. None means decorative (alt=""), never the file name.
    if isinstance(photo, PhotoRef):  # read in the page's language with the page's data
        return photo.alt_text
    try:
        return photo.get_translation(translation.get_language()).alt_text
    except TranslationDoesNotExist:
        return ""
