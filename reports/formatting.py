"""Numbers written the way each language of the report writes them.

Django's own locale formats do not help here: Vietnamese has no grouping and Chinese groups
by four digits without a separator, while the union's reports write "1.234.567" (vi) and
"1,234,567" (en, zh-hans). Chinese prose counts large amounts in 万 and 亿 ("70万美元").
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import pgettext

# (thousands separator, decimal separator) per report language.
SEPARATORS = {"vi": (".", ","), "en": (",", "."), "zh-hans": (",", ".")}


@dataclass(frozen=True)
class Money:
    """An amount of money; VND is written without decimals, other currencies with two."""

    amount: Decimal
    currency: str

    @property
    def decimals(self):
        return 0 if self.currency == "VND" else 2


@dataclass(frozen=True)
class Percent:
    """A percentage with two decimals; ``None`` when it cannot be computed ("n/a")."""

    value: Decimal | None
    signed: bool = False


@dataclass(frozen=True)
class Days:
    """A duration in days, with one decimal (a translation published the same day is
    "0.4", not "0"); ``None`` when there was nothing to measure."""

    value: Decimal | None

    decimals = 1


def format_number(value, language, decimals=0):
    """``1234567`` → "1.234.567" (vi), "1,234,567" (en, zh-hans)."""
    thousands, decimal_mark = SEPARATORS.get(language, SEPARATORS["en"])
    quantum = Decimal(1).scaleb(-decimals)
    value = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _dot, fraction = f"{abs(value):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = thousands.join(groups)
    if decimals:
        text += decimal_mark + fraction
    return sign + text


def format_percent(percent, language):
    if percent.value is None:
        return pgettext("percentage that cannot be computed", "n/a")
    sign = "+" if percent.signed and percent.value > 0 else ""
    return f"{sign}{format_number(percent.value, language, 2)}%"


def format_value(value, language):
    """A table cell as readers see it (screen, PDF, DOCX)."""
    if value is None:
        return "—"
    if isinstance(value, Percent):
        return format_percent(value, language)
    if isinstance(value, Money):
        return format_number(value.amount, language, value.decimals)
    if isinstance(value, Days):
        if value.value is None:
            return "—"
        return format_number(value.value, language, value.decimals)
    if isinstance(value, int | Decimal):
        return format_number(value, language)
    return str(value)


def plain_value(value):
    """A table cell for machines (CSV, XLSX): a plain number, text, or None for "n/a"."""
    if isinstance(value, Percent | Days):
        return value.value
    if isinstance(value, Money):
        # The same digits on every database (SQLite's SUM drops the trailing zeros).
        return Decimal(value.amount).quantize(Decimal(1).scaleb(-value.decimals))
    return value


def prose_number(value, language, decimals=0):
    """A number inside a sentence: like tables, except Chinese counts in 万 and 亿 from
    10,000 up (rounded to two decimals, trailing zeros dropped: 700000 → "70万")."""
    value = Decimal(value)
    if language == "zh-hans" and abs(value) >= 10_000:
        unit, divisor = ("亿", Decimal(10) ** 8) if abs(value) >= 10**8 else ("万", Decimal(10**4))
        scaled = (value / divisor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        text = format_number(scaled, language, 2).rstrip("0").rstrip(".")
        return text + unit
    if decimals and value == value.to_integral_value():
        decimals = 0
    return format_number(value, language, decimals)


def prose_money(money, language):
    return prose_number(money.amount, language, money.decimals)
