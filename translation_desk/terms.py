"""Finding the term base's terms in an article and checking a translation against them.

Texts are compared after the same normalisation: HTML tags stripped and entities decoded,
Unicode NFC (a Vietnamese "ờ" typed as o + two combining marks is the same letter),
white space collapsed, case ignored. A term matches on word boundaries ("Lào" is not found
in "Làocai"), except on the side of a Chinese or Japanese character, where words are not
separated by spaces.
"""

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles.models import Photo
from translation_desk.models import Term, TermOverride, TermProblemKind, problem_key

TAG = re.compile(r"(<[^>]*>)")


def normalise(text):
    """Plain, NFC text with single spaces, from ``text`` (HTML or not)."""
    text = html.unescape(strip_tags(text or ""))
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _is_word_char(char):
    # CJK ideographs count as word characters for \w, but Chinese has no spaces between
    # words: a boundary next to one would never match inside a sentence.
    return (char.isalnum() or char == "_") and not unicodedata.name(char, "").startswith(
        ("CJK", "HIRAGANA", "KATAKANA")
    )


@lru_cache(maxsize=2048)
def phrase_pattern(phrase):
    """A pattern finding ``phrase`` in normalised text (any white space between words)."""
    phrase = normalise(phrase)
    body = r"\s+".join(re.escape(word) for word in phrase.split(" "))
    before = r"(?<!\w)" if _is_word_char(phrase[0]) else ""
    after = r"(?!\w)" if _is_word_char(phrase[-1]) else ""
    return re.compile(before + body + after, re.IGNORECASE)


def contains(text, phrase):
    """Whether normalised ``text`` contains ``phrase`` as a term."""
    return bool(phrase.strip()) and phrase_pattern(phrase).search(text) is not None


def edition_text(edition):
    """The words of an edition a reader sees: title, lead, body, and the captions of the
    article's photos in the edition's language, normalised and joined."""
    article = edition.master
    photo_ids = [*article.gallery.values_list("photo_id", flat=True)]
    if article.lead_photo_id:
        photo_ids.append(article.lead_photo_id)
    captions = Photo._parler_meta.root_model.objects.filter(
        master_id__in=photo_ids, language_code=edition.language_code
    ).values_list("caption", flat=True)
    parts = [edition.title, edition.lead, edition.body, *captions]
    # A line between the parts, so a term never matches across two of them.
    return "\n".join(normalise(part) for part in parts if part)


def found_source_form(term, language, text):
    """The form in which ``term`` appears in ``text`` (a ``language`` source), or None."""
    return next((form for form in term.source_forms(language) if contains(text, form)), None)


def terms_in(text, language, terms=None):
    """[(term, the form found)] of the terms named in normalised ``text``, in ``language``."""
    terms = Term.objects.all() if terms is None else terms
    found = []
    for term in terms:
        form = found_source_form(term, language, text)
        if form is not None:
            found.append((term, form))
    return found


@dataclass(frozen=True)
class TermProblem:
    term: Term
    kind: str  # a TermProblemKind
    source_text: str  # the term as the source names it
    expected: str  # the approved rendering in the target language
    found_variant: str = ""  # the forbidden variant the target uses

    @property
    def key(self):
        return problem_key(self.term.pk, self.kind, self.found_variant)

    @property
    def message(self):
        """The problem in the active language (the translator's)."""
        values = {
            "source": self.source_text,
            "expected": self.expected,
            "variant": self.found_variant,
        }
        if self.kind == TermProblemKind.FORBIDDEN and not self.expected:
            return _("“%(variant)s” is a forbidden rendering of “%(source)s”.") % values
        if self.kind == TermProblemKind.FORBIDDEN:
            return (
                _("“%(variant)s” is a forbidden rendering of “%(source)s”: use “%(expected)s”.")
                % values
            )
        return (
            _(
                "“%(source)s” is in the source, but its approved rendering “%(expected)s” "
                "is not in the translation."
            )
            % values
        )


def check_texts(source_text, source_language, target_text, target_language, terms=None):
    """The problems of a translation, from normalised texts (see :func:`check`)."""
    problems = []
    for term, form in terms_in(source_text, source_language, terms):
        expected = term.rendering(target_language)
        # A variant inside the approved rendering ("Alounxay" beside "Alounxay SounNaLath")
        # is used only where it stands outside it.
        elsewhere = phrase_pattern(expected).sub("\n", target_text) if expected else target_text
        variants = [
            variant
            for variant in term.forbidden_variants(target_language)
            if contains(elsewhere, variant)
        ]
        for variant in variants:
            problems.append(TermProblem(term, TermProblemKind.FORBIDDEN, form, expected, variant))
        if expected and not variants and not contains(target_text, expected):
            problems.append(TermProblem(term, TermProblemKind.MISSING, form, expected))
    return problems


def check(edition):
    """The term problems of translation ``edition`` against its article's source: each
    source term whose approved rendering is missing, and each forbidden variant used."""
    article = edition.master
    source = article.edition(article.source_language)
    if source is None or edition.language_code == article.source_language:
        return []
    return check_texts(
        edition_text(source),
        article.source_language,
        edition_text(edition),
        edition.language_code,
    )


def unresolved(edition, problems=None):
    """The problems of ``edition`` that no recorded override covers."""
    problems = check(edition) if problems is None else problems
    overridden = {override.problem_key for override in edition.term_overrides.all()}
    return [problem for problem in problems if problem.key not in overridden]


def record_overrides(edition, problems, reasons, *, by):
    """Record an override of each of ``problems`` that has a reason in ``reasons`` (a
    mapping of problem key to text); return the problems left without one."""
    left = []
    for problem in problems:
        reason = (reasons or {}).get(problem.key, "").strip()
        if not reason:
            left.append(problem)
            continue
        TermOverride.objects.create(
            edition=edition,
            term=problem.term,
            kind=problem.kind,
            source_text=problem.source_text,
            expected=problem.expected,
            found_variant=problem.found_variant,
            reason=reason,
            overridden_by=by,
            edition_version=edition.version,
        )
    return left


def mark_terms(source_html, source_language, target_language, terms=None):
    """``source_html`` with each term found in its text wrapped in
    ``<mark class="term" data-rendering="…" title="…">`` giving the approved rendering in
    ``target_language``. Tags and attributes are left as they are; a term split by a tag
    is not marked."""
    terms = list(Term.objects.all() if terms is None else terms)
    forms = {}
    for term in terms:
        if not term.rendering(target_language):
            continue
        for form in term.source_forms(source_language):
            forms.setdefault(normalise(form).casefold(), (term, form))
    if not forms:
        return mark_safe(source_html)  # noqa: S308 -- the editor's sanitised body, unchanged
    # Longest first, so "Ủy ban nhân dân tỉnh Bình Dương" wins over "Ủy ban nhân dân tỉnh".
    ordered = sorted(forms.values(), key=lambda item: -len(item[1]))
    pattern = re.compile(
        "|".join(f"(?:{phrase_pattern(form).pattern})" for _term, form in ordered),
        re.IGNORECASE,
    )
    by_form = {normalise(form).casefold(): term for term, form in ordered}

    def mark(match):
        found = match.group(0)
        term = by_form.get(re.sub(r"\s+", " ", found).casefold())
        if term is None:  # matched case-insensitively in a way casefold() does not map
            term = next(t for t, form in ordered if phrase_pattern(form).fullmatch(found))
        rendering = term.rendering(target_language)
        title = f"{rendering} — {term.note}" if term.note else rendering
        return format_html(
            '<mark class="term" data-rendering="{}" title="{}">{}</mark>', rendering, title, found
        )

    pieces = []
    for piece in TAG.split(source_html):
        if piece.startswith("<"):
            pieces.append(piece)
        else:
            text = unicodedata.normalize("NFC", html.unescape(piece))
            pieces.append(_mark_text(text, pattern, mark))
    return mark_safe("".join(pieces))  # noqa: S308 -- tags kept, every text piece escaped


def _mark_text(text, pattern, mark):
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(mark(match))
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)
