"""The newsroom's editorial workflow, walked through the Django admin in a real browser.

A reporter, an editor and a translator each work in a browser context of their own (their
own session), as three people at three desks would; a fourth context is a reader.
"""

import datetime
import re
from io import BytesIO

import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from PIL import Image
from playwright.sync_api import expect

from articles import workflow
from articles.models import SCHEDULED, ArticleTranslation, EditionStatus, WorkflowAction
from articles.roles import EDITOR, REPORTER, TRANSLATOR
from tests.factories import CategoryFactory, FriendshipUnionFactory, UserFactory, add_edition

# live_server serves from another thread: the data must be committed to be seen there.
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


@pytest.fixture
def home_union():
    union = FriendshipUnionFactory(is_home=True, name="Union of Friendship Organizations")
    return add_edition(union, "vi", name="Liên hiệp các tổ chức hữu nghị")


def in_vietnamese(text):
    """A label as the admin shows it: in Vietnamese, the admin's default language."""
    with translation.override("vi"):
        return str(text)


def state_in_vietnamese(state):
    with translation.override("vi"):
        return str(workflow.state_label(state))


def small_jpeg(path):
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (30, 90, 160)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def local_minutes_ahead(minutes):
    """A datetime-local value (minutes, newsroom time) between minutes-1 and minutes ahead."""
    moment = timezone.localtime() + datetime.timedelta(minutes=minutes)
    return moment.strftime("%Y-%m-%dT%H:%M")


def submit(page, button):
    """Click a button that posts a form, and wait for the page the server answers with."""
    with page.expect_navigation(wait_until="commit"):
        button.click()


def log_in(page, base_url, username):
    page.goto(f"{base_url}/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page, page.locator("input[type=submit]"))
    expect(page.locator("#user-tools")).to_contain_text(username)


def save_and_continue(page):
    submit(page, page.locator("input[name=_continue]"))
    expect(page.locator("ul.messagelist li.success")).to_be_visible()


def write_body(page, text):
    """Type into the body's rich-text editor (django-prose-editor's ProseMirror).

    The editor's menu has ``.ProseMirror`` elements too (its heading picker): the text
    goes into the contenteditable one, which keeps the hidden ``body`` textarea in step.
    """
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def pick_autocomplete(page, field_id, search, option_text):
    """Choose in one of the admin's autocomplete (select2) fields, as a person would."""
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option_text).click()
    expect(page.locator(f"#{field_id} + .select2")).to_contain_text(option_text)


def desk_action(page, action, *, comment=None, when=None):
    """Press one of the workflow buttons of the desk panel above the article form."""
    desk = page.locator("section.newsroom-desk")
    if comment is not None:
        desk.locator("#desk-comment").fill(comment)
    if when is not None:
        desk.locator("#desk-when").fill(when)
    submit(page, desk.locator(f"button[name=action][value={action}]"))
    expect(page.locator("ul.messagelist li.success")).to_contain_text(
        in_vietnamese(WorkflowAction(action).label)
    )


def expect_state(page, state):
    expect(page.locator(".edition-state")).to_have_text(state_in_vietnamese(state))


def test_vietnamese_report_goes_through_review_schedule_and_translation_then_english_goes_outdated(
    live_server, page, new_context, home_union, tmp_path
):
    base = live_server.url
    UserFactory(username="reporter", role=REPORTER)
    UserFactory(username="editor", role=EDITOR)
    UserFactory(username="translator", role=TRANSLATOR)
    category = CategoryFactory(name="Foreign affairs")
    add_edition(category, "vi", name="Đối ngoại")
    title_vi = "Đón đoàn đại biểu tỉnh Champasak"
    title_en = "Champasak delegation welcomed"

    reporter, editor, translator = page, new_context().new_page(), new_context().new_page()
    log_in(reporter, base, "reporter")
    log_in(editor, base, "editor")
    log_in(translator, base, "translator")

    # The reporter uploads the lead photo, then writes the Vietnamese draft around it.
    reporter.goto(f"{base}/admin/articles/photo/add/?language=vi")
    reporter.locator("#id_image").set_input_files(small_jpeg(tmp_path / "champasak.jpg"))
    reporter.locator("#id_caption").fill("Đoàn đại biểu tỉnh Champasak tại Liên hiệp")
    reporter.locator("#id_alt_text").fill("Hai đoàn đại biểu bắt tay")
    submit(reporter, reporter.locator("input[name=_save]"))
    expect(reporter.locator("ul.messagelist li.success")).to_be_visible()

    reporter.goto(f"{base}/admin/articles/article/add/?language=vi")
    reporter.locator("#id_title").fill(title_vi)
    reporter.locator("#id_lead").fill("Liên hiệp đón đoàn đại biểu hữu nghị của tỉnh bạn.")
    write_body(reporter, "Sáng nay, Liên hiệp đã đón đoàn đại biểu tỉnh Champasak.")
    pick_autocomplete(reporter, "id_category", "Đối", "Đối ngoại")
    pick_autocomplete(reporter, "id_lead_photo", "Champasak", "Đoàn đại biểu tỉnh Champasak")
    save_and_continue(reporter)
    article_url = re.match(r".*/admin/articles/article/\d+/change/", reporter.url).group()
    pk = int(article_url.rstrip("/").split("/")[-2])
    vi_url, en_url = f"{article_url}?language=vi", f"{article_url}?language=en"
    expect_state(reporter, EditionStatus.DRAFT)
    desk_action(reporter, "submit")
    expect_state(reporter, EditionStatus.IN_REVIEW)

    # The editor sends it back with a reason; the reporter reads it, fixes, resubmits.
    editor.goto(vi_url)
    desk_action(editor, "request_changes", comment="Ghi rõ số thành viên của đoàn.")
    expect_state(editor, EditionStatus.CHANGES_REQUESTED)

    reporter.goto(vi_url)
    expect(reporter.locator(".changes-requested")).to_contain_text("Ghi rõ số thành viên")
    reporter.locator("#id_lead").fill("Liên hiệp đón đoàn đại biểu 12 thành viên của tỉnh bạn.")
    save_and_continue(reporter)
    desk_action(reporter, "submit")
    expect_state(reporter, EditionStatus.IN_REVIEW)

    # The editor approves it and schedules it for two to three minutes from now.
    editor.goto(vi_url)
    desk_action(editor, "approve")
    expect_state(editor, EditionStatus.APPROVED)
    desk_action(editor, "schedule", when=local_minutes_ahead(3))
    expect_state(editor, SCHEDULED)

    # The translator the editor assigns writes the English edition and submits it.
    editor.goto(en_url)
    editor.locator("#desk-translator").select_option(label="translator")
    submit(editor, editor.get_by_role("button", name=in_vietnamese(gettext_lazy("Assign"))))
    expect(editor.locator("section.newsroom-desk .translator")).to_have_text("translator")

    translator.goto(en_url)
    translator.locator("#id_title").fill(title_en)
    translator.locator("#id_lead").fill("The union welcomed a 12-member delegation.")
    write_body(translator, "This morning the union welcomed a delegation from Champasak.")
    save_and_continue(translator)
    expect_state(translator, EditionStatus.DRAFT)
    desk_action(translator, "submit")
    expect_state(translator, EditionStatus.IN_REVIEW)

    # The editor approves the English edition and publishes it at once.
    editor.goto(en_url)
    desk_action(editor, "approve")
    desk_action(editor, "publish")
    expect_state(editor, EditionStatus.PUBLISHED)

    # Readers: the English edition now; the Vietnamese one not before its time; no Chinese.
    reader = new_context().new_page()
    reader.goto(f"{base}/en/")
    expect(reader.locator("main").get_by_role("link", name=title_en).first).to_be_visible()
    reader.goto(f"{base}/vi/")
    expect(reader.locator("html")).to_have_attribute("lang", "vi")
    expect(reader.get_by_text(title_vi)).to_have_count(0)
    vi_article_url = f"{base}/vi/articles/don-doan-dai-bieu-tinh-champasak/"
    assert reader.goto(vi_article_url).status == 404

    # Waiting minutes for the scheduled time would make a slow test: move the publication
    # time into the past in the database instead, as if the time had come. Nothing else
    # changes; the reader site's query finds by itself that the edition is due.
    ArticleTranslation.objects.filter(master_id=pk, language_code="vi").update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    # The reader page cache keeps pages only until the next scheduled time; moving the
    # time by hand must expire them as the clock would.
    cache.clear()
    reader.goto(f"{base}/vi/")
    headline = reader.locator("main").get_by_role("link", name=title_vi).first
    expect(headline).to_be_visible()
    headline.click()
    expect(reader).to_have_url(vi_article_url)
    expect(reader.get_by_role("heading", level=1)).to_have_text(title_vi)
    expect(reader.locator(".article .body")).to_contain_text("Liên hiệp đã đón đoàn đại biểu")
    expect(reader.locator(".article figure img")).to_have_attribute(
        "alt", "Hai đoàn đại biểu bắt tay"
    )
    reader.goto(f"{base}/zh-hans/")
    expect(reader.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(reader.get_by_text("Champasak")).to_have_count(0)

    # The reporter corrects the published source: the English translation falls behind.
    reporter.goto(vi_url)
    reporter.locator("#id_lead").fill("Liên hiệp đón đoàn đại biểu 15 thành viên của tỉnh bạn.")
    save_and_continue(reporter)

    editor.goto(f"{base}/admin/articles/article/")
    row = editor.locator("#result_list tbody tr", has_text=title_vi)
    expect(row.locator("td.field-editions")).to_contain_text("en ⚠")
    editor.goto(en_url)
    expect(editor.locator('.desk-badges .badge[data-language="en"]')).to_contain_text("en ⚠")
    source_changes = editor.locator(".source-changes")
    expect(source_changes).to_be_visible()
    expect(source_changes.locator("ins")).to_contain_text("15")
    reader.goto(f"{base}/en/articles/champasak-delegation-welcomed/")
    expect(reader.locator(".source-note")).to_be_visible()
