"""Dates that the union's sources give only to the month or the year."""

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DatePrecision(models.TextChoices):
    """How much of a stored date is known.

    Sources often say "in August 2024" or "10 years in 2025": the date is then stored as
    the first day of that month or year, and this says which parts are real.
    """

    DAY = "day", _("Exact day")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


def format_partial_date(value, precision):
    """Format ``value`` showing only the parts that ``precision`` says are known."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


MONTH_PRECISION_HELP = pgettext_lazy(
    "help text",
    "When only the month or the year is known, enter the first day of it and choose the precision.",
)
