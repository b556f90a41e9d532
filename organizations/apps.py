from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from friendship_site.cache import connect_page_cache_invalidation
from friendship_site.text import connect_text_normalization


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations")

    def ready(self):
        connect_text_normalization(self)
        connect_page_cache_invalidation(self)
