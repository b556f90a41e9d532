"""Bar charts drawn as SVG: inline on the admin page and in the PDF, no JavaScript and no
plotting library."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from reports.formatting import format_number

FONT = "DejaVu Sans, WenQuanYi Micro Hei, sans-serif"


def bar_chart(bars, language, title="", width=640, label_width=230, row_height=20):
    """Horizontal bars, one per ``(label, value)``, the value written after each bar."""
    top = 24 if title else 4
    height = top + row_height * len(bars) + 4
    largest = max((value for _label, value in bars), default=0) or 1
    space = width - label_width - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}" font-size="11">'
    ]
    if title:
        parts.append(f'<text x="0" y="14" font-weight="bold">{escape(title)}</text>')
    for index, (label, value) in enumerate(bars):
        y = top + index * row_height
        bar = round(space * value / largest, 1)
        text_y = y + row_height * 0.65
        shown = label if len(label) <= 38 else label[:37] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{text_y}" text-anchor="end">{escape(shown)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{bar}" height="{row_height - 6}" '
            f'fill="#417690"/>'
            f'<text x="{label_width + bar + 4}" y="{text_y}">'
            f"{format_number(value, language)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
