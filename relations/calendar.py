"""The staff calendar: months and years of occurrences, laid out as the admin shows them.

The admin's calendar page and the "next days" list of the admin home read what is built
here; neither the views nor the templates work out on which day something falls.

An occurrence whose day is not known (the source gives only the month, or only the year)
is never put on a day: it goes to the "date not known" list of its month, or of its year.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Q

from friendship_site.dates import DatePrecision
from relations.models import OccasionDone, Occurrence

UPCOMING_DAYS = 60


@dataclass(frozen=True)
class Entry:
    """An occurrence on the calendar with the desk's done mark for its year (or None)."""

    occurrence: Occurrence
    done: OccasionDone | None

    @property
    def occasion(self):
        return self.occurrence.occasion

    @property
    def year(self):
        return self.occurrence.on.year


@dataclass(frozen=True)
class Day:
    on: datetime.date
    in_month: bool
    entries: list[Entry]


@dataclass(frozen=True)
class Month:
    """A month: its weeks (Monday first, days of the neighbouring months left empty), the
    entries whose day is not known, and those known only to the year (month view)."""

    first: datetime.date
    weeks: list[list[Day]]
    entries: list[Entry]
    undated: list[Entry]

    @property
    def previous(self):
        return (self.first - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next(self):
        return (self.first + datetime.timedelta(days=31)).replace(day=1)


@dataclass(frozen=True)
class Year:
    year: int
    months: list[Month]
    undated: list[Entry]


def for_calendar(occasions):
    """``occasions`` with what the calendar prints (titles, responsible) prefetched."""
    return occasions.for_calendar().select_related("responsible")


def with_done_marks(occasions, occurrences):
    """The ``occurrences`` as entries, each with its done mark: one query for them all."""
    years = {occurrence.on.year for occurrence in occurrences}
    marks = {}
    if occurrences:
        found = OccasionDone.objects.filter(
            occasion__in=occasions.values("pk"), year__in=years
        ).select_related("done_by")
        marks = {(mark.occasion_id, mark.year): mark for mark in found}
    return [
        Entry(occurrence, marks.get((occurrence.occasion.pk, occurrence.on.year)))
        for occurrence in occurrences
    ]


def entries_between(occasions, start, end):
    occasions = for_calendar(occasions)
    return with_done_marks(occasions, occasions.occurrences_between(start, end))


def precision(entry):
    return entry.occasion.date_precision


def month_of(entries, first):
    """The month beginning on ``first``, from the ``entries`` of (at least) that month."""
    of_month = [
        entry
        for entry in entries
        if entry.occurrence.on.year == first.year and entry.occurrence.on.month == first.month
    ]
    by_day = {}
    for entry in of_month:
        if precision(entry) == DatePrecision.DAY:
            by_day.setdefault(entry.occurrence.on, []).append(entry)
    weeks = [
        [Day(day, day.month == first.month, by_day.get(day, [])) for day in week]
        for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
            first.year, first.month
        )
    ]
    return Month(
        first=first,
        weeks=weeks,
        entries=[entry for entry in of_month if precision(entry) == DatePrecision.DAY],
        undated=[entry for entry in of_month if precision(entry) == DatePrecision.MONTH],
    )


def year_entries(occasions, year):
    return entries_between(occasions, datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def known_to_the_year(entries):
    return [entry for entry in entries if precision(entry) == DatePrecision.YEAR]


def month_view(occasions, year, month):
    """The month, and the year's occurrences known only to the year (shown beside it).

    Returns ``(month, year_only_entries)``.
    """
    # The whole year is read: an occurrence known only to the year belongs to every month.
    entries = year_entries(occasions, year)
    return month_of(entries, datetime.date(year, month, 1)), known_to_the_year(entries)


def year_view(occasions, year):
    entries = year_entries(occasions, year)
    return Year(
        year=year,
        months=[month_of(entries, datetime.date(year, month, 1)) for month in range(1, 13)],
        undated=known_to_the_year(entries),
    )


def upcoming(occasions, today, days=UPCOMING_DAYS):
    """The occurrences of the ``days`` days from ``today`` (today included), and this
    month's occurrences whose day is not known (they may fall any day of it).

    Occurrences known only to the year are left to the calendar's year lists: placed on
    1 January, they would crowd the list every December, and tell nothing about when.
    """
    end = today + datetime.timedelta(days=days - 1)
    entries = entries_between(occasions, today.replace(day=1), end)
    return [
        entry
        for entry in entries
        if precision(entry) != DatePrecision.YEAR
        and (
            entry.occurrence.on >= today
            or (
                precision(entry) == DatePrecision.MONTH and entry.occurrence.on.month == today.month
            )
        )
    ]


def filtered(occasions, *, country=None, locality=None, kind=""):
    """``occasions`` of a country (its own, and its localities'), a locality, a kind."""
    if country is not None:
        occasions = occasions.filter(Q(country=country) | Q(locality__country=country))
    if locality is not None:
        occasions = occasions.filter(locality=locality)
    if kind:
        occasions = occasions.filter(kind=kind)
    return occasions
