"""The translation desk's figures: what is left to translate, by language and translator,
and how long readers of the translations wait after the source is published.

Every figure comes from a fixed number of queries (four for the whole desk), whatever the
number of articles. Word counts need the text without its HTML, which the database cannot
strip portably: the queries read the text of the source editions still to translate (the
backlog, not the archive) and Python counts.

"Words" of a Vietnamese text are its space-separated syllables ("hữu nghị" is two), which
is how Vietnamese word counts are usually given and what translators quote prices on.
"""

import datetime
import html
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import (
    WAS_PUBLISHED,
    Article,
    ArticleTranslation,
    EditionStatus,
    TranslationAssignment,
)

SOURCE_LANGUAGE = settings.LANGUAGE_CODE
TARGET_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]
# A translation is on its translator's desk until an editor approves it (in review
# included: it may come back with changes requested).
OPEN_STATES = [EditionStatus.DRAFT, EditionStatus.CHANGES_REQUESTED, EditionStatus.IN_REVIEW]


# Tags that separate words (the end of a paragraph is a space; the end of <strong> is not).
_block_tags = re.compile(
    r"<(?:/?(?:p|h[1-6]|li|ul|ol|blockquote|figure|figcaption)|br|hr|img)\b[^>]*>"
)


def word_count(*texts):
    """Whitespace-separated words of plain or HTML texts (tags are not words)."""
    return sum(
        len(html.unescape(strip_tags(_block_tags.sub(" ", text or ""))).split()) for text in texts
    )


@dataclass
class LanguageFigures:
    language: str
    # Published sources without a translation, and their words.
    missing: int = 0
    missing_words: int = 0
    # Translations lagging behind a changed source; the words of their published sources.
    outdated: int = 0
    outdated_words: int = 0
    # Over the period asked for; None when nothing was published in it.
    average_delay: datetime.timedelta | None = None

    @property
    def words_to_translate(self):
        return self.missing_words + self.outdated_words

    @property
    def average_delay_days(self):
        if self.average_delay is None:
            return None
        return round(self.average_delay.total_seconds() / 86400, 1)


@dataclass
class TranslatorFigures:
    name: str
    language: str
    open: int = 0
    words: int = 0


@dataclass
class DeskStatistics:
    languages: dict = field(default_factory=dict)  # language → LanguageFigures
    translators: list = field(default_factory=list)  # TranslatorFigures, most words first
    since: datetime.datetime | None = None  # start of the delay's period


def _published_source():
    return Q(
        language_code=F("master__source_language"),
        master__source_language=SOURCE_LANGUAGE,
        status=EditionStatus.PUBLISHED,
        published_at__lte=timezone.now(),
    )


def _outdated_editions(language):
    """Editions in ``language`` (of the article at OuterRef("master")) behind their source."""
    source_version = ArticleTranslation.objects.filter(
        master=OuterRef("master"), language_code=OuterRef("master__source_language")
    ).values("content_version")[:1]
    return (
        ArticleTranslation.objects.filter(master=OuterRef("master"), language_code=language)
        .annotate(current_source_version=Subquery(source_version))
        .filter(source_content_version__lt=F("current_source_version"))
    )


def backlog(languages=TARGET_LANGUAGES):
    """{language: LanguageFigures} with the missing and outdated translations (2 queries).

    Outdated translations count the whole source's words, not only the changed ones:
    the change is a diff against the source revision each translation followed, one
    history lookup per translation, and the translator re-reads the whole text anyway.
    """
    figures = {language: LanguageFigures(language) for language in languages}
    flags = {}
    for number, language in enumerate(languages):
        flags[f"missing_{number}"] = ~Exists(
            ArticleTranslation.objects.filter(master=OuterRef("master"), language_code=language)
        )
        flags[f"outdated_{number}"] = Exists(_outdated_editions(language))
    any_work = Q()
    for name in flags:
        any_work |= Q(**{name: True})
    rows = (
        ArticleTranslation.objects.filter(_published_source())
        .annotate(**flags)
        .filter(any_work)
        .values("title", "lead", "body", *flags)
    )
    for row in rows:
        words = word_count(row["title"], row["lead"], row["body"])
        for number, language in enumerate(languages):
            if row[f"missing_{number}"]:
                figures[language].missing += 1
                figures[language].missing_words += words
            elif row[f"outdated_{number}"]:
                figures[language].outdated_words += words
    # Every outdated translation, whether its source is published or not.
    outdated = Article.objects.aggregate(
        **{
            f"outdated_{number}": Count(
                "pk", filter=Q(pk__in=Article.objects.outdated_in(language).values("pk"))
            )
            for number, language in enumerate(languages)
        }
    )
    for number, language in enumerate(languages):
        figures[language].outdated = outdated[f"outdated_{number}"]
    return figures


def publication_delays(start, end, languages=TARGET_LANGUAGES):
    """{language: average timedelta} from the source's publication to the translation's,
    over translations published in [start, end) (one query; None where there were none).
    A translation published before its source (an import) counts with a negative delay."""
    source_published = ArticleTranslation.objects.filter(
        master=OuterRef("master"),
        language_code=OuterRef("master__source_language"),
        status__in=WAS_PUBLISHED,
    ).values("published_at")[:1]
    rows = (
        ArticleTranslation.objects.filter(
            language_code__in=languages,
            master__source_language=SOURCE_LANGUAGE,
            status=EditionStatus.PUBLISHED,
            published_at__gte=start,
            published_at__lt=end,
        )
        .annotate(source_published=Subquery(source_published, output_field=DateTimeField()))
        .filter(source_published__isnull=False)
        .values("language_code")
        .annotate(
            delay=Avg(
                ExpressionWrapper(
                    F("published_at") - F("source_published"), output_field=DurationField()
                )
            )
        )
        .values_list("language_code", "delay")
    )
    delays = dict.fromkeys(languages)
    delays.update(rows)
    return delays


def open_assignments():
    """Translators' open translations with their source words, most words first (1 query).

    One row per translator and language; an assignment is open while its edition is
    missing or not yet approved."""
    assignments = (
        TranslationAssignment.objects.filter(article__source_language=SOURCE_LANGUAGE)
        .alias(
            source=FilteredRelation(
                "article__translations",
                condition=Q(article__translations__language_code=F("article__source_language")),
            ),
            target=FilteredRelation(
                "article__translations",
                condition=Q(article__translations__language_code=F("language_code")),
            ),
        )
        .filter(Q(target__status__isnull=True) | Q(target__status__in=OPEN_STATES))
        .values_list(
            "translator__username",
            "translator__first_name",
            "translator__last_name",
            "language_code",
            "source__title",
            "source__lead",
            "source__body",
        )
    )
    by_translator = {}
    for username, first_name, last_name, language, title, lead, body in assignments:
        name = f"{first_name} {last_name}".strip() or username
        figures = by_translator.setdefault(
            (username, language), TranslatorFigures(name=name, language=language)
        )
        figures.open += 1
        figures.words += word_count(title, lead, body)
    return sorted(by_translator.values(), key=lambda row: (-row.words, row.name, row.language))


def desk_statistics(now=None):
    """Everything the admin home shows: backlog per language, open work per translator,
    and the average publication delay over the last twelve months (four queries)."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=365)
    languages = backlog()
    for language, delay in publication_delays(since, now).items():
        languages[language].average_delay = delay
    return DeskStatistics(languages=languages, translators=open_assignments(), since=since)
