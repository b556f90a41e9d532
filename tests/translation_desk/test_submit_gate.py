import pytest
from django.urls import reverse
from django.utils import translation

from articles import workflow
from articles.models import EditionStatus, TranslationAssignment
from tests.articles.test_admin_workflow import logged_in, workflow_url
from tests.factories import ArticleFactory, TermFactory, add_edition
from translation_desk.models import Term, TermOverride

pytestmark = pytest.mark.django_db

SOURCE = "<p>Liên hiệp đón Bí thư, Tỉnh trưởng tỉnh Champasak Alounxay SounNaLath.</p>"
FORBIDDEN = "<p>The union welcomed Governor Alounxai Sounnalath of Champasak.</p>"
CLEAN = "<p>The union welcomed Governor Alounxay SounNaLath of Champasak.</p>"


@pytest.fixture
def governor(db):
    return TermFactory()


def translation_draft(translator, body, *, reporter):
    """A Vietnamese article with an English draft by ``translator``."""
    with translation.override("vi"):
        article = ArticleFactory(source_language="vi", body=SOURCE, created_by=reporter)
    add_edition(article, "en", title="Governor welcomed", body=body, status="draft")
    TranslationAssignment.objects.create(article=article, language_code="en", translator=translator)
    return article.translations.get(language_code="en")


@pytest.fixture
def flagged(newsroom, governor):
    return translation_draft(newsroom["translator"], FORBIDDEN, reporter=newsroom["reporter"])


def test_submitting_a_translation_with_a_forbidden_variant_is_refused_with_the_problems(
    newsroom, flagged
):
    with pytest.raises(workflow.TermCheckFailed) as refusal:
        workflow.perform("submit", flagged, by=newsroom["translator"])

    assert [(p.kind, p.found_variant) for p in refusal.value.problems] == [
        ("forbidden", "Alounxai Sounnalath")
    ]
    assert "“Alounxai Sounnalath” is a forbidden rendering" in refusal.value.messages[0]
    flagged.refresh_from_db()
    assert flagged.status == EditionStatus.DRAFT


def test_submitting_a_translation_missing_a_rendering_is_refused(newsroom, governor):
    edition = translation_draft(
        newsroom["translator"],
        "<p>The union welcomed the governor.</p>",
        reporter=newsroom["reporter"],
    )

    with pytest.raises(workflow.TermCheckFailed) as refusal:
        workflow.perform("submit", edition, by=newsroom["translator"])

    assert [p.kind for p in refusal.value.problems] == ["missing"]


def test_clean_translation_is_submitted(newsroom, governor):
    edition = translation_draft(newsroom["translator"], CLEAN, reporter=newsroom["reporter"])

    workflow.perform("submit", edition, by=newsroom["translator"])

    edition.refresh_from_db()
    assert edition.status == EditionStatus.IN_REVIEW


def test_override_with_a_reason_records_who_when_why_and_submits(newsroom, flagged):
    translator = newsroom["translator"]
    key = f"{Term.objects.get().pk}:forbidden:Alounxai Sounnalath"

    workflow.perform(
        "submit", flagged, by=translator, overrides={key: "Quoted from the Lao press release."}
    )

    override = TermOverride.objects.get()
    assert (override.edition, override.overridden_by, override.reason, override.found_variant) == (
        flagged,
        translator,
        "Quoted from the Lao press release.",
        "Alounxai Sounnalath",
    )
    assert override.overridden_at is not None
    flagged.refresh_from_db()
    assert flagged.status == EditionStatus.IN_REVIEW


def test_override_without_a_reason_is_no_override(newsroom, flagged):
    key = f"{Term.objects.get().pk}:forbidden:Alounxai Sounnalath"

    with pytest.raises(workflow.TermCheckFailed):
        workflow.perform("submit", flagged, by=newsroom["translator"], overrides={key: "  "})

    assert not TermOverride.objects.exists()


def test_source_language_submission_is_not_checked(newsroom, governor):
    with translation.override("vi"):
        article = ArticleFactory(
            source_language="vi", body="<p>Alounxai Sounnalath</p>", created_by=newsroom["reporter"]
        )
    source = article.translations.get(language_code="vi")
    source.status = EditionStatus.DRAFT
    source.save()
    Term.objects.filter(pk=governor.pk).update(vi="Tên khác", forbidden_vi="Alounxai Sounnalath")

    workflow.perform("submit", source, by=newsroom["reporter"])

    source.refresh_from_db()
    assert source.status == EditionStatus.IN_REVIEW


# Through the admin desk.


def test_desk_shows_the_problems_with_a_reason_field_each(client, newsroom, flagged):
    response = logged_in(client, newsroom["translator"]).post(
        workflow_url(flagged), {"action": "submit"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "“Alounxai Sounnalath” is a forbidden rendering" in page
    assert f'name="reason:{Term.objects.get().pk}:forbidden:Alounxai Sounnalath"' in page
    assert "Submit anyway" in page
    flagged.refresh_from_db()
    assert flagged.status == EditionStatus.DRAFT


def test_desk_submit_anyway_records_the_overrides_and_submits(client, newsroom, flagged):
    key = f"{Term.objects.get().pk}:forbidden:Alounxai Sounnalath"

    response = logged_in(client, newsroom["translator"]).post(
        workflow_url(flagged), {"action": "submit", f"reason:{key}": "As the Lao side spells it."}
    )

    assert response.status_code == 302
    assert TermOverride.objects.get().reason == "As the Lao side spells it."
    flagged.refresh_from_db()
    assert flagged.status == EditionStatus.IN_REVIEW


def test_reviewing_editor_sees_the_override_on_the_desk(client, newsroom, flagged):
    key = f"{Term.objects.get().pk}:forbidden:Alounxai Sounnalath"
    workflow.perform(
        "submit", flagged, by=newsroom["translator"], overrides={key: "As the Lao side spells it."}
    )

    response = logged_in(client, newsroom["editor"]).get(
        reverse("admin:articles_article_change", args=[flagged.master_id]) + "?language=en"
    )

    overrides = response.context["desk"]["term_overrides"]
    assert [(o.found_variant, o.overridden_by) for o in overrides] == [
        ("Alounxai Sounnalath", newsroom["translator"])
    ]
    assert "As the Lao side spells it." in response.content.decode()


def test_earlier_override_holds_when_the_translation_is_submitted_again(newsroom, flagged):
    key = f"{Term.objects.get().pk}:forbidden:Alounxai Sounnalath"
    workflow.perform("submit", flagged, by=newsroom["translator"], overrides={key: "Lao spelling."})
    workflow.perform("request_changes", flagged, by=newsroom["editor"], comment="Shorter title.")

    workflow.perform("submit", flagged, by=newsroom["translator"])

    flagged.refresh_from_db()
    assert flagged.status == EditionStatus.IN_REVIEW
