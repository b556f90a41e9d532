"""The union, its member associations, partner countries and foreign localities, and NGOs."""

import datetime
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from parler.fields import TranslationsForeignKey
from parler.managers import TranslatableManager, TranslatableQuerySet
from parler.models import TranslatableModel, TranslatedFields, TranslatedFieldsModel

from friendship_site.dates import MONTH_PRECISION_HELP, DatePrecision, format_partial_date
from friendship_site.i18n import with_translation
from friendship_site.slugs import TranslatedSlugMixin


class Country(TranslatableModel):
    """A country the union works with, keyed by its ISO 3166-1 alpha-2 code."""

    code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        help_text=_("Two capital letters, ISO 3166-1 alpha-2 (LA for Laos, DE for Germany)."),
    )
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=100),
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]

    def __str__(self):
        return self.safe_translation_getter("name", any_language=True, default=self.code)

    def save(self, *args, **kwargs):
        self.code = self.code.upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("organizations:country", kwargs={"code": self.code.lower()})


class FriendshipUnionQuerySet(TranslatableQuerySet):
    def home(self, language=None):
        """The union this site belongs to, or None before the seed content is loaded; with
        its translation in ``language`` (default: the active one) read in the same query."""
        union = with_translation(self.filter(is_home=True), language or get_language())
        return union.first()


class FriendshipUnion(TranslatableModel):
    """A Union of Friendship Organizations: this site's own provincial union, its national
    parent body (VUFO) and the peer unions it meets in its emulation cluster."""

    code = models.SlugField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("A short fixed identifier, e.g. binh-duong or vufo."),
    )
    is_home = models.BooleanField(
        _("this site's union"),
        default=False,
        help_text=_("The union that publishes this website. Only one union can be it."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member_unions",
    )
    hotline = models.CharField(_("hotline"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    member_count = models.PositiveIntegerField(_("number of members"), null=True, blank=True)
    member_count_as_of = models.DateField(
        _("members counted on"),
        null=True,
        blank=True,
        help_text=_("When the number of members was last reported."),
    )
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=200),
        short_name=models.CharField(_("short name"), max_length=100, blank=True),
        motto=models.CharField(_("motto"), max_length=200, blank=True),
        description=models.TextField(_("description"), blank=True),
        address=models.CharField(_("address"), max_length=300, blank=True),
        president_name=models.CharField(_("president"), max_length=200, blank=True),
        emulation_cluster=models.CharField(
            _("emulation cluster"),
            max_length=200,
            blank=True,
            help_text=_("The cluster of provincial unions it competes in, e.g. Cluster No. 4."),
        ),
        emulation_block=models.CharField(
            _("emulation block"),
            max_length=200,
            blank=True,
            help_text=_("The provincial emulation block, e.g. Emulation Block No. 7."),
        ),
    )

    objects = TranslatableManager.from_queryset(FriendshipUnionQuerySet)()

    class Meta:
        verbose_name = _("union of friendship organizations")
        verbose_name_plural = _("unions of friendship organizations")
        ordering = ["-is_home", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_home"],
                condition=models.Q(is_home=True),
                name="organizations_single_home_union",
                violation_error_message=_("Another union is already this site's union."),
            ),
        ]

    def __str__(self):
        return self.safe_translation_getter("name", any_language=True, default=self.code)


class AssociationStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("association status", "Active")
    IN_FORMATION = "in_formation", pgettext_lazy("association status", "Being established")
    DISSOLVED = "dissolved", pgettext_lazy("association status", "Dissolved")


class MemberAssociation(TranslatableModel):
    """A friendship association that is a member of the union (e.g. Vietnam–Laos)."""

    union = models.ForeignKey(
        FriendshipUnion,
        verbose_name=_("union"),
        on_delete=models.PROTECT,
        related_name="member_associations",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssociationStatus.choices,
        default=AssociationStatus.ACTIVE,
    )
    countries = models.ManyToManyField(
        Country,
        verbose_name=_("partner countries"),
        blank=True,
        related_name="member_associations",
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    member_count = models.PositiveIntegerField(_("number of members"), null=True, blank=True)

    class Meta:
        verbose_name = _("member association")
        verbose_name_plural = _("member associations")
        ordering = ["union", "pk"]

    def __str__(self):
        return self.safe_translation_getter("name", any_language=True, default=f"#{self.pk}")

    def get_absolute_url(self):
        return reverse("organizations:association", kwargs={"slug": self.slug})


class MemberAssociationTranslation(TranslatedSlugMixin, TranslatedFieldsModel):
    master = TranslationsForeignKey(
        MemberAssociation,
        related_name="translations",
        null=True,
        on_delete=models.CASCADE,
        editable=False,
    )
    name = models.CharField(_("name"), max_length=200)
    chair_name = models.CharField(_("chair"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    slug_fallback = "association"

    class Meta(TranslatedSlugMixin.Meta):
        verbose_name = _("member association translation")
        db_table = "organizations_memberassociation_translation"


class LocalityKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    PREFECTURE = "prefecture", _("Prefecture")
    STATE = "state", _("State or region")
    DISTRICT = "district", _("District")


@dataclass(frozen=True)
class TimelineEntry:
    """One step of a relationship with a partner locality, as its page prints it."""

    # What it is, for styling and tests: agreement, delegation_received, delegation_sent,
    # event or article.
    category: str
    on: datetime.date
    precision: str
    on_display: str
    kind: str  # the category in words, in the page's language
    title: str
    url: str = ""

    @property
    def datetime_attr(self):
        """The date as HTML's <time datetime> takes it, no more precise than it is known."""
        if self.precision == DatePrecision.YEAR:
            return f"{self.on:%Y}"
        if self.precision == DatePrecision.MONTH:
            return f"{self.on:%Y-%m}"
        return self.on.isoformat()


# Entries of the same day: the agreement first, then what was done, then what was written.
TIMELINE_ORDER = {"agreement": 0, "delegation_received": 1, "delegation_sent": 1, "event": 1}


class PartnerLocality(TranslatableModel):
    """A foreign province, city or prefecture that the province cooperates with."""

    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="partner_localities",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LocalityKind.choices)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("partner locality")
        verbose_name_plural = _("partner localities")
        ordering = ["country__code", "pk"]

    def __str__(self):
        return self.safe_translation_getter("name", any_language=True, default=f"#{self.pk}")

    def get_absolute_url(self):
        return reverse("organizations:locality", kwargs={"slug": self.slug})

    def first_agreement(self):
        """The earliest agreement: the start of the cooperation."""
        return min(self.agreements.all(), key=lambda agreement: agreement.signed_on, default=None)

    def years_of_cooperation(self, on=None):
        """Full years since the first agreement ("10 years of cooperation"), or None."""
        agreement = self.first_agreement()
        if agreement is None:
            return None
        on = on or timezone.localdate()
        start = agreement.signed_on
        years = on.year - start.year
        # Only the year is known: count in calendar years, as the union does ("10 years in
        # 2025" for an agreement of 2015); otherwise count whole years.
        if agreement.signed_on_precision == "day" and (on.month, on.day) < (start.month, start.day):
            years -= 1
        if agreement.signed_on_precision == "month" and on.month < start.month:
            years -= 1
        return max(years, 0)

    def timeline(self, language):
        """The relationship in order, oldest first: agreements, visits both ways, other events
        and the live articles of ``language`` about this locality (two queries; agreements
        come from ``prefetch_related("agreements")`` when the caller made it).

        Oldest first because a relationship is a story: it starts with the agreement, and
        each visit and article follows from what came before.
        """
        # Both apps' models import this module.
        from articles.models import ArticleTranslation  # noqa: PLC0415
        from events.models import Activity, ActivityType  # noqa: PLC0415

        entries = [
            TimelineEntry(
                category="agreement",
                on=agreement.signed_on,
                precision=agreement.signed_on_precision,
                on_display=agreement.signed_on_display,
                kind=pgettext("timeline", "Agreement"),
                title=agreement.get_kind_display(),
            )
            for agreement in self.agreements.all()
        ]
        name = self.safe_translation_getter("name", language_code=language, any_language=True)
        visits = {
            ActivityType.DELEGATION_RECEIVED: gettext("Delegation from %(locality)s received"),
            ActivityType.DELEGATION_SENT: gettext("Delegation to %(locality)s"),
        }
        for activity in Activity.objects.for_language(language).filter(localities=self):
            visit = visits.get(activity.activity_type)
            entries.append(
                TimelineEntry(
                    category=activity.activity_type if visit else "event",
                    on=activity.starts_on,
                    precision=activity.date_precision,
                    on_display=activity.date_display,
                    kind=visit % {"locality": name}
                    if visit
                    else activity.get_activity_type_display(),
                    title=activity.title,
                    url=activity.get_absolute_url(),
                )
            )
        articles = ArticleTranslation.objects.live(language).filter(master__localities=self)
        for card in articles.as_cards():
            published_on = timezone.localdate(card.published_at)
            entries.append(
                TimelineEntry(
                    category="article",
                    on=published_on,
                    precision=DatePrecision.DAY,
                    on_display=format_partial_date(published_on, DatePrecision.DAY),
                    kind=pgettext("timeline", "Article"),
                    title=card.title,
                    url=card.url,
                )
            )
        return sorted(entries, key=lambda entry: (entry.on, TIMELINE_ORDER.get(entry.category, 2)))


class PartnerLocalityTranslation(TranslatedSlugMixin, TranslatedFieldsModel):
    master = TranslationsForeignKey(
        PartnerLocality,
        related_name="translations",
        null=True,
        on_delete=models.CASCADE,
        editable=False,
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    slug_fallback = "locality"

    class Meta(TranslatedSlugMixin.Meta):
        verbose_name = _("partner locality translation")
        db_table = "organizations_partnerlocality_translation"


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding")
    FRIENDSHIP_COOPERATION = "friendship_cooperation", _("Friendly cooperation relationship")
    SISTER_RELATIONSHIP = "sister_relationship", _("Sister relationship")
    COOPERATION_PROGRAMME = "cooperation_programme", _("Cooperation programme")


class CooperationAgreement(models.Model):
    """An agreement between the province and a partner locality, with its date and source."""

    locality = models.ForeignKey(
        PartnerLocality,
        verbose_name=_("partner locality"),
        on_delete=models.CASCADE,
        related_name="agreements",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=AgreementKind.choices)
    signed_on = models.DateField(_("signed on"), help_text=MONTH_PRECISION_HELP)
    signed_on_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where this fact comes from (document, article, address)."),
    )

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        # Serves the locality page's timeline, oldest agreement first.
        ordering = ["locality", "signed_on"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.signed_on_display})"

    @property
    def signed_on_display(self):
        return format_partial_date(self.signed_on, self.signed_on_precision)


class ForeignNGO(TranslatableModel):
    """A foreign non-governmental organization that sponsors aid projects."""

    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ngos",
    )
    website = models.URLField(_("website"), blank=True)
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=200),
        description=models.TextField(_("description"), blank=True),
    )

    class Meta:
        verbose_name = _("foreign NGO")
        verbose_name_plural = _("foreign NGOs")
        ordering = ["pk"]

    def __str__(self):
        return self.safe_translation_getter("name", any_language=True, default=f"#{self.pk}")
