"""The translation desk in a real browser: a translator translates side by side, sees the
term base's approved renderings, and the term check stops a forbidden variant."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from articles.models import ArticleTranslation, EditionStatus, TranslationAssignment
from articles.roles import REPORTER, TRANSLATOR
from tests.browser.test_content_security_policy import RECORD_VIOLATIONS, violations
from tests.browser.test_editorial_workflow import log_in, submit
from tests.factories import ArticleFactory, TermFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def assigned_article():
    TermFactory()
    reporter = UserFactory(username="reporter", role=REPORTER)
    translator = UserFactory(username="translator", role=TRANSLATOR)
    with translation.override("vi"):
        article = ArticleFactory(
            source_language="vi",
            title="Đón đoàn tỉnh Champasak",
            body=(
                "<p>Liên hiệp đón Tỉnh trưởng Alounxay SounNaLath.</p>"
                "<p>Hai bên trao đổi về hợp tác giáo dục.</p>"
            ),
            created_by=reporter,
        )
    TranslationAssignment.objects.create(article=article, language_code="en", translator=translator)
    return article


def test_translator_sees_approved_renderings_and_is_stopped_by_a_forbidden_variant(
    live_server, page, assigned_article
):
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(page, live_server.url, "translator")
    page.goto(
        live_server.url
        + reverse("admin:articles_article_side_by_side", args=[assigned_article.pk, "en"])
    )

    # The governor's name is marked in the source, with its approved English rendering.
    term = page.locator("#unit-body-1 td.source mark.term")
    expect(term).to_have_text("Alounxay SounNaLath")
    expect(term).to_have_attribute("data-rendering", "Alounxay SounNaLath")
    expect(page.locator("#unit-body-1 .approved-rendering")).to_have_text("Alounxay SounNaLath")

    page.locator("#id_title").fill("Champasak delegation welcomed")
    body = page.locator("#id_body-1")
    body.fill("The union welcomed Governor Alounxai Sounnalath.")
    # The term's state follows the typing: the forbidden variant is flagged at once.
    expect(page.locator("#unit-body-1 li.part-term")).to_have_attribute("data-state", "forbidden")
    page.locator("#id_body-2").fill("Both sides discussed cooperation in education.")
    submit(page, page.locator("button[name=_submit]"))

    # Stopped: the term check lists the problem, and nothing went to review.
    problems = page.locator("ol.term-problems li.term-problem")
    expect(problems).to_have_count(1)
    expect(problems.first).to_contain_text("Alounxai Sounnalath")
    expect(problems.first).to_contain_text("Alounxay SounNaLath")
    edition = ArticleTranslation.objects.get(master=assigned_article, language_code="en")
    assert edition.status == EditionStatus.DRAFT
    assert "Alounxai Sounnalath" in edition.body  # the text was saved, not lost

    # Back to the side-by-side page, fixed, submitted: in review.
    submit(page, page.locator(".term-check a").first)
    expect(page.locator("#id_body-1")).to_have_value(
        "The union welcomed Governor Alounxai Sounnalath."
    )
    page.locator("#id_body-1").fill("The union welcomed Governor Alounxay SounNaLath.")
    expect(page.locator("#unit-body-1 li.part-term")).to_have_attribute("data-state", "ok")
    submit(page, page.locator("button[name=_submit]"))

    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    edition.refresh_from_db()
    assert edition.status == EditionStatus.IN_REVIEW
    assert violations(page) == []
