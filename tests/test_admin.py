"""Every admin page of every model renders for staff, including parler's language tabs and
its "delete translation" page (broken by Django 6.1 without our context processor)."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from parler.models import TranslatableModel, TranslatedFieldsModel

from articles.models import (
    Article,
    ArticleTranslation,
    Category,
    Correction,
    EditionEvent,
    GalleryPhoto,
    Notification,
    Photo,
    Tag,
    TranslationAssignment,
)
from events.models import Activity, ReportedFigure
from organizations.models import (
    CooperationAgreement,
    Country,
    ForeignNGO,
    FriendshipUnion,
    MemberAssociation,
    PartnerLocality,
)
from relations.models import CalendarFeed, Occasion, OccasionDone, OccasionReminder
from tests.factories import (
    ActivityFactory,
    ArticleFactory,
    CategoryFactory,
    CountryFactory,
    ForeignNGOFactory,
    FriendshipUnionFactory,
    MemberAssociationFactory,
    OccasionFactory,
    PartnerLocalityFactory,
    PhotoFactory,
    TagFactory,
    TermFactory,
    UserFactory,
    add_edition,
)
from translation_desk.models import PersonTitle, Term, TermOverride

pytestmark = pytest.mark.django_db

NEWSROOM_APPS = {"articles", "events", "organizations", "relations", "translation_desk"}
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in NEWSROOM_APPS),
    key=lambda model: model._meta.label,
)
TRANSLATABLE = [model for model in REGISTERED if issubclass(model, TranslatableModel)]


@pytest.fixture
def one_of_each(admin_user):
    """One object of every registered model, translated into English and Vietnamese."""
    union = FriendshipUnionFactory()
    locality = PartnerLocalityFactory()
    objects = [
        CountryFactory(code="LA"),
        union,
        MemberAssociationFactory(union=union),
        locality,
        CooperationAgreement.objects.create(locality=locality, kind="mou", signed_on="2024-08-01"),
        ForeignNGOFactory(),
        ActivityFactory(union=union),
        ReportedFigure.objects.create(
            union=union, year=2024, metric="activities", value=30, source="seed 000"
        ),
        CategoryFactory(),
        TagFactory(),
        PhotoFactory(),
        ArticleFactory(),
        OccasionFactory(),
    ]
    article, occasion = objects[-2:]
    objects += [
        EditionEvent.objects.create(
            article=article, language_code="en", action="submit", actor=admin_user
        ),
        Notification.objects.create(
            recipient=admin_user, article=article, language_code="en", action="submit", message="-"
        ),
        TranslationAssignment.objects.create(
            article=article, language_code="zh-hans", translator=admin_user
        ),
        OccasionDone.objects.create(occasion=occasion, year=2025, done_by=admin_user),
        OccasionReminder.objects.create(occasion=occasion, year=2025, recipient=admin_user),
    ]
    term = TermFactory()
    objects += [
        term,
        TermOverride.objects.create(
            edition=article.translations.first(),
            term=term,
            kind="missing",
            source_text=term.vi,
            expected=term.en,
            reason="Quoted as the source wrote it",
            overridden_by=admin_user,
            edition_version=1,
        ),
    ]
    for instance in objects:
        if isinstance(instance, TranslatableModel):
            fields = instance._parler_meta.get_all_fields()
            name_field = "title" if "title" in fields else "name"
            values = (
                {"caption": "Ảnh"}
                if instance._meta.model_name == "photo"
                else {name_field: "Tiếng Việt"}
            )
            instance.set_current_language("vi")
            for field, value in values.items():
                setattr(instance, field, value)
            instance.save()
    return {type(instance): instance for instance in objects}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_of_the_newsroom_is_registered():
    expected = {
        model._meta.label
        for app_label in NEWSROOM_APPS
        for model in apps.get_app_config(app_label).get_models()
        # Translations are edited in their model's language tabs, revisions on their own
        # page, the gallery and corrections inline; calendar feeds' addresses are secrets
        # (each person replaces their own); a person's titles inline in their term.
        if not issubclass(model, TranslatedFieldsModel)
        and not model.__name__.startswith("Historical")
        and model not in (GalleryPhoto, Correction, CalendarFeed, PersonTitle)
    }

    assert {model._meta.label for model in REGISTERED} == expected


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_demo_editor_sees_every_changelist(client, one_of_each, model, settings):
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=StringIO())
    # django-axes counts logins per request: the test client must hand it one.
    client.login(request=HttpRequest(), username="editor", password="friendship-demo")

    response = client.get(admin_url(model, "changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_renders(staff_client, one_of_each, model):
    response = staff_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_search_renders(staff_client, one_of_each, model):
    response = staff_client.get(admin_url(model, "changelist"), {"q": "Tiếng"})

    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_add_form_renders(staff_client, rf, admin_user, model):
    request = rf.get("/")
    request.user = admin_user
    addable = admin.site._registry[model].has_add_permission(request)

    response = staff_client.get(admin_url(model, "add"))

    assert response.status_code == (200 if addable else 403)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("language", ["vi", "en", "zh-hans"])
def test_change_form_renders_in_each_language_tab(staff_client, one_of_each, model, language):
    instance = one_of_each[model]

    response = staff_client.get(admin_url(model, "change", instance.pk), {"language": language})

    assert response.status_code == 200


@pytest.mark.parametrize("model", TRANSLATABLE, ids=lambda model: model._meta.label)
def test_delete_translation_page_renders(staff_client, one_of_each, model):
    instance = one_of_each[model]

    response = staff_client.get(admin_url(model, "delete_translation", instance.pk, "vi"))

    assert response.status_code == 200


def test_delete_translation_removes_only_that_language(staff_client):
    article = add_edition(ArticleFactory(title="Laos"), "vi", title="Lào")

    response = staff_client.post(
        admin_url(Article, "delete_translation", article.pk, "vi"), {"post": "yes"}
    )

    assert response.status_code == 302
    assert list(article.translations.values_list("language_code", flat=True)) == ["en"]


def test_delete_page_renders(staff_client):
    article = ArticleFactory()

    response = staff_client.get(admin_url(Article, "delete", article.pk))

    assert response.status_code == 200


def article_form_data(category, **edition):
    return {
        "title": "",
        "slug": "",
        "lead": "",
        "body": "",
        "reporter_credit": "",
        "translator_credit": "",
        "source_url": "",
        "seo_description": "",
        "source_language": "vi",
        "category": category.pk,
        "gallery-TOTAL_FORMS": "0",
        "gallery-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        **edition,
    }


def test_adding_an_article_makes_its_slug_on_the_server(staff_client):
    category = CategoryFactory()

    response = staff_client.post(
        admin_url(Article, "add") + "?language=vi",
        article_form_data(category, title="Đà Nẵng đón đoàn Champasak"),
    )

    assert response.status_code == 302
    assert ArticleTranslation.objects.get(language_code="vi").slug == "da-nang-don-doan-champasak"


def test_taken_slug_is_a_form_error_with_a_suggestion(staff_client, settings):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    existing = add_edition(ArticleFactory(), "vi", title="Lễ hội Nhật Bản")
    category = CategoryFactory()

    response = staff_client.post(
        admin_url(Article, "add") + "?language=vi",
        article_form_data(category, title="Một bài khác", slug="le-hoi-nhat-ban"),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"] == [
        "The address “le-hoi-nhat-ban” is already used in this language. "
        "“le-hoi-nhat-ban-2” is free."
    ]
    assert Article.objects.exclude(pk=existing.pk).count() == 0


def test_admin_is_in_vietnamese_whatever_the_browser_asks(staff_client):
    response = staff_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en,zh;q=0.8")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "vi"
    assert '<html lang="vi"' in response.text


def test_admin_follows_the_editors_language_choice(staff_client, settings):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    response = staff_client.get(reverse("admin:index"))

    assert response.headers["Content-Language"] == "zh-hans"


def test_editor_switches_the_admin_language(staff_client):
    response = staff_client.post(
        reverse("set_language"), {"language": "en", "next": reverse("admin:index")}
    )
    page = staff_client.get(response.headers["Location"])

    assert page.headers["Content-Language"] == "en"
    assert 'name="language"' in page.text


def make_rows(model, count, user):
    """``count`` rows of ``model``, each with its own related objects, so that a query per
    row in the change list would show."""
    builders = {
        Country: lambda n: CountryFactory(code=f"Q{chr(65 + n)}"),
        FriendshipUnion: lambda n: FriendshipUnionFactory(parent=FriendshipUnionFactory()),
        MemberAssociation: lambda n: MemberAssociationFactory(),
        PartnerLocality: lambda n: (
            CooperationAgreement.objects.create(
                locality=PartnerLocalityFactory(), kind="mou", signed_on="2015-01-01"
            ).locality
        ),
        CooperationAgreement: lambda n: CooperationAgreement.objects.create(
            locality=PartnerLocalityFactory(), kind="mou", signed_on="2015-01-01"
        ),
        ForeignNGO: lambda n: ForeignNGOFactory(country=CountryFactory()),
        Activity: lambda n: ActivityFactory(),
        ReportedFigure: lambda n: ReportedFigure.objects.create(
            union=FriendshipUnionFactory(), year=2024, metric="activities", value=n, source="-"
        ),
        Category: lambda n: CategoryFactory(),
        Tag: lambda n: TagFactory(),
        Photo: lambda n: PhotoFactory(),
        Article: lambda n: add_edition(ArticleFactory(), "vi"),
        EditionEvent: lambda n: EditionEvent.objects.create(
            article=ArticleFactory(), language_code="en", action="submit", actor=UserFactory()
        ),
        Notification: lambda n: Notification.objects.create(
            recipient=user, article=ArticleFactory(), language_code="en", action="submit"
        ),
        TranslationAssignment: lambda n: TranslationAssignment.objects.create(
            article=ArticleFactory(), language_code="en", translator=UserFactory()
        ),
        Occasion: lambda n: OccasionFactory(
            locality=PartnerLocalityFactory(), responsible=UserFactory()
        ),
        OccasionDone: lambda n: OccasionDone.objects.create(
            occasion=occasion_of_an_agreement(), year=2025, done_by=UserFactory()
        ),
        OccasionReminder: lambda n: OccasionReminder.objects.create(
            occasion=occasion_of_an_agreement(), year=2025, recipient=UserFactory()
        ),
        Term: lambda n: TermFactory(key=f"term-{n}", vi=f"Thuật ngữ {n}", en=f"Term {n}"),
        TermOverride: lambda n: term_override(),
    }
    return [builders[model](n) for n in range(count)]


def term_override():
    """A kept term problem of its own article, term and translator."""
    term = TermFactory(key=f"term-{TermOverride.objects.count()}-override")
    return TermOverride.objects.create(
        edition=ArticleFactory().translations.first(),
        term=term,
        kind="missing",
        source_text=term.vi,
        expected=term.en,
        reason="Quoted as the source wrote it",
        overridden_by=UserFactory(),
        edition_version=1,
    )


def occasion_of_an_agreement():
    """An occasion named after its partner (its title reads the agreement and locality)."""
    return CooperationAgreement.objects.create(
        locality=PartnerLocalityFactory(), kind="mou", signed_on="2015-01-01"
    ).occasion


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_query_count_does_not_grow_with_rows(staff_client, admin_user, model):
    # The first page of a session writes it (the session slides): not a row's cost.
    staff_client.get(reverse("admin:index"))

    def queries_for(count):
        make_rows(model, count, admin_user)
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(admin_url(model, "changelist")).status_code == 200
        return len(queries)

    assert queries_for(1) == queries_for(2)
