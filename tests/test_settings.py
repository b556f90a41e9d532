"""The settings module is read in a fresh module object per test, with a controlled
environment, so these tests never disturb the settings Django is running with."""

import importlib.util

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import mailers
from storages.backends.s3 import S3Storage

SETTINGS_PATH = django_settings.BASE_DIR / "friendship_site" / "settings.py"
ENV_NAMES = [
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "CACHE_URL",
    "ALLOWED_HOSTS",
    "MEDIA_ROOT",
    "STATIC_MANIFEST",
    "MEDIA_STORAGE",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_QUERYSTRING_AUTH",
    "MAIL_URL",
    "CONN_MAX_AGE",
]


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


def test_workers_keep_their_database_connection(monkeypatch):
    loaded = load_settings(monkeypatch, SECRET_KEY="s3cret", DATABASE_URL="postgres://db/news")

    database = loaded.DATABASES["default"]
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (60, True)


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


def test_sessions_are_cached_in_redis_and_kept_in_the_database(monkeypatch):
    loaded = load_settings(monkeypatch, SECRET_KEY="s3cret", CACHE_URL="redis://127.0.0.1:6379/2")

    assert loaded.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


@pytest.mark.parametrize("cache_url", [None, "locmem://", "dummy://"])
def test_sessions_stay_in_the_database_without_redis(monkeypatch, cache_url):
    environ = {"CACHE_URL": cache_url} if cache_url else {}
    loaded = load_settings(monkeypatch, SECRET_KEY="s3cret", **environ)

    assert loaded.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_static_files_are_served_from_the_sources_by_default(monkeypatch):
    loaded = load_settings(monkeypatch, SECRET_KEY="s3cret")

    assert loaded.STORAGES["staticfiles"]["BACKEND"] == (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    assert loaded.WHITENOISE_USE_FINDERS is True


def test_static_manifest_selects_hashed_compressed_files(monkeypatch):
    loaded = load_settings(monkeypatch, SECRET_KEY="s3cret", STATIC_MANIFEST="true")

    assert loaded.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert (loaded.WHITENOISE_USE_FINDERS, loaded.WHITENOISE_AUTOREFRESH) == (False, False)


def test_media_are_stored_in_media_root_by_default(monkeypatch):
    loaded = load_settings(monkeypatch, SECRET_KEY="s3cret", MEDIA_ROOT="/srv/media")

    assert loaded.STORAGES["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert str(loaded.MEDIA_ROOT) == "/srv/media"


def test_media_storage_s3_selects_django_storages(monkeypatch):
    loaded = load_settings(
        monkeypatch,
        SECRET_KEY="s3cret",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="friendship-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.vn",
        AWS_S3_REGION_NAME="hcm-1",
        AWS_S3_CUSTOM_DOMAIN="media.example.vn",
    )

    assert loaded.STORAGES["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "friendship-media",
            "file_overwrite": False,
            "querystring_auth": False,
            "endpoint_url": "https://s3.example.vn",
            "region_name": "hcm-1",
            "custom_domain": "media.example.vn",
        },
    }
    # django-storages accepts these options (it refuses unknown ones); no request is made.
    storage = S3Storage(**loaded.STORAGES["default"]["OPTIONS"])
    assert (
        storage.url("photos/2025/05/le-hoi.jpg")
        == "https://media.example.vn/photos/2025/05/le-hoi.jpg"
    )


def test_s3_media_storage_needs_a_bucket(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        load_settings(monkeypatch, SECRET_KEY="s3cret", MEDIA_STORAGE="s3")


def test_unknown_media_storage_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE"):
        load_settings(monkeypatch, SECRET_KEY="s3cret", MEDIA_STORAGE="ftp")


def test_mail_is_printed_by_default(monkeypatch):
    settings = load_settings(monkeypatch, DEBUG="true")

    assert settings.MAILERS["default"] == {
        "BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_mail_url_selects_smtp_with_starttls(monkeypatch):
    settings = load_settings(
        monkeypatch, DEBUG="true", MAIL_URL="smtp://newsroom%40union.vn:s%3Acret@mail.union.vn"
    )

    mailer = settings.MAILERS["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] | {"timeout": None} == {
        "host": "mail.union.vn",
        "port": 587,
        "username": "newsroom@union.vn",
        "password": "s:cret",
        "use_tls": True,
        "use_ssl": False,
        "timeout": None,
    }


def test_smtps_mail_url_uses_tls_from_the_start(monkeypatch):
    settings = load_settings(monkeypatch, DEBUG="true", MAIL_URL="smtps://mail.union.vn")

    options = settings.MAILERS["default"]["OPTIONS"]
    assert (options["port"], options["use_ssl"], options["use_tls"]) == (465, True, False)


@pytest.mark.parametrize("url", ["mail.union.vn", "http://mail.union.vn", "smtp://"])
def test_unreadable_mail_url_is_refused(monkeypatch, url):
    with pytest.raises(ImproperlyConfigured, match="MAIL_URL"):
        load_settings(monkeypatch, DEBUG="true", MAIL_URL=url)


def test_mail_url_configures_a_working_smtp_mailer(monkeypatch, settings):
    settings.MAILERS = load_settings(
        monkeypatch, DEBUG="true", MAIL_URL="smtp://mail.union.vn:2525"
    ).MAILERS
    backend = mailers["default"]

    assert (backend.host, backend.port, backend.use_tls) == ("mail.union.vn", 2525, True)
