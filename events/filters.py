import django_filters
from django.utils.translation import gettext_lazy as _

from events.models import ActivityType
from friendship_site.i18n import translated_choices
from organizations.models import Country


class ActivityFilter(django_filters.FilterSet):
    """The reader's filters on the events list; unknown values make the form invalid."""

    type = django_filters.ChoiceFilter(
        label=_("Type"), field_name="activity_type", choices=ActivityType.choices
    )
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="starts_on", lookup_expr="year", min_value=1990, max_value=2100
    )
    country = django_filters.ChoiceFilter(label=_("Country"), method="filter_country")

    def __init__(self, data=None, queryset=None, *, language, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.countries = {
            code.lower(): choice
            for code, choice in translated_choices(Country, language, key="master__code").items()
        }
        self.filters["country"].extra["choices"] = [
            (code, name) for code, (_pk, name) in self.countries.items()
        ]

    def filter_country(self, queryset, name, value):
        return queryset.filter(countries=self.countries[value][0])
