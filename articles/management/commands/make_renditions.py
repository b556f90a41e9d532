"""Make the responsive renditions of every photo: after an import, or in deployment, so
that no reader waits for Pillow. Photos that have them are skipped, so it can run again."""

from django.core.management.base import BaseCommand

from articles.models import Photo
from articles.renditions import get_or_create_renditions


class Command(BaseCommand):
    help = "Make the WebP and JPEG renditions of every photo that does not have them yet."

    def handle(self, **options):
        made, existing, failed = 0, 0, []
        for photo in Photo.objects.exclude(image="").order_by("pk").iterator():
            items, created = get_or_create_renditions(photo)
            if not items:
                failed.append(photo.pk)
            elif created:
                made += 1
            else:
                existing += 1
        self.stdout.write(f"Renditions made for {made} photos, already there for {existing}.")
        if failed:
            # Not an error exit: one broken upload must not stop a deployment.
            self.stderr.write(
                f"No renditions for {len(failed)} photos (see the log): "
                + ", ".join(map(str, failed))
            )
