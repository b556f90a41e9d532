import datetime

import pytest
from django.utils import translation

from organizations.models import CooperationAgreement
from tests.factories import (
    ActivityFactory,
    ArticleFactory,
    CountryFactory,
    FriendshipUnionFactory,
    MemberAssociationFactory,
    PartnerLocalityFactory,
    add_edition,
)

pytestmark = pytest.mark.django_db


def test_union_page_shows_about_leadership_members_and_contact(client):
    union = FriendshipUnionFactory(
        is_home=True,
        president_name="Tran Thi Kim Van",
        member_count=1600,
        hotline="0274 383 347",
        motto="Proactive, flexible, creative, effective",
    )
    MemberAssociationFactory(union=union, name="Vietnam–Laos Friendship Association")

    text = client.get("/en/about/").text

    for expected in [
        "Tran Thi Kim Van",
        "1,600",
        "0274 383 347",
        "Vietnam–Laos Friendship Association",
    ]:
        assert expected in text


def test_union_page_without_seed_content_is_a_404(client):
    assert client.get("/en/about/").status_code == 404


def test_locality_page_counts_years_of_cooperation_and_lists_its_events_and_articles(client):
    locality = PartnerLocalityFactory(name="Yamaguchi Prefecture")
    CooperationAgreement.objects.create(
        locality=locality,
        kind="friendship_cooperation",
        signed_on=datetime.date(2014, 1, 1),
        signed_on_precision="year",
    )
    activity = ActivityFactory(title="10 years with Yamaguchi")
    activity.localities.add(locality)
    article = ArticleFactory(title="Yamaguchi story")
    article.localities.add(locality)

    response = client.get("/en/partners/yamaguchi-prefecture/")

    assert response.context["years"] == locality.years_of_cooperation()
    timeline = response.context["timeline"]
    assert [entry.category for entry in timeline] == ["agreement", "event", "article"]
    assert timeline[1].url == activity.get_absolute_url()
    assert timeline[2].url == article.get_absolute_url()
    assert "years of cooperation" in response.text


def test_years_of_cooperation_count_calendar_years_when_only_the_year_is_known():
    locality = PartnerLocalityFactory()
    CooperationAgreement.objects.create(
        locality=locality,
        kind="friendship_cooperation",
        signed_on=datetime.date(2015, 1, 1),
        signed_on_precision="year",
    )

    assert locality.years_of_cooperation(on=datetime.date(2025, 3, 1)) == 10


def test_years_of_cooperation_wait_for_the_anniversary_day():
    locality = PartnerLocalityFactory()
    CooperationAgreement.objects.create(
        locality=locality, kind="mou", signed_on=datetime.date(2014, 8, 20)
    )

    assert locality.years_of_cooperation(on=datetime.date(2024, 8, 19)) == 9
    assert locality.years_of_cooperation(on=datetime.date(2024, 8, 20)) == 10


def test_locality_page_in_another_language_uses_its_slug(client):
    locality = PartnerLocalityFactory(name="Champasak province")
    add_edition(locality, "zh-hans", name="占巴塞省")

    response = client.get("/zh-hans/partners/zhan-ba-sai-sheng/")

    assert response.status_code == 200
    links = {link["code"]: link["url"] for link in response.context["language_links"]}
    assert links == {
        "vi": "/vi/",
        "en": "/en/partners/champasak-province/",
        "zh-hans": "/zh-hans/partners/zhan-ba-sai-sheng/",
    }


def test_locality_list_shows_every_partner(client):
    PartnerLocalityFactory(name="Heidelberg City")
    PartnerLocalityFactory(name="Daejeon City")

    text = client.get("/en/partners/").text

    assert "Heidelberg City" in text
    assert "Daejeon City" in text


def test_association_page_lists_its_activities(client):
    association = MemberAssociationFactory(name="Vietnam–Cambodia Friendship Association")
    activity = ActivityFactory(title="Khmer New Year")
    activity.associations.add(association)

    response = client.get("/en/associations/vietnam-cambodia-friendship-association/")

    assert list(response.context["activities"]) == [activity]


def test_country_page_lists_localities_associations_and_articles(client):
    laos = CountryFactory(code="LA", name="Laos")
    locality = PartnerLocalityFactory(country=laos)
    association = MemberAssociationFactory()
    association.countries.add(laos)
    article = ArticleFactory()
    article.countries.add(laos)

    response = client.get("/en/countries/la/")

    assert list(response.context["localities"]) == [locality]
    assert list(response.context["associations"]) == [association]
    assert [card.article_id for card in response.context["articles"]] == [article.pk]


@pytest.mark.parametrize(
    "path",
    [
        "/en/countries/zz/",
        "/en/countries/" + "x" * 300 + "/",
        "/en/partners/nope/",
        "/en/associations/nope/",
    ],
)
def test_unknown_organization_is_a_404(client, path):
    assert client.get(path).status_code == 404


def test_organization_pages_in_vietnamese(client):
    with translation.override("vi"):
        FriendshipUnionFactory(is_home=True, name="Liên hiệp các tổ chức hữu nghị tỉnh Bình Dương")

    assert "Liên hiệp các tổ chức hữu nghị tỉnh Bình Dương" in client.get("/vi/about/").text
