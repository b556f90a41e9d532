"""Responsive renditions of photos: narrower WebP and JPEG copies made with Pillow.

Readers, phones above all, never get the original upload (often several megabytes): pages
print the renditions through ``{% photo_img %}`` (articles/templatetags/photos.py).

The renditions of a photo are made on first use and kept in the default storage under
``renditions/<pk>/<stem>-<digest>-<width>.<ext>``, with a small JSON manifest written last,
so its presence means the set is complete. The digest covers the original's stored name:
Django's storage never overwrites a file, so a new upload gets a new name, and with it new
renditions. It also covers the settings below, so changing them regenerates everything.
"""

import hashlib
import json
import logging
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import ExifTags, Image, ImageOps

logger = logging.getLogger(__name__)

WIDTHS = (480, 800, 1200, 1600)
# (Pillow format and Rendition field, file extension, encoder options)
FORMATS = (
    ("webp", "webp", {"quality": 80, "method": 4}),
    ("jpeg", "jpg", {"quality": 82, "optimize": True, "progressive": True}),
)
SPEC = f"{WIDTHS}{FORMATS}"

# The manifest is read from storage once, then from the cache. A failure is remembered
# for a few minutes only: a page full of broken photos should neither retry (and log)
# on every request nor hide a photo for long once it is fixed.
CACHE_TIMEOUT = 24 * 60 * 60
FAILURE_CACHE_TIMEOUT = 5 * 60

# EXIF orientations that turn the picture a quarter: its width is the stored height.
QUARTER_TURNS = {5, 6, 7, 8}


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    webp: str  # names in the default storage
    jpeg: str

    @property
    def webp_url(self):
        return default_storage.url(self.webp)

    @property
    def jpeg_url(self):
        return default_storage.url(self.jpeg)


def renditions(photo):
    """The photo's renditions, narrowest first, made on first use; [] when it has none.

    ``photo`` is a Photo, or anything with its ``pk``, ``image`` (name) and
    ``rendition_manifest`` (e.g. the photos of article cards, read as plain values).
    The manifest kept with the photo answers without any lookup; the storage (through the
    cache) is asked only when it is missing or was made for another image or settings.
    Never raises: a missing or unreadable original is logged and gives [].
    """
    if not photo.pk or not photo.image:
        return []
    digest = _digest(photo)
    manifest = photo.rendition_manifest or {}
    if manifest.get("digest") == digest:
        return [Rendition(**entry) for entry in manifest["items"]]
    key = f"photo-renditions:{photo.pk}:{digest}"
    entries = cache.get(key)
    if entries is None:
        source = _as_photo(photo)
        entries = _load_or_make(source)[0] if source else []
        cache.set(key, entries, CACHE_TIMEOUT if entries else FAILURE_CACHE_TIMEOUT)
    if entries:
        _keep_manifest(photo, {"digest": digest, "items": entries})
    return [Rendition(**entry) for entry in entries]


def rendition_within(photo, width):
    """The rendition closest to ``width`` without exceeding it (else the narrowest), for
    places that take one address (og:image, JSON-LD); None when the photo has none."""
    items = renditions(photo) if photo else []
    fitting = [item for item in items if item.width <= width] or items[:1]
    return fitting[-1] if fitting else None


def _as_photo(photo):
    """The Photo itself, for reading its image (cards carry only plain values)."""
    from articles.models import Photo  # noqa: PLC0415 (models import this module's users)

    return photo if isinstance(photo, Photo) else Photo.objects.filter(pk=photo.pk).first()


def _keep_manifest(photo, manifest):
    from articles.models import Photo  # noqa: PLC0415

    # An update, not save(): no signals, so no page cache flush for a bookkeeping write.
    Photo.objects.filter(pk=photo.pk).update(rendition_manifest=manifest)
    photo.rendition_manifest = manifest


def get_or_create_renditions(photo):
    """(renditions, created): look in the storage only, make what is missing.

    For the make_renditions command, which must see the storage rather than the cache.
    """
    if not photo.pk or not photo.image:
        return [], False
    entries, created = _load_or_make(photo)
    if entries:
        _keep_manifest(photo, {"digest": _digest(photo), "items": entries})
    return [Rendition(**entry) for entry in entries], created


def _digest(photo):
    return hashlib.sha256(f"{_image_name(photo)}|{SPEC}".encode()).hexdigest()[:10]


def _image_name(photo):
    return getattr(photo.image, "name", photo.image)


def _prefix(photo):
    stem = PurePosixPath(_image_name(photo)).stem[:50]
    return f"renditions/{photo.pk}/{stem}-{_digest(photo)}"


def _load_or_make(photo):
    manifest = f"{_prefix(photo)}.json"
    try:
        if default_storage.exists(manifest):
            with default_storage.open(manifest) as file:
                return json.load(file), False
        return _make(photo, manifest), True
    except FileNotFoundError:
        logger.warning("No renditions for photo %s: %s is missing", photo.pk, photo.image.name)
        return [], False
    except Exception:
        # Pillow raises a zoo of exceptions on broken files (OSError, ValueError,
        # SyntaxError, struct.error…) and storages their own: whatever it is, the page
        # must still render, without this photo.
        logger.warning("No renditions for photo %s (%s)", photo.pk, photo.image.name, exc_info=True)
        return [], False


def _make(photo, manifest):
    prefix = _prefix(photo)
    with photo.image.storage.open(photo.image.name, "rb") as file:
        image = Image.open(file)
        # Image.open refuses twice Pillow's pixel limit and only warns above the limit
        # itself: refuse those too, before decoding a single pixel.
        if Image.MAX_IMAGE_PIXELS and image.width * image.height > Image.MAX_IMAGE_PIXELS:
            raise Image.DecompressionBombError(f"{image.width}x{image.height} pixels")
        turned = image.getexif().get(ExifTags.Base.Orientation) in QUARTER_TURNS
        width, height = (image.height, image.width) if turned else image.size
        # The fixed widths narrower than the original, then its own width up to the
        # widest: never upscaled, and a small photo still gets one rendition.
        widths = [w for w in WIDTHS[:-1] if w < width] + [min(width, WIDTHS[-1])]
        # A JPEG can be decoded at 1/2, 1/4 or 1/8 of its size, much faster: ask for no
        # less than the widest rendition (in stored orientation, before turning).
        needed = (widths[-1], -(-widths[-1] * height // width))
        image.draft(None, needed[::-1] if turned else needed)
        image = ImageOps.exif_transpose(image)
        # The colour profile stays, or wide-gamut phone photos look washed out; but a
        # CMYK or grey profile would be wrong once the pixels are RGB.
        icc_profile = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None
        image = _flatten(image)

    entries = []
    for target in widths:
        size = (target, max(1, round(target * image.height / image.width)))
        resized = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        entry = {"width": size[0], "height": size[1]}
        for key, extension, options in FORMATS:
            buffer = BytesIO()
            # Pillow writes only the metadata passed here: no EXIF (GPS, camera serial)
            # and no XMP reach the readers.
            resized.save(buffer, key, icc_profile=icc_profile, **options)
            name = f"{prefix}-{target}.{extension}"
            # Keep the name the storage chose: a concurrent request may have saved first.
            entry[key] = default_storage.save(name, ContentFile(buffer.getvalue()))
        entries.append(entry)
    default_storage.save(manifest, ContentFile(json.dumps(entries).encode()))
    return entries


def _flatten(image):
    """RGB, with any transparency laid on white (the page's colour) for both formats.

    WebP could keep the alpha, but then browsers with and without WebP would show the
    picture differently.
    """
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")
