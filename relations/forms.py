from django import forms
from django.core.exceptions import ValidationError
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.models import Country, PartnerLocality
from relations import calendar
from relations.models import Occasion, OccasionKind

FIRST_YEAR, LAST_YEAR = 1900, 2200


class CalendarView(forms.Form):
    """What the staff calendar shows: a month or a year, of which occasions.

    Bound to the page's query string over defaults (this month, all occasions), so that a
    bad value is a form error on the page rather than a failed request.
    """

    MONTH, YEAR = "month", "year"

    view = forms.ChoiceField(
        label=_("View"),
        choices=[(MONTH, pgettext_lazy("calendar view", "Month")), (YEAR, _("Year"))],
    )
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    month = forms.IntegerField(
        label=pgettext_lazy("calendar view", "Month"), min_value=1, max_value=12
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.prefetch_related("translations"),
        required=False,
        empty_label=_("All countries"),
    )
    locality = forms.ModelChoiceField(
        label=_("Partner locality"),
        queryset=PartnerLocality.objects.prefetch_related("translations"),
        required=False,
        empty_label=_("All partner localities"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *OccasionKind.choices], required=False
    )

    def __init__(self, query, *, today):
        values = {"view": self.MONTH, "year": today.year, "month": today.month}
        values.update(query.items())
        super().__init__(values)

    def occasions(self):
        return calendar.filtered(
            Occasion.objects.all(),
            country=self.cleaned_data["country"],
            locality=self.cleaned_data["locality"],
            kind=self.cleaned_data["kind"],
        )

    def query_for(self, **changes):
        """This view's query string with ``changes`` (previous and next, month or year)."""
        values = {
            name: self.data.get(name, "")
            for name in ["view", "year", "month", "country", "locality", "kind"]
        }
        values.update(changes)
        return "?" + urlencode({name: value for name, value in values.items() if value})


class DoneMark(forms.Form):
    """Ticks (or unticks) "done this year" for one occurrence."""

    occasion = forms.ModelChoiceField(queryset=Occasion.objects.all())
    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    done = forms.BooleanField(required=False)

    def clean(self):
        cleaned = super().clean()
        occasion, year = cleaned.get("occasion"), cleaned.get("year")
        if occasion and year and occasion.occurrence_in(year) is None:
            raise ValidationError(
                _("%(occasion)s does not fall in %(year)s."),
                params={"occasion": occasion, "year": year},
            )
        return cleaned

    def save(self, *, by):
        occasion, year = self.cleaned_data["occasion"], self.cleaned_data["year"]
        if self.cleaned_data["done"]:
            occasion.mark_done(year, by)
        else:
            occasion.unmark_done(year)
