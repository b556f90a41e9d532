"""The Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval') breaks nothing: the
browser reports no violation on the reader's pages nor in the editor's admin, and the
rich-text editor still works."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.roles import EDITOR
from tests.browser.test_editorial_workflow import log_in
from tests.factories import (
    ArticleFactory,
    FriendshipUnionFactory,
    OccasionFactory,
    PhotoFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Added to every page before its own scripts: collects the violations the browser reports.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", event => {
    window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def watched_page(page):
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def violations(page):
    return page.evaluate("window.cspViolations")


def test_reader_pages_run_under_the_policy_without_violations(watched_page, live_server):
    FriendshipUnionFactory()
    article = ArticleFactory(title="Delegation from Laos", lead_photo=PhotoFactory())

    for path in ["/en/", article.get_absolute_url(), "/en/articles/", "/en/search/?q=Laos"]:
        watched_page.goto(live_server.url + path)
        watched_page.wait_for_load_state("load")

        assert violations(watched_page) == [], path


def test_rich_text_editor_works_under_the_policy(watched_page, live_server):
    UserFactory(username="editor", role=EDITOR)
    log_in(watched_page, live_server.url, "editor")

    watched_page.goto(f"{live_server.url}/admin/articles/article/add/")
    editor = watched_page.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    watched_page.keyboard.type("Đoàn đại biểu tỉnh Champasak")

    expect(editor).to_contain_text("Đoàn đại biểu tỉnh Champasak")
    assert violations(watched_page) == []


def test_desk_pages_run_under_the_policy_without_violations(watched_page, live_server):
    UserFactory(username="editor", role=EDITOR)
    OccasionFactory(name="National Day of Laos")
    log_in(watched_page, live_server.url, "editor")

    for path in [
        "/admin/",
        "/admin/relations/occasion/calendar/",
        "/admin/relations/occasion/calendar/?view=year",
        "/admin/relations/my-calendar/",
        "/admin/two-step-login/",
        reverse("admin:articles_inbox"),
    ]:
        response = watched_page.goto(live_server.url + path)
        watched_page.wait_for_load_state("load")

        assert response.status == 200, path
        assert violations(watched_page) == [], path
