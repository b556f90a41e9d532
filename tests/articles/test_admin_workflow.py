"""The editorial workflow driven through the admin with the test client, as each role."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticleTranslation, EditionEvent, TranslationAssignment
from tests.admin_forms import change_url, form_values, open_change_form, save_change_form
from tests.articles.test_workflow import EXPECTED, TARGET, edition_in_state
from tests.factories import CategoryFactory, add_edition

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
ROLES = ["reporter", "other_reporter", "translator", "editor", "chief"]


def workflow_url(edition):
    return reverse(
        "admin:articles_article_workflow", args=[edition.master_id, edition.language_code]
    )


def post_action(client, edition, action):
    data = {"action": action}
    if action == "request_changes":
        data["comment"] = "Spell the governor's name as in the glossary."
    if action == "schedule":
        later = timezone.localtime() + 3 * HOUR
        data["when"] = later.strftime("%Y-%m-%dT%H:%M")
    return client.post(workflow_url(edition), data)


def logged_in(client, user):
    """``client`` logged in as ``user``, who reads the admin in English (the admin's
    default is Vietnamese; the messages asserted below are the English ones)."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_admin_action_by_role(client, newsroom, role, action):
    allowed_states, allowed_roles = EXPECTED[action]
    state = sorted(allowed_states)[0]
    edition = edition_in_state(state, author=newsroom["reporter"])

    response = post_action(logged_in(client, newsroom[role]), edition, action)

    edition.refresh_from_db()
    if role in allowed_roles:
        assert response.status_code == 302
        assert edition.workflow_state() == TARGET[action]
    else:
        assert response.status_code == 403
        assert edition.workflow_state() == state


@pytest.mark.parametrize("action", list(EXPECTED))
def test_admin_action_in_the_wrong_state_is_refused_with_a_message(client, newsroom, action):
    allowed_states, _roles = EXPECTED[action]
    state = next(state for state in ["archived", "draft"] if state not in allowed_states)
    edition = edition_in_state(state, author=newsroom["reporter"])

    response = post_action(logged_in(client, newsroom["chief"]), edition, action)

    edition.refresh_from_db()
    assert response.status_code == 302
    assert edition.workflow_state() == state
    messages = [str(message) for message in response.wsgi_request._messages]
    assert len(messages) == 1
    assert "not possible" in messages[0]


def test_anonymous_visitor_is_sent_to_the_login_page(client, newsroom):
    edition = edition_in_state("in_review", author=newsroom["reporter"])

    response = post_action(client, edition, "approve")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")
    edition.refresh_from_db()
    assert edition.status == "in_review"


def test_request_changes_without_a_reason_keeps_the_state(client, newsroom):
    edition = edition_in_state("in_review", author=newsroom["reporter"])

    client = logged_in(client, newsroom["editor"])
    client.post(workflow_url(edition), {"action": "request_changes", "comment": ""})

    edition.refresh_from_db()
    assert edition.status == "in_review"


def test_requested_changes_stay_visible_on_the_item(client, newsroom):
    edition = edition_in_state("in_review", author=newsroom["reporter"])
    post_action(logged_in(client, newsroom["editor"]), edition, "request_changes")

    response = logged_in(client, newsroom["reporter"]).get(change_url(edition.master, "vi"))

    assert "Spell the governor&#x27;s name as in the glossary." in response.text


def test_schedule_time_is_read_in_the_newsrooms_time_zone(client, newsroom):
    edition = edition_in_state("approved", author=newsroom["reporter"])

    logged_in(client, newsroom["editor"]).post(
        workflow_url(edition), {"action": "schedule", "when": "2030-01-29T08:00"}
    )

    edition.refresh_from_db()
    assert edition.published_at == datetime.datetime(2030, 1, 29, 1, 0, tzinfo=datetime.UTC)
    assert edition.workflow_state() == "scheduled"


def test_scheduled_queue_lists_scheduled_editions(client, newsroom):
    scheduled = edition_in_state("scheduled", author=newsroom["reporter"])
    edition_in_state("published", author=newsroom["reporter"])

    response = logged_in(client, newsroom["editor"]).get(
        reverse("admin:articles_article_changelist"), {"edition": "scheduled"}
    )

    assert list(response.context["cl"].result_list) == [scheduled.master]


@pytest.mark.parametrize(
    ("role", "state", "status_code"),
    [
        ("reporter", "draft", 302),
        ("reporter", "changes_requested", 302),
        ("reporter", "in_review", 403),
        ("other_reporter", "draft", 403),
        ("translator", "draft", 403),
        ("editor", "approved", 302),
    ],
)
def test_who_can_save_the_source_in_the_admin(client, newsroom, role, state, status_code):
    edition = edition_in_state(state, author=newsroom["reporter"])
    desk = logged_in(client, newsroom["chief"])
    data = open_change_form(desk, edition.master, "vi")
    client.logout()

    response = logged_in(client, newsroom[role]).post(
        change_url(edition.master, "vi"), {**data, "title": "Changed title"}
    )

    assert response.status_code == status_code
    edition.refresh_from_db()
    assert (edition.title == "Changed title") is (status_code == 302)


def test_assigned_translator_writes_their_translation(client, newsroom):
    article = edition_in_state("published", author=newsroom["reporter"]).master
    TranslationAssignment.objects.create(
        article=article, language_code="en", translator=newsroom["translator"]
    )

    client = logged_in(client, newsroom["translator"])
    response = client.get(change_url(article, "en"))
    data = form_values(response)
    data.update(title="Friendship festival", lead="Lead.", body="<p>Body.</p>")
    response = client.post(change_url(article, "en"), data)

    assert response.status_code == 302
    english = ArticleTranslation.objects.get(master=article, language_code="en")
    assert (english.title, english.status, english.last_edited_by) == (
        "Friendship festival",
        "draft",
        newsroom["translator"],
    )
    assert english.source_content_version == article.source_edition().content_version


def test_unassigned_translator_cannot_write_a_translation(client, newsroom):
    article = edition_in_state("published", author=newsroom["reporter"]).master
    TranslationAssignment.objects.create(
        article=article, language_code="en", translator=newsroom["other_translator"]
    )

    response = logged_in(client, newsroom["translator"]).get(change_url(article, "en"))
    refused = client.post(change_url(article, "en"), {"title": "Mine"})

    assert response.context["has_change_permission"] is False
    assert refused.status_code == 403
    assert not ArticleTranslation.objects.filter(master=article, language_code="en").exists()


def test_translator_cannot_change_the_shared_fields(client, newsroom):
    article = edition_in_state("published", author=newsroom["reporter"]).master
    original_category = article.category
    TranslationAssignment.objects.create(
        article=article, language_code="en", translator=newsroom["translator"]
    )
    client = logged_in(client, newsroom["translator"])
    data = open_change_form(client, article, "en")

    client.post(
        change_url(article, "en"),
        {**data, "title": "English", "category": CategoryFactory().pk},
    )

    article.refresh_from_db()
    assert article.category == original_category


def test_second_save_of_the_same_edition_is_refused_and_keeps_its_text(client, newsroom):
    """Two people open the same translation; both save; nothing is lost."""
    article = edition_in_state("published", author=newsroom["reporter"]).master
    add_edition(article, "en", title="English v1", status="draft", published_at=None)
    first = logged_in(Client(), newsroom["editor"])
    second = logged_in(Client(), newsroom["chief"])
    first_data = open_change_form(first, article, "en")
    second_data = open_change_form(second, article, "en")

    saved = first.post(change_url(article, "en"), {**first_data, "title": "First editor"})
    refused = second.post(change_url(article, "en"), {**second_data, "title": "Second editor"})

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert "saved this edition at" in refused.text
    assert 'value="Second editor"' in refused.text
    english = ArticleTranslation.objects.get(master=article, language_code="en")
    assert english.title == "First editor"

    deliberate = second.post(change_url(article, "en"), form_values(refused))

    assert deliberate.status_code == 302
    english.refresh_from_db()
    assert english.title == "Second editor"


def test_source_edit_makes_translations_outdated(client, newsroom):
    article = edition_in_state("published", author=newsroom["reporter"]).master
    add_edition(article, "en", title="English")
    ArticleTranslation.objects.filter(language_code="en").update(source_content_version=1)

    save_change_form(logged_in(client, newsroom["editor"]), article, "vi", title="Nguồn đã sửa")

    english = ArticleTranslation.objects.get(master=article, language_code="en")
    assert english.is_outdated()
    listing = client.get(reverse("admin:articles_article_changelist"))
    assert "en ⚠ outdated" in listing.text
    outdated = client.get(reverse("admin:articles_article_changelist"), {"edition": "en:outdated"})
    assert list(outdated.context["cl"].result_list) == [article]


def test_minor_edit_of_the_source_keeps_translations_current(client, newsroom):
    article = edition_in_state("published", author=newsroom["reporter"]).master
    add_edition(article, "en", title="English")
    ArticleTranslation.objects.filter(language_code="en").update(source_content_version=1)

    save_change_form(
        logged_in(client, newsroom["reporter"]), article, "vi", title="Typo fixed", minor_edit="on"
    )

    english = ArticleTranslation.objects.get(master=article, language_code="en")
    assert not english.is_outdated()
    event = EditionEvent.objects.get(action="minor_edit")
    assert (event.actor, event.language_code) == (newsroom["reporter"], "vi")


def test_translator_sees_what_changed_in_the_source_and_marks_it_applied(client, newsroom):
    article = edition_in_state("published", author=newsroom["reporter"]).master
    add_edition(article, "en", title="English")
    TranslationAssignment.objects.create(
        article=article, language_code="en", translator=newsroom["translator"]
    )
    ArticleTranslation.objects.filter(language_code="en").update(source_content_version=1)
    save_change_form(logged_in(client, newsroom["editor"]), article, "vi", title="Tiêu đề mới")
    client.logout()

    client = logged_in(client, newsroom["translator"])
    page = client.get(change_url(article, "en"))

    assert "<del>Source</del><ins>Tiêu đề mới</ins>" in page.text
    save_change_form(client, article, "en", title="New title", source_applied="on")
    english = ArticleTranslation.objects.get(master=article, language_code="en")
    assert english.title == "New title"
    assert not english.is_outdated()


def test_translator_confirms_a_translation_needs_no_change(client, newsroom):
    article = edition_in_state("published", author=newsroom["reporter"]).master
    add_edition(article, "en", title="English")
    TranslationAssignment.objects.create(
        article=article, language_code="en", translator=newsroom["translator"]
    )
    ArticleTranslation.objects.filter(language_code="en").update(source_content_version=1)
    save_change_form(logged_in(client, newsroom["editor"]), article, "vi", lead="Sapo mới")

    client = logged_in(client, newsroom["translator"])
    client.post(reverse("admin:articles_article_confirm_source", args=[article.pk, "en"]))

    english = ArticleTranslation.objects.get(master=article, language_code="en")
    assert not english.is_outdated()
    assert english.title == "English"


def test_editor_assigns_and_translator_sees_it_in_the_inbox(client, newsroom):
    article = edition_in_state("published", author=newsroom["reporter"]).master

    logged_in(client, newsroom["editor"]).post(
        reverse("admin:articles_article_assign", args=[article.pk, "en"]),
        {"translator": newsroom["translator"].pk},
    )
    inbox = logged_in(client, newsroom["translator"]).get(reverse("admin:articles_inbox"))

    assert [a.article for a in inbox.context["assignments_not_started"]] == [article]
    assert len(inbox.context["notifications"]) == 1


def test_inbox_lists_editions_waiting_for_review(client, newsroom):
    waiting = edition_in_state("in_review", author=newsroom["reporter"])
    edition_in_state("draft", author=newsroom["reporter"])

    inbox = logged_in(client, newsroom["editor"]).get(reverse("admin:articles_inbox"))

    assert inbox.context["to_review"] == [waiting]


def test_reporter_inbox_lists_their_drafts_with_changes_requested(client, newsroom):
    mine = edition_in_state("changes_requested", author=newsroom["reporter"])
    edition_in_state("changes_requested", author=newsroom["other_reporter"])

    inbox = logged_in(client, newsroom["reporter"]).get(reverse("admin:articles_inbox"))

    assert inbox.context["changes_requested"] == [mine]
    assert inbox.context["to_review"] == []


def test_workflow_actions_refuse_get(client, newsroom):
    edition = edition_in_state("in_review", author=newsroom["reporter"])

    response = logged_in(client, newsroom["editor"]).get(workflow_url(edition))

    assert response.status_code == 405


def test_reporter_creates_a_vietnamese_draft_they_own(client, newsroom):
    category = CategoryFactory()

    response = logged_in(client, newsroom["reporter"]).post(
        reverse("admin:articles_article_add") + "?language=en",
        {
            "title": "Tin mới",
            "slug": "",
            "lead": "",
            "body": "<p>Nội dung.</p>",
            "reporter_credit": "Huỳnh Thủy",
            "translator_credit": "",
            "source_url": "",
            "seo_description": "",
            "source_language": "en",
            "category": category.pk,
            "gallery-TOTAL_FORMS": "0",
            "gallery-INITIAL_FORMS": "0",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    edition = ArticleTranslation.objects.get(title="Tin mới")
    assert (edition.language_code, edition.status) == ("vi", "draft")
    assert (edition.master.source_language, edition.master.created_by) == (
        "vi",
        newsroom["reporter"],
    )
