"""The search index: one entry per article edition, holding its text in searchable form.

Whether the edition may be found (published, its time come) is not stored here: a search
joins the readers' query of articles, so scheduling or unpublishing needs no reindexing.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import ArticleTranslation


class SearchEntry(models.Model):
    """The words of one edition (see search/text.py), kept in step on every save."""

    edition = models.OneToOneField(
        ArticleTranslation,
        verbose_name=_("article edition"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_entry",
    )
    # A copy of the edition's language, so that the search filters one table.
    language_code = models.CharField(_("language"), max_length=15)
    title = models.TextField(_("title words"))
    document = models.TextField(_("lead and body words"))
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        # On PostgreSQL, migration 0002 adds a generated text-search vector of title and
        # document, and 0004 one GIN index on it per language, which serve the search.
        indexes = [
            # The newest entries of a language, newest first: where a search starts
            # looking for a common word (search.index._candidates_postgresql).
            models.Index(fields=["language_code", "edition"], name="search_entry_newest"),
        ]

    def __str__(self):
        return f"{self.title.strip()[:80]} [{self.language_code}]"
