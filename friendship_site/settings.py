"""
The only settings module. Everything that differs between a laptop and production comes
from environment variables; the defaults let a fresh clone run on SQLite with no set-up.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def envbool(name, default="false"):
    value = env(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envlist(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def cache_from_url(url):
    """Translate CACHE_URL (redis://, rediss://, locmem://, dummy://) into a CACHES entry."""
    scheme = urlsplit(url).scheme
    if scheme in {"redis", "rediss"}:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "friendship",
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, rediss://, locmem:// or dummy://, not {url!r}"
    )


def mailer_from_url(url):
    """Translate MAIL_URL into the MAILERS entry: smtp://user:password@host:587 (STARTTLS),
    smtps://…:465 (TLS from the start), or console:// (printed; the default)."""
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"MAIL_URL must be smtp://host, smtps://host or console://, not {url!r}"
        )
    secure = parts.scheme == "smtps"
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname,
            "port": parts.port or (465 if secure else 587),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": secure,
            "use_tls": not secure,
            "timeout": 10,
        },
    }


def media_storage(kind):
    """The STORAGES entry of uploaded media: MEDIA_ROOT on disk, or an S3-compatible bucket."""
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, not {kind!r}")
    if not env("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("AWS_STORAGE_BUCKET_NAME must be set when MEDIA_STORAGE is s3.")
    options = {
        "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
        # S3Storage overwrites by default; uploads (photos/%Y/%m/) and renditions rely on
        # Django's rule that a taken name gets a new one.
        "file_overwrite": False,
        # Photos are public: plain URLs, the same in every render of a page. Signed URLs
        # differ at each render, so would the page's ETag, and browsers would fetch the
        # photos again.
        "querystring_auth": envbool("AWS_QUERYSTRING_AUTH"),
    }
    for option, name in [
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
        ("region_name", "AWS_S3_REGION_NAME"),
        ("custom_domain", "AWS_S3_CUSTOM_DOMAIN"),
    ]:
        if env(name):
            options[option] = env(name)
    # No credentials here: django-storages and boto3 read AWS_ACCESS_KEY_ID,
    # AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN, or an instance role) themselves.
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


DEBUG = envbool("DEBUG")

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: runserver leaves static files to WhiteNoise, as in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "parler",
    "django_filters",
    "simple_history",
    "django_prose_editor",
    # Login throttle, and two-step login with an authenticator app (accounts/). Before
    # articles: its roles (articles/roles.py) use their permissions.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "organizations",
    "events",
    "reports",
    # Before articles, like axes and django_otp: its roles use relations' permissions.
    "relations",
    "articles",
    "translation_desk",
    "search",
    "backups",
]

# Order matters (responses pass through this list bottom-up):
# - WhiteNoise answers static files right after SecurityMiddleware, before any other work;
# - GZip compresses whatever the rest returns (WhiteNoise serves its own compressed copies);
# - ConditionalGet, inside GZip, computes the ETag on the uncompressed page and answers
#   If-None-Match with 304; GZip then marks that ETag weak, which If-None-Match accepts.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so cached pages carry the policy too.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous readers' pages, from the cache, before sessions, locale and views
    # (friendship_site/cache.py); stored as GZip and ConditionalGet below leave them.
    "friendship_site.cache.ReaderPageCacheMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "friendship_site.middleware.SlidingSessionMiddleware",
    "friendship_site.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: answers a locked-out login with its own page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "friendship_site.urls"
WSGI_APPLICATION = "friendship_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "friendship_site.context_processors.site",
                "friendship_site.context_processors.parler_admin_compat",
            ],
        },
    },
]

# Database: SQLite next to the code unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Each worker keeps its connection: opening one per request costs more than
        # most pages' queries. Checked before reuse (conn_health_checks).
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an editor saves; IMMEDIATE avoids "database is locked"
    # errors when two writers upgrade their read transactions at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": cache_from_url(env("CACHE_URL", "locmem://"))}

# Sessions are rows in the database. With Redis (shared by every process) they are read from
# the cache first; cached_db writes through, so a flush of Redis logs nobody out.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# django-axes first: it refuses a locked-out username/address pair before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages. Vietnamese is the source language of the newsroom and the default of the admin.
# "zh-hans", not "zh": Django ships no "zh" catalogue, so the admin would fall back silently.
LANGUAGE_CODE = "vi"
LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
]
# Our own interface strings; Django's and parler's catalogues come with their packages.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

PARLER_DEFAULT_LANGUAGE_CODE = LANGUAGE_CODE
# Pages read translations joined to their objects or prefetched (friendship_site/i18n.py);
# parler's own cache would add a cache write per object per page, and one more place for
# a stale translation.
PARLER_ENABLE_CACHING = False
PARLER_LANGUAGES = {
    None: tuple({"code": code} for code, _name in LANGUAGES),
    "default": {
        # An edition holds only what was translated into it: no silent fallback to another
        # language on public pages.
        "fallbacks": [],
        "hide_untranslated": True,
    },
}

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Production sets STATIC_MANIFEST=true and runs collectstatic: pages then link hashed,
# compressed copies in STATIC_ROOT, which WhiteNoise serves with a ten-year Cache-Control.
# Without it (make run, the tests) nothing needs collecting: WhiteNoise serves static/ and
# the apps' files as they are, looked up on each request.
STATIC_MANIFEST = envbool("STATIC_MANIFEST")
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": media_storage(env("MEDIA_STORAGE", "filesystem")),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

MAILERS = {"default": mailer_from_url(env("MAIL_URL", "console://"))}
# The site's address (https://news.example.vn), for links in e-mails sent outside a request
# (reminders of the relations desk); without it they are paths only.
SITE_URL = env("SITE_URL").rstrip("/")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "newsroom@localhost")

LOGIN_URL = "admin:login"

# The relations desk (relations/): anniversaries are "round" every this many years.
RELATIONS_ANNIVERSARY_STEP = int(env("ANNIVERSARY_STEP", "5"))

# Security (docs/security.md). HTTPS is on unless DEBUG is: TLS ends at the proxy, which says
# so in X-Forwarded-Proto, trusted by gunicorn from FORWARDED_ALLOW_IPS (docs/deploy.md).
HTTPS = envbool("HTTPS", "false" if DEBUG else "true")
SECURE_SSL_REDIRECT = HTTPS
# Load balancers check health over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", "true")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# Pages of the site link to each other with their full address; other sites get the origin.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# An editor's session ends after eight hours without a request (a working day), and when the
# browser closes. Sliding, not absolute (friendship_site.middleware.SlidingSessionMiddleware,
# at most one session write every five minutes): an editor writing a long report is not
# logged out while still saving, which would lose the form.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SLIDE_SECONDS = 5 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Content-Security-Policy: only the site's own scripts and styles. Public pages have no
# inline script or style (JSON-LD is data, not script); the admin's inline import map and
# stylesheets carry the per-request nonce. Media may come from the S3 bucket's host.
MEDIA_ORIGINS = envlist("MEDIA_ORIGINS")
# The rich-text editor (Tiptap, in django-prose-editor) adds its base stylesheet as a <style>
# element, without a nonce: allowed by its hash. An upgrade that changes it shows up as a
# violation in tests/browser/test_content_security_policy.py.
TIPTAP_BASE_STYLE = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE, TIPTAP_BASE_STYLE],
    "img-src": [CSP.SELF, "data:", *MEDIA_ORIGINS],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Failed admin logins: after five for one username from one address, that pair waits 15
# minutes (a wrong password, a lockout, another wrong password restarts the wait). Pairs, not
# addresses alone: the union's office shares one address, and a stranger must not lock the
# whole office out; nor usernames alone, which would let anyone lock an editor out.
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "friendship_site.security.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "friendship_site.security.client_ip_address"
# The name authenticator apps show next to the code. The admin never shows anyone's secret
# key or QR code, not even to a superuser: a lost phone means deleting the device.
OTP_TOTP_ISSUER = "Friendship newsroom"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# The client's address as the proxy saw it: the one gunicorn trusts X-Forwarded-* from.
FORWARDED_ALLOW_IPS = envlist("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
