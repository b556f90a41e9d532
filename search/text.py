"""Search text: how editions and queries become words, and how matches are highlighted.

One rule, *folding*, is applied character by character to everything that is searched or
highlighted: compatibility decomposition (NFKD), combining marks dropped, đ → d (the rule
of ``friendship_site.text.to_ascii``), case folded. "Đối ngoại", "đối ngoại" typed
decomposed and "DOI NGOAI" all fold to "doi ngoai"; full-width "２０２４" folds to "2024".

A folded text is cut into *words*: runs of letters and digits, and runs of Chinese
characters segmented into words with jieba (its Rust implementation, rjieba). The index
stores the words separated by single spaces, so both databases match whole words.
"""

import functools
import html
import re
import unicodedata
from bisect import bisect_right

from django.utils.html import escape
from django.utils.safestring import mark_safe

# The CJK ideograph blocks of friendship_site.text.CJK_RE (basic, extension A, compatibility).
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD_RE = re.compile(rf"[{CJK}]+|[^\W_{CJK}]+")
CJK_RUN_RE = re.compile(rf"[{CJK}]+")

# PostgreSQL refuses to index a word longer than 2,047 bytes; a longer "word" is noise
# (a pasted URL, a hash), so neither the index nor a query keeps one.
MAX_WORD_LENGTH = 100

# What a reader may type, and how many words of it are searched.
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12

# Block-level tags of the body (see articles.models.BODY_EDITOR_EXTENSIONS) separate
# words; inline ones (<strong>, <a>…) do not.
BLOCK_TAG_RE = re.compile(
    r"</?(?:p|h[1-6]|ul|ol|li|blockquote|figure|figcaption|img|br|hr|div)\b[^>]*>", re.I
)
TAG_RE = re.compile(r"<[^>]*>")

# Snippet windows are counted in words; two Chinese characters count as one word.
SNIPPET_UNIT_RE = re.compile(rf"[{CJK}]{{1,2}}|[^\s{CJK}]+")
# Snippet windows tried, one per match, to find where most query words meet.
MAX_SNIPPET_CANDIDATES = 100


@functools.lru_cache(maxsize=8192)
def fold_char(char):
    """The folded form of one character: usually one character, sometimes none ("◌́")
    or two ("ß" → "ss")."""
    text = unicodedata.normalize("NFKD", char).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return "".join(c for c in text if not unicodedata.combining(c))


class _FoldTable(dict):
    """fold_char as a table for str.translate, filled as characters are met: folding
    then runs in C, which matters for the snippets of every page of results."""

    def __missing__(self, code):
        folded = fold_char(chr(code))
        if len(self) < MAX_FOLD_TABLE_SIZE:
            self[code] = folded
        return folded


# Letters, digits and punctuation of the scripts our text is written in fit many times.
MAX_FOLD_TABLE_SIZE = 1 << 16
_FOLD_TABLE = _FoldTable()


def fold(text):
    return text.translate(_FOLD_TABLE)


def fold_with_offsets(text):
    """``(folded, offsets)``: ``offsets[i]`` is the index in ``text`` of the character
    that gave ``folded[i]``, so a match in the folded text maps back to the original."""
    folded = fold(text)
    # The usual case, composed text: each character folds to exactly one.
    if len(folded) == len(text) and all(len(fold_char(char)) == 1 for char in set(text)):
        return folded, range(len(text))
    pieces, offsets = [], []
    for index, char in enumerate(text):
        folded = fold_char(char)
        pieces.append(folded)
        offsets.extend([index] * len(folded))
    return "".join(pieces), offsets


@functools.cache
def jieba():
    """rjieba, imported on first use: it loads its dictionary (~0.1 s) when imported."""
    import rjieba  # noqa: PLC0415

    return rjieba


def words(text, *, for_query=False):
    """The words of ``text``, folded, in order (repeated words are kept).

    Chinese runs are segmented for the index in jieba's search mode, which adds the words
    inside long words ("联合会" also gives "联合"), and for a query in its precise mode, so
    every word of the query is one the index holds.
    """
    result = []
    for run in WORD_RE.findall(fold(text)):
        if CJK_RUN_RE.fullmatch(run):
            segment = jieba().cut if for_query else jieba().cut_for_search
            result.extend(word for word in segment(run) if word.strip())
        else:
            result.append(run)
    return [word for word in result if len(word) <= MAX_WORD_LENGTH]


def document(*texts):
    """The indexed form of ``texts``: their words between single spaces, with a space at
    each end so that " word " finds whole words only."""
    found = [word for text in texts for word in words(text)]
    return f" {' '.join(found)} " if found else ""


def query_words(query):
    """The distinct words of a reader's query, in the order typed."""
    return list(dict.fromkeys(words(query, for_query=True)))


def html_to_text(value):
    """The readable text of an edition's body (sanitized HTML), entities decoded."""
    text = TAG_RE.sub("", BLOCK_TAG_RE.sub(" ", value or ""))
    return " ".join(html.unescape(text).split())


@functools.lru_cache(maxsize=256)
def _match_re(terms):
    # Longest first, so that "联合会" wins over "联合" where both match. Latin words match
    # whole words (the neighbours are not letters or digits); Chinese words anywhere.
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        if CJK_RUN_RE.fullmatch(term):
            parts.append(re.escape(term))
        else:
            parts.append(rf"(?<![^\W_{CJK}]){re.escape(term)}(?![^\W_{CJK}])")
    return re.compile("|".join(parts))


def _matches(text, terms):
    """``(start, end, word)`` of each match of ``terms`` in ``text`` (original offsets)."""
    folded, offsets = fold_with_offsets(text)
    found = []
    for match in _match_re(tuple(terms)).finditer(folded):
        start, end = offsets[match.start()], offsets[match.end() - 1] + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        found.append((start, end, match.group()))
    return found


def match_spans(text, terms):
    """Where ``terms`` (folded query words) occur in ``text``, as ``(start, end)`` in
    ``text`` itself; matches separated only by spaces are merged ("đối ngoại")."""
    if not terms or not text:
        return []
    return _merged(text, _matches(text, terms))


def _merged(text, matches):
    spans = []
    for start, end, _word in matches:
        if spans and (start <= spans[-1][1] or not text[spans[-1][1] : start].strip()):
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def highlight(text, terms):
    """``text`` escaped, with the matches of ``terms`` in <mark>."""
    return mark_safe(_marked(text, match_spans(text, terms)))


def _marked(text, spans, offset=0):
    parts, position = [], offset
    for start, end in spans:
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def snippet(text, terms, size=30):
    """About ``size`` words of ``text`` where most of ``terms`` occur together (the first
    such place), escaped and highlighted; the opening words when nothing matches (a match
    in the title only)."""
    text = " ".join((text or "").split())
    units = [match.span() for match in SNIPPET_UNIT_RE.finditer(text)]
    if not units:
        return mark_safe("")
    unit_ends = [end for _start, end in units]

    def window(position):
        first = bisect_right(unit_ends, position)
        begin = max(0, min(first - size // 3, len(units) - size))
        finish = min(len(units), begin + size)
        return units[begin][0], units[finish - 1][1]

    matches = _matches(text, terms) if terms and text else []
    start, end = window(0)
    best = 0
    # A diacritic-free query also matches other words ("doi" is "đối" and "đổi"): prefer
    # the window holding the most different query words.
    for position, _end, _word in matches[:MAX_SNIPPET_CANDIDATES]:
        low, high = window(position)
        score = len({word for s, e, word in matches if s >= low and e <= high})
        if score > best:
            best, start, end = score, low, high
    spans = [
        (max(s, start), min(e, end)) for s, e in _merged(text, matches) if s < end and e > start
    ]
    marked = _marked(text[:end], spans, offset=start)
    return mark_safe(("… " if start else "") + marked + (" …" if end < len(text) else ""))
