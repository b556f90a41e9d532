"""The relations desk: the dates the union's foreign-affairs staff live by.

An ``Occasion`` is a date that comes back every year (a partner country's national day, the
day Vietnam and that country established relations, an agreement with a partner locality, a
member association's founding) or a date entered for one year (a lunar-calendar holiday
such as Tết). Anniversaries are computed from the first year, never typed: for any year,
``Occasion.occurrence_in(year)`` says on which day it falls and how many years it counts.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from parler.managers import TranslatableManager, TranslatableQuerySet
from parler.models import TranslatableModel, TranslatedFields

from friendship_site.dates import MONTH_PRECISION_HELP, DatePrecision, format_partial_date
from organizations.models import CooperationAgreement, Country, MemberAssociation, PartnerLocality


class OccasionKind(models.TextChoices):
    NATIONAL_DAY = "national_day", _("National day")
    DIPLOMATIC_RELATIONS = "diplomatic_relations", _("Diplomatic relations with Vietnam")
    PARTNERSHIP = "partnership", _("Agreement with a partner locality")
    ASSOCIATION_FOUNDING = "association_founding", _("Founding of a member association")
    TRADITIONAL_HOLIDAY = "traditional_holiday", _("Traditional holiday")
    CUSTOM = "custom", _("Other occasion")


class SuggestedAction(models.TextChoices):
    LETTER = "letter", _("Congratulatory letter")
    FLOWERS = "flowers", _("Flowers")
    DELEGATION = "delegation", _("Visit or delegation")
    ARTICLE = "article", _("Article on the site")


def anniversary_step():
    """Anniversaries are "round" every this many years (5: 5, 10, 15 …)."""
    return settings.RELATIONS_ANNIVERSARY_STEP


def english_ordinal_suffix(number):
    if number % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


# One text per English ordinal ending; Vietnamese ("20 năm") and Chinese ("20周年")
# translate all four alike.
ANNIVERSARY_LABELS = {
    "st": pgettext_lazy("anniversary", "%(years)sst anniversary"),
    "nd": pgettext_lazy("anniversary", "%(years)snd anniversary"),
    "rd": pgettext_lazy("anniversary", "%(years)srd anniversary"),
    "th": pgettext_lazy("anniversary", "%(years)sth anniversary"),
}


def anniversary_label(years):
    """ "20th anniversary", "20 năm", "20周年": in the active language."""
    return str(ANNIVERSARY_LABELS[english_ordinal_suffix(years)]) % {"years": years}


def same_day_in(day, year):
    """``day`` moved to ``year``; 29 February falls on 28 February in common years (the
    last day of February, as the union marks it, rather than a day in March)."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


@dataclass(frozen=True)
class Occurrence:
    """An occasion in one year: the day it falls on and the years it counts (None when
    its years are not counted, e.g. a traditional holiday)."""

    occasion: "Occasion"
    on: datetime.date
    years: int | None

    @property
    def is_anniversary(self):
        return bool(self.years) and self.years % anniversary_step() == 0

    @property
    def anniversary(self):
        """ "50th anniversary" when this year's count is round, else ""."""
        return anniversary_label(self.years) if self.is_anniversary else ""

    @property
    def day_known(self):
        return self.occasion.date_precision == DatePrecision.DAY

    @property
    def on_display(self):
        return format_partial_date(self.on, self.occasion.date_precision)


class OccasionQuerySet(TranslatableQuerySet):
    def for_calendar(self):
        """With what titles and filters read, in a fixed number of queries."""
        related = self.select_related("country", "locality", "association", "agreement")
        return related.prefetch_related(
            "translations",
            "country__translations",
            "locality__translations",
            "locality__country__translations",
            "association__translations",
        )

    def occurrences_between(self, start, end):
        """Every occurrence from ``start`` to ``end`` (both included), by day."""
        found = []
        for occasion in self:
            for year in range(start.year, end.year + 1):
                occurrence = occasion.occurrence_in(year)
                if occurrence is not None and start <= occurrence.on <= end:
                    found.append(occurrence)
        return sorted(found, key=lambda occurrence: (occurrence.on, occurrence.occasion.pk))

    def occurrences_in(self, year):
        return self.occurrences_between(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    def anniversaries_in(self, year):
        """The occurrences of ``year`` whose count of years is round."""
        return [occurrence for occurrence in self.occurrences_in(year) if occurrence.is_anniversary]


class Occasion(TranslatableModel):
    """A date the union marks: with what to do, who does it, and where the fact comes from.

    Occasions of agreements and of member associations' foundings are kept in step with
    those records (relations/signals.py); the desk's own fields (action, responsible,
    reminder) are never overwritten by that.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=OccasionKind.choices)
    translations = TranslatedFields(
        name=models.CharField(
            _("name"),
            max_length=200,
            blank=True,
            help_text=_(
                "E.g. “National Day of Laos”. Left empty for agreements and foundings: "
                "their name comes from the partner."
            ),
        ),
    )
    date = models.DateField(
        _("date"),
        help_text=_(
            "The first day: when relations were established, the country founded, the "
            "agreement signed. For a holiday entered for one year only, its day that year."
        ),
    )
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=MONTH_PRECISION_HELP,
    )
    repeats_yearly = models.BooleanField(
        _("every year on the same day"),
        default=True,
        help_text=_(
            "Off for lunar-calendar holidays (Tết, Lao and Khmer New Year when they move): "
            "enter one occasion per year."
        ),
    )
    counts_years = models.BooleanField(
        _("count the years"),
        default=True,
        help_text=_("Anniversaries are counted from the year of the date (off for holidays)."),
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="occasions",
    )
    locality = models.ForeignKey(
        PartnerLocality,
        verbose_name=_("partner locality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="occasions",
    )
    association = models.OneToOneField(
        MemberAssociation,
        verbose_name=_("member association"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="founding_occasion",
        editable=False,
    )
    agreement = models.OneToOneField(
        CooperationAgreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="occasion",
        editable=False,
    )
    suggested_action = models.CharField(
        _("suggested action"), max_length=20, choices=SuggestedAction.choices, blank=True
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="occasions",
        help_text=_("Receives the reminder. Without one, the desk's editors do."),
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("reminder, days before"),
        default=14,
        help_text=_("0: no reminder."),
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Shown in the public calendar feed."),
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where this fact comes from (document, article, address)."),
    )

    objects = TranslatableManager.from_queryset(OccasionQuerySet)()

    class Meta:
        verbose_name = _("occasion")
        verbose_name_plural = _("occasions")
        ordering = ["date", "pk"]
        permissions = [("mark_occasion_done", _("Can mark occasions done"))]

    def __str__(self):
        return self.title

    @property
    def title(self):
        """The occasion's name in the active language; agreements and foundings are named
        after their partner, so a renamed partner renames them."""
        name = self.safe_translation_getter("name", any_language=False)
        if name:
            return name
        if self.agreement_id:
            return pgettext("occasion", "%(home)s – %(partner)s: %(agreement)s") % {
                "home": pgettext("home province", "Binh Duong"),
                "partner": self.locality,
                "agreement": self.agreement.get_kind_display(),
            }
        if self.association_id:
            return pgettext("occasion", "Founding of the %(association)s") % {
                "association": self.association
            }
        return self.safe_translation_getter("name", any_language=True, default=f"#{self.pk}")

    def occurrence_in(self, year):
        """The ``Occurrence`` of ``year``, or None (before it began; another year's holiday)."""
        if not self.repeats_yearly:
            return Occurrence(self, self.date, None) if year == self.date.year else None
        if year < self.date.year:
            return None
        years = year - self.date.year if self.counts_years else None
        return Occurrence(self, same_day_in(self.date, year), years)

    def mark_done(self, year, by):
        """Record that the desk did what the occasion asks for in ``year``. The first to
        mark it keeps the credit: marking it again changes nothing."""
        mark, _created = self.done_marks.get_or_create(year=year, defaults={"done_by": by})
        return mark

    def unmark_done(self, year):
        self.done_marks.filter(year=year).delete()

    def next_occurrence(self, today=None):
        today = today or timezone.localdate()
        for year in (today.year, today.year + 1):
            occurrence = self.occurrence_in(year)
            if occurrence is not None and occurrence.on >= today:
                return occurrence
        return None


class OccasionDone(models.Model):
    """The desk marked an occasion done for one year (letter sent, flowers delivered)."""

    occasion = models.ForeignKey(
        Occasion, verbose_name=_("occasion"), on_delete=models.CASCADE, related_name="done_marks"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), auto_now_add=True)

    class Meta:
        verbose_name = _("occasion done")
        verbose_name_plural = _("occasions done")
        constraints = [
            models.UniqueConstraint(fields=["occasion", "year"], name="relations_done_once_a_year")
        ]

    def __str__(self):
        return f"{self.occasion} ({self.year})"


class OccasionReminder(models.Model):
    """A reminder e-mail sent: recorded before sending, so none goes out twice."""

    occasion = models.ForeignKey(
        Occasion, verbose_name=_("occasion"), on_delete=models.CASCADE, related_name="reminders"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["occasion", "year", "recipient"], name="relations_one_reminder"
            )
        ]

    def __str__(self):
        return f"{self.occasion} ({self.year}) → {self.recipient}"


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A staff member's private calendar address (iCalendar): whoever has the address can
    read the occasions, so it is long, random, and can be replaced."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("secret"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("relations:staff_calendar", kwargs={"token": self.token})

    def replace_token(self):
        """A new address: the old one stops working at once."""
        self.token = new_feed_token()
        self.save(update_fields=["token", "created_at"])
