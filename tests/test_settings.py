"""The settings module is read in a fresh module object per test, with a controlled
environment, so these tests never disturb the settings Django is running with."""

import importlib.util

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

SETTINGS_PATH = django_settings.BASE_DIR / "friendship_site" / "settings.py"
ENV_NAMES = ["DEBUG", "SECRET_KEY", "DATABASE_URL", "CACHE_URL", "ALLOWED_HOSTS", "MEDIA_ROOT"]


def load_settings(monkeypatch, **environ):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_defaults_are_sqlite_locmem_and_debug_off(monkeypatch):
    loaded = load_settings(monkeypatch, SECRET_KEY="s3cret")

    assert loaded.DEBUG is False
    assert loaded.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded.DATABASES["default"]["OPTIONS"]["init_command"].startswith(
        "PRAGMA journal_mode=WAL"
    )
    assert loaded.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_secret_key_is_required_when_debug_is_off(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_settings(monkeypatch)


def test_debug_runs_without_a_secret_key(monkeypatch):
    loaded = load_settings(monkeypatch, DEBUG="true")

    assert loaded.DEBUG is True
    assert loaded.SECRET_KEY


def test_unreadable_debug_value_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        load_settings(monkeypatch, DEBUG="maybe")


def test_database_url_selects_postgresql(monkeypatch):
    loaded = load_settings(
        monkeypatch,
        SECRET_KEY="s3cret",
        DATABASE_URL="postgres://newsroom:pw@db.internal:5432/friendship",
    )

    database = loaded.DATABASES["default"]
    assert (database["ENGINE"], database["NAME"], database["HOST"]) == (
        "django.db.backends.postgresql",
        "friendship",
        "db.internal",
    )


def test_cache_url_selects_redis(monkeypatch):
    loaded = load_settings(monkeypatch, SECRET_KEY="s3cret", CACHE_URL="redis://127.0.0.1:6379/2")

    assert loaded.CACHES["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/2",
        "KEY_PREFIX": "friendship",
    }


def test_unknown_cache_url_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        load_settings(monkeypatch, SECRET_KEY="s3cret", CACHE_URL="memcached://localhost")


def test_allowed_hosts_come_from_a_comma_separated_list(monkeypatch):
    loaded = load_settings(
        monkeypatch, SECRET_KEY="s3cret", ALLOWED_HOSTS="news.example.vn, www.example.vn"
    )

    assert loaded.ALLOWED_HOSTS == ["news.example.vn", "www.example.vn"]
