"""Real-browser tests: Debian's chromium, driven by Playwright's sync API through
pytest-playwright's ``page`` fixture, against pytest-django's ``live_server``.

Every test in this folder gets the ``browser`` marker (``make test-fast`` leaves them out)
and runs after the rest of the suite. The browser is never downloaded (no
``playwright install``): ``make test`` installs Debian's chromium when it is missing.
"""

import os
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
MISSING_CHROMIUM = (
    f"{CHROMIUM} is missing. Install Debian's chromium with `make browser-deps`, or as root: "
    "apt-get update && apt-get install -y --no-install-recommends chromium"
)
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # A conftest's hook sees every collected item, not only this folder's: pick ours by path.
    # tryfirst, so that the marker is there when `-m "not browser"` deselects.
    ours = [item for item in items if HERE in item.path.parents]
    for item in ours:
        item.add_marker(pytest.mark.browser)
    # Last: from the first browser test to the end of the session, Playwright's sync API
    # keeps an event loop set on the main thread (see `playwright` below), and the other
    # tests should not run with it.
    others = [item for item in items if HERE not in item.path.parents]
    items[:] = others + ours


@pytest.fixture(scope="session")
def _django_allows_async_unsafe():
    # Playwright's sync API leaves its event loop set as the running loop of the main thread,
    # where Django then refuses database access (SynchronousOnlyOperation) unless told that
    # this is safe: it is, no coroutine touches the database.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def playwright(_django_allows_async_unsafe, playwright):
    """pytest-playwright's Playwright, started (and stopped) while Django allows it."""
    return playwright


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options (``--headed``, ``--slowmo``…) with Debian's chromium."""
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(MISSING_CHROMIUM, pytrace=False)
        pytest.skip(MISSING_CHROMIUM)
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


class OneRequestAtATimeOnSharedConnections(ThreadedWSGIServer):
    """The live server's threads answer one request at a time when they share the test's
    database connection (in-memory SQLite): a page's parallel requests (the admin's
    JavaScript catalogue, autocompletes, images) would otherwise use one sqlite3
    connection from two threads at once ("bad parameter or other API misuse")."""

    def set_app(self, application):
        if not self.connections_override:
            return super().set_app(application)
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                return application(environ, start_response)

        return super().set_app(one_at_a_time)


# pytest-django builds its live server from Django's LiveServerThread when the fixture is
# first used, after this module is imported.
LiveServerThread.server_class = OneRequestAtATimeOnSharedConnections


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started once the test database exists.

    pytest-django's session-scoped ``live_server`` is otherwise set up before the database
    fixtures: it would not see that SQLite's test database is in memory, would not share
    the test's connection with the server, and each request thread would open a connection
    of its own that is never closed (a ResourceWarning, hence an error here).
    """
    return live_server
