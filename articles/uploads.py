"""Uploaded photos: only real pictures are stored, under a safe name, without metadata.

Every way a photo arrives goes through ``PhotoField`` (``Photo.image``):

- ``full_clean()`` (the admin, the shell, imports) runs ``validate_photo``;
- the admin's form field says what is wrong before the model is even built;
- storing the file (``save()``, or ``photo.image.save()``) checks it once more, since a
  script may skip ``full_clean()``, and stores it under a name made from its real format,
  with its metadata stripped.

A file is accepted by what Pillow finds in it, never by its name: a PHP or HTML page named
``photo.jpg`` is refused, and a PNG named ``photo.jpg`` is stored as ``….png``.
"""

import re
import struct
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps

from friendship_site.text import slugify_title

# Pillow format -> stored extension. Only these decoders ever see an upload: Pillow knows
# dozens of formats, and each parser is attack surface (EPS even runs Ghostscript).
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# 50 megapixels: more than any camera of the newsroom, and a decoded picture of at most
# 200 MB (RGBA). Below Pillow's own limit (Image.MAX_IMAGE_PIXELS, about 89 megapixels),
# so an upload Pillow would only warn about is refused here.
MAX_PIXELS = 50_000_000
# The stored name's stem, in characters (the storage adds "photos/YYYY/MM/" and may add a
# suffix of its own: FileField's 100 characters are never reached).
MAX_STEM_LENGTH = 60
# How far into a file to look for an SVG's root element.
SVG_SNIFF_BYTES = 4096

# JPEG segments kept: JFIF (APP0), the colour profile (APP2 "ICC_PROFILE") and Adobe's
# colour transform (APP14, which CMYK pictures need). Other APPn segments are EXIF, XMP,
# IPTC, maker notes and previews; COM is a free comment.
JPEG_APP0, JPEG_APP2, JPEG_APP14, JPEG_COM = 0xE0, 0xE2, 0xEE, 0xFE
# PNG chunks kept besides the critical ones (IHDR, PLTE, IDAT, IEND): how to show the
# pixels (transparency, colour, pixel size) and APNG's frames. Text chunks (tEXt, zTXt,
# iTXt, which carry XMP), eXIf and tIME are dropped, and so are chunks nobody asked for.
PNG_KEPT_CHUNKS = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP",
    b"sBIT", b"pHYs", b"bKGD", b"cICP", b"acTL", b"fcTL", b"fdAT",
}  # fmt: skip
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NOT_WORD_RE = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class CheckedImage:
    """What a checked upload is: its real format and size in pixels."""

    format: str
    width: int
    height: int

    @property
    def extension(self):
        return FORMATS[self.format]


def check_image(file):
    """The ``CheckedImage`` of ``file`` (an uploaded or Django ``File``), or a
    ValidationError that tells the editor what is wrong with it.

    The whole picture is decoded once (a JPEG at an eighth of its size), so a truncated
    or corrupt file is refused now rather than breaking the renditions later.
    """
    # Asked again by save() after full_clean(): the answer is kept on the file object.
    checked = getattr(file, "_checked_image", None)
    if checked is not None:
        return checked
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s MB): upload a picture of at most %(limit)s MB."),
            code="file_too_large",
            params={"size": round(file.size / 2**20, 1), "limit": MAX_UPLOAD_BYTES // 2**20},
        )
    try:
        checked = _decode(file)
    except ValidationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        # Pillow's own limit, met before ours could be asked (tests turn its warning into
        # an error; in production it is only a warning, and our limit refuses the file).
        raise _too_many_pixels() from None
    except Exception:
        # Pillow raises a zoo of exceptions on files that are not pictures or are broken
        # (UnidentifiedImageError, OSError, SyntaxError, struct.error…).
        if _looks_like_svg(file):
            raise ValidationError(
                _(
                    "SVG drawings are not accepted: they can carry scripts. "
                    "Upload the picture as PNG or JPEG."
                ),
                code="svg",
            ) from None
        raise ValidationError(
            _(
                "This file is not a JPEG, PNG, WebP or GIF picture, or it is damaged. "
                "Open it in an image editor and save it as JPEG."
            ),
            code="not_an_image",
        ) from None
    finally:
        file.seek(0)
    file._checked_image = checked
    return checked


def _decode(file):
    file.seek(0)
    image = Image.open(file, formats=list(FORMATS))
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(width, height)
    checked = CheckedImage(image.format, width, height)
    image.verify()
    # verify() reads a PNG's chunks (and their checksums) but hardly a JPEG's data: decode
    # the pixels too, after reopening, as verify() leaves the image unusable.
    file.seek(0)
    image = Image.open(file, formats=[checked.format])
    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))  # JPEG only; else no-op
    image.load()
    return checked


def _too_many_pixels(width=None, height=None):
    limit = MAX_PIXELS // 1_000_000
    if width is None:
        return ValidationError(
            _("The picture has too many pixels: at most %(limit)s megapixels are accepted."),
            code="too_many_pixels",
            params={"limit": limit},
        )
    return ValidationError(
        _(
            "The picture has too many pixels (%(width)s × %(height)s): at most %(limit)s "
            "megapixels are accepted. Make it smaller before uploading it."
        ),
        code="too_many_pixels",
        params={"width": width, "height": height, "limit": limit},
    )


def _looks_like_svg(file):
    file.seek(0)
    head = file.read(SVG_SNIFF_BYTES).lower()
    file.seek(0)
    name = (getattr(file, "name", "") or "").lower()
    return b"<svg" in head or name.endswith((".svg", ".svgz"))


def validate_photo(value):
    """Model validator of ``Photo.image``: only new uploads are checked (a stored file
    was checked when it came, and re-reading it from storage on each edit of a caption
    would cost a download)."""
    if not value or getattr(value, "_committed", True):
        return
    check_image(value.file)


def photo_file_name(uploaded_name, extension):
    """A safe name for a stored photo: the uploaded name's stem as a readable ASCII slug
    ("ảnh đẹp 2025.JPG" -> "anh-dep-2025.jpg"), with the extension of its real format.

    No directories ("../../etc/passwd.jpg" -> "passwd.jpg"), no control characters, no
    markup, bounded length; "photo" when nothing usable is left.
    """
    base = (uploaded_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    # Punctuation and controls part words ("win.ini" -> "win-ini"), rather than gluing them.
    stem = NOT_WORD_RE.sub(" ", PurePosixPath(base).stem)
    return f"{slugify_title(stem, max_length=MAX_STEM_LENGTH) or 'photo'}.{extension}"


def without_metadata(file, checked):
    """The bytes of ``file`` without EXIF (GPS position, camera serial, owner), XMP, IPTC
    or comments, with the orientation kept so the picture is not shown turned.

    The stored original is public (its address follows from the renditions' names), so it
    is stripped too, not only the renditions. JPEG and PNG, nearly every upload, are
    stripped without decoding: not one pixel changes. GIF and WebP are rare (cameras and
    phones write JPEG or HEIC) and saved again by Pillow: a GIF always (it loses nothing,
    and whatever was hidden in it goes), a WebP only when it carries metadata or bytes
    after its end (it then loses a little quality). None when the file is fine as it is.
    """
    file.seek(0)
    data = file.read()
    file.seek(0)
    image = Image.open(BytesIO(data), formats=[checked.format])
    orientation = image.getexif().get(ExifTags.Base.Orientation)
    exif = Image.Exif()
    if orientation and orientation != 1:
        exif[ExifTags.Base.Orientation] = orientation
    if checked.format == "JPEG":
        return _jpeg_without_metadata(data, exif)
    if checked.format == "PNG":
        return _png_without_metadata(data, exif)
    if checked.format == "GIF" or _webp_has_extras(image, data):
        return _saved_again(image, checked.format)
    return None


def _webp_has_extras(image, data):
    (riff_size,) = struct.unpack("<I", data[4:8])
    return bool({"exif", "xmp"} & image.info.keys()) or len(data) > 8 + riff_size


def _jpeg_without_metadata(data, exif):
    """A JPEG's segments but the metadata ones, up to its end (EOI): bytes hidden after
    the picture, as in a JPEG/HTML polyglot, are left out too."""
    out = bytearray(data[:2])  # SOI
    # The orientation, in an EXIF segment of its own, goes after JFIF's (which comes first).
    orientation = b""
    if exif:
        payload = exif.tobytes()
        orientation = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    position = 2
    while position + 1 < len(data):
        if data[position] != 0xFF:
            # Entropy-coded data, up to the next marker: 0xFF is followed there by 0x00
            # (a stuffed byte) or a restart marker.
            end = position
            while True:
                end = data.find(b"\xff", end)
                if end == -1 or end + 1 >= len(data):
                    raise ValueError("JPEG data without an end")
                if data[end + 1] == 0 or 0xD0 <= data[end + 1] <= 0xD7:
                    end += 2
                    continue
                break
            out += data[position:end]
            position = end
            continue
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
        elif marker == 0xD9:  # EOI
            return bytes(out + b"\xff\xd9")
        elif marker == 0x01 or 0xD0 <= marker <= 0xD7:  # no length
            out += data[position : position + 2]
            position += 2
        else:
            (length,) = struct.unpack(">H", data[position + 2 : position + 4])
            end = position + 2 + length
            if _keep_jpeg_segment(marker, data[position + 4 : end]):
                if marker != JPEG_APP0:
                    out += orientation
                    orientation = b""
                out += data[position:end]
            position = end
    raise ValueError("JPEG without an end")


def _keep_jpeg_segment(marker, payload):
    if marker == JPEG_APP2:
        return payload.startswith(b"ICC_PROFILE\0")
    if 0xE0 <= marker <= 0xEF:
        return marker in (JPEG_APP0, JPEG_APP14)
    return marker != JPEG_COM


def _png_without_metadata(data, exif):
    """A PNG's chunks but the metadata ones, up to IEND (what follows is left out)."""
    out = bytearray(PNG_SIGNATURE)
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 12 + length
        if kind in PNG_KEPT_CHUNKS:
            out += data[position:end]
        if kind == b"IHDR" and exif:
            payload = exif.tobytes()[6:]  # eXIf holds the TIFF data without "Exif\0\0"
            chunk = b"eXIf" + payload
            out += struct.pack(">I", len(payload)) + chunk
            out += struct.pack(">I", zlib.crc32(chunk))
        if kind == b"IEND":
            return bytes(out)
        position = end
    raise ValueError("PNG without an end")


def _saved_again(image, format):
    """``image`` saved again by Pillow: only the pixels, the colour profile and, for an
    animation, its timing are kept; the orientation is applied to the pixels."""
    frames = getattr(image, "n_frames", 1)
    if frames == 1:
        image = ImageOps.exif_transpose(image)
    options = {"save_all": frames > 1}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if format == "WEBP":
        options.update(quality=90, method=4)
    else:
        # Pillow writes a GIF's comment again unless told otherwise (it reads image.info).
        options["comment"] = b""
    buffer = BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


class PhotoFormField(forms.ImageField):
    """The upload field of photo forms: says exactly what is wrong with a file.

    No extension check (Django's default): a picture is judged by its content, and gets
    the extension of its real format when stored.
    """

    default_validators = []

    def to_python(self, data):
        file = forms.FileField.to_python(self, data)
        if file is None:
            return None
        check_image(file)
        return super().to_python(data)


class PhotoFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        """Store ``content`` if it is a photo we accept (else ValidationError), without its
        metadata, under a safe name with the extension of its real format.

        Every way of storing a photo ends here: a model's save() with a new file, and
        ``photo.image.save(name, content)`` called directly (the seed, scripts).
        """
        checked = check_image(content)
        stripped = without_metadata(content, checked)
        if stripped is not None:
            content = ContentFile(stripped)
        super().save(photo_file_name(name, checked.extension), content, save)


class PhotoField(models.ImageField):
    """An ImageField that accepts only checked photos, stored under a safe name without
    metadata (see the module's docstring)."""

    attr_class = PhotoFieldFile
    default_validators = [validate_photo]

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        # Django reads the size of a file as soon as it is assigned, before any validation:
        # Pillow's bomb check must not turn an upload into a 500 there. validate_photo and
        # PhotoFieldFile.save() refuse the file; until then it has no size. A photo row whose
        # file is missing from storage (a media folder not restored yet) and whose size was
        # never stored is read on every page that shows it: a missing size, not a 500.
        try:
            super().update_dimension_fields(instance, force, *args, **kwargs)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning, OSError):
            setattr(instance, self.width_field, None)
            setattr(instance, self.height_field, None)

    def formfield(self, **kwargs):
        # No limit on the uploaded name's length: the stored name is made short anyway.
        return super().formfield(**{"form_class": PhotoFormField, "max_length": None, **kwargs})
