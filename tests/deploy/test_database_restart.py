"""PostgreSQL restarted under load: the site answers 503 while the database is away (cached
reader pages stay 200), never a 500 nor a dropped connection, and recovers by itself.

Stops and starts the local PostgreSQL cluster, which cuts every connection on this machine,
other test runs' included: marker ``outage``, run alone by ``make test-outage`` (and in CI's
PostgreSQL step), never by ``make test``. Needs root (pg_ctlcluster), PostgreSQL on this
host and Redis as the cache.
"""

import http.client
import os
import shutil
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection, connections
from django.urls import reverse
from django.utils import translation

from tests.deploy import test_two_processes as two_processes
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.outage,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.skipif(
        settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.redis.RedisCache",
        reason="needs Redis as the cache (CACHE_URL=redis://…)",
    ),
]

# Two gunicorn processes (one worker each) on the test database and Redis, stopped before
# pytest-django empties the database, and an editor who can log in to them.
two_servers = two_processes.two_servers
editor = two_processes.editor

CLIENTS = 16  # concurrent clients, as the benchmark's wrk -c16
STEADY_SECONDS = 5  # phase 1: load on a healthy site
DOWN_SECONDS = 2  # how long PostgreSQL stays stopped
RECOVERY_BOUND = 20  # seconds after PostgreSQL is back within which every answer is 200
QUIET_SECONDS = 3  # a run of only 200s this long, after the last error, ends the test
REQUEST_TIMEOUT = 10
LOCAL_HOSTS = {"", "127.0.0.1", "localhost", "::1"}


def local_cluster():
    """(version, name) of the PostgreSQL cluster serving the test database on this host;
    skips the test when it cannot be restarted from here."""
    database = connection.settings_dict
    if (database["HOST"] or "") not in LOCAL_HOSTS:
        pytest.skip("the database is not on this host")
    if os.geteuid() != 0:
        pytest.skip("restarting PostgreSQL needs root (pg_ctlcluster)")
    if not (shutil.which("pg_ctlcluster") and shutil.which("pg_lsclusters")):
        pytest.skip("pg_ctlcluster is not installed (Debian's postgresql-common)")
    port = str(database["PORT"] or 5432)
    listing = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
    )
    for line in listing.stdout.splitlines():
        version, name, cluster_port, status = line.split()[:4]
        if cluster_port == port and status.startswith("online"):
            return version, name
    pytest.skip(f"no running local PostgreSQL cluster on port {port}")


def pg_ctlcluster(cluster, action, *, check=True):
    version, name = cluster
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action],
        check=check,
        capture_output=True,
    )


def is_ready():
    database = connection.settings_dict
    host, port = database["HOST"] or "127.0.0.1", str(database["PORT"] or 5432)
    return subprocess.run(["pg_isready", "-q", "-h", host, "-p", port], check=False).returncode == 0


def wait_until_ready(timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_ready():
            return
        time.sleep(0.2)
    raise AssertionError(f"PostgreSQL is not back after {timeout} s")


@dataclass(frozen=True)
class Answer:
    at: float  # time.monotonic() when the answer came
    path: str
    status: int | None  # None: no HTTP answer (refused, reset, timed out)
    error: str = ""


class Load:
    """CLIENTS threads requesting ``targets`` ((url, path, cookie) each) round-robin
    until stopped; every answer is kept."""

    def __init__(self, targets):
        self.targets = targets
        self.answers = []  # list.append is atomic: no lock needed
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self.client, args=(offset,), daemon=True)
            for offset in range(CLIENTS)
        ]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopping.set()
        for thread in self.threads:
            thread.join(REQUEST_TIMEOUT + 5)

    def client(self, offset):
        turn = offset
        while not self.stopping.is_set():
            url, path, cookie = self.targets[turn % len(self.targets)]
            turn += 1
            self.answers.append(self.request(url, path, cookie))

    @staticmethod
    def request(url, path, cookie):
        address = urllib.parse.urlsplit(url)
        client = http.client.HTTPConnection(address.hostname, address.port, timeout=REQUEST_TIMEOUT)
        try:
            client.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = client.getresponse()
            response.read()
            return Answer(time.monotonic(), path, response.status)
        except (OSError, http.client.HTTPException) as error:
            return Answer(time.monotonic(), path, None, repr(error))
        finally:
            client.close()

    def since(self, start, end=float("inf")):
        return [answer for answer in list(self.answers) if start <= answer.at < end]

    def wait_for_recovery(self, back_at):
        """Wait until QUIET_SECONDS of only 200s have passed after the last other answer,
        or until RECOVERY_BOUND + QUIET_SECONDS after ``back_at``."""
        deadline = back_at + RECOVERY_BOUND + QUIET_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.5)
            last = max((a.at for a in self.since(back_at) if a.status != 200), default=back_at)
            if time.monotonic() - last >= QUIET_SECONDS:
                return


def summary(answers, servers):
    """Answers counted by (path, status, error), then what the servers logged besides
    their access log (worker boots and deaths, errors)."""
    counts = {}
    for answer in answers:
        key = (answer.path, answer.status, answer.error[:60])
        counts[key] = counts.get(key, 0) + 1
    lines = [f"{count:5} {key}" for key, count in sorted(counts.items(), key=str)]
    for server in servers:
        log = server.log.read_text(errors="replace").splitlines()
        lines += [f"{server.url}: {line}" for line in log if " HTTP/1." not in line][-20:]
    return "\n".join(lines)


def test_database_restart_under_load_gives_503s_then_recovers_by_itself(
    two_servers,
    editor,
):
    cluster = local_cluster()
    with translation.override("vi"):
        article = ArticleFactory(title="Đoàn Champasak thăm tỉnh", created_by=editor)
        article_path = reverse("articles:detail", kwargs={"slug": article.slug})
    desk = two_processes.Browser()
    two_processes.log_in(desk, two_servers[0])
    session = "; ".join(f"{cookie.name}={cookie.value}" for cookie in desk.cookies)
    cached_pages = ["/vi/", article_path, "/vi/articles/"]  # anonymous: the page cache
    database_pages = ["/vi/search/?q=champasak", "/healthz"]
    # The editor's desk: never cached, the session and the user come from the database.
    editor_page = "/admin/"
    targets = [
        (server.url, path, cookie)
        for server in two_servers
        for path, cookie in [
            *((path, "") for path in cached_pages + database_pages),
            (editor_page, session),
        ]
    ]

    stopped_at = back_at = None
    try:
        with Load(targets) as load:
            time.sleep(STEADY_SECONDS)
            stopped_at = time.monotonic()
            pg_ctlcluster(cluster, "stop")
            time.sleep(DOWN_SECONDS)
            pg_ctlcluster(cluster, "start")
            wait_until_ready()
            back_at = time.monotonic()
            load.wait_for_recovery(back_at)
    finally:
        if not is_ready():  # the test failed while it was down: start it (if not starting)
            pg_ctlcluster(cluster, "start", check=False)
        wait_until_ready()
        # The restart cut this process's connection too: pytest-django empties the
        # database through it after the test.
        connections.close_all()

    steady = load.since(0, stopped_at)
    outage = load.since(stopped_at)
    assert steady, "no requests were made"
    assert {answer.status for answer in steady} == {200}, summary(steady, two_servers)
    # While the database is away: the cache serves readers' pages, the rest is a 503
    # (never a 500, and gunicorn's workers never drop a connection).
    assert {answer.status for answer in outage} <= {200, 503}, summary(outage, two_servers)
    assert {a.status for a in outage if a.path in cached_pages} == {200}, summary(
        outage, two_servers
    )
    assert any(answer.status == 503 for answer in outage), "the outage was not noticed"
    # Back to normal by itself, within the bound.
    last_error = max((a.at for a in outage if a.status != 200), default=back_at)
    assert last_error - back_at <= RECOVERY_BOUND, summary(load.since(back_at), two_servers)
    after = load.since(last_error + 0.001)
    assert {answer.path for answer in after} == {path for _url, path, _cookie in targets}
    # No worker died and was replaced: each process booted one worker, once.
    for server in two_servers:
        assert server.process.poll() is None, server.output()
        log = server.log.read_text(errors="replace")
        assert log.count("Booting worker") == 1, server.output()
