import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from search.text import MAX_QUERY_LENGTH


class QueryField(forms.CharField):
    """A reader's query in NFC, with control and other invisible characters (NUL, escape,
    zero-width and bidirectional marks) turned into spaces, and spaces collapsed."""

    def to_python(self, value):
        value = super().to_python(value)
        cleaned = "".join(
            " " if unicodedata.category(char).startswith("C") else char for char in value
        )
        return unicodedata.normalize("NFC", " ".join(cleaned.split()))


class SearchForm(forms.Form):
    q = QueryField(
        label=_("Search the news"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.SearchInput,
        error_messages={
            "max_length": _(
                "Please shorten your search to %(limit_value)d characters (it has %(show_value)d)."
            )
        },
    )
