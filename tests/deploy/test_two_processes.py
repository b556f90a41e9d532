"""Two gunicorn processes behind one address, as a load balancer would use them: what one
process does (a login, an editor's change) the other sees at once, because sessions and
the page cache live in the shared database and Redis, not in a process."""

import http.cookiejar
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import global_settings, settings
from django.db import connection
from django.urls import reverse
from django.utils import translation

from articles.roles import EDITOR
from tests.factories import ArticleFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.skipif(
        settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.redis.RedisCache",
        reason="needs Redis as the cache (CACHE_URL=redis://…)",
    ),
]

GUNICORN = Path(sys.executable).parent / "gunicorn"
PASSWORD = "correct-horse-battery"
STARTUP_TIMEOUT = 15  # seconds, for both processes together
STOP_TIMEOUT = 5
STYLESHEET_RE = re.compile(r'<link rel="stylesheet" href="([^"]+)"')


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def output(self):
        return self.log.read_text(errors="replace")[-3000:]


class Browser:
    """A stdlib HTTP client with a cookie jar; redirects are returned, not followed."""

    class _NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirects
        )

    def request(self, url, data=None):
        """(status, headers, body text); ``data`` (a dict or list of pairs) makes a POST."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(url, body, timeout=10) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            with error:
                return error.code, error.headers, error.read().decode(errors="replace")

    def cookie(self, name):
        return next((cookie.value for cookie in self.cookies if cookie.name == name), None)


class FormValues(HTMLParser):
    """The pairs a browser would submit for the form with id ``form_id`` (no button)."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.pairs = []
        self.textarea = None  # [name, text] while inside a <textarea>
        self.select = None  # {"name", "multiple", "options": [(value, selected)]}
        self.option = None  # [value or None, text, selected] while inside an <option>

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.pairs.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self.select is not None:
            self._end_option()  # </option> is optional in HTML
            self.option = [attrs.get("value"), "", "selected" in attrs]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        if self.option is not None:
            self.option[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # Browsers drop the newline right after <textarea>; Django writes one.
            self.pairs.append((name, text.removeprefix("\n")))
            self.textarea = None
        elif tag == "option" and self.option is not None:
            self._end_option()
        elif tag == "select" and self.select is not None:
            self._end_option()
            options = self.select["options"]
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not self.select["multiple"]:
                chosen = [options[0][0]]  # a single select sends its first option
            self.pairs += [(self.select["name"], value) for value in chosen]
            self.select = None

    def _end_option(self):
        if self.option is not None:
            value, text, selected = self.option
            self.select["options"].append((text.strip() if value is None else value, selected))
            self.option = None


def form_values(html, form_id):
    parser = FormValues(form_id)
    parser.feed(html)
    assert parser.pairs, f"no form {form_id!r} in the page"
    return parser.pairs


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url():
    database = connection.settings_dict  # the test database, once pytest-django made it
    credentials = urllib.parse.quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(database["PASSWORD"], safe="")
    host = database["HOST"] or "127.0.0.1"
    port = database["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{database['NAME']}"


def start(port, environ, log):
    command = [
        str(GUNICORN),
        "--config",
        str(settings.BASE_DIR / "friendship_site" / "gunicorn.conf.py"),
        "--workers",
        "1",
        "--bind",
        f"127.0.0.1:{port}",
        "friendship_site.wsgi",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=environ,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return Server(f"http://127.0.0.1:{port}", process, log)


def wait_until_healthy(servers):
    deadline = time.monotonic() + STARTUP_TIMEOUT
    waiting = list(servers)
    while waiting:
        server = waiting[0]
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn at {server.url} exited:\n{server.output()}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response:
                if response.status == 200:
                    waiting.pop(0)
                    continue
        except OSError:  # not listening yet, or 503 while it starts
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"gunicorn at {server.url} is not healthy:\n{server.output()}")
        time.sleep(0.1)


def stop(servers):
    running = [server.process for server in servers if server.process.poll() is None]
    for process in running:
        process.terminate()  # graceful: the worker finishes its request
    for process in running:
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)


@pytest.fixture
def two_servers(transactional_db, collected_static, tmp_path):
    """Processes A and B, each one gunicorn worker, on the test database and the test's
    Redis. Committed data (transactional_db) is what they can see; they are stopped before
    pytest-django empties the database."""
    static_root, _static_settings = collected_static
    # Only what the settings need: nothing of the developer's own environment (DEBUG,
    # MEDIA_STORAGE…) reaches the servers.
    environ = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        # Both processes must share it: the session's auth hash is signed with it.
        "SECRET_KEY": "two-processes-share-one-secret-key-for-the-session-hash",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        "CACHE_URL": settings.CACHES["default"]["LOCATION"],
        # Plain HTTP on 127.0.0.1, no TLS proxy in front: no redirect, cookies not Secure.
        "HTTPS": "false",
        "STATIC_MANIFEST": "true",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    servers = []
    try:
        for name in ["a", "b"]:
            servers.append(start(free_port(), environ, tmp_path / f"gunicorn-{name}.log"))
        wait_until_healthy(servers)
        yield servers
    finally:
        stop(servers)


@pytest.fixture
def editor(transactional_db, settings):
    # The servers check the password with Django's default hashers, not the tests' MD5.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    return UserFactory(username="two-process-editor", role=EDITOR, password=PASSWORD)


def log_in(browser, server):
    login_url = f"{server.url}/admin/login/?next=/admin/"
    status, _headers, page = browser.request(login_url)
    assert status == 200, page
    token = dict(form_values(page, "login-form"))["csrfmiddlewaretoken"]
    status, headers, page = browser.request(
        login_url,
        {
            "csrfmiddlewaretoken": token,
            "username": "two-process-editor",
            "password": PASSWORD,
            "next": "/admin/",
        },
    )
    assert (status, headers["Location"]) == (302, "/admin/"), page


def change_title(browser, server, article, title):
    """Save the article's Vietnamese edition with a new title, through the admin's form."""
    url = f"{server.url}/admin/articles/article/{article.pk}/change/?language=vi"
    status, _headers, page = browser.request(url)
    assert status == 200, page
    data = [(name, value) for name, value in form_values(page, "article_form") if name != "title"]
    data += [("title", title), ("_save", "Save")]
    status, _headers, page = browser.request(url, data)
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    assert status == 302, errors or page[-2000:]


def test_two_processes_share_sessions_and_never_serve_a_stale_page(two_servers, editor):
    a, b = two_servers
    with translation.override("vi"):
        article = ArticleFactory(title="Đoàn Champasak thăm tỉnh", created_by=editor)
        article_path = reverse("articles:detail", kwargs={"slug": article.slug})
    reader = Browser()

    # B renders the page and keeps it in the shared page cache.
    status, _headers, page = reader.request(f"{b.url}{article_path}")
    assert status == 200
    assert "Đoàn Champasak thăm tỉnh" in page

    # Logged in on A, the same session cookie is recognised by B.
    desk = Browser()
    log_in(desk, a)
    assert desk.cookie(settings.SESSION_COOKIE_NAME)
    status, headers, _page = desk.request(f"{b.url}/admin/")
    assert status == 200, headers.get("Location")

    # An edit saved through A's admin reaches readers of B at once.
    change_title(desk, a, article, "Đoàn Champasak ký kết hợp tác")
    status, _headers, page = reader.request(f"{b.url}{article_path}")
    assert status == 200
    assert "Đoàn Champasak ký kết hợp tác" in page
    assert "Đoàn Champasak thăm tỉnh" not in page

    # Both serve the hashed stylesheet themselves (WhiteNoise), cached for years.
    stylesheet = STYLESHEET_RE.search(page)[1]
    for server in (a, b):
        status, headers, _css = reader.request(f"{server.url}{stylesheet}")
        assert status == 200
        assert "immutable" in headers["Cache-Control"]
