from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationDeskConfig(AppConfig):
    name = "translation_desk"
    verbose_name = _("Translation desk")
