"""The side-by-side translation page: the source and its translation, part by part.

Each row is one translation unit of translation_desk.segments (title, lead, description
for search engines, each paragraph of the body, each photo's caption and alternative
text): the Vietnamese source with the term base's terms marked with their approved
rendering, the translation as it stands, what changed in that part of the source since
the translation was made, the terms' state in the translation, and the translation
memory's offers. Saving writes the units through segments.write_translation under the
same row lock and version check as the admin's form.
"""

import dataclasses
from difflib import SequenceMatcher

from django import forms
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.forms import edit_conflict_message
from articles.models import ArticleTranslation
from articles.revisions import diff_html, source_revision_for
from translation_desk import memory
from translation_desk.models import Term, TermProblemKind
from translation_desk.segments import (
    TEXT_FIELDS,
    article_photos,
    block_tags,
    body_pairing,
    body_segments,
    length_limit,
    source_units,
)
from translation_desk.terms import check_texts, mark_terms, normalise, terms_in

# How a term stands in one part of the translation (shown beside the source).
TERM_OK, TERM_MISSING, TERM_FORBIDDEN = "ok", "missing", "forbidden"


@dataclasses.dataclass
class TermInPart:
    term: Term
    source_form: str  # as the source writes it
    rendering: str  # approved, in the target language
    forbidden: list  # the target language's forbidden variants
    state: str  # TERM_OK, TERM_MISSING or TERM_FORBIDDEN
    variant: str = ""  # the forbidden variant used


@dataclasses.dataclass
class Row:
    """One translation unit on the page."""

    unit: str
    label: str
    source: str  # HTML, the terms marked
    target: str  # the translation's text (inline HTML for body parts)
    multiline: bool
    changed: str = ""  # word diff HTML of this part of the source since the translation
    terms: list = dataclasses.field(default_factory=list)  # TermInPart
    suggestions: list = dataclasses.field(default_factory=list)  # memory.Suggestion
    field: object = None  # the form's bound field, when the page is editable


@dataclasses.dataclass
class Page:
    rows: list
    # The body is edited part by part (False: its paragraphs were merged or split in the
    # full form, and it is shown here, not edited, unless the translator restructures it).
    body_editable: bool
    # The translation's paragraphs, paired in order, take the source's structure on save.
    restructuring: bool
    dropped: list  # translated paragraphs whose source paragraph was removed
    untranslated: int  # parts with no translation yet


def unit_label(unit, photo_numbers):
    if unit == "title":
        return _("Title")
    if unit == "lead":
        return _("Lead")
    if unit == "seo_description":
        return _("Description for search engines")
    kind, _dash, rest = unit.partition("-")
    if kind == "body":
        return _("Paragraph %(number)s") % {"number": rest}
    photo_pk, _dash, field = rest.rpartition("-")
    number = photo_numbers.get(int(photo_pk), photo_pk)
    if field == "caption":
        return _("Caption of photo %(number)s") % {"number": number}
    return _("Alternative text of photo %(number)s") % {"number": number}


def build_page(article, language, restructure=False):
    """The rows of ``article``'s side-by-side page into ``language`` (see module doc);
    ``article`` comes from segments.articles_for_exchange. With ``restructure`` a body
    that does not follow the source's paragraphs is edited too, paired in order."""
    source = article.source_edition()
    edition = article.edition(language)
    pairing = body_pairing(edition) if edition else None
    units = source_units(article, language, pairing)
    follows_source_structure = pairing is None or pairing.aligned
    changes = changed_parts(edition) if edition else {}
    terms = list(Term.objects.all())
    offers = _offers(source, language)
    photo_numbers = {photo.pk: n for n, photo in enumerate(article_photos(article), start=1)}
    rows = []
    for unit, (source_text, target_text) in units.items():
        plain = normalise(source_text)
        rows.append(
            Row(
                unit=unit,
                label=unit_label(unit, photo_numbers),
                source=mark_terms(
                    source_text if unit.startswith("body-") else escape(source_text),
                    article.source_language,
                    language,
                    terms,
                ),
                target=target_text,
                multiline=unit != "title" and not unit.endswith("-alt"),
                changed=changes.get(unit, ""),
                terms=terms_in_part(plain, article.source_language, target_text, language, terms),
                suggestions=[
                    offer
                    for offer in offers.get(plain, [])
                    if normalise(offer.html) != normalise(target_text)
                ],
            )
        )
    return Page(
        rows=rows,
        body_editable=follows_source_structure or restructure,
        restructuring=restructure and not follows_source_structure,
        dropped=pairing.dropped if pairing else [],
        untranslated=sum(1 for row in rows if not row.target.strip()),
    )


def terms_in_part(source_plain, source_language, target_text, target_language, terms):
    """[TermInPart] of the terms the source part names, and how the translation renders
    them (the same rules as the check before submission, on this part alone)."""
    problems = {
        problem.term.pk: problem
        for problem in check_texts(
            source_plain, source_language, normalise(target_text), target_language, terms
        )
    }
    found = []
    for term, form in terms_in(source_plain, source_language, terms):
        rendering = term.rendering(target_language)
        if not rendering and term.pk not in problems:
            continue
        problem = problems.get(term.pk)
        state = TERM_OK
        if problem is not None:
            state = TERM_FORBIDDEN if problem.kind == TermProblemKind.FORBIDDEN else TERM_MISSING
        found.append(
            TermInPart(
                term=term,
                source_form=form,
                rendering=rendering,
                forbidden=term.forbidden_variants(target_language),
                state=state,
                variant=problem.found_variant if problem else "",
            )
        )
    return found


def _offers(source, language):
    """{normalised source text: [memory.Suggestion]} for the source's segments."""
    if source is None:
        return {}
    texts = memory.segments(source.title, source.lead, source.body)
    offers = {}
    for index, suggestions in memory.suggestions_for(source, language).items():
        offers.setdefault(normalise(texts[index]), []).extend(suggestions)
    return offers


def changed_parts(edition):
    """``{unit id: word diff HTML}`` of the source's parts changed since translation
    ``edition`` was made (or last confirmed): title, lead, description and body
    paragraphs, a new paragraph shown as wholly inserted. Empty when it is up to date."""
    if not edition.is_outdated():
        return {}
    then = source_revision_for(edition)
    if then is None:
        return {}
    now = edition.source()
    changes = {}
    for name in TEXT_FIELDS:
        before, after = normalise(getattr(then, name, "")), normalise(getattr(now, name, ""))
        if before != after and after:
            changes[name] = diff_html(before, after)
    old = [normalise(then.body[a:b]) for _unit, (a, b) in body_segments(then.body)]
    new = [(unit, normalise(now.body[a:b])) for unit, (a, b) in body_segments(now.body)]
    matcher = SequenceMatcher(a=old, b=[text for _unit, text in new], autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            continue
        for offset in range(new_end - new_start):
            before = old[old_start + offset] if old_start + offset < old_end else ""
            unit, after = new[new_start + offset]
            changes[unit] = diff_html(before, after)
    return changes


# --- The form ---------------------------------------------------------------------------


class SideBySideForm(forms.Form):
    """The translation's units of one article, with the edition version the translator
    started from: a save over somebody else's newer save is refused and the text kept,
    like the admin's form (articles.forms.ArticleAdminForm)."""

    started_edition_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    source_applied = forms.BooleanField(
        label=gettext_lazy("This translation now follows the current source"),
        required=False,
        help_text=gettext_lazy("Tick when you have brought the changes of the source into it."),
    )

    def __init__(self, *args, article, language, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.language = language
        edition = article.edition(language)
        self.fields["started_edition_version"].initial = edition.version if edition else 0
        if edition is None or not edition.is_outdated():
            del self.fields["source_applied"]
        for row in page.rows:
            if row.unit.startswith("body-") and not page.body_editable:
                continue
            widget = (
                forms.Textarea(attrs={"rows": 3, "lang": language})
                if row.multiline
                else forms.TextInput(attrs={"lang": language})
            )
            self.fields[row.unit] = forms.CharField(
                label=row.label,
                required=row.unit == "title",
                strip=True,
                max_length=length_limit(row.unit),
                initial=row.target,
                widget=widget,
            )
            row.field = self[row.unit]

    def clean(self):
        cleaned_data = super().clean()
        for name, value in list(cleaned_data.items()):
            if name.startswith("body-") and value:
                blocks = block_tags(value)
                if blocks:
                    self.add_error(
                        name,
                        _(
                            "Only bold, italics, links and line breaks inside a paragraph "
                            "(not: %(tags)s). Paragraphs are added or removed in the source."
                        )
                        % {"tags": ", ".join(sorted(blocks))},
                    )
        stored = (
            ArticleTranslation.objects.select_for_update(of=("self",))
            .filter(master_id=self.article.pk, language_code=self.language)
            .select_related("last_edited_by")
            .first()
        )
        started_from = cleaned_data.get("started_edition_version") or 0
        if stored is not None and stored.version != started_from:
            # A deliberate second save goes through: the form now carries the stored version.
            self.data = self.data.copy()
            self.data["started_edition_version"] = stored.version
            raise forms.ValidationError(
                edit_conflict_message(stored.last_edited_by, stored.updated_at),
                code="edit_conflict",
            )
        return cleaned_data

    def translations(self):
        """``{unit id: text}`` of the units on the form."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"started_edition_version", "source_applied"}
        }
