import django_filters
from django.utils.translation import gettext_lazy as _

from articles.models import Category
from organizations.models import Country, MemberAssociation, PartnerLocality


class ArticleFilter(django_filters.FilterSet):
    """The reader's filters on the news list. Values are slugs in the reader's language
    (and ISO codes for countries); an unknown value makes the form invalid (a 400 page that
    says so), never a 500."""

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
        self.language = language
        self.choices = {
            "category": self._translated(Category),
            "locality": self._translated(PartnerLocality),
            "association": self._translated(MemberAssociation),
            "country": {
                country.code.lower(): country
                for country in Country.objects.translated(language).language(language)
            },
        }
        for name, objects in self.choices.items():
            self.filters[name].extra["choices"] = [(key, str(obj)) for key, obj in objects.items()]

    def _translated(self, model):
        objects = model.objects.translated(self.language).language(self.language)
        return {obj.slug: obj for obj in objects.prefetch_related("translations")}

    def filter_category(self, queryset, name, value):
        return queryset.in_category(self.choices["category"][value])

    def filter_year(self, queryset, name, value):
        return queryset.published_in(int(value))

    def filter_country(self, queryset, name, value):
        return queryset.filter(countries=self.choices["country"][value])

    def filter_locality(self, queryset, name, value):
        return queryset.filter(localities=self.choices["locality"][value])

    def filter_association(self, queryset, name, value):
        return queryset.filter(associations=self.choices["association"][value])
