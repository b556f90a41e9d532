"""The yearly summary as readers get it: sections of titled tables, each with a short
narrative paragraph written from the figures, all in the report's language.

Every reader-visible string is here, in Python, with gettext: the same labels and
sentences serve the screen, CSV, XLSX, DOCX and PDF, and their translations live in this
app's catalogue (reports/locale/), next to the code that uses them.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from events.models import ActivityType, FigureQualifier, ReportedMetric, UnionRole
from reports.formatting import (
    Days,
    Money,
    Percent,
    format_percent,
    format_value,
    prose_money,
    prose_number,
)
from reports.summary import UNKNOWN_MONTH, compute_summary


@dataclass
class Section:
    key: str  # stable, English: file names, anchors
    title: str
    columns: list
    rows: list  # lists of cells: str, int, Decimal, Money, Percent or None
    narrative: str = ""
    chart: list | None = None  # (label, value) bars

    def display_rows(self, language):
        """The rows as readers see them: ``(text, is_number)`` cells, numbers formatted
        per language (screen, PDF, DOCX)."""
        return [
            [(format_value(cell, language), not isinstance(cell, str)) for cell in row]
            for row in self.rows
        ]


@dataclass
class Report:
    year: int
    language: str
    union_name: str
    title: str
    sections: list = field(default_factory=list)

    def section(self, key):
        return next(section for section in self.sections if section.key == key)

    @property
    def narrative(self):
        return [section.narrative for section in self.sections if section.narrative]


def build_report(year, language):
    """Compute the figures of ``year`` and write them up in ``language``."""
    with translation.override(language):
        summary = compute_summary(year, language)
        report = Report(
            year=year,
            language=language,
            union_name=summary.union_name,
            title=_("Yearly summary %(year)s") % {"year": year},
        )
        for build in SECTIONS:
            report.sections.append(build(summary))
    return report


def sentences(summary, *texts):
    """Sentences one after another: Chinese puts no space after its full stop."""
    separator = "" if summary.language.startswith("zh") else " "
    return separator.join(text for text in texts if text)


def _n(value, summary):
    return prose_number(value, summary.language)


def _overview(summary):
    activities = ngettext(
        "In %(year)s the union recorded %(total)s activity.",
        "In %(year)s the union recorded %(total)s activities.",
        summary.total,
    ) % {"year": summary.year, "total": _n(summary.total, summary)}
    people = _(
        "The activities brought together %(participants)s participants, reached "
        "%(beneficiaries)s beneficiaries and mobilized %(vnd)s VND."
    ) % {
        "participants": _n(summary.participants, summary),
        "beneficiaries": _n(summary.beneficiaries, summary),
        "vnd": prose_money(Money(summary.mobilized_vnd, "VND"), summary.language),
    }
    narrative = sentences(summary, activities, people)
    return Section(
        key="overview",
        title=_("Activities, people reached and money mobilized"),
        columns=[_("Figure"), _("Value")],
        rows=[
            [_("Activities"), summary.total],
            [_("Participants"), summary.participants],
            [_("Beneficiaries"), summary.beneficiaries],
            [_("Money mobilized (VND)"), Money(summary.mobilized_vnd, "VND")],
        ],
        narrative=narrative,
    )


def _by_type(summary):
    labels = dict(ActivityType.choices)
    rows = [[str(labels[kind]), count] for kind, count in summary.by_type.items()]
    if summary.total:
        kind, count = max(summary.by_type.items(), key=lambda item: item[1])
        narrative = _("The most frequent kind of activity was “%(type)s” (%(count)s).") % {
            "type": labels[kind],
            "count": _n(count, summary),
        }
    else:
        narrative = _("No activity of the union is on record for %(year)s.") % {
            "year": summary.year
        }
    return Section(
        key="by_type",
        title=_("Activities by type"),
        columns=[_("Type"), _("Activities")],
        rows=rows,
        narrative=narrative,
        chart=[(label, count) for label, count in rows],
    )


def _by_role(summary):
    labels = dict(UnionRole.choices)
    narrative = ""
    if summary.total:
        narrative = _(
            "The union chaired %(chaired)s, coordinated %(coordinated)s and attended "
            "%(attended)s of them."
        ) % {role: _n(count, summary) for role, count in summary.by_role.items()}
    return Section(
        key="by_role",
        title=_("Activities by the union's role"),
        columns=[_("Role"), _("Activities")],
        rows=[[str(labels[role]), count] for role, count in summary.by_role.items()],
        narrative=narrative,
    )


def _by_month(summary):
    unknown_label = _("Month unknown (dated to the year only)")
    rows = [[str(MONTHS[month]), summary.by_month[month]] for month in range(1, 13)]
    rows.append([unknown_label, summary.by_month[UNKNOWN_MONTH]])
    texts = []
    busiest = max(range(1, 13), key=lambda month: (summary.by_month[month], -month))
    if summary.by_month[busiest]:
        texts.append(
            ngettext(
                "The busiest month was %(month)s, with %(count)s activity.",
                "The busiest month was %(month)s, with %(count)s activities.",
                summary.by_month[busiest],
            )
            % {"month": MONTHS[busiest], "count": _n(summary.by_month[busiest], summary)}
        )
    unknown = summary.by_month[UNKNOWN_MONTH]
    if unknown:
        texts.append(
            ngettext(
                "%(count)s activity is dated only to the year.",
                "%(count)s activities are dated only to the year.",
                unknown,
            )
            % {"count": _n(unknown, summary)}
        )
    return Section(
        key="by_month",
        title=_("Activities by month"),
        columns=[_("Month"), _("Activities")],
        rows=rows,
        narrative=sentences(summary, *texts),
        chart=[(str(month), summary.by_month[month]) for month in range(1, 13)] + [("?", unknown)],
    )


def _top(rows, summary):
    """The values of a "partners" sentence: how many, the first (most frequent) one."""
    return {
        "count": _n(len(rows), summary),
        "name": rows[0][0],
        "activities": _n(rows[0][-1], summary),
    }


def _by_country(summary):
    rows = summary.by_country
    if rows:
        narrative = ngettext(
            "The activities involved %(count)s partner country: %(name)s (%(activities)s).",
            "The activities involved %(count)s partner countries; the most frequent "
            "was %(name)s (%(activities)s).",
            len(rows),
        ) % _top(rows, summary)
    else:
        narrative = _("No activity of the year names a partner country.")
    return Section(
        key="by_country",
        title=_("Activities by partner country"),
        columns=[_("Country"), _("Activities")],
        rows=[list(row) for row in rows],
        narrative=narrative,
    )


def _by_locality(summary):
    rows = summary.by_locality
    if rows:
        narrative = ngettext(
            "The activities involved %(count)s partner locality: %(name)s (%(activities)s).",
            "The activities involved %(count)s partner localities; the most frequent "
            "was %(name)s (%(activities)s).",
            len(rows),
        ) % _top(rows, summary)
    else:
        narrative = _("No activity of the year names a partner locality.")
    return Section(
        key="by_locality",
        title=_("Activities by partner locality"),
        columns=[_("Partner locality"), _("Country"), _("Activities")],
        rows=[list(row) for row in rows],
        narrative=narrative,
    )


def _by_association(summary):
    rows = summary.by_association
    if rows:
        narrative = ngettext(
            "%(count)s member association took part: %(name)s (%(activities)s).",
            "%(count)s member associations took part; the most active was %(name)s "
            "(%(activities)s).",
            len(rows),
        ) % _top(rows, summary)
    else:
        narrative = _("No activity of the year names a member association.")
    return Section(
        key="by_association",
        title=_("Activities by member association"),
        columns=[_("Member association"), _("Activities")],
        rows=[list(row) for row in rows],
        narrative=narrative,
    )


def _delegations(summary):
    (received, received_people), (sent, sent_people) = summary.delegations.values()
    return Section(
        key="delegations",
        title=_("Delegations"),
        columns=[_("Delegations"), _("Number"), _("Participants")],
        rows=[
            [_("Delegations received"), received, received_people],
            [_("Delegations sent abroad"), sent, sent_people],
        ],
        narrative=_(
            "Delegations received: %(received)s (participants: %(received_people)s); "
            "delegations sent abroad: %(sent)s (participants: %(sent_people)s)."
        )
        % {
            "received": _n(received, summary),
            "received_people": _n(received_people, summary),
            "sent": _n(sent, summary),
            "sent_people": _n(sent_people, summary),
        },
    )


def _scholarships(summary):
    value = Money(summary.scholarship_value_vnd, "VND")
    return Section(
        key="scholarships",
        title=_("Scholarships"),
        columns=[_("Figure"), _("Value")],
        rows=[
            [_("Scholarship programmes"), summary.scholarship_programmes],
            [_("Scholarships awarded"), summary.scholarships],
            [_("Value of the scholarship programmes (VND)"), value],
        ],
        narrative=ngettext(
            "%(count)s scholarship was awarded; the scholarship programmes were worth "
            "%(value)s VND.",
            "%(count)s scholarships were awarded; the scholarship programmes were worth "
            "%(value)s VND.",
            summary.scholarships,
        )
        % {
            "count": _n(summary.scholarships, summary),
            "value": prose_money(value, summary.language),
        },
    )


def _aid_narrative(summary):
    aid, previous = summary.aid, summary.previous_aid
    language = summary.language
    values = {
        "year": summary.year,
        "previous_year": summary.year - 1,
        "projects": _n(aid.projects, summary),
        "sponsors": _n(aid.sponsors, summary),
        "usd": prose_money(Money(aid.committed_usd, "USD"), language),
        "previous_usd": prose_money(Money(previous.committed_usd, "USD"), language),
    }
    if aid.projects:
        texts = [
            ngettext(
                "In %(year)s the Provincial People's Committee approved %(projects)s foreign "
                "NGO aid project (sponsors: %(sponsors)s), with committed aid of %(usd)s USD.",
                "In %(year)s the Provincial People's Committee approved %(projects)s foreign "
                "NGO aid projects (sponsors: %(sponsors)s), with committed aid of %(usd)s USD.",
                aid.projects,
            )
            % values
        ]
    else:
        texts = [_("No foreign NGO aid project was approved in %(year)s.") % values]
    change = summary.aid_change_percent
    if change is None:
        texts.append(
            _("No approved aid was recorded in %(previous_year)s to compare with.") % values
        )
    else:
        values["change"] = format_percent(Percent(abs(change)), language)
        sentence = (
            _("That is %(change)s more than in %(previous_year)s (%(previous_usd)s USD).")
            if change >= 0
            else _("That is %(change)s less than in %(previous_year)s (%(previous_usd)s USD).")
        )
        texts.append(sentence % values)
    return sentences(summary, *texts)


def _aid(summary):
    aid, previous = summary.aid, summary.previous_aid
    return Section(
        key="aid",
        title=_("Foreign NGO aid"),
        columns=[_("Figure"), str(summary.year), str(summary.year - 1)],
        rows=[
            [_("Sponsors (foreign NGOs with approved projects)"), aid.sponsors, previous.sponsors],
            [_("Approved aid projects"), aid.projects, previous.projects],
            [
                _("Committed aid (USD)"),
                Money(aid.committed_usd, "USD"),
                Money(previous.committed_usd, "USD"),
            ],
            [_("Change on the previous year (%)"), Percent(summary.aid_change_percent, True), None],
            [_("Aid projects recorded, approved or not"), aid.recorded, previous.recorded],
        ],
        narrative=_aid_narrative(summary),
    )


# The unit of each reported figure: how its value is written.
REPORTED_UNITS = {
    ReportedMetric.AID_COMMITTED_USD: "USD",
    ReportedMetric.MOBILIZED_USD: "USD",
    ReportedMetric.MOBILIZED_VND: "VND",
    ReportedMetric.AID_GROWTH_PERCENT: "%",
}


def stated(figure, language):
    """A reported figure as the union stated it: "more than 700,000 USD"."""
    unit = REPORTED_UNITS.get(figure["metric"])
    value = figure["value"]
    if unit == "%":
        amount = format_percent(Percent(value), language)
    elif unit == "USD":
        amount = _("%(amount)s USD") % {"amount": prose_money(Money(value, unit), language)}
    elif unit == "VND":
        amount = _("%(amount)s VND") % {"amount": prose_money(Money(value, unit), language)}
    else:
        amount = prose_number(value, language)
    if figure["qualifier"] == FigureQualifier.EXACT:
        return amount
    qualifier = dict(FigureQualifier.choices)[figure["qualifier"]]
    return pgettext("reported figure", "%(qualifier)s %(amount)s") % {
        "qualifier": qualifier,
        "amount": amount,
    }


def _reported(summary):
    metrics = dict(ReportedMetric.choices)
    rows = []
    for figure in summary.reported:
        unit = REPORTED_UNITS.get(figure["metric"])
        if unit == "%":
            value = Percent(figure["value"], True)
        elif unit:
            value = Money(figure["value"], unit)
        else:
            value = int(figure["value"])
        rows.append(
            [
                str(metrics[figure["metric"]]),
                stated(figure, summary.language),
                value,
                figure["source"],
            ]
        )
    if rows:
        narrative = _(
            "The union's own reports state these figures for %(year)s, shown as written; "
            "they may differ from the figures computed from the activities on record."
        ) % {"year": summary.year}
    else:
        narrative = _("No figure of the union's reports is on record for %(year)s.") % {
            "year": summary.year
        }
    return Section(
        key="reported",
        title=_("Figures reported by the union"),
        columns=[_("Figure"), _("As stated"), _("Value"), _("Source")],
        rows=rows,
        narrative=narrative,
    )


def _articles(summary):
    names = dict(settings.LANGUAGES)
    rows = [
        [
            str(names[language]),
            summary.articles[language],
            None if language == "vi" else Percent(summary.coverage[language]),
        ]
        for language in summary.articles
    ]
    counts = _(
        "Articles published in %(year)s: %(vi)s in Vietnamese, %(en)s in English and "
        "%(zh)s in Chinese."
    ) % {
        "year": summary.year,
        "vi": _n(summary.articles["vi"], summary),
        "en": _n(summary.articles["en"], summary),
        "zh": _n(summary.articles["zh-hans"], summary),
    }
    coverage = ""
    if summary.articles["vi"]:
        coverage = _(
            "Of that year's Vietnamese articles, %(en)s are also published in English and "
            "%(zh)s in Chinese."
        ) % {
            "en": format_percent(Percent(summary.coverage["en"]), summary.language),
            "zh": format_percent(Percent(summary.coverage["zh-hans"]), summary.language),
        }
    narrative = sentences(summary, counts, coverage)
    return Section(
        key="articles",
        title=_("Articles published"),
        columns=[
            _("Language"),
            _("Articles published"),
            _("Share of the Vietnamese articles also published (%)"),
        ],
        rows=rows,
        narrative=narrative,
    )


def _translations(summary):
    """How the year's Vietnamese articles reached the other languages: the coverage of
    the articles section, and how long the translations took to be published."""
    names = dict(settings.LANGUAGES)
    targets = list(summary.translation_delays)
    rows = [
        [
            str(names[language]),
            Percent(summary.coverage[language]),
            Days(summary.translation_delays[language]),
        ]
        for language in targets
    ]
    texts = []
    for language in targets:
        days = summary.translation_delays[language]
        if days is None:
            texts.append(
                _("No %(language)s translation was published in %(year)s.")
                % {"language": names[language], "year": summary.year}
            )
        else:
            texts.append(
                _(
                    "%(language)s translations published in %(year)s appeared on average "
                    "%(days)s days after their Vietnamese source."
                )
                % {
                    "language": names[language],
                    "year": summary.year,
                    "days": prose_number(days, summary.language, Days.decimals),
                }
            )
    return Section(
        key="translations",
        title=_("Translations"),
        columns=[
            _("Language"),
            _("Share of the Vietnamese articles also published (%)"),
            _("Average days from source to translation publication"),
        ],
        rows=rows,
        narrative=sentences(summary, *texts),
    )


def anniversary_text(name, years):
    """ "20 years Binh Duong – Daejeon City", in the active language."""
    return _("%(years)s years %(home)s – %(partner)s") % {
        "years": years,
        "home": pgettext("home province", "Binh Duong"),
        "partner": name,
    }


def _anniversaries(summary):
    next_year = summary.year + 1
    rows = [
        [anniversary_text(name, years), name, country, str(first_year), years]
        for name, country, first_year, years in summary.anniversaries
    ]
    if rows:
        separator = pgettext("list separator", "; ")
        narrative = _("Anniversaries of partner relationships in %(year)s: %(list)s.") % {
            "year": next_year,
            "list": separator.join(row[0] for row in rows),
        }
    else:
        narrative = _("No partner relationship reaches a five-year anniversary in %(year)s.") % {
            "year": next_year
        }
    return Section(
        key="anniversaries",
        title=_("Anniversaries of partner relationships in %(year)s") % {"year": next_year},
        columns=[
            _("Anniversary"),
            _("Partner locality"),
            _("Country"),
            _("First agreement (year)"),
            _("Years"),
        ],
        rows=rows,
        narrative=narrative,
    )


SECTIONS = [
    _overview,
    _by_type,
    _by_role,
    _by_month,
    _by_country,
    _by_locality,
    _by_association,
    _delegations,
    _scholarships,
    _aid,
    _reported,
    _articles,
    _translations,
    _anniversaries,
]
