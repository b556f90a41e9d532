"""While the database is away (restarted, failing over), pages that need it answer 503 with
Retry-After, not 500, and anonymous pages already cached are still served."""

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.test import Client

from articles.roles import EDITOR
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    # Exceptions become what a real client gets (handler500), not errors raised in the test.
    return Client(raise_request_exception=False)


def take_database_down(monkeypatch):
    """From now on every query fails to connect, as while PostgreSQL restarts."""

    def refuse(self):
        raise OperationalError("connection refused (simulated outage)")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


@pytest.fixture
def database_down(db, monkeypatch):
    take_database_down(monkeypatch)


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Temporarily unavailable" in response.text


def test_uncached_page_is_503_with_retry_after_while_the_database_is_down(reader, database_down):
    response = reader.get("/en/articles/")

    assert_unavailable(response)


def test_unavailable_page_is_never_cached(reader, database_down):
    response = reader.get("/en/articles/")

    assert "no-store" in response["Cache-Control"]


def test_admin_login_is_503_while_the_database_is_down(reader, database_down):
    response = reader.post("/admin/login/", {"username": "editor", "password": "secret-words"})

    assert_unavailable(response)


def test_editors_admin_page_is_503_while_the_database_is_down(reader, monkeypatch):
    reader.force_login(UserFactory(role=EDITOR))

    take_database_down(monkeypatch)
    response = reader.get("/admin/")

    assert_unavailable(response)


def test_health_check_is_503_while_the_database_is_down(reader, database_down):
    response = reader.get("/healthz")

    assert response.status_code == 503
    assert response.text == "database: failed\n"


def test_connection_lost_in_the_middle_of_a_query_is_503(reader, monkeypatch):
    def lost(self, sql, params=None):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(CursorWrapper, "execute", lost)

    response = reader.get("/en/articles/")

    assert_unavailable(response)


def test_cached_reader_page_is_still_served_while_the_database_is_down(reader, monkeypatch):
    article = ArticleFactory(title="Friendship week in Champasak")
    assert reader.get(article.get_absolute_url()).status_code == 200  # now in the page cache

    take_database_down(monkeypatch)
    response = reader.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "Friendship week in Champasak" in response.text


def test_other_errors_are_still_a_500(reader, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr("friendship_site.views.render_to_string", broken)

    response = reader.get("/robots.txt")

    assert response.status_code == 500
    assert "Retry-After" not in response
