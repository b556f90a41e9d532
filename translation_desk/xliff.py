"""XLIFF exchange with outside translators: export articles for a target language, import
the translated file back.

XLIFF 1.2, not 2.x: it is what OmegaT, memoQ, Trados and Poedit all import and export,
and what translate-toolkit (which writes and reads it here) supports. One ``<file>`` per
article (``original="article-<pk>"``), one ``<trans-unit>`` per field or body block:

- ``title``, ``lead``, ``seo_description`` (when the source has them);
- ``body-1``, ``body-2``… one per block of the body (paragraph, heading, list item,
  quote, caption), in order; inline markup (bold, italic, links, line breaks) stays in the
  segment as escaped HTML text, so the round trip is exact and the translator sees where
  a link goes; the body is rebuilt around the translated blocks from the source's own
  structure and sanitized on save like any body;
- ``photo-<pk>-caption`` and ``photo-<pk>-alt`` for the lead photo and the gallery.

The ``<source>`` of every unit is the Vietnamese text at export: the import compares it
with the current source and refuses the whole file when anything changed since (a
conflict report says which article, which unit, old and new text). The edition's
version at export travels on the ``<file>`` (``nr:edition-version``), so a translation
edited in the admin after the export is a conflict too. Uploaded files are checked with
defusedxml before translate-toolkit (lxml) sees them: no DTD, no entities.
"""

import dataclasses
import html
from html.parser import HTMLParser

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree
from translate.storage import xliff as xliff_storage
from translate.storage.placeables import StringElem
from translate.storage.placeables.xliff import G, X

from articles import workflow
from articles.models import Article, ArticleTranslation, EditionStatus
from translation_desk.segments import (
    articles_for_exchange,
    length_limit,
    source_units,
    write_translation,
)

NAMESPACE = "urn:friendship-newsroom:xliff"
VERSION_ATTRIBUTE = f"{{{NAMESPACE}}}edition-version"
NO_EDITION = "none"
MAX_UPLOAD_SIZE = 10 * 1024 * 1024
XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"

# Editions in these states take an imported translation and go (or stay) in review; a
# translation that is approved or in front of readers goes through the admin instead.
IMPORTABLE_STATES = {EditionStatus.DRAFT, EditionStatus.CHANGES_REQUESTED, EditionStatus.IN_REVIEW}


class Xliff12File(xliff_storage.xlifffile):
    """translate-toolkit's XLIFF store, writing 1.2 (its default skeleton is 1.1; it reads
    both)."""

    XMLskeleton = f"""<?xml version="1.0" ?>
<xliff version="1.2" xmlns="{XLIFF_12}">
<file original="NoName" source-language="vi" datatype="plaintext">
<body>
</body>
</file>
</xliff>"""
    namespace = XLIFF_12


def target_languages():
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


# --- Inline markup as XLIFF inline codes -----------------------------------------------

# Inline elements become <g id="n"> (paired) or <x id="n"/> (empty) codes: CAT tools show
# them as protected tags the translator moves but cannot break, and the link addresses
# stay out of the text. The codes' ids map back to the source's own tags on import.
EMPTY_INLINE_TAGS = {"br", "wbr"}
CODE_TYPES = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic"}
CODE_TYPES |= {"u": "underlined", "a": "link", "br": "lb"}


class _InlineCodes(HTMLParser):
    """One segment's HTML as a rich string of text and G/X codes, and ``tags``: the
    source's tag of each code id, ``{id: (name, start tag as written)}``."""

    def __init__(self, segment):
        super().__init__(convert_charrefs=True)
        self.tags = {}
        self.stack = [(None, None, [])]
        self.feed(segment)
        self.close()
        while len(self.stack) > 1:  # unclosed tags (nh3's output has none)
            self.handle_endtag(self.stack[-1][0])
        self.rich = StringElem(self.stack[0][2])

    def _new_id(self, tag):
        code_id = str(len(self.tags) + 1)
        self.tags[code_id] = (tag, self.get_starttag_text())
        return code_id

    def handle_starttag(self, tag, attrs):
        if tag in EMPTY_INLINE_TAGS:
            self.stack[-1][2].append(X(id=self._new_id(tag)))
        else:
            self.stack.append((tag, self._new_id(tag), []))

    def handle_startendtag(self, tag, attrs):
        self.stack[-1][2].append(X(id=self._new_id(tag)))

    def handle_endtag(self, tag):
        if not any(name == tag for name, _id, _children in self.stack[1:]):
            return
        while True:
            name, code_id, children = self.stack.pop()
            self.stack[-1][2].append(G(sub=children, id=code_id))
            if name == tag:
                return

    def handle_data(self, data):
        self.stack[-1][2].append(StringElem(data))


def inline_codes(segment):
    """``(rich string, tags)`` of a body segment (see _InlineCodes)."""
    parsed = _InlineCodes(segment)
    return parsed.rich, parsed.tags


def codes_to_html(rich, tags, problems):
    """The HTML of a rich string, each code replaced by the source's tag of its id;
    codes the source does not have are listed in ``problems`` and dropped."""
    parts = []
    for element in rich if isinstance(rich, list) else [rich]:
        if isinstance(element, str):
            parts.append(html.escape(element, quote=False))
        elif isinstance(element, G):
            name, start = tags.get(element.id, (None, None))
            inner = codes_to_html(element.sub, tags, problems)
            if name is None or name in EMPTY_INLINE_TAGS:
                problems.append(element.id)
                parts.append(inner)
            else:
                parts.append(f"{start}{inner}</{name}>")
        elif isinstance(element, X):
            name, start = tags.get(element.id, (None, None))
            if name is None or name not in EMPTY_INLINE_TAGS:
                problems.append(element.id)
            else:
                parts.append(start)
        elif type(element) is StringElem:
            parts.append(codes_to_html(element.sub, tags, problems))
        else:  # bx, ex, ph, bpt…: not what we exported
            problems.append(getattr(element, "id", None) or type(element).__name__)
    return "".join(parts)


def _set_code_types(unit, node_name, tags):
    """ctype="bold", "link"… on the codes, which CAT tools show (translate-toolkit does
    not write it)."""
    node = unit.xmlelement.find(unit.namespaced(node_name))
    for code in node.iter():
        if etree.QName(code).localname in {"g", "x"}:
            name = tags.get(code.get("id"), ("", ""))[0]
            code.set("ctype", CODE_TYPES.get(name, f"x-html-{name}"))


def file_name(article):
    return f"article-{article.pk}"


# --- Export ---------------------------------------------------------------------------


def export(articles, target_language):
    """An XLIFF 1.2 document (bytes) of ``articles`` for translation into
    ``target_language``; existing translations are in the targets for revision."""
    if target_language not in target_languages():
        raise ValueError(f"not a target language: {target_language}")
    store = Xliff12File(sourcelanguage=settings.LANGUAGE_CODE, targetlanguage=target_language)
    root = store.document.getroot()
    for article in articles:
        name = file_name(article)
        store.switchfile(name, createifmissing=True)
        file_node = store.getfilenode(name)
        file_node.set("source-language", article.source_language)
        file_node.set("datatype", "html")
        edition = article.edition(target_language)
        file_node.set(VERSION_ATTRIBUTE, str(edition.version) if edition else NO_EDITION)
        for unit_id, (source, target) in source_units(article, target_language).items():
            unit = store.addsourceunit(source, name)
            unit.setid(unit_id)
            if unit_id.startswith("body-"):
                _write_body_unit(unit, source, target)
            else:
                unit.target = target
            state = "translated" if target else "new"
            unit.xmlelement.find(unit.namespaced("target")).set("state", state)
    # translate-toolkit keeps an empty "NoName" file when nothing was added.
    for node in root.findall(f"{{{XLIFF_12}}}file"):
        if node.get("original") == "NoName":
            root.remove(node)
    etree.cleanup_namespaces(root, top_nsmap={"nr": NAMESPACE})
    return bytes(store)


def _write_body_unit(unit, source, target):
    """A body block with its inline markup as codes; the existing translation is offered
    with codes when its tags are the source's, else as text."""
    rich, tags = inline_codes(source)
    unit.rich_source = [rich]
    _set_code_types(unit, "source", tags)
    target_rich, target_tags = inline_codes(target)
    same_tags = {i: name for i, (name, _s) in target_tags.items()} == {
        i: name for i, (name, _s) in tags.items()
    }
    if target and same_tags:
        unit.rich_target = [target_rich]
        _set_code_types(unit, "target", tags)
    else:
        unit.target = "".join(_plain_text(target_rich))


def _plain_text(rich):
    for element in rich.sub if isinstance(rich, StringElem) else rich:
        if isinstance(element, str):
            yield element
        else:
            yield from _plain_text(element)


def export_filename(target_language, day=None):
    day = day or timezone.localdate()
    return f"articles-{target_language}-{day.isoformat()}.xlf"


# --- Import ---------------------------------------------------------------------------


@dataclasses.dataclass
class Conflict:
    """A unit whose source (or an edition) changed since the export."""

    article: object
    unit: str
    exported: str
    current: str


@dataclasses.dataclass
class ImportResult:
    imported: list = dataclasses.field(default_factory=list)  # editions now in review
    errors: list = dataclasses.field(default_factory=list)  # messages
    conflicts: list = dataclasses.field(default_factory=list)  # Conflicts

    @property
    def ok(self):
        return not self.errors and not self.conflicts


class _Refused(Exception):
    """Rolls the whole import back."""


def read_safely(uploaded_file):
    """The uploaded bytes, refused when too big, not XML, or declaring a DTD or entities
    (billion laughs, external entities): defusedxml reads the file before anything else
    does, so lxml never sees such a file."""
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_UPLOAD_SIZE:
        raise ValidationError(_too_big(), code="too_big")
    data = uploaded_file.read(MAX_UPLOAD_SIZE + 1)
    if len(data) > MAX_UPLOAD_SIZE:
        raise ValidationError(_too_big(), code="too_big")
    try:
        root = SafeElementTree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException:
        raise ValidationError(
            _("The file declares entities or a document type (DTD): refused."),
            code="entities",
        ) from None
    except SafeElementTree.ParseError:
        raise ValidationError(_("The file is not XML."), code="not_xml") from None
    if root.tag != f"{{{XLIFF_12}}}xliff" or root.get("version") != "1.2":
        raise ValidationError(
            _("The file is not XLIFF 1.2. Export the translation as XLIFF 1.2."),
            code="not_xliff",
        )
    return data


def _too_big():
    return _("The file is larger than %(size)d MB.") % {"size": MAX_UPLOAD_SIZE // 1024 // 1024}


def _parse(data):
    """``[(file node, [units])]`` of a checked document, read by translate-toolkit."""
    store = Xliff12File.parsestring(data)
    files = {node: [] for node in store.document.getroot().iterchildren(f"{{{XLIFF_12}}}file")}
    for unit in store.getunits():
        files[next(unit.xmlelement.iterancestors(f"{{{XLIFF_12}}}file"))].append(unit)
    return list(files.items())


def _local_id(unit):
    return unit.xmlelement.get("id") or ""


def import_xliff(uploaded_file, user):
    """Import a translated XLIFF file: every edition in it, or none.

    Raises ValidationError for a file refused before reading its content (size, not
    XML, entities, not XLIFF 1.2); otherwise returns an ImportResult whose ``errors`` and
    ``conflicts`` are empty when everything was imported and the editions are in review.
    """
    files = _parse(read_safely(uploaded_file))
    result = ImportResult()
    if not files:
        result.errors.append(_("The file holds no article."))
        return result
    languages = {node.get("target-language") for node, _units in files}
    if len(languages) != 1 or next(iter(languages)) not in target_languages():
        result.errors.append(
            _("The file's target language must be one of: %(languages)s.")
            % {"languages": ", ".join(target_languages())}
        )
        return result
    language = languages.pop()

    pks = {}
    for node, _units in files:
        name = node.get("original") or ""
        prefix, _dash, number = name.partition("-")
        if prefix != "article" or not number.isdigit():
            result.errors.append(_("“%(name)s” is not an article of ours.") % {"name": name})
        else:
            pks[name] = int(number)
    if result.errors:
        return result

    with transaction.atomic():
        # The editions are locked before they are read, until the end: an edit in the
        # admin waits for the import, or the import sees the edit as a conflict.
        list(
            ArticleTranslation.objects.select_for_update()
            .filter(master__in=pks.values(), language_code=language)
            .values_list("pk")
        )
        articles = articles_for_exchange(Article.objects.filter(pk__in=pks.values())).in_bulk()
        plans = []
        for node, units in files:
            article = articles.get(pks[node.get("original")])
            if article is None:
                result.errors.append(
                    _("Article %(name)s does not exist (any more).")
                    % {"name": node.get("original")}
                )
                continue
            plan = _check_file(article, language, node, units, user, result)
            if plan is not None:
                plans.append(plan)
        if not result.ok:
            return result
        try:
            with transaction.atomic():
                for article, translations in plans:
                    result.imported.append(_write(article, language, translations, user, result))
                if not result.ok:
                    raise _Refused
        except _Refused:
            result.imported = []
    return result


def _check_file(article, language, node, units, user, result):
    """The translations of one ``<file>`` by unit id, or None (with the reasons in
    ``result``)."""
    label = str(article)
    edition = article.edition(language)
    if language == article.source_language:
        result.errors.append(
            _("“%(article)s” is written in %(language)s: it is the source, not a translation.")
            % {"article": label, "language": language}
        )
        return None
    if not (workflow.is_desk(user) or workflow.is_author(user, article, language)):
        result.errors.append(
            _("You are not the translator of “%(article)s” into %(language)s.")
            % {"article": label, "language": language}
        )
        return None
    if edition is not None and edition.status not in IMPORTABLE_STATES:
        result.errors.append(
            _(
                "The %(language)s edition of “%(article)s” is “%(state)s”: change it in "
                "the admin, an import only brings drafts into review."
            )
            % {
                "language": language,
                "article": label,
                "state": workflow.state_label(edition.workflow_state()),
            }
        )
        return None
    if not workflow.can_edit(user, article, language):
        # The same rule as the admin's: a translator's work in review waits for the desk.
        result.errors.append(
            _(
                "The %(language)s edition of “%(article)s” is in review: it can no longer "
                "be changed by its translator."
            )
            % {"language": language, "article": label}
        )
        return None
    exported_version = node.get(VERSION_ATTRIBUTE)
    current_version = str(edition.version) if edition else NO_EDITION
    if exported_version is None:
        result.errors.append(
            _(
                "The file lost the edition version of “%(article)s” written at export: "
                "export the article again."
            )
            % {"article": label}
        )
        return None
    if exported_version != current_version:
        result.conflicts.append(
            Conflict(
                article,
                _("%(language)s edition") % {"language": language},
                _("version %(version)s") % {"version": exported_version},
                _("version %(version)s") % {"version": current_version},
            )
        )
    current = source_units(article, language)
    seen = set()
    translations = {}
    for unit in units:
        unit_id = _local_id(unit)
        if unit_id in seen:
            result.errors.append(
                _("“%(article)s”: the unit “%(unit)s” is in the file twice.")
                % {"article": label, "unit": unit_id}
            )
            continue
        if unit_id not in current:
            result.errors.append(
                _("“%(article)s”: the file has a unit “%(unit)s” we do not know.")
                % {"article": label, "unit": unit_id}
            )
            continue
        seen.add(unit_id)
        current_source = current[unit_id][0]
        if unit_id.startswith("body-"):
            exported_source, target = _read_body_unit(article, unit, current_source, result)
        else:
            exported_source, target = unit.source, unit.target or ""
        if exported_source != current_source:
            result.conflicts.append(Conflict(article, unit_id, exported_source, current_source))
        translations[unit_id] = target
    for unit_id, (current_source, _target) in current.items():
        if unit_id not in seen:
            result.conflicts.append(Conflict(article, unit_id, "", current_source))
    if not translations.get("title", "").strip():
        result.errors.append(_("“%(article)s”: the title is not translated.") % {"article": label})
    for unit_id, text in translations.items():
        limit = length_limit(unit_id)
        if limit and len(text.strip()) > limit:
            result.errors.append(
                _("“%(article)s”, %(unit)s: at most %(limit)d characters (%(length)d now).")
                % {"article": label, "unit": unit_id, "limit": limit, "length": len(text.strip())}
            )
    return article, translations


def _read_body_unit(article, unit, current_source, result):
    """``(source, target)`` of a body unit as HTML, its codes mapped to the current
    source's tags (an unknown code in the target is an error in ``result``)."""
    current_rich, tags = inline_codes(current_source)
    normal_source = codes_to_html(current_rich, tags, [])
    problems = []
    exported = codes_to_html(unit.rich_source, tags, problems)
    if problems or exported != normal_source:
        exported = codes_to_html(unit.rich_source, {}, [])  # its text, for the report
    else:
        exported = current_source
    problems = []
    target = codes_to_html(unit.rich_target, tags, problems) if unit.target else ""
    if problems:
        result.errors.append(
            _("“%(article)s”, %(unit)s: the target has tags the source has not: %(codes)s.")
            % {"article": article, "unit": _local_id(unit), "codes": ", ".join(problems)}
        )
    return exported, target


def _write(article, language, translations, user, result):
    """Write one article's translations and submit its edition (inside the import's
    transaction); problems go into ``result``."""
    edition = write_translation(
        article,
        language,
        translations,
        by=user,
        reason=_("Imported from XLIFF"),
        follows_source=True,
        rebuilds_body=True,
    )
    if edition.status != EditionStatus.IN_REVIEW:
        try:
            workflow.perform(workflow.Action.SUBMIT, edition, by=user)
        except (ValidationError, PermissionDenied) as problem:
            messages = getattr(problem, "messages", None) or [str(problem)]
            for message in messages:
                result.errors.append(f"“{article}”: {message}")
    return edition
