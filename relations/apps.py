from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationsConfig(AppConfig):
    name = "relations"
    verbose_name = _("Relations desk")

    def ready(self):
        from relations import signals  # noqa: F401, PLC0415 (connects the receivers)
