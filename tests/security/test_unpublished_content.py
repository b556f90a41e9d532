"""Nothing readers may not see reaches them: no draft, edition in review, approved,
scheduled, unpublished or archived edition appears on any public page, feed, sitemap,
search result or JSON-LD, nor in any entry of the page cache; its address is a 404.

Each hidden edition carries marker words (in its title, lead and body; the articles share a
lead photo and a tag that only they use, with markers too). The public site is then read
as an anonymous reader would, in every language, and no marker may show.
"""

import datetime
import gzip
import pickle
import time

import pytest
from django.core import signing
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponseBase
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from articles import workflow
from articles.models import ArticleTranslation, EditionStatus
from articles.views import PREVIEW_SALT, preview_url
from friendship_site import cache as page_cache
from tests.factories import (
    ActivityFactory,
    ArticleFactory,
    CategoryFactory,
    CountryFactory,
    FriendshipUnionFactory,
    MemberAssociationFactory,
    PartnerLocalityFactory,
    PhotoFactory,
    TagFactory,
    add_edition,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["vi", "en", "zh-hans"]
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)

# Every state in which readers must not see an edition: (status, published_at from now).
HIDDEN_STATES = {
    "draft": (EditionStatus.DRAFT, None),
    "in_review": (EditionStatus.IN_REVIEW, None),
    "changes_requested": (EditionStatus.CHANGES_REQUESTED, None),
    "approved": (EditionStatus.APPROVED, None),
    "scheduled": (EditionStatus.PUBLISHED, DAY),  # published, its time still ahead
    "unpublished": (EditionStatus.UNPUBLISHED, -2 * HOUR),
    "archived": (EditionStatus.ARCHIVED, -2 * HOUR),
}
# Shared by every hidden edition, and searched for.
SHARED_MARKER = "quokka"
PHOTO_MARKER = "numbatcaption"
TAG_MARKER = "bilbytag"


def markers_of(state):
    word = state.replace("_", "")
    return {field: f"{word}{field}" for field in ["title", "lead", "body", "slug"]}


ALL_MARKERS = [
    SHARED_MARKER,
    PHOTO_MARKER,
    TAG_MARKER,
    *(marker for state in HIDDEN_STATES for marker in markers_of(state).values()),
]


def in_every_language(instance, field, text):
    for language in LANGUAGES:
        instance.set_current_language(language)
        setattr(instance, field, f"{text} {language}")
        instance.save()
    return instance


def url_in(instance, language):
    with translation.override(language):
        instance.set_current_language(language)
        return instance.get_absolute_url()


@pytest.fixture
def site(db):
    """Two live articles (an hour apart, around the hidden ones) and one hidden article per
    state, all in every language, sharing a category and linked to the same activity,
    locality, association and country."""
    FriendshipUnionFactory(is_home=True)
    category = in_every_language(CategoryFactory(), "name", "Friendship")
    links = {
        "activities": in_every_language(ActivityFactory(), "title", "Festival"),
        "localities": in_every_language(PartnerLocalityFactory(), "name", "Champasak"),
        "associations": in_every_language(MemberAssociationFactory(), "name", "Vietnam Laos"),
        "countries": in_every_language(CountryFactory(code="LA"), "name", "Laos"),
    }
    tag = in_every_language(TagFactory(), "name", TAG_MARKER)
    photo = in_every_language(PhotoFactory(), "caption", PHOTO_MARKER)
    now = timezone.now()
    live = {
        name: article_in_every_language(
            category, links, title=f"Live {name}", status=EditionStatus.PUBLISHED, published_at=at
        )
        for name, at in [("before", now - 3 * HOUR), ("after", now - HOUR)]
    }
    hidden = {}
    for state in HIDDEN_STATES:
        hidden[state] = hidden_article(state, category, links, lead_photo=photo)
        hidden[state].tags.add(tag)
    return {"category": category, "tag": tag, "live": live, "hidden": hidden, **links}


def hidden_article(state, category, links=None, **shared):
    """An article whose every edition is in ``state``, its text made of marker words."""
    status, delay = HIDDEN_STATES[state]
    markers = markers_of(state)
    return article_in_every_language(
        category,
        links or {},
        title=f"{SHARED_MARKER} {markers['title']}",
        slug=markers["slug"],
        lead=f"{SHARED_MARKER} {markers['lead']}",
        body=f"<p>{SHARED_MARKER} {markers['body']}</p>",
        seo_description=f"{SHARED_MARKER} {markers['lead']}",
        status=status,
        published_at=delay and timezone.now() + delay,
        **shared,
    )


def article_in_every_language(category, links, *, lead_photo=None, **edition):
    article = ArticleFactory(category=category, lead_photo=lead_photo, **edition)
    for language in ["vi", "zh-hans"]:
        add_edition(article, language, **edition)
    for relation, target in links.items():
        getattr(article, relation).add(target)
    return article


def public_pages(site, language):
    """Every kind of public page in ``language`` that lists, links or describes articles."""
    category_url = url_in(site["category"], language)
    slug = {
        name: site[name].safe_translation_getter("slug", language_code=language)
        for name in ["category", "localities", "associations"]
    }
    periods = {
        (moment.year, moment.month) for moment in [timezone.localtime(), timezone.localtime() + DAY]
    }
    return [
        f"/{language}/",
        f"/{language}/articles/",
        f"/{language}/articles/?category={slug['category']}",
        f"/{language}/articles/?year={timezone.localtime().year}",
        f"/{language}/articles/?country=la",
        f"/{language}/articles/?locality={slug['localities']}",
        f"/{language}/articles/?association={slug['associations']}",
        category_url,
        f"{category_url}feed/",
        f"{category_url}feed/atom/",
        url_in(site["tag"], language),
        *(f"/{language}/archive/{year}/" for year in sorted({year for year, _m in periods})),
        *(f"/{language}/archive/{year}/{month}/" for year, month in periods),
        f"/{language}/search/?q={SHARED_MARKER}",
        f"/{language}/feed/",
        f"/{language}/feed/atom/",
        f"/{language}/about/",
        f"/{language}/partners/",
        url_in(site["localities"], language),
        url_in(site["associations"], language),
        url_in(site["countries"], language),
        f"/{language}/events/",
        url_in(site["activities"], language),
        # The live neighbours: previous/next links, related lists and their JSON-LD.
        *(url_in(article, language) for article in site["live"].values()),
    ]


SITE_WIDE = ["/sitemap.xml", "/sitemap-home.xml", "/sitemap-articles.xml", "/robots.txt"]


def every_public_page(site):
    return [*SITE_WIDE, *(page for language in LANGUAGES for page in public_pages(site, language))]


def markers_in(text, *, allowed=()):
    text = text.lower()
    return [marker for marker in ALL_MARKERS if marker in text and marker not in allowed]


def allowed_on(page, tag_pages):
    """Markers a page may show without leaking: a tag's own page names the tag (reference
    data, not an article's text); a search page repeats the words searched for."""
    if page in tag_pages:
        return [TAG_MARKER]
    if "?q=" in page:
        return [page.partition("?q=")[2]]
    return []


def leaks_on(client, pages, tag_pages=()):
    """{page: markers it shows}, and {page: status} of pages that failed to answer."""
    leaks, broken = {}, {}
    for page in pages:
        response = client.get(page)
        if response.status_code != 200:
            broken[page] = response.status_code
        found = markers_in(response.content.decode(), allowed=allowed_on(page, tag_pages))
        if found:
            leaks[page] = found
    return leaks, broken


def tag_pages(site):
    return {url_in(site["tag"], language) for language in LANGUAGES}


# The public site.


def test_no_public_page_shows_an_edition_readers_may_not_see(client, site):
    leaks, broken = leaks_on(client, every_public_page(site), tag_pages(site))

    assert broken == {}
    assert leaks == {}


def test_the_live_neighbours_really_are_read(client, site):
    """The crawl above can fail: the live articles' texts show where the hidden ones do not."""
    home = client.get("/en/").content.decode()
    before = client.get(url_in(site["live"]["before"], "en"))

    assert "Live before" in home
    assert "Live after" in home
    assert before.context["next"]["title"] == "Live after"
    assert '"headline": "Live before"' in before.context["json_ld"]


def test_address_of_a_hidden_edition_is_not_found(client, site):
    statuses = {}
    for state, article in site["hidden"].items():
        for language in LANGUAGES:
            response = client.get(article.get_absolute_url_for(language))
            # The page may repeat the address asked for, not more.
            shown = markers_in(response.content.decode(), allowed=[markers_of(state)["slug"]])
            statuses[state, language] = (response.status_code, shown)

    assert statuses == dict.fromkeys(statuses, (404, []))
    assert len(statuses) == len(HIDDEN_STATES) * len(LANGUAGES)


def test_search_finds_no_hidden_edition_by_any_of_its_words(client, site):
    found = {}
    for language in LANGUAGES:
        for marker in ALL_MARKERS:
            response = client.get(f"/{language}/search/", {"q": marker})
            shown = markers_in(response.content.decode(), allowed=[marker])
            if shown:
                found[language, marker] = shown

    assert found == {}


# The page cache.


def stored_values():
    """Every value in the default cache, unpickled, as the backend holds it."""
    backend = caches["default"]
    if isinstance(backend, LocMemCache):
        with backend._lock:
            raw = list(backend._cache.values())
    elif isinstance(backend, RedisCache):
        client = backend._cache.get_client()
        keys = list(client.scan_iter(match=backend.make_key("*")))
        raw = [value for value in client.mget(keys) if value is not None] if keys else []
    else:
        pytest.skip(f"cannot list the entries of {type(backend).__name__}")
    values = []
    for value in raw:
        try:
            values.append(pickle.loads(value))
        except (pickle.UnpicklingError, TypeError):
            values.append(value)  # Redis keeps integers as they are
    return values


def text_of(value):
    """The readable text of a cached value: a page's body (unzipped), recursively."""
    if isinstance(value, HttpResponseBase):
        content = value.content
        if value.get("Content-Encoding") == "gzip":
            content = gzip.decompress(content)
        return content.decode(errors="replace")
    if isinstance(value, list | tuple):
        return " ".join(text_of(item) for item in value)
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return str(value)


def markers_in_cache(allowed_pages=()):
    """Markers found in the cache (a tag page's own name aside), with the page's URL."""
    found = []
    for value in stored_values():
        text = text_of(value)
        is_tag_page = any(page in text for page in allowed_pages)
        found += markers_in(text, allowed=[TAG_MARKER] if is_tag_page else [])
    return found


def test_page_cache_holds_no_hidden_edition(client, site):
    pages = every_public_page(site)
    client.get("/en/", headers={"accept-encoding": "gzip"})  # a compressed entry too
    leaks_on(client, pages, tag_pages(site))

    kept = [page for page in pages if cache.get(page_cache.page_key(rf_get(page)))]
    assert set(kept) == {page for page in pages if page_cache.is_reader_page(rf_get(page))}
    # The inspection below reads every one of them (and the compressed home page).
    assert len([value for value in stored_values() if isinstance(value, tuple)]) > len(set(kept))
    assert markers_in_cache(tag_pages(site)) == []


# Publishing, unpublishing, scheduling: every page agrees at once.


@pytest.fixture
def approved(site):
    """The approved article's editions; its markers are the "approved…" words."""
    return list(ArticleTranslation.objects.filter(master=site["hidden"]["approved"]))


@pytest.fixture
def approved_alone(db):
    """An approved article, and nothing else, in every language."""
    article = hidden_article("approved", CategoryFactory())
    return list(ArticleTranslation.objects.filter(master=article))


@pytest.fixture
def draft(db):
    """A draft, and nothing else, in every language."""
    return hidden_article("draft", CategoryFactory())


def approved_markers():
    return set(markers_of("approved").values())


def pages_showing(client, pages):
    return {page for page in pages if approved_markers() & set(markers_in(client.get(page).text))}


def test_published_edition_appears_on_every_list_at_once(client, site, approved, newsroom):
    pages = [
        "/sitemap-articles.xml",
        *(
            f"/{language}/{path}"
            for language in LANGUAGES
            for path in ["", "articles/", "feed/", "feed/atom/", f"search/?q={SHARED_MARKER}"]
        ),
        *(url_in(site["category"], language) for language in LANGUAGES),
    ]
    assert pages_showing(client, pages) == set()  # and now kept in the cache

    for edition in approved:
        workflow.perform("publish", edition, by=newsroom["editor"])

    assert pages_showing(client, pages) == set(pages)


def test_unpublished_edition_leaves_every_page_and_the_cache_at_once(
    client, site, approved, newsroom
):
    for edition in approved:
        workflow.perform("publish", edition, by=newsroom["editor"])
    pages = every_public_page(site)
    assert pages_showing(client, pages)  # shown, and now kept in the cache

    for edition in approved:
        workflow.perform("unpublish", edition, by=newsroom["editor"])

    leaks, _broken = leaks_on(client, pages, tag_pages(site))
    assert leaks == {}
    assert markers_in_cache(tag_pages(site)) == []
    assert client.get(approved[0].master.get_absolute_url_for("en")).status_code == 404


def rf_get(path):
    return RequestFactory().get(path)


def stored_page_expiry(path):
    """When the cached page of ``path`` expires (a Unix time)."""
    backend = caches["default"]
    key = page_cache.page_key(rf_get(path))
    if isinstance(backend, LocMemCache):
        return backend._expire_info[backend.make_and_validate_key(key)]
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client()
        return time.time() + client.pttl(backend.make_and_validate_key(key)) / 1000
    pytest.skip(f"cannot read expiry times from {type(backend).__name__}")


def test_page_kept_before_a_scheduled_edition_expires_by_its_time(client, approved_alone, newsroom):
    when = timezone.now() + datetime.timedelta(minutes=2)  # sooner than PAGE_TIMEOUT
    for edition in approved_alone:
        workflow.perform("schedule", edition, by=newsroom["editor"], when=when)

    page = client.get("/en/")

    assert not approved_markers() & set(markers_in(page.text))
    assert page_cache.next_scheduled_edition() == when
    # Kept no longer than until the edition's time (+1 s of rounding), not five minutes.
    assert stored_page_expiry("/en/") <= when.timestamp() + 1


def test_scheduled_edition_appears_when_its_time_comes(client, approved_alone, newsroom):
    """Real time, two seconds: no job runs, the kept page expires and the next reader sees
    the edition."""
    when = timezone.now() + datetime.timedelta(seconds=1)
    edition = next(edition for edition in approved_alone if edition.language_code == "en")
    workflow.perform("schedule", edition, by=newsroom["editor"], when=when)
    before = client.get("/en/")

    time.sleep(max(0, stored_page_expiry("/en/") - time.time()) + 0.05)
    after = client.get("/en/")

    title = markers_of("approved")["title"]
    assert title not in before.text
    assert title in after.text


# Signed previews: the one way to see an edition before it is live.


def test_signed_preview_shows_a_draft_without_keeping_it(client, draft):
    with translation.override("en"):
        link = preview_url(draft, "en")

    response = client.get(link)

    assert response.status_code == 200
    assert markers_of("draft")["title"] in response.text
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert (
        "no-store" in response.headers["Cache-Control"]
        or "private" in response.headers["Cache-Control"]
    )
    assert markers_in_cache() == []


def test_editors_previews_are_never_kept(client, draft, newsroom):
    client.force_login(newsroom["editor"])
    for language in LANGUAGES:
        preview = client.get(reverse("admin:articles_article_preview", args=[draft.pk, language]))
        assert markers_of("draft")["title"] in preview.text
        client.get(f"/{language}/")

    assert markers_in_cache() == []


def tampered(token, article_id):
    """The genuine token with one character of its signature changed."""
    value, _sep, signature = token.rpartition(":")
    flipped = "A" if signature[-1] != "A" else "B"
    return f"{value}:{signature[:-1]}{flipped}"


def payload(article_id):
    return {"article": article_id, "language": "en"}


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(tampered, id="signature changed"),
        pytest.param(lambda token, pk: token.rpartition(":")[0], id="signature cut off"),
        pytest.param(
            lambda token, pk: signing.dumps(payload(pk), salt="another salt"),
            id="another salt",
        ),
        pytest.param(
            lambda token, pk: signing.dumps(payload(pk), key="a-guessed-key", salt=PREVIEW_SALT),
            id="another key",
        ),
    ],
)
def test_forged_preview_link_shows_nothing(client, draft, forge):
    with translation.override("en"):
        token = preview_url(draft, "en").rstrip("/").rpartition("/")[2]

    response = client.get(f"/en/articles/preview/{forge(token, draft.pk)}/")

    assert response.status_code == 404
    assert markers_in(response.text) == []


def test_expired_preview_link_shows_nothing(client, draft, monkeypatch):
    with translation.override("en"):
        link = preview_url(draft, "en")
    later = time.time() + 3 * 24 * 3600 + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)

    response = client.get(link)

    assert response.status_code == 404
    assert markers_in(response.text) == []
