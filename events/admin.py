from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from parler.admin import TranslatableAdmin

from events import importing
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
    # Adds the "Import from a spreadsheet" button.
    change_list_template = "admin/events/activity/change_list.html"
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

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="events_activity_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        # An import creates activities and updates those it recognises.
        if not request.user.has_perms(["events.add_activity", "events.change_activity"]):
            raise PermissionDenied
        if request.method == "POST":
            form = importing.ImportForm(request.POST, request.FILES)
        else:
            form = importing.ImportForm()
        report = None
        if form.is_bound and form.is_valid():
            try:
                report = importing.import_activities(
                    form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"]
                )
            except importing.SpreadsheetError as error:
                form.add_error("file", str(error))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import activities from a spreadsheet"),
            "opts": self.model._meta,
            "form": form,
            "report": report,
            "columns": importing.COLUMNS,
            "required_columns": importing.REQUIRED_COLUMNS,
            "max_rows": importing.MAX_ROWS,
            "max_megabytes": importing.MAX_FILE_SIZE // (1024 * 1024),
        }
        return TemplateResponse(request, "admin/events/activity/import.html", context)


@admin.register(ReportedFigure)
class ReportedFigureAdmin(PrefetchingAdminMixin, admin.ModelAdmin):
    list_display = ["year", "metric", "qualifier", "value", "union", "source"]
    list_filter = ["year", "metric", ("union", TranslatedRelatedFieldListFilter)]
    list_prefetch_related = ["union__translations"]
    search_fields = ["source", "quote"]
