from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from articles.models import Article, ArticleTranslation
from events.models import Activity, ReportedFigure
from organizations.models import (
    CooperationAgreement,
    Country,
    FriendshipUnion,
    MemberAssociation,
    PartnerLocality,
)
from relations.models import Occasion
from translation_desk.models import PersonTitle, Term

pytestmark = pytest.mark.django_db

SEEDED_MODELS = [
    Country,
    FriendshipUnion,
    MemberAssociation,
    PartnerLocality,
    CooperationAgreement,
    Activity,
    ReportedFigure,
    Article,
    ArticleTranslation,
    Occasion,
    Term,
    PersonTitle,
]


@pytest.fixture
def seeded():
    call_command("load_seed_content", stdout=StringIO())


def counts():
    return {model.__name__: model.objects.count() for model in SEEDED_MODELS}


def test_loading_twice_creates_nothing_twice(seeded):
    first = counts()

    call_command("load_seed_content", stdout=StringIO())

    assert counts() == first
    assert first["Article"] == 4
    assert first["ArticleTranslation"] == 5


def test_reloading_keeps_what_editors_changed(seeded):
    union = FriendshipUnion.objects.home()
    union.set_current_language("en")
    union.motto = "Edited by the desk"
    union.save()

    call_command("load_seed_content", stdout=StringIO())

    union = FriendshipUnion.objects.home()
    assert union.safe_translation_getter("motto", language_code="en") == "Edited by the desk"


def test_term_base_approves_one_spelling_of_the_lao_governor(seeded):
    governor = Term.objects.get(key="alounxay-sounnalath")

    assert (governor.en, governor.forbidden_variants("en")) == (
        "Alounxay SounNaLath",
        ["Alounxai Sounnalath"],
    )
    assert governor.title_on(date(2025, 1, 3), "en").endswith("Governor of Champasak province")


def test_reloading_keeps_the_desks_changes_to_a_term(seeded):
    Term.objects.filter(key="motto").update(en="Proactive, flexible, creative and effective")

    call_command("load_seed_content", stdout=StringIO())

    assert Term.objects.get(key="motto").en == "Proactive, flexible, creative and effective"


def test_home_union_has_the_facts_of_the_seeds(seeded):
    union = FriendshipUnion.objects.home()

    assert union.code == "binh-duong"
    assert union.member_count == 1600
    assert union.hotline == "0274 383 347"
    assert union.parent.code == "vufo"
    assert union.safe_translation_getter("motto", language_code="vi") == (
        "Chủ động, linh hoạt, sáng tạo, hiệu quả"
    )
    assert union.safe_translation_getter("president_name", language_code="vi") == (
        "Trần Thị Kim Vân"
    )


def test_heidelberg_memorandum_is_dated_to_the_month(seeded):
    agreement = CooperationAgreement.objects.get(
        locality__translations__language_code="en", locality__translations__slug="heidelberg"
    )

    assert (agreement.kind, agreement.signed_on, agreement.signed_on_precision) == (
        "mou",
        date(2024, 8, 1),
        "month",
    )


def test_reported_figures_are_as_written(seeded):
    figures = {
        (figure.year, figure.metric): (figure.qualifier, figure.value)
        for figure in ReportedFigure.objects.all()
    }

    assert figures[(2017, "aid_organizations")] == ("exact", Decimal("8"))
    assert figures[(2017, "aid_projects")] == ("exact", Decimal("10"))
    assert figures[(2017, "aid_committed_usd")] == ("more_than", Decimal("700000"))
    assert figures[(2017, "aid_growth_percent")] == ("exact", Decimal("21.48"))
    assert figures[(2017, "mobilized_vnd")] == ("more_than", Decimal("1000000000"))
    assert figures[(2024, "activities")] == ("more_than", Decimal("30"))
    assert figures[(2024, "partner_localities")] == ("exact", Decimal("14"))


def test_articles_exist_in_the_languages_of_their_seeds(seeded):
    languages = {
        str(article): sorted(article.get_available_languages())
        for article in Article.objects.prefetch_related("translations")
    }

    with translation.override("en"):
        assert languages == {
            "Provincial Union of Friendship Organizations promotes solidarity and friendship": [
                "en",
                "zh-hans",
            ],
            "Binh Duong strengthens people-to-people diplomacy in the new period": ["en"],
            "Improve the quality of people's foreign affairs": ["en"],
            "Liên hiệp Bình Dương: đẩy mạnh hoạt động đối ngoại năm 2018": ["vi"],
        }


def test_every_edition_has_a_readable_slug(seeded):
    slugs = dict(ArticleTranslation.objects.values_list("language_code", "slug").order_by("pk"))

    assert slugs["vi"] == "lien-hiep-binh-duong-day-manh-hoat-dong-doi-ngoai-nam-2018"
    assert slugs["zh-hans"].startswith("ping-yang-sheng-you-hao-zu-zhi-lian-he-hui")


def test_byline_of_the_english_seed_credits_reporter_and_translator(seeded):
    edition = ArticleTranslation.objects.get(
        slug="provincial-union-of-friendship-organizations-promotes-solidarity-and-friendship"
    )

    assert edition.byline == "Reported by Huynh Thuy – Translated by Vi Bao"


def test_seed_articles_are_linked_to_what_they_report_on(seeded):
    article = Article.objects.get(
        translations__slug=(
            "provincial-union-of-friendship-organizations-promotes-solidarity-and-friendship"
        )
    )

    assert article.activities.count() == 9
    assert set(article.countries.values_list("code", flat=True)) >= {"LA", "DE"}
    assert article.localities.count() == 7
    assert article.lead_photo.width == 1200
