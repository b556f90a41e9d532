from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from parler.admin import TranslatableAdmin

from events.models import Activity, ReportedFigure
from friendship_site.admin import PrefetchingAdminMixin, TranslatedRelatedFieldListFilter


@admin.register(Activity)
class ActivityAdmin(PrefetchingAdminMixin, TranslatableAdmin):
    list_display = [
        "__str__",
        "activity_type",
        "union_role",
        "date",
        "participants",
        "beneficiaries",
        "language_column",
    ]
    list_filter = [
        "activity_type",
        "union_role",
        "date_precision",
        ("countries", TranslatedRelatedFieldListFilter),
        ("union", TranslatedRelatedFieldListFilter),
    ]
    date_hierarchy = "starts_on"
    search_fields = ["translations__title", "translations__place"]
    autocomplete_fields = ["countries", "localities", "associations", "sponsor"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "union", "activity_type", "union_role"]}),
        (_("When and where"), {"fields": ["starts_on", "ends_on", "date_precision", "place"]}),
        (_("Partners"), {"fields": ["countries", "localities", "associations"]}),
        (
            _("Figures"),
            {"fields": ["participants", "beneficiaries", "scholarships", "amount_vnd"]},
        ),
        (_("Foreign NGO aid"), {"fields": ["sponsor", "aid_usd", "aid_approved"]}),
        (_("Source"), {"fields": ["source"]}),
    ]

    @admin.display(description=_("date"), ordering="starts_on")
    def date(self, activity):
        return activity.date_display


@admin.register(ReportedFigure)
class ReportedFigureAdmin(PrefetchingAdminMixin, admin.ModelAdmin):
    list_display = ["year", "metric", "qualifier", "value", "union", "source"]
    list_filter = ["year", "metric", ("union", TranslatedRelatedFieldListFilter)]
    list_prefetch_related = ["union__translations"]
    search_fields = ["source", "quote"]
