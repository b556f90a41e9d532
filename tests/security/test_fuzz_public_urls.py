"""Hostile input on every public URL: never a 500, always a clear 4xx or a normal page.

Hypothesis feeds random query strings, path segments, page numbers and search queries
(very long, control characters, every script, percent-encoding garbage, tsquery syntax) to
each URL pattern of the resolver. A new public URL must be added to PUBLIC_ROUTES (with
real values for its parameters) or the enumeration test fails, naming it.

The site is the real seed content (every page type in vi, en and zh-hans), loaded once for
the module inside a transaction that is rolled back at the end. Examples are derandomized
and no example database is kept, so CI runs the same inputs every time.
"""

import re
import traceback
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article, Category, Tag
from articles.views import preview_url
from events.models import Activity
from organizations.models import MemberAssociation, PartnerLocality

pytestmark = pytest.mark.django_db

LANGUAGES = ["vi", "en", "zh-hans"]
ALLOWED_STATUSES = {200, 301, 302, 304, 400, 404, 405}
# Only editors see these: the admin (and the reports' pages inside it).
PRIVATE_PREFIXES = ("admin/",)
LANGUAGE_PREFIX = "{language}/"
PARAMETER_RE = re.compile(r"<[^>]+>")

# The parameters each public route takes, by name; their real values come from the seed
# (see the ``site`` fixture). A route missing here fails test_every_url_pattern_is_fuzzed.
PUBLIC_ROUTES = {
    "sitemap.xml": [],
    "sitemap-<section>.xml": ["section"],
    "robots.txt": [],
    "healthz": [],
    "calendar/<slug:token>.ics": ["token"],
    "i18n/setlang/": [],
    "{language}/": [],
    "{language}/articles/": [],
    "{language}/articles/preview/<str:token>/": ["token"],
    "{language}/articles/<slug:slug>/": ["article"],
    "{language}/categories/<slug:slug>/": ["category"],
    "{language}/tags/<slug:slug>/": ["tag"],
    "{language}/archive/<int:year>/": ["year"],
    "{language}/archive/<int:year>/<int:month>/": ["year", "month"],
    "{language}/feed/": [],
    "{language}/feed/atom/": [],
    "{language}/categories/<slug:slug>/feed/": ["category"],
    "{language}/categories/<slug:slug>/feed/atom/": ["category"],
    "{language}/search/": [],
    "{language}/about/": [],
    "{language}/associations/<slug:slug>/": ["association"],
    "{language}/partners/": [],
    "{language}/partners/<slug:slug>/": ["locality"],
    "{language}/countries/<str:code>/": ["code"],
    "{language}/events/": [],
    "{language}/events/calendar.ics": [],
    "{language}/events/<slug:slug>/": ["activity"],
}
# Query parameters the public pages read (filters, paging, search, the language switch).
KNOWN_PARAMETERS = [
    "q",
    "page",
    "p",
    "category",
    "year",
    "country",
    "locality",
    "association",
    "type",
    "language",
    "next",
]

NASTY_TEXT = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e309",
    "NaN",
    "inf",
    "-0",
    "9" * 30,
    "9" * 5000,
    "2025-13-45",
    "0000-00-00",
    "١٢",  # Arabic-Indic digits: int() reads them
    "Hà Nội",
    "Ha Noi",
    "Hà Nội",  # decomposed
    "河内 友好",
    "Việt Nam 越南 Laos",
    "\u202eevil\u202c",
    "\u200b\u200d\ufeff",
    "🇻🇳🤝🇱🇦",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\r\n\t",
    "'",
    '"',
    "\\",
    "\\x00",
    "a & | ! ( :*",
    "!!&&||",
    "'a':* & b",
    "<script>alert(1)</script>",
    "../..",
    "%s%n",
    "x" * 5000,
    "Hữu nghị " * 700,
]
# Already percent-encoded fragments, some of them invalid, put into a URL as they are.
RAW_FRAGMENTS = [
    "%ff%fe",
    "%00",
    "%",
    "%zz",
    "%2e%2e",
    "%2e%2e%2f%2e%2e",
    "%c0%ae",
    "%e2%80%ae",
    "%ed%a0%80",  # an encoded surrogate: not valid UTF-8
    "&&==",
    "a=1;b=2",
    "+++",
]


def hostile_text():
    return st.one_of(
        st.sampled_from(NASTY_TEXT),
        st.text(max_size=40),
        st.text(st.characters(max_codepoint=0x1F), max_size=10),
        st.builds(
            lambda piece, times: piece * times,
            st.text(min_size=1, max_size=3),
            st.integers(1000, 2500),
        ),
    )


def encoded(text):
    return quote(text, safe="")


def query_pair():
    key = st.one_of(st.sampled_from(KNOWN_PARAMETERS), hostile_text())
    return st.one_of(
        st.tuples(key, hostile_text()).map(lambda pair: f"{encoded(pair[0])}={encoded(pair[1])}"),
        st.tuples(key, st.sampled_from(RAW_FRAGMENTS)).map(
            lambda pair: f"{encoded(pair[0])}={pair[1]}"
        ),
        st.sampled_from(RAW_FRAGMENTS),
    )


query_strings = st.lists(query_pair(), max_size=5).map("&".join)
hostile_segments = st.one_of(
    hostile_text().map(encoded),
    st.sampled_from(RAW_FRAGMENTS),
    st.sampled_from(["..", ".", "...", "a.b", "-", "_", "%2F", "x" * 3000]),
)
trailing_junk = st.one_of(
    st.just(""),
    st.sampled_from(["x", "/x", "..", "/../", "%00", "index.php", ";jsessionid=1", "//", "%2f"]),
    hostile_text().map(encoded),
)
search_queries = st.one_of(
    st.sampled_from(
        [
            "hữu nghị",
            "huu nghi",
            "HỮU NGHỊ",
            "hữu nghị",  # decomposed
            "友好",
            "越南 Laos hữu nghị",
            "...",
            "!?;:,.",
            "a & | ! ( :*",
            "'",
            "''",
            "\\",
            "\\\\'",
            "(((",
            "!",
            "a:*",
            "<->",
            "x" * 201,
            "hữu " * 60,
        ]
    ),
    hostile_text(),
    st.text(st.sampled_from("hữunghịđốingoại友好越南 &|!():*'\\\"-<>"), max_size=60),
)


def public_routes(patterns=None, prefix=""):
    """The full route of every URL pattern, the language prefix written "{language}/"."""
    routes = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry.pattern, LocalePrefixPattern):
            part = LANGUAGE_PREFIX
        else:
            part = str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes.extend(public_routes(entry.url_patterns, prefix + part))
        elif isinstance(entry, URLPattern):
            routes.append(prefix + part)
    return [route for route in routes if not route.startswith(PRIVATE_PREFIXES)]


def build_path(route, language, values):
    """The path of ``route`` with its parameters, in order, replaced by ``values``."""
    parameters = iter(values)
    path = PARAMETER_RE.sub(lambda _match: next(parameters), route)
    return "/" + path.replace(LANGUAGE_PREFIX, f"{language}/")


@pytest.fixture(scope="module")
def site_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_root(settings, site_media):
    # Overrides conftest's media directory per test: the seed's photos, written once for
    # the module, must still be there when its pages are fuzzed.
    settings.MEDIA_ROOT = site_media


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, site_media):
    """The seed content, and the real value of each route parameter in each language."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=site_media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_seed_content", stdout=StringIO())
            values = {language: real_values(language) for language in LANGUAGES}
            yield values
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def real_values(language):
    def slug(model):
        return (
            model._parler_meta.root_model.objects.filter(language_code=language)
            .values_list("slug", flat=True)
            .first()
        )

    article = Article.objects.for_language(language).published().first()
    return {
        "article": article.safe_translation_getter("slug", language_code=language),
        "token": preview_url(article, language).rstrip("/").rsplit("/", 1)[1],
        "category": slug(Category),
        "tag": slug(Tag),
        "association": slug(MemberAssociation),
        "locality": slug(PartnerLocality),
        "activity": slug(Activity),
        "code": "la",
        "year": "2025",
        "month": "4",
        "section": "articles",
    }


def fetch(method, url, data=None):
    """The response to ``url``; a crash is a 500 response carrying its traceback."""
    client = Client(raise_request_exception=False, HTTP_ACCEPT="text/html,*/*;q=0.8")
    if method == "post":
        return client.post(url, data or {})
    return client.get(url)


def assert_handled(response, url):
    __tracebackhide__ = True
    if response.status_code >= 500:
        detail = (
            "".join(traceback.format_exception(*response.exc_info)) if response.exc_info else ""
        )
        pytest.fail(f"{response.status_code} for {url!r}\n{detail}")
    assert response.status_code in ALLOWED_STATUSES, url
    if response.status_code in {400, 404} and "html" in response.get("Content-Type", ""):
        body = response.content.decode(errors="replace")
        assert "Traceback" not in body, url
        # Our pages (base.html), not Django's plain or debug ones.
        assert 'class="skip-link"' in body, url


FUZZ_SETTINGS = settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_every_url_pattern_is_fuzzed_or_declared_private():
    unenumerated = sorted(set(public_routes()) - set(PUBLIC_ROUTES))

    assert unenumerated == [], "add these to PUBLIC_ROUTES (or PRIVATE_PREFIXES)"


def test_every_enumerated_route_still_exists():
    assert sorted(set(PUBLIC_ROUTES) - set(public_routes())) == []


@pytest.mark.parametrize("route", sorted(PUBLIC_ROUTES))
def test_public_url_survives_hostile_query_strings(site, route):
    @FUZZ_SETTINGS
    @given(language=st.sampled_from(LANGUAGES), query=query_strings)
    def check(language, query):
        values = [site[language][name] for name in PUBLIC_ROUTES[route]]
        url = f"{build_path(route, language, values)}?{query}"

        assert_handled(fetch("get", url), url)

    check()


@pytest.mark.parametrize("route", sorted(route for route, names in PUBLIC_ROUTES.items() if names))
def test_public_url_survives_hostile_path_segments(site, route):
    names = PUBLIC_ROUTES[route]

    @FUZZ_SETTINGS
    @given(
        language=st.sampled_from(LANGUAGES),
        segments=st.lists(
            st.one_of(st.none(), hostile_segments), min_size=len(names), max_size=len(names)
        ),
        junk=trailing_junk,
    )
    def check(language, segments, junk):
        # None keeps the real value, so that one bad segment is tried beside good ones.
        values = [
            site[language][name] if segment is None else segment
            for name, segment in zip(names, segments, strict=True)
        ]
        url = build_path(route, language, values) + junk

        assert_handled(fetch("get", url), url)

    check()


@pytest.mark.parametrize(
    "route", sorted(route for route, names in PUBLIC_ROUTES.items() if not names)
)
def test_public_url_survives_trailing_junk(site, route):
    @FUZZ_SETTINGS
    @given(language=st.sampled_from(LANGUAGES), junk=trailing_junk)
    def check(language, junk):
        url = build_path(route, language, []) + junk

        assert_handled(fetch("get", url), url)

    check()


def test_search_survives_hostile_queries(site):
    @settings(FUZZ_SETTINGS, max_examples=150)
    @given(
        language=st.sampled_from(LANGUAGES),
        q=search_queries,
        page=st.one_of(st.none(), hostile_text()),
    )
    def check(language, q, page):
        query = f"q={encoded(q)}" + ("" if page is None else f"&page={encoded(page)}")
        url = f"/{language}/search/?{query}"

        assert_handled(fetch("get", url), url)

    check()


def test_list_filters_survive_hostile_values(site):
    lists = ["articles/", "events/"]

    @settings(FUZZ_SETTINGS, max_examples=100)
    @given(
        language=st.sampled_from(LANGUAGES),
        page=st.sampled_from(lists),
        filters=st.dictionaries(
            st.sampled_from(
                ["category", "year", "country", "locality", "association", "type", "page"]
            ),
            st.one_of(hostile_text(), st.sampled_from(RAW_FRAGMENTS).map(lambda raw: ("raw", raw))),
            max_size=4,
        ),
    )
    def check(language, page, filters):
        query = "&".join(
            f"{name}={value[1] if isinstance(value, tuple) else encoded(value)}"
            for name, value in filters.items()
        )
        url = f"/{language}/{page}?{query}"

        assert_handled(fetch("get", url), url)

    check()


def test_language_switch_survives_hostile_posts(site):
    @settings(FUZZ_SETTINGS, max_examples=60)
    @given(language=st.one_of(st.sampled_from(LANGUAGES), hostile_text()), next_url=hostile_text())
    def check(language, next_url):
        response = fetch("post", "/i18n/setlang/", {"language": language, "next": next_url})

        assert_handled(response, f"/i18n/setlang/ language={language!r} next={next_url!r}")

    check()


def test_language_negotiation_survives_hostile_headers_and_cookies(site):
    # As a WSGI server hands headers over: bytes read as latin-1 (UTF-8 sent by a browser).
    header_text = (
        hostile_text()
        .filter(lambda text: "\n" not in text and "\r" not in text)
        .map(lambda text: text.encode().decode("latin-1"))
    )

    @settings(FUZZ_SETTINGS, max_examples=40)
    @given(
        path=st.sampled_from(["/", "/en/articles/", "/i18n/setlang/"]),
        accept_language=header_text,
        cookie=header_text,
    )
    def check(path, accept_language, cookie):
        client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=accept_language)
        client.cookies["django_language"] = cookie

        assert_handled(client.get(path), f"{path} Accept-Language={accept_language!r}")

    check()


@pytest.mark.parametrize(
    "url",
    [
        "/en/search/?q=%00",
        "/en/search/?q=h%00u",
        "/en/articles/?category=%00",
        "/en/articles/?year=%00",
        "/en/events/?country=%00&type=%00",
        "/en/countries/%00/",
        "/en/countries/l%00/",
        "/en/articles/%00/",
        "/sitemap-articles.xml?p=%00",
        "/en/articles/?page=%00",
    ],
)
def test_nul_bytes_are_harmless(site, url):
    # PostgreSQL refuses NUL in a string literal: reaching a query with one is a 500.
    assert_handled(fetch("get", url), url)


def test_too_many_query_parameters_is_our_400_page(site):
    # More than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000): Django refuses the request itself.
    url = "/en/articles/?" + "&".join(f"a{number}=1" for number in range(1001))

    response = fetch("get", url)

    assert response.status_code == 400
    assert_handled(response, url)
