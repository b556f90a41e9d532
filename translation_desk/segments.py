"""The translation desk's segments: a body cut into the blocks translated one by one.

A body's *segments* are its runs of inline content (text with bold, italics, links, line
breaks) between block tags: paragraphs, headings, list items, quotes, captions. The
XLIFF exchange and the side-by-side page both cut the Vietnamese source this way, give
each segment an id (``body-1``, ``body-2``…), and build the translation's body from the
source's own structure with each segment replaced by its translation
(:func:`rebuild_body`). Reading a translation back by the same ids
(:func:`target_segments`) keeps an untranslated (empty) paragraph in its place, so the
segments after it stay paired with their sources.
"""

import dataclasses
from difflib import SequenceMatcher
from html.parser import HTMLParser

from articles.models import ArticleTranslation, EditionStatus, Photo
from articles.revisions import source_revision_for
from translation_desk.terms import normalise

# Edition fields translated when the source has them; the title is required.
TEXT_FIELDS = ["title", "lead", "seo_description"]
# Photo fields translated, with the unit id suffix.
PHOTO_FIELDS = {"caption": "caption", "alt": "alt_text"}

# Inline elements stay inside a segment; any other tag (p, h2, li, blockquote, figure,
# img, hr…) ends one. The editor's allow-list (BODY_EDITOR_EXTENSIONS) has these inline.
INLINE_TAGS = {"a", "b", "strong", "i", "em", "u", "s", "br", "span", "code", "sub", "sup"}


class _BlockSplitter(HTMLParser):
    """Finds the runs of inline content (text and inline tags) between block tags, as
    (start, end) offsets into the HTML, so that the body can be rebuilt exactly."""

    def __init__(self, html):
        super().__init__(convert_charrefs=False)
        self.html = html
        self.line_offsets = [0]
        for line in html.splitlines(keepends=True):
            self.line_offsets.append(self.line_offsets[-1] + len(line))
        self.events = []  # (offset, is_inline)
        self.block_tags = set()  # the tags that end a run, by name
        self.feed(html)
        self.close()

    def _offset(self):
        line, column = self.getpos()
        return self.line_offsets[line - 1] + column

    def handle_starttag(self, tag, attrs):
        self._tag(tag)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._tag(tag)

    def _tag(self, tag):
        self.events.append((self._offset(), tag in INLINE_TAGS))
        if tag not in INLINE_TAGS:
            self.block_tags.add(tag)

    def handle_data(self, data):
        self.events.append((self._offset(), True))

    def handle_entityref(self, name):
        self.events.append((self._offset(), True))

    handle_charref = handle_entityref

    def handle_comment(self, data):
        self.events.append((self._offset(), False))
        self.block_tags.add("!--")

    def spans(self):
        """The (start, end) offsets of every run with text, surrounding blanks trimmed."""
        spans = []
        if not self.events:
            return spans
        run_start = None
        ends = [offset for offset, _inline in self.events[1:]] + [len(self.html)]
        for (start, inline), end in zip(self.events, ends, strict=True):
            if inline:
                if run_start is None:
                    run_start = start
                run_end = end
                continue
            if run_start is not None:
                spans.append((run_start, run_end))
                run_start = None
        if run_start is not None:
            spans.append((run_start, run_end))
        trimmed = []
        for start, end in spans:
            text = self.html[start:end]
            if not text.strip():
                continue
            trimmed.append(
                (start + len(text) - len(text.lstrip()), end - len(text) + len(text.rstrip()))
            )
        return trimmed


def body_segments(html):
    """The translatable blocks of a body: ``[(unit id, (start, end))]`` in order."""
    spans = _BlockSplitter(html or "").spans()
    return [(f"body-{number}", span) for number, span in enumerate(spans, start=1)]


def rebuild_body(source_html, translations):
    """The source body with each block replaced by ``translations[unit id]``."""
    parts = []
    position = 0
    for unit_id, (start, end) in body_segments(source_html):
        parts.append(source_html[position:start])
        parts.append(translations[unit_id])
        position = end
    parts.append(source_html[position:])
    return "".join(parts)


@dataclasses.dataclass
class BodyPairing:
    """A translation's body read by the current source's segment ids."""

    segments: dict  # {unit id: translated segment}, "" where untranslated
    # Rebuilding the body from ``segments`` keeps every translated segment: the
    # translation follows the source's structure (or the one it was made from).
    aligned: bool
    # Translated segments whose source paragraph was removed since the translation was made.
    dropped: list = dataclasses.field(default_factory=list)


def pair_body(source_html, target_html, made_from_html=None):
    """The translation ``target_html`` of ``source_html`` by segment, as a BodyPairing.

    A body built by :func:`rebuild_body` (or written block for block) has the source's
    structure: each segment is found, empty ones included. When the source has changed
    its paragraphs since, ``made_from_html`` (the source the translation was made from)
    gives the structure to read it with, and the segments are carried over to the current
    source's paragraphs: unchanged or edited ones keep their translation, new ones are
    empty, removed ones are ``dropped``. Otherwise (the translator merged or split
    paragraphs in the full form) the segments are paired in order (any beyond the
    source's count joined to the last) and not ``aligned``.
    """
    source_html, target_html = source_html or "", target_html or ""
    found = _by_structure(source_html, target_html)
    if found is not None:
        return BodyPairing(found, aligned=True)
    if made_from_html:
        earlier = _by_structure(made_from_html, target_html)
        if earlier is not None:
            return _carried_over(made_from_html, source_html, earlier)
    own = [target_html[start:end] for _unit_id, (start, end) in body_segments(target_html)]
    units = [unit_id for unit_id, _span in body_segments(source_html)]
    if units and len(own) > len(units):
        # More paragraphs than the source: the rest go with the last, so none is hidden.
        own[len(units) - 1 :] = [" ".join(own[len(units) - 1 :])]
    return BodyPairing(dict(zip(units, own, strict=False)), aligned=False)


def _by_structure(source_html, target_html):
    """``{unit id: target segment}`` of the target's text between the source's structure
    pieces, or None when the target does not have that structure. Every piece between two
    segments holds a block tag, which no segment holds: each is found at the first place
    after the previous one, and a segment found with a block tag in it means another
    structure."""
    segments = body_segments(source_html)
    if not segments:
        return None if target_html.strip() else {}
    starts = [start for _unit_id, (start, _end) in segments] + [len(source_html)]
    ends = [0] + [end for _unit_id, (_start, end) in segments]
    pieces = [source_html[end:start] for end, start in zip(ends, starts, strict=True)]
    if not target_html.startswith(pieces[0]) or not target_html.endswith(pieces[-1]):
        return None
    position = len(pieces[0])
    last = len(target_html) - len(pieces[-1])
    if last < position:
        return None
    found = {}
    for (unit_id, _span), piece in zip(segments, [*pieces[1:-1], None], strict=True):
        at = last if piece is None else target_html.find(piece, position, last)
        if at < 0 or block_tags(target_html[position:at]):
            return None
        found[unit_id] = target_html[position:at]
        position = at + len(piece or "")
    return found


def block_tags(html):
    """The names of the tags in ``html`` that would end a segment ("!--" for a comment):
    none in a segment's own text."""
    return _BlockSplitter(html).block_tags


def _carried_over(old_html, new_html, old_translations):
    """The translations of ``old_html``'s segments moved onto ``new_html``'s: paired where
    the two sources match or were edited in place."""
    old = [(unit_id, normalise(old_html[a:b])) for unit_id, (a, b) in body_segments(old_html)]
    new = [(unit_id, normalise(new_html[a:b])) for unit_id, (a, b) in body_segments(new_html)]
    matcher = SequenceMatcher(
        a=[text for _id, text in old], b=[text for _id, text in new], autojunk=False
    )
    segments = {unit_id: "" for unit_id, _text in new}
    dropped = []
    for _operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        paired = min(old_end - old_start, new_end - new_start)
        for offset in range(paired):
            segments[new[new_start + offset][0]] = old_translations[old[old_start + offset][0]]
        for old_id, _text in old[old_start + paired : old_end]:
            if old_translations[old_id].strip():
                dropped.append(old_translations[old_id])
    return BodyPairing(segments, aligned=True, dropped=dropped)


# --- What an article offers for translation -------------------------------------------


def article_photos(article):
    """The lead photo and the gallery's photos, each once, in page order (prefetched)."""
    photos = []
    if article.lead_photo_id:
        photos.append(article.lead_photo)
    for item in sorted(article.gallery.all(), key=lambda item: (item.position, item.pk)):
        if item.photo not in photos:
            photos.append(item.photo)
    return photos


def _photo_text(photo, language, field):
    for translation in photo.translations.all():
        if translation.language_code == language:
            return getattr(translation, field)
    return ""


def source_units(article, language, pairing=None):
    """``{unit id: (source text, current target text)}`` for ``article`` into ``language``,
    in export order; ``pairing`` is the translation's BodyPairing when already read."""
    source = article.source_edition()
    target = article.edition(language)
    units = {}
    for field in TEXT_FIELDS:
        text = getattr(source, field, "") if source else ""
        if text.strip():
            units[field] = (text, getattr(target, field, "") if target else "")
    source_body = source.body if source else ""
    if pairing is None and target is not None:
        pairing = body_pairing(target)
    translated = pairing.segments if pairing else {}
    for unit_id, (start, end) in body_segments(source_body):
        units[unit_id] = (source_body[start:end], translated.get(unit_id, ""))
    for photo in article_photos(article):
        for suffix, field in PHOTO_FIELDS.items():
            text = _photo_text(photo, article.source_language, field)
            if text.strip():
                units[f"photo-{photo.pk}-{suffix}"] = (text, _photo_text(photo, language, field))
    return units


def body_pairing(edition):
    """The BodyPairing of translation ``edition`` with its article's current source."""
    source = edition.source()
    made_from = source_revision_for(edition) if edition.is_outdated() else None
    return pair_body(
        source.body if source else "", edition.body, made_from.body if made_from else None
    )


def articles_for_exchange(queryset):
    """``queryset`` with what the export, the import and the side-by-side page read, in a
    fixed number of queries whatever the number of articles."""
    return queryset.select_related("lead_photo").prefetch_related(
        "translations",
        "lead_photo__translations",
        "gallery__photo__translations",
    )


def length_limit(unit_id):
    """The column's max_length for a unit (a title, an alt text…), or None."""
    if unit_id in TEXT_FIELDS:
        return ArticleTranslation._meta.get_field(unit_id).max_length
    if unit_id.startswith("photo-"):
        field = PHOTO_FIELDS[unit_id.rsplit("-", 1)[1]]
        return Photo._parler_meta.root_model._meta.get_field(field).max_length
    return None


def write_translation(
    article, language, translations, *, by, reason, follows_source, rebuilds_body
):
    """Write ``translations`` (``{unit id: text}``) into ``article``'s ``language`` edition
    (a new draft when it has none) and its photos' texts, and return the saved edition.

    Edition fields missing from ``translations`` keep their text. With ``rebuilds_body``
    the body is the source's structure around the translated segments (an untranslated one
    stays an empty block); without it the body is left as it is. ``follows_source`` marks
    the translation as made from the current source. A photo's caption or alternative
    text is written when translated, never emptied: photos are shared by articles, and a
    CAT tool may leave empty a unit it was not asked to change. ``reason`` is shown in the
    list of revisions. Call it inside a transaction that holds the edition's row lock.
    """
    edition = article.edition(language) or ArticleTranslation(
        master=article, language_code=language, status=EditionStatus.DRAFT
    )
    for field in TEXT_FIELDS:
        if field in translations:
            setattr(edition, field, translations[field].strip())
    if rebuilds_body:
        segments = {k: v.strip() for k, v in translations.items() if k.startswith("body-")}
        source = article.source_edition()
        edition.body = rebuild_body(source.body, segments) if segments else ""
    if follows_source or edition.pk is None:
        edition.follow_source()
    edition.last_edited_by = by
    edition._change_reason = reason
    edition.save()

    for photo in article_photos(article):
        texts = {
            field: translations.get(f"photo-{photo.pk}-{suffix}", "").strip()
            for suffix, field in PHOTO_FIELDS.items()
        }
        if any(texts.values()):
            photo.set_current_language(language)
            for field, text in texts.items():
                if text:
                    setattr(photo, field, text)
            photo.save()
    return edition
