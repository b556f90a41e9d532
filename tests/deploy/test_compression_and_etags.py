"""Pages are compressed for browsers that accept it, and not sent again while unchanged."""

import gzip

import pytest
from django.utils import translation

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

GZIP = {"accept_encoding": "gzip, deflate, br"}


def test_page_is_gzipped_for_a_browser_that_accepts_it(client):
    plain = client.get("/vi/")
    compressed = client.get("/vi/", headers=GZIP)

    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content


def test_unchanged_page_is_answered_with_304(client):
    first = client.get("/vi/", headers=GZIP)

    again = client.get("/vi/", headers={**GZIP, "if_none_match": first["ETag"]})

    assert first.status_code == 200
    # The ETag is the uncompressed page's; gzip makes it weak, which If-None-Match accepts.
    assert first["ETag"].startswith('W/"')
    assert again.status_code == 304
    assert again.content == b""
    assert again["Cache-Control"] == first["Cache-Control"]


def test_uncompressed_page_has_the_same_etag(client):
    compressed = client.get("/vi/", headers=GZIP)
    plain = client.get("/vi/")

    assert compressed["ETag"] == f"W/{plain['ETag']}"


def test_page_gets_a_new_etag_once_an_article_is_published(client):
    before = client.get("/vi/", headers=GZIP)
    with translation.override("vi"):
        ArticleFactory(title="Đoàn đại biểu tỉnh Champasak thăm hữu nghị")

    after = client.get("/vi/", headers={**GZIP, "if_none_match": before["ETag"]})

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "Champasak" in gzip.decompress(after.content).decode()


def test_cached_page_is_stored_compressed_and_served_as_stored(client, monkeypatch):
    first = client.get("/vi/", headers=GZIP)
    # A hit compresses nothing: the page was stored as it was sent.
    monkeypatch.setattr("django.middleware.gzip.compress_string", pytest.fail)

    again = client.get("/vi/", headers=GZIP)

    assert again["Content-Encoding"] == "gzip"
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
