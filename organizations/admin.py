from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from parler.admin import TranslatableAdmin

from friendship_site.admin import PrefetchingAdminMixin, TranslatedRelatedFieldListFilter
from organizations.models import (
    CooperationAgreement,
    Country,
    ForeignNGO,
    FriendshipUnion,
    MemberAssociation,
    PartnerLocality,
)


@admin.register(Country)
class CountryAdmin(PrefetchingAdminMixin, TranslatableAdmin):
    list_display = ["code", "__str__", "language_column"]
    search_fields = ["code", "translations__name"]


@admin.register(FriendshipUnion)
class FriendshipUnionAdmin(PrefetchingAdminMixin, TranslatableAdmin):
    list_display = ["__str__", "code", "is_home", "parent", "member_count", "language_column"]
    list_prefetch_related = ["parent__translations"]
    list_filter = ["is_home"]
    search_fields = ["code", "translations__name", "translations__short_name"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "code", "is_home", "parent"]}),
        (_("Identity"), {"fields": ["motto", "description", "president_name", "founded_on"]}),
        (_("Members"), {"fields": ["member_count", "member_count_as_of"]}),
        (_("Contact"), {"fields": ["hotline", "email", "website", "address"]}),
        (_("Emulation"), {"fields": ["emulation_cluster", "emulation_block"]}),
    ]


@admin.register(MemberAssociation)
class MemberAssociationAdmin(PrefetchingAdminMixin, TranslatableAdmin):
    list_display = ["__str__", "union", "status", "member_count", "founded_on", "language_column"]
    list_filter = [
        "status",
        ("union", TranslatedRelatedFieldListFilter),
        ("countries", TranslatedRelatedFieldListFilter),
    ]
    list_prefetch_related = ["union__translations"]
    search_fields = ["translations__name", "translations__chair_name"]
    autocomplete_fields = ["countries"]
    fields = [
        "name",
        "slug",
        "union",
        "status",
        "countries",
        "chair_name",
        "member_count",
        "founded_on",
        "description",
    ]


class CooperationAgreementInline(admin.TabularInline):
    model = CooperationAgreement
    extra = 0


@admin.register(PartnerLocality)
class PartnerLocalityAdmin(PrefetchingAdminMixin, TranslatableAdmin):
    list_display = ["__str__", "country", "kind", "cooperation_since", "language_column"]
    list_filter = [("country", TranslatedRelatedFieldListFilter), "kind"]
    search_fields = ["translations__name"]
    list_prefetch_related = ["country__translations", "agreements"]
    fields = ["name", "slug", "country", "kind", "website", "description"]
    inlines = [CooperationAgreementInline]

    @admin.display(description=_("cooperating since"))
    def cooperation_since(self, locality):
        agreement = locality.first_agreement()
        return agreement.signed_on_display if agreement else "–"


@admin.register(CooperationAgreement)
class CooperationAgreementAdmin(PrefetchingAdminMixin, admin.ModelAdmin):
    list_display = ["locality", "kind", "signed_on", "signed_on_precision", "source"]
    list_filter = ["kind", ("locality__country", TranslatedRelatedFieldListFilter)]
    list_prefetch_related = ["locality__translations"]
    date_hierarchy = "signed_on"
    autocomplete_fields = ["locality"]


@admin.register(ForeignNGO)
class ForeignNGOAdmin(PrefetchingAdminMixin, TranslatableAdmin):
    list_display = ["__str__", "country", "website", "language_column"]
    list_filter = [("country", TranslatedRelatedFieldListFilter)]
    list_prefetch_related = ["country__translations"]
    search_fields = ["translations__name"]
    autocomplete_fields = ["country"]
