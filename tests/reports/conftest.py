"""Known data for the yearly summary: 2017 reproduces what the union reported (8
organizations, 10 approved projects, more than 700,000 USD, +21.48% on 2016)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from events.models import ActivityType, ReportedFigure, UnionRole
from organizations.models import CooperationAgreement
from tests.factories import (
    ActivityFactory,
    ArticleFactory,
    CountryFactory,
    ForeignNGOFactory,
    FriendshipUnionFactory,
    MemberAssociationFactory,
    PartnerLocalityFactory,
    add_edition,
)

AID_2016_USD = Decimal("576638.00")  # 700,500.00 / 576,638.00 = +21.48%


def translate(instance, **names):
    """Name ``instance`` in other languages: ``translate(country, vi="Lào")``."""
    for language, name in names.items():
        instance.set_current_language(language.replace("_", "-"))
        instance.name = name
        instance.save()
    instance.set_current_language("en")
    return instance


@pytest.fixture
def union(db):
    home = FriendshipUnionFactory(
        code="binh-duong",
        is_home=True,
        name="Union of Friendship Organizations of Binh Duong province",
    )
    return translate(
        home,
        vi="Liên hiệp các tổ chức hữu nghị tỉnh Bình Dương",
        zh_hans="平阳省友好组织联合会",
    )


def aid_project(union, on, usd, sponsor, approved=True):
    return ActivityFactory(
        union=union,
        activity_type=ActivityType.AID_PROJECT,
        union_role=UnionRole.COORDINATED,
        starts_on=on,
        aid_usd=Decimal(usd),
        sponsor=sponsor,
        aid_approved=approved,
    )


@pytest.fixture
def year_2017(union):
    """15 activities of the union in 2017, their 2016 comparison, and noise around."""
    laos = translate(CountryFactory(code="LA", name="Laos"), vi="Lào", zh_hans="老挝")
    cambodia = translate(
        CountryFactory(code="KH", name="Cambodia"), vi="Campuchia", zh_hans="柬埔寨"
    )
    korea = translate(CountryFactory(code="KR", name="South Korea"), vi="Hàn Quốc")
    champasak = PartnerLocalityFactory(country=laos, name="Champasak")
    daejeon = PartnerLocalityFactory(country=korea, name="Daejeon")
    vietnam_laos = MemberAssociationFactory(union=union, name="Vietnam–Laos Association")
    vietnam_cambodia = MemberAssociationFactory(union=union, name="Vietnam–Cambodia Association")

    ngos = ForeignNGOFactory.create_batch(9)
    # 10 approved projects from 8 sponsors (the first two sponsor two each): 700,500 USD.
    for index, sponsor in enumerate([*ngos[:8], ngos[0], ngos[1]]):
        usd = "70500.00" if index == 0 else "70000.00"
        aid_project(union, datetime.date(2017, 3, 10), usd, sponsor)
    aid_project(union, datetime.date(2017, 6, 1), "50000.00", ngos[8], approved=False)
    # 2016: 576,638.00 USD approved from 6 sponsors in 7 projects, and one refused.
    for index in range(7):
        usd = AID_2016_USD - 6 * Decimal("80000.00") if index == 0 else Decimal("80000.00")
        aid_project(union, datetime.date(2016, 5, 5), usd, ngos[index % 6])
    aid_project(union, datetime.date(2016, 5, 5), "99999.00", ngos[7], approved=False)

    scholarship = ActivityFactory(
        union=union,
        activity_type=ActivityType.SCHOLARSHIP,
        union_role=UnionRole.CHAIRED,
        starts_on=datetime.date(2017, 4, 14),
        participants=40,
        scholarships=30,
        amount_vnd=Decimal(150_000_000),
    )
    scholarship.countries.set([laos, cambodia])
    scholarship.associations.set([vietnam_laos])
    humanitarian = ActivityFactory(
        union=union,
        activity_type=ActivityType.HUMANITARIAN,
        union_role=UnionRole.COORDINATED,
        starts_on=datetime.date(2017, 1, 1),
        date_precision="year",
        beneficiaries=120,
        scholarships=5,
        amount_vnd=Decimal(900_000_000),
    )
    humanitarian.countries.set([cambodia])
    humanitarian.associations.set([vietnam_cambodia])
    received = ActivityFactory(
        union=union,
        activity_type=ActivityType.DELEGATION_RECEIVED,
        union_role=UnionRole.ATTENDED,
        starts_on=datetime.date(2017, 4, 2),
        participants=12,
    )
    received.countries.set([laos])
    received.localities.set([champasak])
    sent = ActivityFactory(
        union=union,
        activity_type=ActivityType.DELEGATION_SENT,
        union_role=UnionRole.CHAIRED,
        starts_on=datetime.date(2017, 9, 20),
        participants=6,
    )
    sent.countries.set([korea])
    sent.localities.set([daejeon])

    # Not in the 2017 summary: another union's activity, and the union's own in 2018.
    ActivityFactory(starts_on=datetime.date(2017, 5, 1), participants=1000)
    ActivityFactory(union=union, starts_on=datetime.date(2018, 1, 5))

    ReportedFigure.objects.create(
        union=union,
        year=2017,
        metric="aid_committed_usd",
        qualifier="more_than",
        value=700000,
        source="seed 004",
    )
    ReportedFigure.objects.create(
        union=union, year=2017, metric="aid_growth_percent", value=Decimal("21.48"), source="004"
    )

    published_2017 = datetime.datetime(2017, 5, 1, 9, tzinfo=datetime.UTC)
    with translation.override("vi"):
        translated_article = ArticleFactory(source_language="vi", published_at=published_2017)
        ArticleFactory(source_language="vi", published_at=published_2017)
        ArticleFactory(source_language="vi", status="draft", published_at=None)
    add_edition(translated_article, "en", published_at=published_2017)
    ArticleFactory(source_language="en", published_at=published_2017)  # English only
    return {"union": union, "daejeon": daejeon, "champasak": champasak}


@pytest.fixture
def anniversaries(union):
    """First agreements: Daejeon 2005 (20 years in 2025), Heidelberg 2024 (1), Eindhoven
    2010 then 2015 (15), Yamaguchi 2025 (0), Champasak none."""
    korea = CountryFactory(code="KR", name="South Korea")
    daejeon = translate(
        PartnerLocalityFactory(country=korea, name="Daejeon"), vi="Daejeon", zh_hans="大田"
    )
    heidelberg = PartnerLocalityFactory(name="Heidelberg")
    eindhoven = PartnerLocalityFactory(name="Eindhoven")
    yamaguchi = PartnerLocalityFactory(name="Yamaguchi")
    PartnerLocalityFactory(name="Champasak")
    for locality, year in [
        (daejeon, 2005),
        (heidelberg, 2024),
        (eindhoven, 2015),
        (eindhoven, 2010),
        (yamaguchi, 2025),
    ]:
        CooperationAgreement.objects.create(
            locality=locality,
            kind="friendship_cooperation",
            signed_on=datetime.date(year, 1, 1),
            signed_on_precision="year",
        )


@pytest.fixture
def late_translation(year_2017):
    """A third Vietnamese article of 2017, its English edition published 3.5 days later:
    with the fixture's same-day one, English translations took 1.75 days on average."""
    with translation.override("vi"):
        article = ArticleFactory(
            source_language="vi", published_at=datetime.datetime(2017, 6, 1, 9, tzinfo=datetime.UTC)
        )
    add_edition(article, "en", published_at=datetime.datetime(2017, 6, 4, 21, tzinfo=datetime.UTC))
    return article
