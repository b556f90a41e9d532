from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from articles.models import ArticleTranslation  # noqa: PLC0415
        from search.index import edition_saved  # noqa: PLC0415

        # Deleting an edition deletes its entry by cascade: only saves need a receiver.
        post_save.connect(
            edition_saved, sender=ArticleTranslation, dispatch_uid="search-edition-saved"
        )
