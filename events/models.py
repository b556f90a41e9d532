"""Activities of the union and its member associations, and the figures it reports each year."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from parler.fields import TranslationsForeignKey
from parler.managers import TranslatableManager, TranslatableQuerySet
from parler.models import TranslatableModel, TranslatedFieldsModel

from friendship_site.dates import MONTH_PRECISION_HELP, DatePrecision, format_partial_date
from friendship_site.i18n import with_translation
from friendship_site.slugs import TranslatedSlugMixin
from organizations.models import (
    Country,
    ForeignNGO,
    FriendshipUnion,
    MemberAssociation,
    PartnerLocality,
)


class ActivityType(models.TextChoices):
    DELEGATION_RECEIVED = "delegation_received", _("Delegation received")
    DELEGATION_SENT = "delegation_sent", _("Delegation sent abroad")
    SCHOLARSHIP = "scholarship", _("Scholarship programme")
    FESTIVAL = "festival", _("Festival")
    ANNIVERSARY = "anniversary", _("Anniversary or commemoration")
    CONFERENCE = "conference", _("Conference or workshop")
    HUMANITARIAN = "humanitarian", _("Humanitarian or charity work")
    EXCHANGE = "exchange", _("People-to-people exchange")
    AID_PROJECT = "aid_project", _("Foreign NGO aid project")


class UnionRole(models.TextChoices):
    CHAIRED = "chaired", pgettext_lazy("union role", "Chaired")
    COORDINATED = "coordinated", pgettext_lazy("union role", "Coordinated")
    ATTENDED = "attended", pgettext_lazy("union role", "Attended")


class ActivityQuerySet(TranslatableQuerySet):
    def in_year(self, year):
        return self.filter(starts_on__year=year)

    def _by_last_day(self):
        # The same expression as the index events_activity_last_day, so that it serves.
        return self.alias(last_day=Coalesce("ends_on", "starts_on"))

    def upcoming(self):
        """Not over yet: starting today or later, or still going on; those that end
        soonest first (for one-day events, the order of their dates). Ordered by the
        indexed last day, the next few are found without reading the past ones."""
        return (
            self._by_last_day()
            .filter(last_day__gte=timezone.localdate())
            .order_by("last_day", "starts_on", "pk")
        )

    def past(self):
        return self._by_last_day().filter(last_day__lt=timezone.localdate())

    def for_language(self, language):
        """Activities described in ``language``, returned in it (joined in one query)."""
        return with_translation(self.translated(language), language)

    def for_listing(self):
        """With their countries, named in the queryset's language."""
        countries = with_translation(Country.objects.all(), self._language)
        return self.prefetch_related(models.Prefetch("countries", queryset=countries))


class Activity(TranslatableModel):
    """Something the union or its member associations did, chaired, coordinated or
    attended: a delegation, a scholarship programme, a festival, an aid project…"""

    union = models.ForeignKey(
        FriendshipUnion,
        verbose_name=_("union"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    activity_type = models.CharField(_("type"), max_length=30, choices=ActivityType.choices)
    union_role = models.CharField(
        _("union's role"),
        max_length=20,
        choices=UnionRole.choices,
        help_text=_("Whether the union chaired, coordinated or only attended it."),
    )
    starts_on = models.DateField(_("date"), help_text=MONTH_PRECISION_HELP)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("partner countries"), blank=True, related_name="activities"
    )
    localities = models.ManyToManyField(
        PartnerLocality,
        verbose_name=_("partner localities"),
        blank=True,
        related_name="activities",
    )
    associations = models.ManyToManyField(
        MemberAssociation,
        verbose_name=_("member associations"),
        blank=True,
        related_name="activities",
    )
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    beneficiaries = models.PositiveIntegerField(
        _("beneficiaries"),
        null=True,
        blank=True,
        help_text=_("People or households helped; say which in the summary."),
    )
    scholarships = models.PositiveIntegerField(_("scholarships awarded"), null=True, blank=True)
    amount_vnd = models.DecimalField(
        _("money mobilized (VND)"),
        max_digits=18,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    aid_usd = models.DecimalField(
        _("committed aid (USD)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    sponsor = models.ForeignKey(
        ForeignNGO,
        verbose_name=_("sponsor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="aid_projects",
        help_text=_("The foreign NGO funding an aid project."),
    )
    aid_approved = models.BooleanField(
        _("approved by the Provincial People's Committee"),
        null=True,
        blank=True,
        help_text=_("For aid projects only."),
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where this record comes from (report, article, spreadsheet)."),
    )

    objects = TranslatableManager.from_queryset(ActivityQuerySet)()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            # Yearly summaries and the events list filter by type within a date range.
            models.Index(fields=["activity_type", "starts_on"], name="events_activity_type_date"),
            # Upcoming (not over yet) and past events: by the last day of each.
            models.Index(Coalesce("ends_on", "starts_on"), name="events_activity_last_day"),
            models.Index(fields=["starts_on"], name="events_activity_starts_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="events_activity_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return self.safe_translation_getter("title", any_language=True, default=f"#{self.pk}")

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.activity_type != ActivityType.AID_PROJECT and (
            self.sponsor_id or self.aid_approved is not None
        ):
            raise ValidationError(
                _("A sponsor and an approval are recorded only for foreign NGO aid projects.")
            )

    @property
    def date_display(self):
        start = format_partial_date(self.starts_on, self.date_precision)
        if self.ends_on and self.ends_on != self.starts_on:
            return f"{start} – {format_partial_date(self.ends_on, self.date_precision)}"
        return start


class ActivityTranslation(TranslatedSlugMixin, TranslatedFieldsModel):
    master = TranslationsForeignKey(
        Activity,
        related_name="translations",
        null=True,
        on_delete=models.CASCADE,
        editable=False,
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)

    slug_source_field = "title"
    slug_fallback = "activity"

    class Meta(TranslatedSlugMixin.Meta):
        verbose_name = _("activity translation")
        db_table = "events_activity_translation"


class ReportedMetric(models.TextChoices):
    ACTIVITIES = "activities", _("Activities chaired or coordinated")
    AID_ORGANIZATIONS = "aid_organizations", _("Foreign NGOs with approved projects")
    AID_PROJECTS = "aid_projects", _("Approved aid projects")
    AID_COMMITTED_USD = "aid_committed_usd", _("Committed aid (USD)")
    AID_GROWTH_PERCENT = "aid_growth_percent", _("Growth of committed aid on the year before (%)")
    MOBILIZED_VND = "mobilized_vnd", _("Money mobilized by member associations (VND)")
    MOBILIZED_USD = "mobilized_usd", _("Money mobilized (USD)")
    HOUSEHOLDS_SUPPORTED = "households_supported", _("Households supported")
    PARTNER_LOCALITIES = "partner_localities", _("Foreign localities with cooperation relations")
    MEMBER_ASSOCIATIONS = "member_associations", _("Member friendship associations")


class FigureQualifier(models.TextChoices):
    EXACT = "exact", pgettext_lazy("figure qualifier", "exactly")
    MORE_THAN = "more_than", pgettext_lazy("figure qualifier", "more than")
    ABOUT = "about", pgettext_lazy("figure qualifier", "about")


class ReportedFigure(models.Model):
    """A figure as the union stated it in a report or article ("more than 30 activities").

    Kept apart from the activity records: the reports give totals whose underlying
    activities are not all on record, and the yearly summary compares the two.
    """

    union = models.ForeignKey(
        FriendshipUnion,
        verbose_name=_("union"),
        on_delete=models.PROTECT,
        related_name="reported_figures",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    metric = models.CharField(_("figure"), max_length=30, choices=ReportedMetric.choices)
    qualifier = models.CharField(
        _("qualifier"),
        max_length=10,
        choices=FigureQualifier.choices,
        default=FigureQualifier.EXACT,
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("The report or article that states the figure."),
    )
    quote = models.TextField(_("quotation"), blank=True, help_text=_("The sentence as written."))

    class Meta:
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        ordering = ["-year", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "year", "metric"], name="events_reportedfigure_unique_metric"
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.get_metric_display()}: {self.get_qualifier_display()} " + (
            f"{self.value.normalize():f}"
        )
