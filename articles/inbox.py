"""What is waiting for one person on the newsroom desk (the admin inbox)."""

from django.db.models import Exists, F, OuterRef, Q

from articles import workflow
from articles.models import (
    ArticleTranslation,
    Correction,
    CorrectionTranslation,
    EditionStatus,
    TranslationAssignment,
)


def editions():
    return (
        ArticleTranslation.objects.select_related("master", "last_edited_by")
        .prefetch_related("master__translations")
        .order_by("-updated_at")
    )


def for_user(user):
    """The inbox lists, each a list of editions (or corrections) to act on."""
    is_reviewer = user.is_superuser or user.has_perm(workflow.REVIEW)
    assigned = TranslationAssignment.objects.filter(
        translator=user, article=OuterRef("master"), language_code=OuterRef("language_code")
    )
    my_sources = Q(master__created_by=user, language_code=F("master__source_language"))
    lists = {
        "to_review": list(editions().filter(status=EditionStatus.IN_REVIEW)) if is_reviewer else [],
        "changes_requested": list(
            editions()
            .filter(status=EditionStatus.CHANGES_REQUESTED)
            .filter(my_sources | Exists(assigned))
        ),
        "my_translations": [
            edition
            for edition in editions().filter(Exists(assigned))
            if edition.is_outdated() or edition.status != EditionStatus.PUBLISHED
        ],
        "scheduled": (
            [
                edition
                for edition in editions().filter(status=EditionStatus.PUBLISHED)
                if not edition.is_live()
            ]
            if is_reviewer
            else []
        ),
        "notifications": list(user.newsroom_notifications.unread()[:50]),
    }
    lists["assignments_not_started"] = list(
        TranslationAssignment.objects.filter(translator=user)
        .exclude(
            Exists(
                ArticleTranslation.objects.filter(
                    master=OuterRef("article"), language_code=OuterRef("language_code")
                )
            )
        )
        .select_related("article")
    )
    lists["corrections_to_translate"] = corrections_to_translate(user, is_reviewer)
    return lists


def corrections_to_translate(user, is_reviewer):
    """(correction, language) pairs: a published edition shows a correction only once it is
    translated into that edition's language."""
    tasks = []
    published = ArticleTranslation.objects.filter(status=EditionStatus.PUBLISHED).values_list(
        "master_id", "language_code"
    )
    by_article = {}
    for article_id, language in published:
        by_article.setdefault(article_id, set()).add(language)
    translated = {}
    for correction_id, language in CorrectionTranslation.objects.values_list(
        "master_id", "language_code"
    ):
        translated.setdefault(correction_id, set()).add(language)
    my_languages = {
        (assignment.article_id, assignment.language_code)
        for assignment in TranslationAssignment.objects.filter(translator=user)
    }
    for correction in Correction.objects.select_related("article"):
        for language in sorted(by_article.get(correction.article_id, set())):
            if language in translated.get(correction.pk, set()):
                continue
            if is_reviewer or (correction.article_id, language) in my_languages:
                tasks.append((correction, language))
    return tasks
