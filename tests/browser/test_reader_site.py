"""The reader site in a real browser: editions, navigation and keyboard access."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from articles.models import EditionStatus
from tests.factories import ArticleFactory, FriendshipUnionFactory, add_edition

# live_server serves from another thread: the data must be committed to be seen there.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def home_union():
    union = FriendshipUnionFactory(is_home=True, name="Union of Friendship Organizations")
    return add_edition(union, "vi", name="Liên hiệp các tổ chức hữu nghị")


def vietnamese_article(title, **fields):
    with translation.override("vi"):
        return ArticleFactory(title=title, **fields)


def test_vietnamese_home_lists_an_article_and_its_headline_opens_it(live_server, page, home_union):
    vietnamese_article("Hữu nghị Việt Nam – Lào")

    page.goto(f"{live_server.url}/vi/")
    headline = page.locator("main").get_by_role("link", name="Hữu nghị Việt Nam – Lào").first
    expect(headline).to_be_visible()
    headline.click()

    expect(page).to_have_url(f"{live_server.url}/vi/articles/huu-nghi-viet-nam-lao/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hữu nghị Việt Nam – Lào")


def test_language_switcher_leads_to_the_english_edition_with_only_english_articles(
    live_server, page, home_union
):
    vietnamese_article("Chỉ có tiếng Việt")
    ArticleFactory(title="Friendship festival")
    add_edition(ArticleFactory(title="English draft", status=EditionStatus.DRAFT), "vi")

    page.goto(f"{live_server.url}/vi/")
    page.locator(".language-switcher").get_by_role("link", name="English").click()

    expect(page).to_have_url(f"{live_server.url}/en/")
    expect(page.locator(".lead-story h2")).to_have_text(["Friendship festival"])
    expect(page.locator(".card h3")).to_have_count(0)


@pytest.mark.parametrize("language", ["vi", "en", "zh-hans"])
def test_each_edition_declares_its_language_on_the_html_element(live_server, page, language):
    page.goto(f"{live_server.url}/{language}/")

    expect(page.locator("html")).to_have_attribute("lang", language)


def test_first_tab_press_focuses_the_skip_link_and_brings_it_into_view(live_server, page):
    with page.expect_response(re.compile(r"/static/css/site\.css$")) as stylesheet:
        page.goto(f"{live_server.url}/vi/")
    assert stylesheet.value.status == 200
    skip_link = page.locator("a.skip-link")
    # The site's CSS keeps the link off-screen until it has the focus.
    expect(skip_link).not_to_be_in_viewport()

    page.keyboard.press("Tab")

    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    expect(skip_link).to_have_attribute("href", "#content")
