"""Every page type of the reader site, in every language, on the real seed content."""

from io import StringIO
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.utils import translation

from articles.models import Article, Category, Tag
from events.models import Activity
from organizations.models import MemberAssociation, PartnerLocality

pytestmark = pytest.mark.django_db

LANGUAGES = ["vi", "en", "zh-hans"]


@pytest.fixture
def seeded():
    call_command("load_seed_content", stdout=StringIO())


def pages_of(language):
    """The address of one page of each type that exists in ``language``."""
    with translation.override(language):
        article = Article.objects.for_language(language).published().first()
        category = Category.objects.translated(language).language(language).first()
        tag = Tag.objects.translated(language).language(language).first()
        locality = PartnerLocality.objects.translated(language).language(language).first()
        association = MemberAssociation.objects.translated(language).language(language).first()
        activity = Activity.objects.for_language(language).first()
        return [
            f"/{language}/",
            f"/{language}/articles/",
            article.get_absolute_url(),
            category.get_absolute_url(),
            tag.get_absolute_url(),
            f"/{language}/archive/2025/",
            f"/{language}/archive/2025/4/",
            f"/{language}/search/?q=2024",
            f"/{language}/about/",
            f"/{language}/partners/",
            locality.get_absolute_url(),
            association.get_absolute_url(),
            f"/{language}/countries/la/",
            f"/{language}/events/",
            activity.get_absolute_url(),
        ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_renders_in_each_language(client, seeded, language):
    for page in pages_of(language):
        response = client.get(page)

        assert response.status_code == 200, page
        assert response.headers["Content-Language"] == language, page
        assert f'<html lang="{language}">' in response.text, page


@pytest.mark.parametrize("language", LANGUAGES)
def test_feeds_of_each_language_parse(client, seeded, language):
    for path in ["feed/", "feed/atom/"]:
        response = client.get(f"/{language}/{path}")

        assert response.status_code == 200
        ElementTree.fromstring(response.content)


def test_sitemap_lists_each_live_edition_once(client, seeded):
    response = client.get("/sitemap-articles.xml")

    root = ElementTree.fromstring(response.content)
    locations = [
        element.text for element in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    articles = [location for location in locations if "/articles/" in location]
    assert len(articles) == len(set(articles)) == 5


def test_machine_pages_answer(client, seeded):
    assert client.get("/robots.txt").status_code == 200
    assert client.get("/healthz").content == b"ok"
