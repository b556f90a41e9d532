"""Static files as production serves them: hashed names, cached for years, compressed."""

import gzip
import re

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

STYLESHEET_RE = re.compile(r'<link rel="stylesheet" href="([^"]+)"')


def fetch(client, url, **headers):
    response = client.get(url, headers=headers)
    # WhiteNoise streams the file: read it whole, which also closes it.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_pages_link_the_hashed_stylesheet_cached_for_ten_years(client, collected_static):
    root, static_settings = collected_static
    with override_settings(**static_settings):
        page = client.get("/vi/")
        href = STYLESHEET_RE.search(page.text)[1]
        response, body = fetch(client, href)

    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", href)
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert body == (root / href.removeprefix("/static/")).read_bytes()


def test_hashed_stylesheet_is_sent_compressed(client, collected_static):
    root, static_settings = collected_static
    with override_settings(**static_settings):
        href = STYLESHEET_RE.search(client.get("/vi/").text)[1]
        response, body = fetch(client, href, accept_encoding="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (root / href.removeprefix("/static/")).read_bytes()


def test_unhashed_name_is_cached_briefly(client, collected_static):
    _root, static_settings = collected_static
    with override_settings(**static_settings):
        response, _body = fetch(client, "/static/css/site.css")

    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=60, public"


def test_static_files_are_served_without_collectstatic_by_default(client):
    response, body = fetch(client, "/static/css/site.css")

    assert response.status_code == 200
    assert b"{" in body
