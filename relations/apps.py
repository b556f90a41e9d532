from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from friendship_site.cache import connect_page_cache_invalidation


class RelationsConfig(AppConfig):
    name = "relations"
    verbose_name = _("Relations desk")

    def ready(self):
        from relations import signals  # noqa: F401, PLC0415 (connects the receivers)

        # Public occasions are in the public calendar feed; the desk's records are not.
        connect_page_cache_invalidation(
            self, exclude=("OccasionDone", "OccasionReminder", "CalendarFeed")
        )
