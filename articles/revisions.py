"""Revisions of editions (kept by django-simple-history on every save) and readable diffs."""

import difflib
import re
from html import unescape

from django.db import transaction
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles.models import CONTENT_FIELDS, EditionEvent, WorkflowAction

BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption)>|<br\s*/?>", re.IGNORECASE)
# Words, and runs of anything else; Chinese has no spaces, so each ideograph is a word.
TOKEN = re.compile(r"[\u3400-\u9fff]|\w+|\s+|[^\w\s]", re.UNICODE)


def readable_text(html):
    """The text of a body as a reader sees it, one paragraph per line."""
    text = BLOCK_END.sub("\n", html or "")
    lines = (unescape(strip_tags(line)).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def diff_html(old, new):
    """Word-level diff of two texts as HTML with <del> and <ins>, escaped."""
    old_tokens, new_tokens = TOKEN.findall(old), TOKEN.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        removed = "".join(old_tokens[a_start:a_end])
        added = "".join(new_tokens[b_start:b_end])
        if operation == "equal":
            parts.append(escape(removed))
            continue
        if removed:
            parts.append(f"<del>{escape(removed)}</del>")
        if added:
            parts.append(f"<ins>{escape(added)}</ins>")
    return mark_safe("".join(parts).replace("\n", "<br>"))  # noqa: S308 (escaped above)


def field_text(record, name):
    value = getattr(record, name, "") or ""
    return readable_text(value) if name == "body" else value


def compare(old, new):
    """[(label, diff HTML, changed?)] for title, lead and body of two revisions."""
    rows = []
    for name in CONTENT_FIELDS:
        before, after = field_text(old, name), field_text(new, name)
        label = new._meta.get_field(name).verbose_name
        rows.append((label, diff_html(before, after), before != after))
    return rows


def source_revision_for(translation):
    """The source's revision that ``translation`` was made from (or last confirmed against)."""
    source = translation.source()
    if source is None or translation.source_content_version is None:
        return None
    return (
        source.history.filter(content_version=translation.source_content_version)
        .order_by("-history_date")
        .first()
    )


def source_changes(translation):
    """What changed in the source since ``translation`` was made: compare() rows, or []."""
    if not translation.is_outdated():
        return []
    then = source_revision_for(translation)
    if then is None:
        return []
    return [row for row in compare(then, translation.source()) if row[2]]


@transaction.atomic
def restore(edition, record, *, by):
    """Bring back the text of revision ``record``; the state does not change."""
    for name in [*CONTENT_FIELDS, "seo_description", "reporter_credit", "translator_credit"]:
        setattr(edition, name, getattr(record, name))
    edition.last_edited_by = by
    edition._change_reason = _("Restored the revision of %(date)s") % {
        "date": record.history_date.isoformat(timespec="minutes")
    }
    edition.save()
    return EditionEvent.objects.create(
        article=edition.master,
        language_code=edition.language_code,
        action=WorkflowAction.RESTORE,
        actor=by,
        comment=edition._change_reason,
    )
