import datetime

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import translation

from articles.views import PREVIEW_SALT, preview_url
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return ArticleFactory(title="Draft report", status="draft", published_at=None)


def share_link(article, language="en"):
    with translation.override(language):
        return preview_url(article, language)


def test_editor_previews_a_draft_as_readers_will_see_it(staff_client, draft):
    response = staff_client.get(reverse("admin:articles_article_preview", args=[draft.pk, "en"]))

    assert response.status_code == 200
    assert "<h1>Draft report</h1>" in response.text
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert response.context["preview_share_url"].startswith(
        "http://testserver/en/articles/preview/"
    )


def test_shared_preview_link_works_without_login(client, draft):
    response = client.get(share_link(draft))

    assert response.status_code == 200
    assert "<h1>Draft report</h1>" in response.text
    assert "private" in response.headers["Cache-Control"]


def test_tampered_preview_link_is_not_found(client, draft):
    other = ArticleFactory(title="Another draft", status="draft", published_at=None)
    genuine = signing.loads(share_link(draft).split("/")[-2], salt=PREVIEW_SALT)
    forged_payload = signing.dumps({**genuine, "article": other.pk}, salt="another salt")

    assert client.get(f"/en/articles/preview/{forged_payload}/").status_code == 404


def test_preview_link_of_one_article_never_shows_another(client, draft):
    ArticleFactory(title="Another draft", status="draft", published_at=None)

    response = client.get(share_link(draft))

    assert "Another draft" not in response.text


def test_preview_link_expires(client, draft, monkeypatch):
    link = share_link(draft)
    later = datetime.datetime.now().timestamp() + 4 * 24 * 3600

    monkeypatch.setattr("django.core.signing.time.time", lambda: later)

    assert client.get(link).status_code == 404


def test_preview_link_is_for_one_language(client, draft):
    token = signing.dumps({"article": draft.pk, "language": "en"}, salt=PREVIEW_SALT)

    response = client.get(f"/vi/articles/preview/{token}/")

    assert response.status_code == 404


def test_preview_of_a_published_article_is_not_marked_as_draft(client):
    article = ArticleFactory(title="Live report")

    response = client.get(share_link(article))

    assert response.status_code == 200
    assert "X-Robots-Tag" not in response.headers
