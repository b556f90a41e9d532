"""The editorial workflow: who may do what to which edition, in one place.

Every edition (one language of an article) moves on its own:

    draft → in review → (changes requested → in review) → approved
          → published (now, or scheduled: published with a future time)
          → unpublished / archived

Views, admin actions and commands call :func:`perform`; nothing else changes a status.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import notifications
from articles.models import (
    SCHEDULED,
    EditionEvent,
    EditionStatus,
    TranslationAssignment,
    WorkflowAction,
)
from articles.roles import users_with_permission
from translation_desk import terms

Status = EditionStatus
Action = WorkflowAction

# Which states each action starts from, and the status it leaves.
TRANSITIONS = {
    Action.SUBMIT: ({Status.DRAFT, Status.CHANGES_REQUESTED}, Status.IN_REVIEW),
    Action.REQUEST_CHANGES: ({Status.IN_REVIEW, Status.APPROVED}, Status.CHANGES_REQUESTED),
    Action.APPROVE: ({Status.IN_REVIEW}, Status.APPROVED),
    Action.PUBLISH: ({Status.APPROVED, SCHEDULED, Status.UNPUBLISHED}, Status.PUBLISHED),
    Action.SCHEDULE: ({Status.APPROVED, SCHEDULED}, Status.PUBLISHED),
    Action.UNPUBLISH: ({Status.PUBLISHED, SCHEDULED}, Status.UNPUBLISHED),
    Action.ARCHIVE: ({Status.PUBLISHED, Status.UNPUBLISHED}, Status.ARCHIVED),
}

# The permission each action needs, beyond being the edition's author (see may()).
REVIEW = "articles.review_article"
PUBLISH = "articles.publish_article"
ACTION_PERMISSION = {
    Action.REQUEST_CHANGES: REVIEW,
    Action.APPROVE: REVIEW,
    Action.PUBLISH: PUBLISH,
    Action.SCHEDULE: PUBLISH,
    Action.UNPUBLISH: PUBLISH,
    Action.ARCHIVE: PUBLISH,
}

# States in which an edition's author may still change its text.
AUTHOR_EDITABLE = {Status.DRAFT, Status.CHANGES_REQUESTED, Status.PUBLISHED, SCHEDULED}


class TransitionNotAllowed(ValidationError):
    """The action does not apply to the edition's current state (or misses an input)."""


class TermCheckFailed(TransitionNotAllowed):
    """A translation names terms of the term base without their approved rendering, or
    with a forbidden variant; ``problems`` lists them (translation_desk.terms.TermProblem)."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__([problem.message for problem in problems])


def is_desk(user):
    """Editors and the editor-in-chief: may edit any edition in any state."""
    return user.is_superuser or user.has_perm(REVIEW) or user.has_perm(PUBLISH)


def assigned_translator(article, language):
    if "assignments" in getattr(article, "_prefetched_objects_cache", {}):
        # A page that asks several times prefetched them (with their translators).
        assignments = [a for a in article.assignments.all() if a.language_code == language]
        assignment = assignments[0] if assignments else None
    else:
        assignment = TranslationAssignment.objects.filter(
            article=article, language_code=language
        ).first()
    return assignment.translator if assignment else None


def is_author(user, article, language):
    """The reporter who owns the source, or the translator assigned to this language."""
    if language == article.source_language:
        return article.created_by_id == user.pk and user.has_perm("articles.change_article")
    return user.has_perm("articles.translate_article") and (
        assigned_translator(article, language) == user
    )


def can_edit(user, article, language):
    """Whether ``user`` may change the text of ``article`` in ``language`` now."""
    if is_desk(user):
        return True
    if not is_author(user, article, language):
        return False
    edition = article.edition(language)
    return edition is None or edition.workflow_state() in AUTHOR_EDITABLE


def can_edit_shared_fields(user, article):
    """Category, tags, photo and links belong to the source's author and the desk."""
    if article is None or article.pk is None:
        return user.has_perm("articles.add_article")
    return is_desk(user) or (
        article.created_by_id == user.pk and can_edit(user, article, article.source_language)
    )


def can_claim(user, article, language):
    return (
        language != article.source_language
        and user.has_perm("articles.translate_article")
        and assigned_translator(article, language) is None
    )


def may(user, action, edition):
    """Whether ``user`` has the right to ``action`` on ``edition`` (state aside)."""
    if user.is_superuser:
        return True
    if action == Action.SUBMIT:
        return is_author(user, edition.master, edition.language_code) or is_desk(user)
    return user.has_perm(ACTION_PERMISSION[action])


def available_actions(user, edition):
    """The actions ``user`` can take on ``edition`` now, in workflow order."""
    state = edition.workflow_state()
    return [
        action
        for action, (sources, _target) in TRANSITIONS.items()
        if state in sources and may(user, action, edition)
    ]


@transaction.atomic
def perform(action, edition, *, by, comment="", when=None, overrides=None):
    """Apply ``action`` to ``edition`` on behalf of ``by``: check, save, record, notify.

    ``comment`` is required to request changes; ``when`` (an aware datetime in the
    future) to schedule. A translation is submitted only when it passes the term check or
    its submitter overrides each problem: ``overrides`` maps a problem's key to the reason
    (recorded as a TermOverride). Raises PermissionDenied or TransitionNotAllowed (its
    TermCheckFailed listing the problems) and then changes nothing.
    """
    action = Action(action)
    if not may(by, action, edition):
        raise PermissionDenied(_("You may not do this to this edition."))
    sources, target = TRANSITIONS[action]
    previous = edition.workflow_state()
    if previous not in sources:
        raise TransitionNotAllowed(
            _("“%(action)s” is not possible while the edition is “%(state)s”.")
            % {"action": action.label, "state": state_label(previous)}
        )
    comment = comment.strip()
    if action == Action.REQUEST_CHANGES and not comment:
        raise TransitionNotAllowed(_("Say what needs to change."))
    now = timezone.now()
    if action == Action.SCHEDULE:
        if when is None or when <= now:
            raise TransitionNotAllowed(_("Choose a publication time in the future."))
        edition.published_at = when
    elif action == Action.PUBLISH:
        edition.published_at = now
    if action == Action.SUBMIT and edition.language_code != edition.master.source_language:
        check_terms(edition, by=by, overrides=overrides)

    edition.status = target
    edition._change_reason = action.label  # shown in the list of revisions
    edition.save()
    event = EditionEvent.objects.create(
        article=edition.master,
        language_code=edition.language_code,
        action=action,
        from_status=previous,
        to_status=edition.workflow_state(),
        actor=by,
        comment=comment,
        scheduled_for=when if action == Action.SCHEDULE else None,
    )
    notifications.notify_event(event, recipients=recipients_of(event))
    return event


def check_terms(edition, *, by, overrides=None):
    """Refuse the submission of a translation with term problems not overridden (earlier or
    now, with a reason); record the overrides given now."""
    left = terms.record_overrides(edition, terms.unresolved(edition), overrides, by=by)
    if left:
        # perform() is atomic: the overrides recorded above are undone with the refusal.
        raise TermCheckFailed(left)


def state_label(state):
    if state == SCHEDULED:
        return _("Scheduled")
    return Status(state).label


def recipients_of(event):
    """Who hears about ``event``: reviewers when work is submitted; the author and everyone
    who reviewed the edition earlier otherwise."""
    User = get_user_model()
    article, language = event.article, event.language_code
    if event.action == Action.SUBMIT:
        reviewers = users_with_permission("review_article")
        return set(reviewers.exclude(pk=event.actor_id))
    people = set()
    author = (
        article.created_by
        if language == article.source_language
        else assigned_translator(article, language)
    )
    if author:
        people.add(author)
    earlier_reviewers = EditionEvent.objects.filter(
        article=article,
        language_code=language,
        action__in=[Action.REQUEST_CHANGES, Action.APPROVE, Action.PUBLISH, Action.SCHEDULE],
    ).values_list("actor", flat=True)
    people.update(User.objects.filter(pk__in=earlier_reviewers, is_active=True))
    people.discard(event.actor)
    return people


@transaction.atomic
def assign_translator(article, language, translator, *, by):
    if not (by.is_superuser or by.has_perm("articles.assign_translator")):
        raise PermissionDenied(_("You may not assign translators."))
    if language == article.source_language or language not in dict(settings.LANGUAGES):
        raise TransitionNotAllowed(_("Translators are assigned to the other languages only."))
    if not translator.has_perm("articles.translate_article"):
        raise TransitionNotAllowed(_("%(user)s is not a translator.") % {"user": translator})
    TranslationAssignment.objects.update_or_create(
        article=article,
        language_code=language,
        defaults={"translator": translator, "assigned_by": by, "assigned_at": timezone.now()},
    )
    event = EditionEvent.objects.create(
        article=article,
        language_code=language,
        action=Action.ASSIGN,
        actor=by,
        comment=str(translator),
    )
    notifications.notify_event(event, recipients={translator} - {by})
    return event


@transaction.atomic
def claim_translation(article, language, *, by):
    if not can_claim(by, article, language):
        raise PermissionDenied(_("This translation cannot be claimed."))
    TranslationAssignment.objects.create(
        article=article, language_code=language, translator=by, assigned_by=by
    )
    return EditionEvent.objects.create(
        article=article, language_code=language, action=Action.CLAIM, actor=by
    )


@transaction.atomic
def confirm_source(edition, *, by):
    """The translator checked the source's changes: they need no change in the translation."""
    if not can_edit(by, edition.master, edition.language_code):
        raise PermissionDenied(_("You may not edit this translation."))
    if not edition.is_outdated():
        raise TransitionNotAllowed(_("This translation is up to date."))
    edition.follow_source()
    edition.save()
    return EditionEvent.objects.create(
        article=edition.master,
        language_code=edition.language_code,
        action=Action.CONFIRM_SOURCE,
        actor=by,
    )
