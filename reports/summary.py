"""The figures of a yearly summary, computed by the database.

Every figure is an aggregate or a grouped count: the number of queries is fixed (about a
dozen) whatever the number of activities, so a year of 50,000 activities takes no longer
to summarise than its slowest GROUP BY. Names of countries, localities and associations are
read in the report's language, falling back to Vietnamese (the source language), then to
any language.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, IntegerField, Min, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone

from articles.models import Article
from events.models import Activity, ActivityType, ReportedFigure, UnionRole
from friendship_site.dates import DatePrecision
from organizations.models import Country, FriendshipUnion, MemberAssociation, PartnerLocality
from translation_desk.stats import publication_delays

LANGUAGES = ["vi", "en", "zh-hans"]
# The month row of activities known only to their year.
UNKNOWN_MONTH = 0


class NoHomeUnion(Exception):
    """The site's union is not in the database yet (load the seed content)."""


@dataclass
class Aid:
    """Approved foreign NGO aid projects of one year."""

    sponsors: int = 0
    projects: int = 0
    committed_usd: Decimal = Decimal(0)
    # Aid projects recorded in the year, approved or not.
    recorded: int = 0


@dataclass
class YearlySummary:
    year: int
    language: str
    union_name: str
    total: int = 0
    by_type: dict = field(default_factory=dict)  # activity type → count, every type
    by_role: dict = field(default_factory=dict)  # union role → count, every role
    by_month: dict = field(default_factory=dict)  # 1–12 and UNKNOWN_MONTH → count
    by_country: list = field(default_factory=list)  # (name, count), most first
    by_locality: list = field(default_factory=list)  # (name, country name, count)
    by_association: list = field(default_factory=list)  # (name, count)
    delegations: dict = field(default_factory=dict)  # type → (count, participants)
    scholarship_programmes: int = 0
    scholarships: int = 0
    scholarship_value_vnd: Decimal = Decimal(0)
    participants: int = 0
    beneficiaries: int = 0
    mobilized_vnd: Decimal = Decimal(0)
    aid: Aid = field(default_factory=Aid)
    previous_aid: Aid = field(default_factory=Aid)
    reported: list = field(default_factory=list)  # dicts: metric, qualifier, value, source
    articles: dict = field(default_factory=dict)  # language → editions published in the year
    # Share (%) of the Vietnamese articles of the year also published in en / zh-hans.
    coverage: dict = field(default_factory=dict)
    anniversaries: list = field(default_factory=list)  # (locality, country, first year, years)
    # Average days from the source's publication to the translation's, over the
    # translations published in the year: en / zh-hans → Decimal (one decimal) or None.
    translation_delays: dict = field(default_factory=dict)

    @property
    def aid_change_percent(self):
        """Committed USD against the year before, two decimals; None when that was zero."""
        return percent_change(self.previous_aid.committed_usd, self.aid.committed_usd)


def percent_change(before, after):
    if not before:
        return None
    change = (Decimal(after) - Decimal(before)) * 100 / Decimal(before)
    return change.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def share_percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def translated(model, language, name="name", outer="pk"):
    """The ``name`` of the ``model`` row at ``outer``, in ``language`` if it has it."""
    translations = model._parler_meta.root_model.objects.filter(master=OuterRef(outer))
    in_language = translations.filter(language_code=language).values(name)[:1]
    in_source = translations.filter(language_code="vi").values(name)[:1]
    in_any = translations.order_by("language_code").values(name)[:1]
    return Coalesce(Subquery(in_language), Subquery(in_source), Subquery(in_any))


def compute_summary(year, language):
    """All the figures of ``year`` for the site's union, names in ``language``."""
    union = (
        FriendshipUnion.objects.filter(is_home=True)
        .annotate(display_name=translated(FriendshipUnion, language))
        .values("pk", "display_name")
        .first()
    )
    if union is None:
        raise NoHomeUnion
    summary = YearlySummary(year=year, language=language, union_name=union["display_name"])
    activities = Activity.objects.filter(union=union["pk"], starts_on__year=year)

    _activity_totals(summary, activities)
    _by_month(summary, activities)
    _by_partner(summary, activities, language)
    _aid(summary, union["pk"], year)
    summary.reported = list(
        ReportedFigure.objects.filter(union=union["pk"], year=year)
        .order_by("metric")
        .values("metric", "qualifier", "value", "source")
    )
    _articles(summary, year)
    _translation_delays(summary, year)
    summary.anniversaries = _anniversaries(year + 1, language)
    return summary


def _activity_totals(summary, activities):
    """One query: totals, conditional counts by type and role, people and money."""
    delegation_types = [ActivityType.DELEGATION_RECEIVED, ActivityType.DELEGATION_SENT]
    scholarship = Q(activity_type=ActivityType.SCHOLARSHIP)
    aggregates = {
        "total": Count("pk"),
        "sum_participants": Sum("participants"),
        "sum_beneficiaries": Sum("beneficiaries"),
        "mobilized_vnd": Sum("amount_vnd"),
        "sum_scholarships": Sum("scholarships"),
        "scholarship_programmes": Count("pk", filter=scholarship),
        "scholarship_value_vnd": Sum("amount_vnd", filter=scholarship),
    }
    for kind in ActivityType.values:
        aggregates[f"type_{kind}"] = Count("pk", filter=Q(activity_type=kind))
    for role in UnionRole.values:
        aggregates[f"role_{role}"] = Count("pk", filter=Q(union_role=role))
    for kind in delegation_types:
        aggregates[f"people_{kind}"] = Sum("participants", filter=Q(activity_type=kind))
    row = activities.aggregate(**aggregates)

    summary.total = row["total"]
    summary.participants = row["sum_participants"] or 0
    summary.beneficiaries = row["sum_beneficiaries"] or 0
    summary.mobilized_vnd = row["mobilized_vnd"] or Decimal(0)
    summary.scholarships = row["sum_scholarships"] or 0
    summary.scholarship_programmes = row["scholarship_programmes"]
    summary.scholarship_value_vnd = row["scholarship_value_vnd"] or Decimal(0)
    summary.by_type = {kind: row[f"type_{kind}"] for kind in ActivityType.values}
    summary.by_role = {role: row[f"role_{role}"] for role in UnionRole.values}
    summary.delegations = {
        kind: (row[f"type_{kind}"], row[f"people_{kind}"] or 0) for kind in delegation_types
    }


def _by_month(summary, activities):
    # An activity known only to its year did not happen in January: it has its own row.
    month = Case(
        When(date_precision=DatePrecision.YEAR, then=Value(UNKNOWN_MONTH)),
        default=ExtractMonth("starts_on"),
        output_field=IntegerField(),
    )
    counts = dict(
        activities.annotate(month=month)
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("month")
        .values_list("month", "count")
    )
    summary.by_month = {number: counts.get(number, 0) for number in range(1, 13)}
    summary.by_month[UNKNOWN_MONTH] = counts.get(UNKNOWN_MONTH, 0)


def _by_partner(summary, activities, language):
    """Counts per partner country, locality and member association (one query each,
    through the many-to-many tables; an activity counts once for each of its partners)."""
    countries = Activity.countries.through.objects.filter(activity__in=activities)
    summary.by_country = list(
        countries.values("country")
        .annotate(count=Count("activity"), name=translated(Country, language, outer="country"))
        .order_by("-count", "name")
        .values_list("name", "count")
    )
    localities = Activity.localities.through.objects.filter(activity__in=activities)
    summary.by_locality = list(
        localities.values("partnerlocality")
        .annotate(
            count=Count("activity"),
            name=translated(PartnerLocality, language, outer="partnerlocality"),
            country_name=translated(
                Country,
                language,
                outer="partnerlocality__country",
            ),
        )
        .order_by("-count", "name")
        .values_list("name", "country_name", "count")
    )
    associations = Activity.associations.through.objects.filter(activity__in=activities)
    summary.by_association = list(
        associations.values("memberassociation")
        .annotate(
            count=Count("activity"),
            name=translated(MemberAssociation, language, outer="memberassociation"),
        )
        .order_by("-count", "name")
        .values_list("name", "count")
    )


def _aid(summary, union_id, year):
    """One query over the year and the year before: approved projects, their distinct
    sponsors and committed USD; projects not (yet) approved count only as recorded."""
    aid_projects = Activity.objects.filter(
        union=union_id,
        activity_type=ActivityType.AID_PROJECT,
        starts_on__gte=datetime.date(year - 1, 1, 1),
        starts_on__lt=datetime.date(year + 1, 1, 1),
    )
    aggregates = {}
    for key, in_year in (("this", year), ("previous", year - 1)):
        approved = Q(starts_on__year=in_year, aid_approved=True)
        aggregates |= {
            f"{key}_sponsors": Count("sponsor", filter=approved, distinct=True),
            f"{key}_projects": Count("pk", filter=approved),
            f"{key}_usd": Sum("aid_usd", filter=approved),
            f"{key}_recorded": Count("pk", filter=Q(starts_on__year=in_year)),
        }
    row = aid_projects.aggregate(**aggregates)
    for key, attribute in (("this", "aid"), ("previous", "previous_aid")):
        setattr(
            summary,
            attribute,
            Aid(
                sponsors=row[f"{key}_sponsors"],
                projects=row[f"{key}_projects"],
                committed_usd=row[f"{key}_usd"] or Decimal("0.00"),
                recorded=row[f"{key}_recorded"],
            ),
        )


def _articles(summary, year):
    """Editions published in the year per language, through the readers' QuerySet, and
    the share of that year's Vietnamese articles that readers can now read in en/zh-hans."""
    vietnamese = (
        Article.objects.for_language("vi")
        .published_in(year)
        .aggregate(
            total=Count("pk"),
            **{
                language: Count(
                    "pk", filter=Q(pk__in=Article.objects.published(language).values("pk"))
                )
                for language in LANGUAGES[1:]
            },
        )
    )
    summary.articles = {"vi": vietnamese["total"]}
    for language in LANGUAGES[1:]:
        summary.articles[language] = (
            Article.objects.for_language(language).published_in(year).count()
        )
    summary.coverage = {
        language: share_percent(vietnamese[language], vietnamese["total"])
        for language in LANGUAGES[1:]
    }


def _translation_delays(summary, year):
    """One query, through the translation desk's statistics (the same figure as on the
    admin home, over the calendar year in local time)."""
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    delays = publication_delays(start, end, LANGUAGES[1:])
    summary.translation_delays = {
        language: None
        if delay is None
        else (Decimal(delay.total_seconds()) / 86400).quantize(Decimal("0.1"), ROUND_HALF_UP)
        for language, delay in delays.items()
    }


def _anniversaries(next_year, language):
    """Partner localities whose first agreement turns a multiple of five years old in
    ``next_year`` (counted in calendar years, as the union does: 2005 → 20 years in 2025)."""
    years = Value(next_year) - ExtractYear(Min("agreements__signed_on"))
    rows = (
        PartnerLocality.objects.annotate(first_year=ExtractYear(Min("agreements__signed_on")))
        .annotate(years=years)
        .filter(years__gt=0)
        .annotate(
            name=translated(PartnerLocality, language),
            country_name=translated(Country, language, outer="country"),
        )
        .order_by("-years", "name")
        .values_list("name", "country_name", "first_year", "years")
    )
    return [row for row in rows if row[3] % 5 == 0]
