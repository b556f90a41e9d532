"""Keeping the search index in step with the editions, and searching it.

PostgreSQL matches and ranks with its full-text search (the ``simple`` configuration over
our own words, a stored vector with a GIN index); SQLite, the development default, matches whole
words with LIKE and ranks with a similar score. On small data both find the same
editions in the same order: title matches first, then more frequent matches, then newer.
"""

from django.db import connection
from django.db.models import Case, ExpressionWrapper, IntegerField, Prefetch, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Least, Length, Replace
from django.utils import timezone

from articles.models import Article, ArticleTranslation
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


def search(language, terms):
    """Entries of the editions readers of ``language`` can see that hold every one of
    ``terms`` (folded query words, see ``search.text.query_words``), best first.

    Only the first MAX_QUERY_WORDS terms are used. Each entry comes with its edition and
    article, and the article with its edition in ``language`` (for its address).
    """
    terms = terms[:MAX_QUERY_WORDS]
    live = Article.objects.for_language(language).published().values("pk")
    entries = SearchEntry.objects.filter(language_code=language, edition__master__in=live)
    if not terms:
        entries = entries.none()
    elif connection.vendor == "postgresql":
        entries = _match_postgresql(entries, terms)
    else:
        entries = _match_words(entries, terms)
    # The entry's own words are not shown: only the edition's text is.
    entries = entries.defer("title", "document")
    return entries.select_related("edition__master").prefetch_related(
        Prefetch(
            "edition__master__translations",
            queryset=ArticleTranslation.objects.filter(language_code=language),
        )
    )


def search_vector():
    """The entry's text-search vector: the generated column of migration 0002 (title words
    weigh A, the others B), served by a GIN index; PostgreSQL only."""
    from django.contrib.postgres.search import SearchVectorField  # noqa: PLC0415

    # Not a model field (see the migration), so named in SQL; SearchEntry is always the
    # base table of the search, which is never used as a subquery.
    table = connection.ops.quote_name(SearchEntry._meta.db_table)
    return RawSQL(f"{table}.vector", [], output_field=SearchVectorField())


def _match_postgresql(entries, terms):
    from django.contrib.postgres.search import SearchQuery, SearchRank  # noqa: PLC0415

    # "plain": the words are ANDed and nothing in them is query syntax.
    query = SearchQuery(" ".join(terms), search_type="plain", config="simple")
    return (
        entries.alias(vector=search_vector())
        .filter(vector=query)
        .annotate(rank=SearchRank(search_vector(), query))
        .order_by("-rank", "-edition__published_at", "-pk")
    )


def _match_words(entries, terms):
    # Every term, as a whole word, in the title or the document; the score counts 10 for
    # each term in the title, plus its occurrences in the document (at most 9), so that a
    # title match always comes first, as PostgreSQL's weights make it.
    score = Value(0)
    for term in terms:
        word = f" {term} "
        entries = entries.filter(Q(title__contains=word) | Q(document__contains=word))
        in_title = Case(When(title__contains=word, then=Value(10)), default=Value(0))
        occurrences = (Length("document") - Length(Replace("document", Value(word)))) / len(word)
        score = score + in_title + Least(occurrences, Value(9))
    return entries.annotate(rank=ExpressionWrapper(score, output_field=IntegerField())).order_by(
        "-rank", "-edition__published_at", "-pk"
    )
