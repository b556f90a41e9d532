"""Strip EXIF/GPS/XMP from photos stored before uploads were checked (articles/uploads.py):
once, after upgrading. Photos already clean are left as they are, so it can run again."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand

from articles.models import Photo
from articles.uploads import check_image, without_metadata


class Command(BaseCommand):
    help = "Remove camera data, GPS positions and comments from stored photo originals."

    def handle(self, **options):
        stripped, clean, unreadable = 0, 0, []
        for photo in Photo.objects.exclude(image="").order_by("pk").iterator():
            storage, name = photo.image.storage, photo.image.name
            try:
                with storage.open(name) as stored:
                    content = ContentFile(stored.read(), name=name)
                cleaned = without_metadata(content, check_image(content))
            except (OSError, ValidationError):
                unreadable.append(photo.pk)
                continue
            if cleaned is None or cleaned == content.read():
                clean += 1
                continue
            # Same name: the renditions and the pages keep pointing at it.
            storage.delete(name)
            storage.save(name, ContentFile(cleaned))
            stripped += 1
        self.stdout.write(f"Metadata removed from {stripped} photos; {clean} were clean.")
        if unreadable:
            # Not an error exit: one missing or broken file must not stop the others.
            self.stderr.write(
                f"{len(unreadable)} photos could not be read: " + ", ".join(map(str, unreadable))
            )
