"""The admin home's translation desk module."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from articles.models import TranslationAssignment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")
MODULE = 'id="translation-desk-stats"'


def home_of(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(HOME)


@pytest.fixture
def untranslated():
    with translation.override("vi"):
        return ArticleFactory(title="Hữu nghị", body="<p>Một hai ba</p>")


@pytest.mark.parametrize("role", ["translator", "editor", "chief"])
def test_desk_figures_are_shown_to_translators_and_editors(client, newsroom, untranslated, role):
    response = home_of(client, newsroom[role])

    assert MODULE in response.text
    english = next(row for row in response.context["languages"] if row.language == "en")
    assert english.words_to_translate == 5


def test_desk_figures_are_not_shown_to_reporters(client, newsroom, untranslated):
    response = home_of(client, newsroom["reporter"])

    assert response.status_code == 200
    assert MODULE not in response.text


def test_desk_figures_are_not_on_the_app_indexes(client, newsroom):
    client.force_login(newsroom["editor"])

    response = client.get(reverse("admin:app_list", args=["articles"]))

    assert MODULE not in response.text


def test_admin_home_query_count_does_not_grow_with_the_backlog(client, newsroom):
    client.force_login(newsroom["editor"])
    client.get(HOME)  # the sliding session is written on the first page
    counts = []
    for _round in range(2):
        for _index in range(3):
            with translation.override("vi"):
                article = ArticleFactory()
            TranslationAssignment.objects.create(
                article=article, language_code="en", translator=newsroom["translator"]
            )
        with CaptureQueriesContext(connection) as queries:
            client.get(HOME)
        counts.append(len(queries))

    assert counts[0] == counts[1]
