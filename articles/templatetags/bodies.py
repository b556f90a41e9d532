"""{{ edition.body|sanitized_body }}: an article body, sanitized once more as it is printed.

Bodies are sanitized when saved (ArticleTranslation.save), but some writes skip save():
bulk_create (friendship_site/synthetic.py), queryset.update(), a database restored from a
backup. Sanitizing again on output (nh3 takes microseconds, and pages are cached) means a
body that never went through save() still cannot run a script in a reader's browser.
"""

from django import template
from django.utils.safestring import mark_safe

from articles.models import ArticleTranslation

register = template.Library()


@register.filter
def sanitized_body(value):
    # The body field's own sanitizer, with the allow-list of the editor.
    return mark_safe(ArticleTranslation._meta.get_field("body").sanitize(value or ""))
