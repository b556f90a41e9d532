"""articles/workflow.py: every (role, state, action) is allowed or refused as the newsroom
decided; the expected table below is written out by hand, not derived from the code."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from articles import workflow
from articles.models import (
    ArticleTranslation,
    EditionEvent,
    EditionStatus,
    Notification,
    TranslationAssignment,
)
from tests.factories import ArticleFactory, add_edition

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
STATES = [
    "draft",
    "in_review",
    "changes_requested",
    "approved",
    "published",
    "scheduled",
    "unpublished",
    "archived",
]
ROLES = ["reporter", "other_reporter", "translator", "editor", "chief"]
DESK = {"editor", "chief"}

# action: (states it starts from, roles allowed on a source edition owned by "reporter")
EXPECTED = {
    "submit": ({"draft", "changes_requested"}, {"reporter", "editor", "chief"}),
    "request_changes": ({"in_review", "approved"}, DESK),
    "approve": ({"in_review"}, DESK),
    "publish": ({"approved", "scheduled", "unpublished"}, DESK),
    "schedule": ({"approved", "scheduled"}, DESK),
    "unpublish": ({"published", "scheduled"}, DESK),
    "archive": ({"published", "unpublished"}, DESK),
}
TARGET = {
    "submit": "in_review",
    "request_changes": "changes_requested",
    "approve": "approved",
    "publish": "published",
    "schedule": "scheduled",
    "unpublish": "unpublished",
    "archive": "archived",
}


def edition_in_state(state, *, author, language="vi"):
    """A Vietnamese-source article by ``author`` whose ``language`` edition is in ``state``."""
    now = timezone.now()
    status, published_at = {
        "published": (EditionStatus.PUBLISHED, now - HOUR),
        "scheduled": (EditionStatus.PUBLISHED, now + HOUR),
        "unpublished": (EditionStatus.UNPUBLISHED, now - 2 * HOUR),
        "archived": (EditionStatus.ARCHIVED, now - 2 * HOUR),
    }.get(state, (state, None))
    with translation.override("vi"):
        article = ArticleFactory(
            source_language="vi",
            created_by=author,
            title="Source",
            status=EditionStatus.PUBLISHED,
            published_at=now - HOUR,
        )
    if language != "vi":
        add_edition(article, language, title=f"Translation {language}")
    edition = ArticleTranslation.objects.get(master=article, language_code=language)
    ArticleTranslation.objects.filter(pk=edition.pk).update(
        status=status, published_at=published_at
    )
    edition.refresh_from_db()
    return edition


def arguments(action):
    if action == "request_changes":
        return {"comment": "The governor's name is misspelled."}
    if action == "schedule":
        return {"when": timezone.now() + 3 * HOUR}
    return {}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_transition_table_on_the_source_edition(newsroom, role, action, state):
    edition = edition_in_state(state, author=newsroom["reporter"])
    allowed_states, allowed_roles = EXPECTED[action]

    if role not in allowed_roles:
        with pytest.raises(PermissionDenied):
            workflow.perform(action, edition, by=newsroom[role], **arguments(action))
        expected = state
    elif state not in allowed_states:
        with pytest.raises(workflow.TransitionNotAllowed):
            workflow.perform(action, edition, by=newsroom[role], **arguments(action))
        expected = state
    else:
        workflow.perform(action, edition, by=newsroom[role], **arguments(action))
        expected = TARGET[action]

    edition.refresh_from_db()
    assert edition.workflow_state() == expected


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("translator", True),
        ("other_translator", False),
        ("reporter", False),
        ("editor", True),
        ("chief", True),
    ],
)
def test_only_the_assigned_translator_and_the_desk_submit_a_translation(newsroom, role, allowed):
    edition = edition_in_state("draft", author=newsroom["reporter"], language="en")
    TranslationAssignment.objects.create(
        article=edition.master, language_code="en", translator=newsroom["translator"]
    )

    if allowed:
        workflow.perform("submit", edition, by=newsroom[role])
    else:
        with pytest.raises(PermissionDenied):
            workflow.perform("submit", edition, by=newsroom[role])

    edition.refresh_from_db()
    assert edition.status == ("in_review" if allowed else "draft")


@pytest.mark.parametrize("action", ["publish", "schedule", "approve"])
def test_translator_cannot_publish_or_approve_their_translation(newsroom, action):
    edition = edition_in_state("approved", author=newsroom["reporter"], language="en")
    TranslationAssignment.objects.create(
        article=edition.master, language_code="en", translator=newsroom["translator"]
    )

    with pytest.raises(PermissionDenied):
        workflow.perform(action, edition, by=newsroom["translator"], **arguments(action))


def test_publishing_one_language_leaves_the_others_alone(newsroom):
    english = edition_in_state("approved", author=newsroom["reporter"], language="en")
    add_edition(english.master, "zh-hans", status=EditionStatus.APPROVED, published_at=None)

    workflow.perform("publish", english, by=newsroom["editor"])

    statuses = dict(
        ArticleTranslation.objects.filter(master=english.master).values_list(
            "language_code", "status"
        )
    )
    assert statuses == {"vi": "published", "en": "published", "zh-hans": "approved"}


def test_request_changes_needs_a_reason(newsroom):
    edition = edition_in_state("in_review", author=newsroom["reporter"])

    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.perform("request_changes", edition, by=newsroom["editor"], comment="  ")

    edition.refresh_from_db()
    assert edition.status == "in_review"


def test_schedule_needs_a_future_time(newsroom):
    edition = edition_in_state("approved", author=newsroom["reporter"])

    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.perform("schedule", edition, by=newsroom["editor"], when=timezone.now() - HOUR)

    edition.refresh_from_db()
    assert edition.status == "approved"


def test_scheduled_edition_goes_live_at_its_time(newsroom, monkeypatch):
    edition = edition_in_state("approved", author=newsroom["reporter"])
    when = timezone.now() + 3 * HOUR

    workflow.perform("schedule", edition, by=newsroom["editor"], when=when)

    assert not edition.is_live()
    later = when + datetime.timedelta(minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert edition.is_live()
    assert edition.workflow_state() == "published"


def test_every_transition_is_recorded_with_its_reason(newsroom):
    edition = edition_in_state("in_review", author=newsroom["reporter"])

    workflow.perform("request_changes", edition, by=newsroom["editor"], comment="Add the date.")

    event = EditionEvent.objects.get()
    assert (event.action, event.from_status, event.to_status, event.actor, event.comment) == (
        "request_changes",
        "in_review",
        "changes_requested",
        newsroom["editor"],
        "Add the date.",
    )


def test_submit_notifies_the_reviewers(newsroom, django_capture_on_commit_callbacks):
    edition = edition_in_state("draft", author=newsroom["reporter"])

    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform("submit", edition, by=newsroom["reporter"])

    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"editor", "chief"}
    assert sorted(mail.outbox[0].to) == ["chief@newsroom.example", "editor@newsroom.example"]


def test_request_changes_notifies_author_and_earlier_reviewers(
    newsroom, django_capture_on_commit_callbacks
):
    edition = edition_in_state("in_review", author=newsroom["reporter"])
    workflow.perform("approve", edition, by=newsroom["chief"])

    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform("request_changes", edition, by=newsroom["editor"], comment="Fix it.")

    last = Notification.objects.filter(action="request_changes")
    assert set(last.values_list("recipient__username", flat=True)) == {"reporter", "chief"}
    assert "Fix it." in last.first().message
    assert "Fix it." in mail.outbox[-1].body


def test_assigning_a_translator_notifies_them(newsroom):
    article = edition_in_state("published", author=newsroom["reporter"]).master

    workflow.assign_translator(article, "en", newsroom["translator"], by=newsroom["editor"])

    assert workflow.assigned_translator(article, "en") == newsroom["translator"]
    assert Notification.objects.get().recipient == newsroom["translator"]


def test_only_translators_can_be_assigned(newsroom):
    article = edition_in_state("published", author=newsroom["reporter"]).master

    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.assign_translator(article, "en", newsroom["reporter"], by=newsroom["editor"])


def test_reporters_cannot_assign_translators(newsroom):
    article = edition_in_state("published", author=newsroom["reporter"]).master

    with pytest.raises(PermissionDenied):
        workflow.assign_translator(article, "en", newsroom["translator"], by=newsroom["reporter"])


def test_a_translator_claims_an_unassigned_translation_once(newsroom):
    article = edition_in_state("published", author=newsroom["reporter"]).master

    workflow.claim_translation(article, "en", by=newsroom["translator"])

    with pytest.raises(PermissionDenied):
        workflow.claim_translation(article, "en", by=newsroom["other_translator"])
    assert workflow.assigned_translator(article, "en") == newsroom["translator"]


@pytest.mark.parametrize(
    ("role", "state", "allowed"),
    [
        ("reporter", "draft", True),
        ("reporter", "changes_requested", True),
        ("reporter", "in_review", False),
        ("reporter", "approved", False),
        ("reporter", "published", True),
        ("other_reporter", "draft", False),
        ("translator", "draft", False),
        ("editor", "in_review", True),
        ("chief", "archived", True),
    ],
)
def test_who_can_edit_the_source(newsroom, role, state, allowed):
    edition = edition_in_state(state, author=newsroom["reporter"])

    assert workflow.can_edit(newsroom[role], edition.master, "vi") is allowed
