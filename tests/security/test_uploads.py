"""Hostile uploads: only real pictures are stored, under a safe name, without metadata.

Every file is made here, in the test: no crafted binaries in the repository.
"""

import struct
import zlib
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image, PngImagePlugin

from articles import uploads
from articles.models import Photo
from articles.renditions import renditions
from reports.exporters import weasyprint_html
from tests.factories import PhotoFactory

pytestmark = pytest.mark.django_db

GPS_INFO = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (10.0, 58.0, 1.5),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (106.0, 39.0, 2.25),
}
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)


def encoded(image, format="JPEG", **options):
    buffer = BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


def picture(size=(64, 48)):
    """A picture with some detail, so a lossy re-encoding would show."""
    image = Image.new("RGB", size, (200, 30, 30))
    for x in range(0, size[0], 4):
        image.putpixel((x, x * size[1] // size[0]), (10, 200, 90))
    return image


def camera_exif(orientation=None):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "NewsCam"
    exif[ExifTags.Base.BodySerialNumber] = "SN-123456"
    exif[ExifTags.Base.GPSInfo] = GPS_INFO
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    return exif


def camera_jpeg(orientation=None, size=(64, 48)):
    """A JPEG as a phone writes it: EXIF with a GPS position, XMP, a comment."""
    return encoded(
        picture(size), exif=camera_exif(orientation), xmp=XMP, comment=b"Home of the source"
    )


def png_with_dimensions(width, height):
    """A small, valid PNG whose header says it is ``width`` × ``height`` pixels (its
    checksum made right, so only the size can make it be refused)."""
    data = bytearray(encoded(Image.new("L", (8, 8)), "PNG"))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def refusal(content, name="photo.jpg"):
    """The error code of ``Photo.image`` for ``content``, as full_clean() gives it."""
    photo = Photo(image=ContentFile(content, name=name))
    with pytest.raises(ValidationError) as error:
        photo.full_clean()
    return [item.code for item in error.value.error_dict["image"]]


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def open_stored(name):
    with default_storage.open(name) as file:
        image = Image.open(BytesIO(file.read()))
        image.load()
        return image


def stored_bytes(name):
    with default_storage.open(name) as file:
        return file.read()


# What is refused, and why.


@pytest.mark.parametrize(
    "content",
    [
        b"<?php system($_GET['c']); ?>",
        b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>",
        b"\xff\xd8\xff\xe0 not really a JPEG",
    ],
    ids=["php", "html", "jpeg-magic-only"],
)
def test_file_that_is_not_a_picture_is_refused_whatever_its_name(content):
    assert refusal(content, name="photo.jpg") == ["not_an_image"]


def test_truncated_jpeg_is_refused():
    jpeg = encoded(picture((400, 300)), quality=95)

    assert refusal(jpeg[: len(jpeg) // 2]) == ["not_an_image"]


def test_picture_in_a_format_not_accepted_is_refused():
    # TIFF: Pillow reads it, the site does not take it (nor BMP, PSD, EPS…).
    assert refusal(encoded(picture(), "TIFF"), name="photo.tif") == ["not_an_image"]


@pytest.mark.parametrize("name", ["drawing.svg", "drawing.png"])
def test_svg_is_refused_as_such_whatever_its_name(name):
    assert refusal(SVG_WITH_SCRIPT, name=name) == ["svg"]


@pytest.mark.parametrize(
    "size",
    [(20_000, 20_000), (10_000, 9_000)],
    ids=["beyond-pillows-limit", "between-ours-and-pillows"],
)
def test_decompression_bomb_is_refused_before_decoding(size):
    assert refusal(png_with_dimensions(*size), name="bomb.png") == ["too_many_pixels"]


# As in production, where Pillow's warning is no error: our own limit must refuse it.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_decompression_bomb_is_refused_when_pillow_only_warns():
    assert refusal(png_with_dimensions(10_000, 9_000), name="bomb.png") == ["too_many_pixels"]


def test_picture_over_the_pixel_limit_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PIXELS", 64 * 48 - 1)

    assert refusal(encoded(picture((64, 48)))) == ["too_many_pixels"]


def test_file_over_the_size_limit_is_refused(monkeypatch):
    jpeg = encoded(picture())
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", len(jpeg) - 1)

    assert refusal(jpeg) == ["file_too_large"]


def test_saving_without_full_clean_refuses_a_bad_file_and_stores_nothing():
    # A script or an import may skip full_clean(): storing the file checks it anyway.
    with pytest.raises(ValidationError), transaction.atomic():
        PhotoFactory(image=ContentFile(b"<?php echo 1; ?>", name="photo.jpg"))

    assert Photo.objects.count() == 0
    assert stored_files() == []


def test_storing_a_file_directly_refuses_a_bad_file():
    photo = PhotoFactory()

    with pytest.raises(ValidationError):
        photo.image.save("photo.jpg", ContentFile(SVG_WITH_SCRIPT))


def test_svg_refusal_message_names_svg():
    with pytest.raises(ValidationError) as error:
        uploads.check_image(ContentFile(SVG_WITH_SCRIPT, name="drawing.svg"))

    assert "SVG" in error.value.messages[0]


# What is accepted, and how it is stored.


@pytest.mark.parametrize(
    ("format", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("GIF", "gif")]
)
def test_accepted_formats_are_stored_with_the_extension_of_their_content(format, extension):
    photo = Photo(image=ContentFile(encoded(picture(), format), name="upload.jpg"))
    photo.full_clean()
    photo.save()

    assert photo.image.name.endswith(f"/upload.{extension}")
    assert open_stored(photo.image.name).format == format


def test_gif_polyglot_is_stored_without_what_follows_the_picture():
    # A real GIF with a web page after its end (and in a comment): a browser sniffing
    # content would take it for HTML.
    payload = b"<html><script>alert(document.cookie)</script></html>"
    gif = encoded(picture(), "GIF", comment=payload) + payload

    photo = PhotoFactory(image=ContentFile(gif, name="photo.jpg"))

    assert photo.image.name.endswith(".gif")
    assert b"<script" not in stored_bytes(photo.image.name)
    assert open_stored(photo.image.name).size == (64, 48)


def test_animated_gif_keeps_its_frames():
    frames = [Image.new("RGB", (16, 16), colour) for colour in ("red", "green", "blue")]
    gif = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert Image.open(BytesIO(gif)).n_frames == 3

    photo = PhotoFactory(image=ContentFile(gif, name="animation.gif"))

    stored = open_stored(photo.image.name)
    assert (stored.n_frames, stored.info["duration"]) == (3, 100)


def test_jpeg_polyglot_is_stored_without_what_follows_the_picture():
    payload = b"<?php system($_GET['c']); ?>"

    photo = PhotoFactory(image=ContentFile(encoded(picture()) + payload, name="photo.php.jpg"))

    assert payload not in stored_bytes(photo.image.name)


@pytest.mark.parametrize(
    ("uploaded_name", "stored_name"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("..\\..\\windows\\win.ini.jpg", "win-ini.jpg"),
        ("<script>.jpg", "script.jpg"),
        ('"><img src=x onerror=alert(1)>.jpg', "img-src-x-onerror-alert-1.jpg"),
        ("ảnh đẹp 2025.JPG", "anh-dep-2025.jpg"),
        ("平阳省.jpg", "ping-yang-sheng.jpg"),
        ("photo\x00.php.jpg", "photo-php.jpg"),
        ("line\nbreak\r.jpg", "line-break.jpg"),
        (".jpg", "jpg.jpg"),
        ("...", "photo.jpg"),
        ("a" * 300 + ".jpg", "a" * uploads.MAX_STEM_LENGTH + ".jpg"),
    ],
)
def test_stored_name_is_a_safe_slug_in_the_months_folder(uploaded_name, stored_name):
    photo = Photo(image=ContentFile(encoded(picture()), name=uploaded_name))
    photo.full_clean()
    photo.save()

    assert photo.image.name == timezone.localtime().strftime("photos/%Y/%m/") + stored_name
    assert stored_files() == [photo.image.name]


def test_stored_original_has_no_gps_camera_xmp_nor_comment():
    photo = PhotoFactory(image=ContentFile(camera_jpeg(), name="photo.jpg"))

    original = open_stored(photo.image.name)

    assert dict(original.getexif()) == {}
    assert not {"exif", "xmp", "comment"} & original.info.keys()


def test_stored_original_keeps_its_orientation_only():
    photo = PhotoFactory(image=ContentFile(camera_jpeg(orientation=6), name="photo.jpg"))

    exif = open_stored(photo.image.name).getexif()

    assert dict(exif) == {ExifTags.Base.Orientation: 6}
    assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}


def test_stripping_a_jpeg_changes_no_pixel():
    jpeg = camera_jpeg()
    photo = PhotoFactory(image=ContentFile(jpeg, name="photo.jpg"))

    stored = open_stored(photo.image.name)

    assert stored.tobytes() == Image.open(BytesIO(jpeg)).tobytes()


def test_stored_png_has_no_text_nor_exif_and_the_same_pixels():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Source name")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    image = picture()
    photo = PhotoFactory(
        image=ContentFile(encoded(image, "PNG", pnginfo=info, exif=camera_exif()), name="a.png")
    )

    stored = open_stored(photo.image.name)

    assert dict(stored.getexif()) == {}
    assert not {"Author", "XML:com.adobe.xmp", "exif"} & stored.info.keys()
    assert stored.tobytes() == image.tobytes()


def test_stored_webp_has_no_exif_nor_xmp():
    webp = encoded(picture(), "WEBP", exif=camera_exif(), xmp=XMP)

    photo = PhotoFactory(image=ContentFile(webp, name="photo.webp"))

    stored = open_stored(photo.image.name)
    assert dict(stored.getexif()) == {}
    assert not {"exif", "xmp"} & stored.info.keys()


def test_renditions_carry_no_exif_gps_nor_xmp():
    photo = PhotoFactory(image=ContentFile(camera_jpeg(size=(1000, 750)), name="photo.jpg"))

    made = renditions(photo)

    assert made
    for rendition in made:
        for name in (rendition.webp, rendition.jpeg):
            image = open_stored(name)
            assert dict(image.getexif()) == {}
            assert not {"exif", "xmp", "comment"} & image.info.keys()


def test_renditions_are_turned_by_the_orientation_the_original_kept():
    # Orientation 6: the camera was turned a quarter; the stored pixels are 64 × 48.
    photo = PhotoFactory(image=ContentFile(camera_jpeg(orientation=6), name="photo.jpg"))

    (rendition,) = renditions(photo)

    assert (rendition.width, rendition.height) == (48, 64)
    assert dict(open_stored(rendition.jpeg).getexif()) == {}


def test_caption_edit_does_not_read_the_stored_file_again(monkeypatch):
    photo = PhotoFactory()
    monkeypatch.setattr(uploads, "check_image", lambda file: pytest.fail("file read again"))

    photo.caption = "New caption"
    photo.full_clean()
    photo.save()


# Through the admin, as an editor.


@pytest.fixture
def editor_client(client, newsroom):
    client.force_login(newsroom["editor"])
    return client


def post_photo(client, name, content):
    return client.post(
        reverse("admin:articles_photo_add"),
        {"image": SimpleUploadedFile(name, content), "caption": "Caption"},
    )


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("photo.jpg", b"<?php system($_GET['c']); ?>", "not_an_image"),
        ("drawing.svg", SVG_WITH_SCRIPT, "svg"),
        ("photo.jpg", encoded(picture((400, 300)))[:500], "not_an_image"),
        ("bomb.png", png_with_dimensions(20_000, 20_000), "too_many_pixels"),
        ("a" * 300 + ".jpg", b"GIF89a" + b"<script>alert(1)</script>", "not_an_image"),
    ],
    ids=["php", "svg", "truncated", "bomb", "long-name"],
)
def test_admin_gives_the_form_back_with_the_error(editor_client, name, content, code):
    response = post_photo(editor_client, name, content)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["image"]] == [code]
    assert Photo.objects.count() == 0
    assert stored_files() == []


def test_admin_refuses_a_file_over_the_size_limit(editor_client, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 100)

    response = post_photo(editor_client, "photo.jpg", camera_jpeg())

    assert response.status_code == 200
    assert Photo.objects.count() == 0


def test_admin_takes_a_long_file_name_and_shortens_it(editor_client):
    # Django's own form field would refuse a name over 100 characters.
    response = post_photo(editor_client, "a" * 300 + ".jpg", encoded(picture()))

    assert response.status_code == 302
    assert Photo.objects.get().image.name.endswith("/" + "a" * uploads.MAX_STEM_LENGTH + ".jpg")


def test_admin_stores_a_good_photo_stripped_under_a_safe_name(
    editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_photo(editor_client, "../ảnh đẹp.JPG", camera_jpeg(size=(600, 400)))

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.image.name == timezone.localtime().strftime("photos/%Y/%m/anh-dep.jpg")
    assert dict(open_stored(photo.image.name).getexif()) == {}
    assert (photo.width, photo.height) == (600, 400)
    assert len(photo.rendition_manifest["items"]) == 2  # made on upload: 480 and 600


def test_photo_whose_file_is_missing_and_size_unknown_still_loads(db):
    photo = PhotoFactory()
    Photo.objects.filter(pk=photo.pk).update(width=None, height=None)
    Path(photo.image.path).unlink()

    loaded = Photo.objects.get(pk=photo.pk)

    assert (loaded.width, loaded.height) == (None, None)


def test_truncated_jpeg_is_refused_after_the_pdf_export_loaded_weasyprint():
    # Importing WeasyPrint switches on Pillow's LOAD_TRUNCATED_IMAGES for the whole process.
    weasyprint_html()
    jpeg = encoded(picture((400, 300)), quality=95)

    assert refusal(jpeg[: len(jpeg) // 2]) == ["not_an_image"]


def test_strip_photo_metadata_cleans_photos_stored_before_the_checks():
    photo = PhotoFactory()
    # As a photo stored by an earlier version: the camera's file as it came.
    name = default_storage.save("photos/2024/05/old.jpg", ContentFile(camera_jpeg()))
    Photo.objects.filter(pk=photo.pk).update(image=name)

    call_command("strip_photo_metadata", stdout=StringIO())

    original = open_stored(name)
    assert dict(original.getexif()) == {}
    assert Photo.objects.get(pk=photo.pk).image.name == name


def test_strip_photo_metadata_leaves_clean_photos_alone():
    PhotoFactory(image=ContentFile(camera_jpeg(), name="photo.jpg"))
    output = StringIO()

    call_command("strip_photo_metadata", stdout=output)

    assert "from 0 photos; 1 were clean" in output.getvalue()
