from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from parler.admin import TranslatableAdmin

from friendship_site.admin import (
    PrefetchingAdminMixin,
    ReadOnlyAdminMixin,
    TranslatedRelatedFieldListFilter,
)
from friendship_site.dates import format_partial_date
from relations import calendar
from relations.forms import CalendarView, DoneMark
from relations.models import Occasion, OccasionDone, OccasionReminder

# What an occasion's title reads (its name, or its agreement's or association's partner).
OCCASION_TITLE_RELATED = ["occasion__agreement", "occasion__locality", "occasion__association"]
OCCASION_TITLE_PREFETCH = [
    "occasion__translations",
    "occasion__locality__translations",
    "occasion__association__translations",
]
# The facts an agreement or a member association gives its occasion (relations/signals.py):
# changed there, not here, or the next save of that record would undo the change.
FOLLOWED_FACTS = [
    "kind",
    "date",
    "date_precision",
    "repeats_yearly",
    "counts_years",
    "country",
    "locality",
    "source",
]


def made_by_the_system(occasion):
    return occasion is not None and bool(occasion.agreement_id or occasion.association_id)


@admin.register(Occasion)
class OccasionAdmin(TranslatableAdmin):
    list_display = [
        "title",
        "kind",
        "first_date",
        "country",
        "locality",
        "next_occurrence",
        "suggested_action",
        "responsible",
        "done_this_year",
    ]
    list_filter = [
        "kind",
        ("country", TranslatedRelatedFieldListFilter),
        "suggested_action",
        ("responsible", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "translations__name",
        "country__translations__name",
        "locality__translations__name",
        "association__translations__name",
    ]
    readonly_fields = ["made_from"]
    autocomplete_fields = ["country", "locality"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "date", "date_precision", "repeats_yearly"]}),
        (_("Partners"), {"fields": ["country", "locality", "made_from"]}),
        (
            _("The desk"),
            {"fields": ["suggested_action", "responsible", "remind_days_before", "is_public"]},
        ),
        (_("Anniversaries and source"), {"fields": ["counts_years", "source"]}),
    ]
    # Adds the link to the calendar.
    change_list_template = "admin/relations/occasion/change_list.html"

    def get_queryset(self, request):
        this_year = OccasionDone.objects.filter(year=timezone.localdate().year)
        return calendar.for_calendar(super().get_queryset(request)).prefetch_related(
            Prefetch("done_marks", this_year.select_related("done_by"), to_attr="marks_this_year")
        )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if made_by_the_system(obj):
            return [*fields, *FOLLOWED_FACTS]
        return fields

    @admin.display(description=_("name"))
    def title(self, occasion):
        return occasion.title

    @admin.display(description=_("date"), ordering="date")
    def first_date(self, occasion):
        return format_partial_date(occasion.date, occasion.date_precision)

    @admin.display(description=_("next"))
    def next_occurrence(self, occasion):
        occurrence = occasion.next_occurrence(timezone.localdate())
        if occurrence is None:
            return "–"
        if occurrence.is_anniversary:
            return f"{occurrence.on_display} · {occurrence.anniversary}"
        return occurrence.on_display

    @admin.display(description=_("done this year"))
    def done_this_year(self, occasion):
        if not occasion.marks_this_year:
            return "–"
        mark = occasion.marks_this_year[0]
        return _("✓ %(who)s") % {"who": mark.done_by.get_full_name() or mark.done_by}

    @admin.display(description=_("made from"))
    def made_from(self, occasion):
        """The agreement or association this occasion follows, linked."""
        if occasion.agreement_id:
            return format_html(
                '<a href="{}">{}</a>',
                reverse(
                    "admin:organizations_cooperationagreement_change", args=[occasion.agreement_id]
                ),
                occasion.agreement,
            )
        if occasion.association_id:
            return format_html(
                '<a href="{}">{}</a>',
                reverse(
                    "admin:organizations_memberassociation_change",
                    args=[occasion.association_id],
                ),
                occasion.association,
            )
        return _("Entered by the desk")

    # The staff calendar and its "done this year" ticks.

    def get_urls(self):
        return [
            path(
                "calendar/",
                self.admin_site.admin_view(self.calendar_view),
                name="relations_occasion_calendar",
            ),
            path(
                "calendar/done/",
                self.admin_site.admin_view(self.done_view),
                name="relations_occasion_done",
            ),
            *super().get_urls(),
        ]

    def calendar_view(self, request):
        if not request.user.has_perm("relations.view_occasion"):
            raise PermissionDenied
        form = CalendarView(request.GET, today=timezone.localdate())
        context = {
            **self.admin_site.each_context(request),
            "title": _("Staff calendar"),
            "opts": self.model._meta,
            "form": form,
            "today": timezone.localdate(),
            "weekdays": [WEEKDAYS_ABBR[day] for day in range(7)],
            "can_mark": request.user.has_perm("relations.mark_occasion_done"),
            "can_add": self.has_add_permission(request),
        }
        if form.is_valid():
            context.update(self.calendar_pages(form))
        return TemplateResponse(request, "admin/relations/occasion/calendar.html", context)

    def calendar_pages(self, form):
        """The month or year asked for, the addresses of its neighbours and of the other view."""
        occasions, year = form.occasions(), form.cleaned_data["year"]
        if form.cleaned_data["view"] == form.YEAR:
            year_view = calendar.year_view(occasions, year)
            return {
                "year": year_view,
                "months": [
                    (month, form.query_for(view=form.MONTH, month=month.first.month))
                    for month in year_view.months
                ],
                "previous_url": form.query_for(year=year - 1),
                "next_url": form.query_for(year=year + 1),
                "other_view_url": form.query_for(view=form.MONTH),
            }
        month, year_only = calendar.month_view(occasions, year, form.cleaned_data["month"])
        return {
            "month": month,
            "year_only": year_only,
            "previous_url": form.query_for(year=month.previous.year, month=month.previous.month),
            "next_url": form.query_for(year=month.next.year, month=month.next.month),
            "other_view_url": form.query_for(view=form.YEAR),
        }

    @method_decorator(require_POST)
    def done_view(self, request):
        if not request.user.has_perm("relations.mark_occasion_done"):
            raise PermissionDenied
        form = DoneMark(request.POST)
        if form.is_valid():
            form.save(by=request.user)
        else:
            messages.error(request, " ".join(form.non_field_errors()) or _("Nothing was marked."))
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("admin:relations_occasion_calendar")
        return HttpResponseRedirect(back)


@admin.register(OccasionDone)
class OccasionDoneAdmin(PrefetchingAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who did what for which year: the history behind the calendar's ticks."""

    list_display = ["occasion", "year", "done_by", "done_at"]
    list_filter = ["year"]
    search_fields = ["occasion__translations__name", "done_by__username"]
    list_select_related = ["done_by", *OCCASION_TITLE_RELATED]
    list_prefetch_related = OCCASION_TITLE_PREFETCH


@admin.register(OccasionReminder)
class OccasionReminderAdmin(PrefetchingAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Reminders sent (send_occasion_reminders): none goes out twice."""

    list_display = ["occasion", "year", "recipient", "sent_at"]
    list_filter = ["year"]
    search_fields = ["occasion__translations__name", "recipient__username"]
    list_select_related = ["recipient", *OCCASION_TITLE_RELATED]
    list_prefetch_related = OCCASION_TITLE_PREFETCH
