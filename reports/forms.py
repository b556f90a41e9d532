from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.exporters import FORMATS

# A summary of a year before the union's records, or far ahead, is a typing mistake.
FIRST_YEAR = 1950
LAST_YEAR = 2100


class YearlySummaryForm(forms.Form):
    """The year, language and (for downloads) format of a summary: the admin page's
    pickers, and the validation of the management command's arguments."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    language = forms.ChoiceField(label=_("Report language"), choices=settings.LANGUAGES)
    format = forms.ChoiceField(
        label=_("Format"), choices=[(name, name.upper()) for name in FORMATS], required=False
    )

    @staticmethod
    def initial_values():
        return {"year": timezone.localdate().year - 1, "language": settings.LANGUAGE_CODE}
