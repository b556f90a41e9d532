"""The public site with the real seed content, in a real browser: the home page, an article,
the language switcher, search without diacritics and in Chinese, keyboard access, and
full-page screenshots at phone and desktop width (tests/artifacts/, not committed).
"""

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect

from friendship_site.seed import load_seed_content

# live_server serves from another thread: the data must be committed to be seen there.
pytestmark = pytest.mark.django_db(transaction=True)

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}

# The seed content (fixtures/organizations.json, fixtures/articles.json).
UNION_NAME_VI = "Liên hiệp các tổ chức hữu nghị tỉnh Bình Dương"
MOTTO_VI = "Chủ động, linh hoạt, sáng tạo, hiệu quả"
HOTLINE = "0274 383 347"
VIETNAMESE_TITLE = "Liên hiệp Bình Dương: đẩy mạnh hoạt động đối ngoại năm 2018"
VIETNAMESE_PATH = "/vi/articles/lien-hiep-binh-duong-day-manh-hoat-dong-doi-ngoai-nam-2018/"
VIETNAMESE_BYLINE = "Bài: Phương Lê"
# "Provincial Union of Friendship Organizations promotes solidarity and friendship"
ENGLISH_PATH = (
    "/en/articles/provincial-union-of-friendship-organizations-promotes-solidarity-and-friendship/"
)
CHINESE_TITLE = "平阳省友好组织联合会:加强团结与友好关系"


@pytest.fixture(autouse=True)
def seed_content(transactional_db):
    """The real seed content: union, localities, activities, four articles with photos."""
    load_seed_content()


@pytest.fixture(autouse=True)
def media_served(live_server, page):
    """The photos, served from MEDIA_ROOT as the web server serves them in production.

    live_server (DEBUG off) serves static files only: without this every photo would be a
    broken image in the screenshots.
    """

    def serve(route):
        name = unquote(urlsplit(route.request.url).path).removeprefix(f"/{settings.MEDIA_URL}")
        file = Path(settings.MEDIA_ROOT, name)
        if file.is_file():
            route.fulfill(path=file)
        else:
            route.fulfill(status=404)

    page.route(f"{live_server.url}/{settings.MEDIA_URL}**", serve)


def load_lazy_images(page):
    """Bring each lazy image into view and wait until every image has loaded: a full-page
    screenshot does not scroll, and would show the gallery's photos as blank space."""
    for image in page.locator('img[loading="lazy"]').all():
        image.scroll_into_view_if_needed()
    # evaluate(), not wait_for_function(): its polling evaluates a string, which the site's
    # Content-Security-Policy (no 'unsafe-eval') refuses.
    page.evaluate(
        """Promise.all([...document.images].filter(image => !image.complete).map(
            image => new Promise(done => { image.onload = image.onerror = done; })))"""
    )
    page.evaluate("window.scrollTo(0, 0)")


def has_no_horizontal_scrolling(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_vietnamese_home_shows_the_union_and_the_lead_story_which_opens_the_article(
    live_server, page
):
    page.goto(f"{live_server.url}/vi/")

    header = page.locator("header.site-header")
    expect(header.locator(".site-name")).to_have_text(UNION_NAME_VI)
    expect(header.locator(".motto")).to_have_text(MOTTO_VI)
    expect(header.locator(".hotline")).to_contain_text(HOTLINE)
    headline = page.locator(".lead-story").get_by_role("link", name=VIETNAMESE_TITLE)
    expect(headline).to_be_visible()

    headline.click()

    expect(page).to_have_url(f"{live_server.url}{VIETNAMESE_PATH}")
    expect(page.get_by_role("heading", level=1)).to_have_text(VIETNAMESE_TITLE)
    picture = page.locator("figure.lead-photo picture")
    expect(picture.locator('source[type="image/webp"]')).to_have_count(1)
    expect(picture.locator("img")).to_have_attribute("alt", re.compile(r"\S"))
    expect(page.locator(".byline")).to_have_text(VIETNAMESE_BYLINE)


def test_language_switcher_leads_to_the_articles_chinese_edition_and_to_the_vietnamese_home(
    live_server, page
):
    """The English article has a Chinese edition and no Vietnamese one."""
    page.goto(f"{live_server.url}{ENGLISH_PATH}")
    switcher = page.locator(".language-switcher")
    vietnamese = switcher.locator('a[hreflang="vi"]')
    # Django's own name for Vietnamese is not NFC ("e\u0302\u0301"): compare it normalized.
    assert unicodedata.normalize("NFC", vietnamese.inner_text()) == "Tiếng Việt"
    expect(vietnamese).to_have_attribute("href", "/vi/")

    switcher.get_by_role("link", name="简体中文").click()

    expect(page).to_have_url(re.compile(rf"^{live_server.url}/zh-hans/articles/ping-yang-sheng-"))
    expect(page.get_by_role("heading", level=1)).to_have_text(CHINESE_TITLE)


def test_search_without_diacritics_finds_the_vietnamese_article_and_marks_the_words(
    live_server, page
):
    page.goto(f"{live_server.url}/vi/")

    page.locator("header.site-header").get_by_role("searchbox").fill("doi ngoai")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/vi/search/\?q=doi\+ngoai$"))
    result = page.locator(".search-results > li").filter(
        has=page.get_by_role("link", name=VIETNAMESE_TITLE)
    )
    expect(result).to_have_count(1)
    marked = result.locator(".snippet mark").filter(has_text=re.compile("đối ngoại", re.I))
    expect(marked.first).to_be_visible()


def test_search_in_chinese_finds_the_chinese_article(live_server, page):
    page.goto(f"{live_server.url}/zh-hans/")

    page.locator("header.site-header").get_by_role("searchbox").fill("友好")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/zh-hans/search/\?q="))
    expect(page.locator(".search-results").get_by_role("link", name=CHINESE_TITLE)).to_be_visible()


@pytest.mark.parametrize("width", VIEWPORTS)
def test_home_and_article_fit_the_width_and_are_saved_as_screenshots(live_server, page, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(VIEWPORTS[width])

    for name, path in [("home", "/vi/"), ("article", ENGLISH_PATH)]:
        page.goto(f"{live_server.url}{path}")
        load_lazy_images(page)
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)

        assert has_no_horizontal_scrolling(page), f"{path} scrolls sideways at {width} width"


def test_tab_reaches_the_skip_link_first_and_enter_moves_focus_to_the_main_content(
    live_server, page
):
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(f"{live_server.url}{ENGLISH_PATH}")

    page.keyboard.press("Tab")
    expect(page.locator("a.skip-link")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator("main#content")).to_be_focused()
