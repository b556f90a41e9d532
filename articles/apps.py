from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from articles.roles import sync_roles
from friendship_site.cache import connect_page_cache_invalidation
from friendship_site.text import connect_text_normalization


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        connect_text_normalization(self)
        # The desk's own records change no reader's page.
        connect_page_cache_invalidation(
            self,
            exclude=(
                "Notification",
                "EditionEvent",
                "TranslationAssignment",
                "HistoricalArticleTranslation",
            ),
        )
        # After every migrate (and every flush of a test database) the roles match the
        # table in articles/roles.py; articles comes after the apps whose permissions they
        # use, so those permissions exist by then.
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="articles-sync-roles")
