import pytest
from django.core.cache import cache
from django.utils import translation

from articles.roles import EDITOR, EDITOR_IN_CHIEF, REPORTER, TRANSLATOR
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _no_parler_cache(monkeypatch):
    # parler reads PARLER_ENABLE_CACHING once at import: patch the module it reads from,
    # so that a query-count test sees every translation query.
    monkeypatch.setattr("parler.appsettings.PARLER_ENABLE_CACHING", False)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache():
    # With CACHE_URL pointing at Redis the cache outlives a test: start each one empty.
    cache.clear()


@pytest.fixture(autouse=True)
def _english_by_default():
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def newsroom(db):
    """One user per role, plus a second reporter and translator for ownership rules."""
    return {
        "reporter": UserFactory(username="reporter", role=REPORTER),
        "other_reporter": UserFactory(username="other_reporter", role=REPORTER),
        "translator": UserFactory(username="translator", role=TRANSLATOR),
        "other_translator": UserFactory(username="other_translator", role=TRANSLATOR),
        "editor": UserFactory(username="editor", role=EDITOR),
        "chief": UserFactory(username="chief", role=EDITOR_IN_CHIEF),
    }
