from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from friendship_site.text import connect_text_normalization


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        connect_text_normalization(self)
