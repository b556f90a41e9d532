from io import BytesIO, StringIO

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.template import engines
from django.utils import translation
from PIL import ExifTags, Image, ImageCms
from pytest_django.asserts import assertHTMLEqual

from articles import renditions as renditions_module
from articles.renditions import renditions
from tests.factories import PhotoFactory, jpeg_file

pytestmark = pytest.mark.django_db


def image_file(image, name="photo.jpg", **options):
    buffer = BytesIO()
    image.save(buffer, format=name.rsplit(".", 1)[1].replace("jpg", "jpeg"), **options)
    return ContentFile(buffer.getvalue(), name=name)


def open_stored(name):
    with default_storage.open(name) as file:
        image = Image.open(file)
        image.load()
        return image


def photo_img(photo, arguments=""):
    template = engines["django"].from_string(
        "{% load photos %}{% photo_img photo " + arguments + " %}"
    )
    return template.render({"photo": photo}).strip()


def test_renditions_are_made_at_the_fixed_widths_narrower_than_the_original():
    photo = PhotoFactory(image=jpeg_file(size=(2000, 1000)))

    sizes = [(item.width, item.height) for item in renditions(photo)]

    assert sizes == [(480, 240), (800, 400), (1200, 600), (1600, 800)]


@pytest.mark.parametrize(
    ("original", "widths"), [((1000, 500), [480, 800, 1000]), ((300, 200), [300])]
)
def test_renditions_are_never_wider_than_the_original(original, widths):
    photo = PhotoFactory(image=jpeg_file(size=original))

    assert [item.width for item in renditions(photo)] == widths


def test_rendition_files_are_webp_and_jpeg_images_of_their_size():
    photo = PhotoFactory(image=jpeg_file(size=(1000, 500)))

    files = [
        (open_stored(item.webp), open_stored(item.jpeg), (item.width, item.height))
        for item in renditions(photo)
    ]

    assert [(webp.format, jpeg.format, webp.size, jpeg.size) for webp, jpeg, _ in files] == [
        ("WEBP", "JPEG", size, size) for _, _, size in files
    ]


def test_renditions_carry_no_exif_nor_gps():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Camera maker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (10.0, 58.0, 0.0),
    }
    original = image_file(Image.new("RGB", (600, 400), "green"), exif=exif)
    assert Image.open(original).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test's premise
    photo = PhotoFactory(image=original)

    stored = [open_stored(name) for item in renditions(photo) for name in (item.webp, item.jpeg)]

    assert [
        (dict(image.getexif()), "exif" in image.info, "xmp" in image.info) for image in stored
    ] == [({}, False, False)] * 4


def test_renditions_keep_the_colour_profile():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo = PhotoFactory(image=image_file(Image.new("RGB", (600, 400)), icc_profile=profile))

    item = renditions(photo)[0]

    assert [open_stored(name).info.get("icc_profile") for name in (item.webp, item.jpeg)] == [
        profile,
        profile,
    ]


def test_renditions_apply_the_exif_orientation():
    # Stored on its side, left half red: EXIF orientation 6 turns it a quarter clockwise,
    # so readers see a portrait, red on top.
    sideways = Image.new("RGB", (1000, 500), "blue")
    sideways.paste("red", (0, 0, 500, 500))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    photo = PhotoFactory(image=image_file(sideways, exif=exif))

    largest = open_stored(renditions(photo)[-1].jpeg)

    assert largest.size == (500, 1000)
    assert largest.getpixel((250, 100))[0] > 200
    assert largest.getpixel((250, 900))[2] > 200


def test_renditions_are_not_made_again_once_stored(monkeypatch):
    photo = PhotoFactory(image=jpeg_file(size=(1000, 500)))
    calls = []
    make = renditions_module._make
    monkeypatch.setattr(renditions_module, "_make", lambda *args: calls.append(args) or make(*args))
    first = renditions(photo)
    cache.clear()  # from the storage this time, as in another process

    second = renditions(photo)

    assert (second, len(calls)) == (first, 1)


def test_renditions_are_made_again_for_a_new_image():
    photo = PhotoFactory(image=jpeg_file(size=(1000, 500)))
    before = renditions(photo)
    photo.image = jpeg_file(size=(600, 300))
    photo.save()

    after = renditions(photo)

    assert [item.width for item in after] == [480, 600]
    assert {item.jpeg for item in after}.isdisjoint(item.jpeg for item in before)


def test_photo_img_prints_a_picture_of_webp_and_jpeg_renditions():
    photo = PhotoFactory(image=jpeg_file(size=(2000, 1000)), alt_text="Delegation at the airport")
    items = renditions(photo)

    html = photo_img(photo, 'sizes="50vw" css_class="lead"')

    webp = ", ".join(f"{item.webp_url} {item.width}w" for item in items)
    jpeg = ", ".join(f"{item.jpeg_url} {item.width}w" for item in items)
    assertHTMLEqual(
        html,
        f"""<picture>
          <source type="image/webp" srcset="{webp}" sizes="50vw">
          <img src="{items[1].jpeg_url}" srcset="{jpeg}" sizes="50vw" width="800" height="400"
            alt="Delegation at the airport" class="lead" loading="lazy" decoding="async">
        </picture>""",
    )


def test_photo_img_above_the_fold_loads_eagerly_and_first():
    photo = PhotoFactory(image=jpeg_file(size=(1000, 500)))

    html = photo_img(photo, "lazy=False")

    assert 'loading="eager" fetchpriority="high"' in html


def test_photo_img_alt_text_is_in_the_current_language():
    photo = PhotoFactory(image=jpeg_file(), alt_text="Delegation at the airport")
    photo.set_current_language("vi")
    photo.alt_text = "Đoàn đại biểu tại sân bay"
    photo.save()
    translation.activate("vi")

    html = photo_img(photo)

    assert 'alt="Đoàn đại biểu tại sân bay"' in html


def test_photo_img_alt_text_is_empty_without_one_in_the_current_language():
    photo = PhotoFactory(image=jpeg_file(), alt_text="Delegation at the airport")
    translation.activate("zh-hans")

    html = photo_img(photo)

    assert 'alt=""' in html


def test_photo_img_of_a_decorative_photo_has_an_empty_alt_text():
    photo = PhotoFactory(image=jpeg_file(), alt_text="Delegation at the airport")

    html = photo_img(photo, "decorative=True")

    assert 'alt=""' in html


def test_photo_url_is_the_widest_jpeg_rendition_within_the_width():
    photo = PhotoFactory(image=jpeg_file(size=(2000, 1000)))
    template = engines["django"].from_string(
        "{% load photos %}{% photo_url photo 1000 as url %}{{ url }}"
    )

    url = template.render({"photo": photo})

    assert url == renditions(photo)[1].jpeg_url


def test_photo_img_of_no_photo_prints_nothing():
    assert photo_img(None) == ""


def test_photo_img_of_a_missing_file_prints_nothing_and_logs(caplog):
    photo = PhotoFactory(image=jpeg_file())
    default_storage.delete(photo.image.name)

    html = photo_img(photo)

    assert html == ""
    assert [record.getMessage() for record in caplog.records] == [
        f"No renditions for photo {photo.pk}: {photo.image.name} is missing"
    ]


def test_renditions_of_an_unreadable_file_are_none_and_logged(caplog):
    # Uploads are checked (articles/uploads.py): a file damaged in the storage since.
    photo = PhotoFactory(image=jpeg_file())
    default_storage.delete(photo.image.name)
    default_storage.save(photo.image.name, ContentFile(b"not a picture"))

    assert renditions(photo) == []
    assert [record.getMessage() for record in caplog.records] == [
        f"No renditions for photo {photo.pk} ({photo.image.name})"
    ]


# As in production, where Pillow's warning is no error.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_renditions_refuse_a_decompression_bomb(monkeypatch, caplog):
    photo = PhotoFactory(image=jpeg_file(size=(100, 100)))
    # 10,000 pixels: above this limit, below twice it, where Pillow would only warn.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 6000)

    assert renditions(photo) == []
    assert [record.exc_info[0] for record in caplog.records] == [Image.DecompressionBombError]


def test_photo_img_never_sends_a_large_original():
    photo = PhotoFactory(image=jpeg_file(size=(4000, 3000)))

    html = photo_img(photo)

    assert photo.image.url not in html
    assert [item.width for item in renditions(photo)] == [480, 800, 1200, 1600]


def test_renditions_of_a_transparent_png_are_laid_on_white():
    transparent = Image.new("RGBA", (600, 400), (255, 0, 0, 0))
    photo = PhotoFactory(image=image_file(transparent, name="logo.png"))

    item = renditions(photo)[-1]

    assert [
        (image.mode, image.getpixel((10, 10))) for image in map(open_stored, (item.webp, item.jpeg))
    ] == [
        ("RGB", (255, 255, 255)),
        ("RGB", (255, 255, 255)),
    ]


def test_make_renditions_command_makes_what_is_missing_once():
    PhotoFactory.create_batch(2)
    outputs = []

    for _ in range(2):
        out = StringIO()
        call_command("make_renditions", stdout=out)
        outputs.append(out.getvalue().strip())

    assert outputs == [
        "Renditions made for 2 photos, already there for 0.",
        "Renditions made for 0 photos, already there for 2.",
    ]
