import django_filters
from django.utils.translation import gettext_lazy as _

from articles.models import Category
from friendship_site.i18n import translated_choices
from organizations.models import Country, MemberAssociation, PartnerLocality


class ArticleFilter(django_filters.FilterSet):
    """The reader's filters on the news list (a queryset of editions). Values are slugs in
    the reader's language (and ISO codes for countries); an unknown value makes the form
    invalid (a 400 page that says so), never a 500."""

    category = django_filters.ChoiceFilter(label=_("Category"), method="filter_category")
    year = django_filters.NumberFilter(
        label=_("Year"), method="filter_year", min_value=1990, max_value=2100
    )
    country = django_filters.ChoiceFilter(label=_("Country"), method="filter_country")
    locality = django_filters.ChoiceFilter(label=_("Partner locality"), method="filter_locality")
    association = django_filters.ChoiceFilter(
        label=_("Member association"), method="filter_association"
    )

    def __init__(self, data=None, queryset=None, *, language, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.choices = {
            "category": translated_choices(Category, language, order_by="master__position"),
            "locality": translated_choices(PartnerLocality, language),
            "association": translated_choices(MemberAssociation, language),
            "country": {
                code.lower(): choice
                for code, choice in translated_choices(
                    Country, language, key="master__code"
                ).items()
            },
        }
        for name, objects in self.choices.items():
            self.filters[name].extra["choices"] = [
                (key, label) for key, (_pk, label) in objects.items()
            ]

    def _pk(self, name, value):
        return self.choices[name][value][0]

    def filter_category(self, queryset, name, value):
        return queryset.in_category(self._pk("category", value))

    def filter_year(self, queryset, name, value):
        return queryset.published_in(int(value))

    def filter_country(self, queryset, name, value):
        return queryset.filter(master__countries=self._pk("country", value))

    def filter_locality(self, queryset, name, value):
        return queryset.filter(master__localities=self._pk("locality", value))

    def filter_association(self, queryset, name, value):
        return queryset.filter(master__associations=self._pk("association", value))
