from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from parler.forms import TranslatableModelForm

from articles.models import Article, ArticleTranslation

# The fields every language shares; their edits are locked with Article.shared_version.
SHARED_FIELDS = [
    "source_language",
    "category",
    "tags",
    "lead_photo",
    "activities",
    "localities",
    "associations",
    "countries",
]

# The fields of one language edition that its author writes.
EDITION_FIELDS = [
    "title",
    "slug",
    "lead",
    "body",
    "reporter_credit",
    "translator_credit",
    "source_url",
    "seo_description",
]


class ArticleAdminForm(TranslatableModelForm):
    """The article form of the admin, for one language at a time (parler's tabs).

    It refuses to save over somebody else's newer save: the versions the editor started
    from travel in hidden fields, and are compared with the stored ones under a row lock
    (the admin saves inside a transaction, so the lock holds until the save is done).
    The refused editor keeps their text in the form.
    """

    started_edition_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    started_shared_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    minor_edit = forms.BooleanField(
        label=_("No retranslation needed"),
        required=False,
        help_text=_(
            "A typo or formatting fix: the translations are not marked outdated. "
            "The choice is recorded in the history."
        ),
    )
    source_applied = forms.BooleanField(
        label=_("This translation now follows the current source"),
        required=False,
        help_text=_("Tick when you have brought the changes of the source into it."),
    )

    class Meta:
        model = Article
        # Not status nor publication time: those change only through workflow actions.
        fields = [*EDITION_FIELDS, *SHARED_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        edition = self.stored_edition()
        self.fields["started_edition_version"].initial = edition.version if edition else 0
        self.fields["started_shared_version"].initial = self.instance.shared_version

    def stored_edition(self, lock=False):
        if not self.instance.pk:
            return None
        editions = ArticleTranslation.objects.filter(
            master_id=self.instance.pk, language_code=self.language_code
        ).select_related("last_edited_by")
        if lock:
            editions = editions.select_for_update(of=("self",))
        return editions.first()

    def clean(self):
        cleaned_data = super().clean()
        if not self.instance.pk:
            return cleaned_data
        stored = self.stored_edition(lock=True)
        started_from = cleaned_data.get("started_edition_version") or 0
        if stored is not None and stored.version != started_from:
            self.refuse_conflict(stored.version, stored.last_edited_by, stored.updated_at)
        shared_changed = any(name in self.changed_data for name in SHARED_FIELDS)
        current_shared = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("shared_version", flat=True)
            .first()
        )
        if shared_changed and current_shared != cleaned_data.get("started_shared_version"):
            self.refuse_conflict(None, None, None, shared=current_shared)
        return cleaned_data

    def refuse_conflict(self, edition_version, editor, saved_at, shared=None):
        # Let a deliberate second save go through: the form now carries the stored
        # versions, and the editor has seen the message.
        data = self.data.copy()
        if edition_version is not None:
            data["started_edition_version"] = edition_version
        if shared is not None:
            data["started_shared_version"] = shared
        self.data = data
        message = edit_conflict_message(editor, saved_at)
        raise forms.ValidationError(message, code="edit_conflict")


def edit_conflict_message(editor, saved_at):
    """Why a save was refused: ``editor`` saved the edition at ``saved_at`` (or, without an
    editor, somebody saved the article) since the form was opened."""
    if editor is None:
        return _(
            "Somebody else saved this article while you were editing it. Your text has "
            "not been saved; it is kept below. Check the saved version, then save again."
        )
    return _(
        "%(editor)s saved this edition at %(time)s while you were editing it. "
        "Your text has not been saved; it is kept below. Compare it with the "
        "saved version (open the page in a new tab), then save again."
    ) % {
        "editor": editor.get_full_name() or editor.get_username(),
        "time": formats.date_format(timezone.localtime(saved_at), "DATETIME_FORMAT"),
    }
