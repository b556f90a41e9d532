"""Translation memory, light: a source paragraph already translated elsewhere.

An edition is cut into *segments*: its title (index 0), its lead (index 1) and each block
of its body (index 2 on): paragraphs, headings h2–h4, list items and quotes, the innermost
block only (a list item holding a paragraph is one segment, not two). Segments compare on
their plain text, NFC, with runs of whitespace made one space: bold, italics or a link
inside a sentence do not change what there is to translate, and the body editor writes
the same sentence with different inline markup depending on how it was typed or pasted.
The offered translation keeps its inline markup (``Suggestion.html``) for the translator
to paste.

A translation of another article is offered for a source segment when that article's
source has the identical segment and its edition in the target language is approved or
published and follows the current source (not outdated). Title and lead pair with title
and lead; body blocks pair by position, and only when the source and its translation have
the same number of blocks (otherwise a merged or split paragraph would shift every pair
after it, and the offer would be the wrong sentence).

Cost: two queries whatever the number of articles. The first reads title, lead and body of
the sources of every article with a usable translation in the target language (one pass,
proportional to the translated articles: a few hundred kilobytes per thousand articles)
and hashes their segments in Python; the second reads the matching translations only. A
stored segment-hash table (a model of the translation desk) would make the first query an
index lookup when the archive grows into tens of thousands of translated articles.
"""

import datetime
import html
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from articles.models import (
    Article,
    ArticleTranslation,
    EditionEvent,
    EditionStatus,
    WorkflowAction,
)

# The body blocks that are segments; the innermost one wins when they nest.
SEGMENT_TAGS = {"p", "h2", "h3", "h4", "li", "blockquote"}
# Title and lead come before the body's blocks.
TITLE, LEAD, FIRST_BLOCK = 0, 1, 2
# A translation is usable as memory in these states (and when not outdated).
APPROVED_STATES = [EditionStatus.APPROVED, EditionStatus.PUBLISHED]

_whitespace = re.compile(r"\s+")


def normalize(text):
    """The form segments compare in: NFC, whitespace runs as one space, trimmed."""
    return _whitespace.sub(" ", unicodedata.normalize("NFC", text)).strip()


class _BlockParser(HTMLParser):
    """Collects the innermost segment blocks of body HTML as (plain text, inner HTML)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        # One entry per open segment block: [text parts, html parts, has inner block].
        self._open = []

    def handle_starttag(self, tag, attrs):
        if tag in SEGMENT_TAGS:
            if self._open:
                self._open[-1][2] = True
            self._open.append([[], [], False])
        elif self._open:
            self._open[-1][1].append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        if self._open:
            if tag == "br":
                self._open[-1][0].append(" ")
            self._open[-1][1].append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag in SEGMENT_TAGS and self._open:
            text, markup, has_inner = self._open.pop()
            if not has_inner:
                self.blocks.append(("".join(text), "".join(markup)))
        elif self._open:
            self._open[-1][1].append(f"</{tag}>")

    def handle_data(self, data):
        if self._open:
            self._open[-1][0].append(data)
            self._open[-1][1].append(html.escape(data, quote=False))


def body_blocks(body):
    """[(normalized plain text, inner HTML)] of the body's segment blocks, in order
    (empty blocks are kept: they hold a position the translation mirrors)."""
    parser = _BlockParser()
    parser.feed(body or "")
    parser.close()
    return [(normalize(text), markup.strip()) for text, markup in parser.blocks]


def segments(title, lead, body):
    """The normalized plain texts of an edition's segments, by index (see module doc)."""
    return [normalize(title or ""), normalize(lead or "")] + [
        text for text, _markup in body_blocks(body)
    ]


@dataclass(frozen=True)
class Suggestion:
    text: str  # the approved translation of the segment, plain
    html: str  # the same with its inline markup (title and lead: escaped plain text)
    source_article: Article
    language: str
    approved_at: datetime.datetime | None


def _target_segments(title, lead, body):
    texts = [normalize(title or ""), normalize(lead or "")]
    return [(text, html.escape(text, quote=False)) for text in texts] + body_blocks(body)


def _usable_translations(language):
    """Editions in ``language`` that may serve as memory: approved or published, of an
    article whose source they translate, and following its current text."""
    source_version = ArticleTranslation.objects.filter(
        master=OuterRef("master"), language_code=OuterRef("master__source_language")
    ).values("content_version")[:1]
    return (
        ArticleTranslation.objects.filter(language_code=language, status__in=APPROVED_STATES)
        .exclude(master__source_language=language)
        .annotate(current_source_version=Subquery(source_version))
        .filter(
            Q(source_content_version__isnull=True)
            | Q(source_content_version__gte=F("current_source_version"))
        )
    )


def suggestions_for(edition_or_article, target_language):
    """Approved translations in ``target_language`` of this edition's segments found in
    other articles: ``{segment index: [Suggestion]}``, one per distinct wording (from its
    newest approval), newest approval first; segments without any are left out.
    ``edition_or_article`` is a source edition or an article (its source edition is used)."""
    if isinstance(edition_or_article, Article):
        edition = edition_or_article.source_edition()
    else:
        edition = edition_or_article
    if edition is None:
        return {}
    wanted = {}
    for index, text in enumerate(segments(edition.title, edition.lead, edition.body)):
        if text:
            wanted.setdefault(text, []).append(index)
    if not wanted:
        return {}

    usable = _usable_translations(target_language).filter(master=OuterRef("master"))
    sources = (
        ArticleTranslation.objects.filter(
            language_code=F("master__source_language"),
            master__source_language=edition.language_code,
        )
        .exclude(master=edition.master_id)
        .filter(Exists(usable))
        .values_list("master_id", "title", "lead", "body")
    )
    # (article, segment index) → the index in this edition, and each article's block count.
    matches, source_blocks = {}, {}
    for article_id, title, lead, body in sources:
        texts = segments(title, lead, body)
        source_blocks[article_id] = len(texts) - FIRST_BLOCK
        for index, text in enumerate(texts):
            for own_index in wanted.get(text, ()):
                matches.setdefault((article_id, index), []).append(own_index)
    if not matches:
        return {}

    approved_at = (
        EditionEvent.objects.filter(
            article=OuterRef("master"),
            language_code=OuterRef("language_code"),
            action=WorkflowAction.APPROVE,
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    translations = (
        _usable_translations(target_language)
        .filter(master__in={article_id for article_id, _index in matches})
        .annotate(approved=Coalesce(Subquery(approved_at), F("published_at")))
        .select_related("master")
        .order_by(F("approved").desc(nulls_last=True), "-pk")
    )
    found = {}
    for translation in translations:
        target = _target_segments(translation.title, translation.lead, translation.body)
        same_shape = len(target) - FIRST_BLOCK == source_blocks[translation.master_id]
        for index, (text, markup) in enumerate(target):
            own_indexes = matches.get((translation.master_id, index))
            if not own_indexes or not text or (index >= FIRST_BLOCK and not same_shape):
                continue
            suggestion = Suggestion(
                text=text,
                html=markup,
                source_article=translation.master,
                language=target_language,
                approved_at=translation.approved,
            )
            for own_index in own_indexes:
                offered = found.setdefault(own_index, {})
                # The motto is in dozens of articles: one offer per wording, the newest.
                offered.setdefault(text, suggestion)
    return {index: list(found[index].values()) for index in sorted(found)}
