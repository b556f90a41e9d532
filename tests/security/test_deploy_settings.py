"""Deploy hardening: `check --deploy` with the production environment, and the security
headers on real responses (docs/security.md, "Transport and browser")."""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.deploy.conftest import settings_with
from tests.factories import ArticleFactory

PRODUCTION_ENVIRONMENT = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-like-secret-key-of-more-than-fifty-characters-0123456789",
    "ALLOWED_HOSTS": "news.example.vn",
    "STATIC_MANIFEST": "true",
    "MAIL_URL": "smtp://newsroom:secret@mail.example.vn",
}


def check_deploy(environment):
    """`manage.py check --deploy` as production runs it: (exit status, output)."""
    environ = {"PATH": os.environ["PATH"], **environment}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


@pytest.fixture
def production(settings):
    """The security settings that production reads from its environment (HTTPS on)."""
    production = settings_with(**PRODUCTION_ENVIRONMENT, HTTPS="true")
    for name in dir(production):
        if name.startswith(("SECURE_", "SESSION_", "CSRF_COOKIE_")) or name == "X_FRAME_OPTIONS":
            setattr(settings, name, getattr(production, name))
    return settings


def test_check_deploy_is_clean_with_production_settings():
    status, output = check_deploy(PRODUCTION_ENVIRONMENT)

    assert status == 0, output
    assert "no issues" in output


def test_check_deploy_warns_when_https_is_switched_off():
    status, output = check_deploy({**PRODUCTION_ENVIRONMENT, "HTTPS": "false"})

    assert status != 0
    assert "security.W008" in output  # SECURE_SSL_REDIRECT
    assert "security.W012" in output  # SESSION_COOKIE_SECURE


def test_https_is_on_by_default_unless_debug(monkeypatch):
    monkeypatch.delenv("HTTPS", raising=False)  # the tests' own default (pyproject.toml)

    assert settings_with(**PRODUCTION_ENVIRONMENT).SECURE_SSL_REDIRECT is True
    assert settings_with(DEBUG="true").SECURE_SSL_REDIRECT is False


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, production):
    response = client.get("/en/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/en/"


@pytest.mark.django_db
def test_health_check_answers_over_plain_http(client, production):
    # Load balancers probe on the private network, without TLS.
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_https_pages_carry_strict_transport_security(client, production):
    response = client.get("/en/", secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/en/", "/vi/articles/", "/zh-hans/search/?q=友好", "/admin/login/"]
)
def test_pages_carry_the_security_headers(client, production, url):
    response = client.get(url, secure=True)

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = parse_policy(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    for directive in ["script-src", "style-src"]:
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]


@pytest.mark.django_db
def test_page_from_the_cache_carries_the_policy_too(client, production):
    ArticleFactory()
    client.get("/en/", secure=True)

    with CaptureQueriesContext(connection) as queries:
        cached = client.get("/en/", secure=True)

    assert len(queries) == 0  # served by the page cache
    assert "Content-Security-Policy" in cached
    assert "Strict-Transport-Security" in cached


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_session_cookie_http_only(
    client, production, admin_user
):
    admin_user.set_password("a-long-enough-password")
    admin_user.save()
    login = reverse("admin:login")
    client.get(login, secure=True)

    response = client.post(
        login,
        {"username": admin_user.username, "password": "a-long-enough-password"},
        secure=True,
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 302
    session, csrf = response.cookies["sessionid"], client.cookies["csrftoken"]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    assert csrf["secure"]


def parse_policy(header):
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


class InlineCode(HTMLParser):
    """Collects what a Content-Security-Policy without 'unsafe-inline' would block."""

    DATA_TYPES = {"application/ld+json", "application/json"}

    def __init__(self):
        super().__init__()
        self.inline_scripts, self.style_elements, self.style_attributes = [], [], []
        self.event_handlers = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.style_attributes += [tag for name, _value in attrs if name == "style"]
        self.event_handlers += [name for name, _value in attrs if name.startswith("on")]
        if tag == "script" and "src" not in attributes:
            self._in_script = attributes
        if tag == "style":
            self.style_elements.append(attributes)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None and data.strip():
            self.inline_scripts.append((self._in_script, data))


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_of",
    [
        lambda article: "/en/",
        lambda article: article.get_absolute_url(),
        lambda article: "/en/articles/",
        lambda article: "/en/search/?q=friendship",
    ],
    ids=["home", "article", "articles", "search"],
)
def test_public_pages_need_no_inline_script_or_style(client, url_of):
    article = ArticleFactory(title="Friendship delegation")

    parser = inline_code(client.get(url_of(article)).content.decode())

    executable = [
        code
        for attributes, code in parser.inline_scripts
        if attributes.get("type") not in InlineCode.DATA_TYPES
    ]
    assert executable == []
    assert parser.style_elements == []
    assert parser.style_attributes == []
    assert parser.event_handlers == []


@pytest.mark.django_db
def test_admin_inline_scripts_carry_the_nonce_of_the_policy(client, admin_user):
    article = ArticleFactory()
    client.force_login(admin_user)

    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = inline_code(response.content.decode()).inline_scripts
    executable = [
        attributes
        for attributes, _code in scripts
        if attributes.get("type") not in InlineCode.DATA_TYPES
    ]
    # The editor's import map is the inline script that matters.
    assert any(attributes.get("type") == "importmap" for attributes in executable)
    assert all(attributes.get("nonce") == nonce for attributes in executable)
