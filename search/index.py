"""Keeping the search index in step with the editions, and searching it.

PostgreSQL matches and ranks with its full-text search (the ``simple`` configuration over
our own words, a stored vector with one GIN index per language); SQLite, the development
default, matches whole words with LIKE and ranks with a similar score. Both rank the
newest MAX_RESULTS matches only, the same ones: title matches first, then more frequent
matches, then newer.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    Func,
    IntegerField,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Least, Length, Replace
from django.utils import timezone

from articles.models import ArticleTranslation, EditionStatus
from search.models import SearchEntry
from search.text import MAX_QUERY_WORDS, document, html_to_text

# The edition fields whose text is indexed; other saves (status, credits…) change nothing.
INDEXED_FIELDS = {"title", "lead", "body", "language_code"}


def entry_values(language_code, title, lead, body):
    """The fields of the SearchEntry of an edition with this text."""
    return {
        "language_code": language_code,
        "title": document(title),
        "document": document(lead, html_to_text(body)),
    }


def index_edition(edition):
    """Create or refresh the search entry of ``edition``."""
    values = entry_values(edition.language_code, edition.title, edition.lead, edition.body)
    SearchEntry.objects.update_or_create(edition=edition, defaults=values)


def edition_saved(sender, instance, update_fields=None, **kwargs):
    """post_save receiver of ArticleTranslation (connected in SearchConfig.ready)."""
    if update_fields is not None and not INDEXED_FIELDS.intersection(update_fields):
        return
    index_edition(instance)


def rebuild():
    """Bring every edition's entry up to date; return ``(created, updated, unchanged)``."""
    entries = {
        entry["edition_id"]: entry
        for entry in SearchEntry.objects.values("edition_id", "language_code", "title", "document")
    }
    created = updated = unchanged = 0
    # values(): parler's translation models recurse endlessly under only() (Django 6.1).
    editions = ArticleTranslation.objects.values("pk", "language_code", "title", "lead", "body")
    for edition in editions.order_by("pk").iterator(chunk_size=200):
        pk = edition.pop("pk")
        values = entry_values(**edition)
        stored = entries.get(pk)
        if stored is None:
            SearchEntry.objects.create(edition_id=pk, **values)
            created += 1
        elif any(stored[name] != value for name, value in values.items()):
            SearchEntry.objects.filter(pk=pk).update(indexed_at=timezone.now(), **values)
            updated += 1
        else:
            unchanged += 1
    return created, updated, unchanged


# A common word matches most editions ("huu nghi" nearly all of 100,000), and ranking
# every match means reading every matching entry. A search therefore ranks the newest
# MAX_RESULTS matches (10 pages of 10; newest by edition, the order they are written in)
# and says when there are more, as large sites do.
MAX_RESULTS = 100
# The newest matching entries looked at to find those MAX_RESULTS + 1 that readers can
# see: drafts and unpublished editions are in the index too (a third of the synthetic
# 100,000's translations). When fewer are live, a slower query asks for live ones only.
CANDIDATES = 2 * MAX_RESULTS
# On PostgreSQL, how many of a language's newest entries are tried first (see
# _candidates_postgresql): the walk finds CANDIDATES among them when one entry in ten
# matches, and costs a few milliseconds when none does.
NEWEST_ENTRIES = 2000


@dataclass
class Hit:
    """One edition found: what ranking needs, and its edition once load_editions() ran."""

    edition_id: int
    published_at: datetime.datetime | None
    live: bool
    rank: float
    edition: ArticleTranslation | None = None


@dataclass
class Results:
    hits: list  # of Hit, best first, at most MAX_RESULTS
    more: bool  # more editions match: the hits are the newest MAX_RESULTS, ranked


def search(language, terms):
    """The editions readers of ``language`` can see that hold every one of ``terms``
    (folded query words, see ``search.text.query_words``), best first: title matches,
    then more frequent matches, then newer.

    Only the first MAX_QUERY_WORDS terms are used, and only the newest MAX_RESULTS
    matches are ranked. The hits carry no text: load_editions() fetches a page's.
    """
    terms = terms[:MAX_QUERY_WORDS]
    if not terms:
        return Results(hits=[], more=False)
    entries = SearchEntry.objects.filter(language_code=language)
    # Live: ArticleTranslation.objects.live(), checked on the edition at query time, so
    # that scheduling and unpublishing need no reindexing.
    live = Q(edition__status=EditionStatus.PUBLISHED, edition__published_at__lte=timezone.now())
    if connection.vendor == "postgresql":
        match, rank, candidates = _candidates_postgresql(entries, terms, live)
    else:
        match, rank = _match_words(terms)
        candidates = _newest(entries.filter(match), rank, live)
    hits = [hit for hit in candidates if hit.live]
    if len(candidates) == CANDIDATES and len(hits) <= MAX_RESULTS:
        # Most of the newest matches are drafts or unpublished: ask for live ones only,
        # which joins every match to its edition.
        hits = _newest(entries.filter(match, live), rank, live, limit=MAX_RESULTS + 1)
    hits.sort(key=lambda hit: hit.edition_id, reverse=True)
    return Results(
        hits=sorted(
            hits[:MAX_RESULTS],
            key=lambda hit: (-hit.rank, -hit.published_at.timestamp(), -hit.edition_id),
        ),
        more=len(hits) > MAX_RESULTS,
    )


def load_editions(hits):
    """Give each of ``hits`` (a page of them) its edition, in one query."""
    # Whole rows, of one page: the snippet needs the lead and body anyway, and parler's
    # translation models recurse endlessly on reading a field left out by only().
    editions = ArticleTranslation.objects.in_bulk([hit.edition_id for hit in hits])
    for hit in hits:
        hit.edition = editions.get(hit.edition_id)  # None if deleted since the search


def _newest(entries, rank, live, limit=CANDIDATES):
    """The newest ``limit`` of ``entries`` as Hits, in no order.

    An outer query joins them to their editions and ranks them, so that neither is done
    for every match: ranking reads the entry's whole vector, on PostgreSQL.
    """
    newest = entries.order_by("-edition_id").values("edition_id")[:limit]
    rows = (
        SearchEntry.objects.filter(pk__in=newest)
        .annotate(live=ExpressionWrapper(live, output_field=BooleanField()), rank=rank)
        .values_list("edition_id", "edition__published_at", "live", "rank")
    )
    return [Hit(*row) for row in rows]


class EntryVector(Expression):
    """The entry's text-search vector, PostgreSQL only: the generated column of migration
    0002 (title words weigh A, the others B), served by the GIN indexes of 0004.

    Not a model field (see migration 0002), so this expression names the column itself,
    under whatever alias the entry table has in the query (U0 in a subquery).
    """

    def __init__(self, alias=None):
        from django.contrib.postgres.search import SearchVectorField  # noqa: PLC0415

        super().__init__(output_field=SearchVectorField())
        self.alias = alias

    def resolve_expression(self, query=None, *args, **kwargs):
        return EntryVector(query.get_initial_alias())

    def relabeled_clone(self, relabels):
        return EntryVector(relabels.get(self.alias, self.alias))

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name(self.alias)}.vector", []


def _candidates_postgresql(entries, terms, live):
    """``(match, rank, candidates)``: the newest CANDIDATES matches, in one query when
    the words are common, two when they are rarer.

    The GIN index finds the entries holding the words, not the newest of them: it yields
    every match, each to be read, which is cheap for a rare word and takes most of a
    second when most entries hold the words. So the newest NEWEST_ENTRIES entries are
    tried first, read newest first (the search_entry_newest index), stopping at the
    CANDIDATES-th match: a few hundred rows for a common word. Only when they hold fewer
    matches does the GIN index search them all. PostgreSQL would not choose this by
    itself: it takes a query's words as independent, and "hop tac huu nghi", four words
    that go together, looks a hundred times rarer than it is.
    """
    from django.contrib.postgres.search import (  # noqa: PLC0415
        SearchQuery,
        SearchRank,
        SearchVectorExact,
    )

    # "plain": the words are ANDed and nothing in them is query syntax.
    query = SearchQuery(" ".join(terms), search_type="plain", config="simple")
    match = SearchVectorExact(EntryVector(), query)  # vector @@ query
    rank = SearchRank(EntryVector(), query)
    horizon = entries.order_by("-edition_id").values("edition_id")[
        NEWEST_ENTRIES - 1 : NEWEST_ENTRIES
    ]
    # ts_match_vq() is the function behind @@, and no index serves a function: this
    # query cannot take the GIN index, and walks. (With fewer entries than NEWEST_ENTRIES
    # the horizon is NULL, and nothing is found.)
    walked = Func(EntryVector(), query, function="ts_match_vq", output_field=BooleanField())
    candidates = _newest(entries.filter(walked, edition_id__gte=Subquery(horizon)), rank, live)
    if len(candidates) < CANDIDATES:
        candidates = _newest(entries.filter(match), rank, live)
    return match, rank, candidates


def _match_words(terms):
    """``(match, rank)`` for SQLite: every term, as a whole word, in the title or the
    document; the rank counts 10 for each term in the title, plus its occurrences in
    the document (at most 9), so that a title match always comes first, as
    PostgreSQL's weights make it."""
    match, score = Q(), Value(0)
    for term in terms:
        word = f" {term} "
        match &= Q(title__contains=word) | Q(document__contains=word)
        in_title = Case(When(title__contains=word, then=Value(10)), default=Value(0))
        occurrences = (Length("document") - Length(Replace("document", Value(word)))) / len(word)
        score = score + in_title + Least(occurrences, Value(9))
    return match, ExpressionWrapper(score, output_field=IntegerField())
