import unicodedata

import pytest

from search.text import (
    MAX_WORD_LENGTH,
    document,
    fold,
    fold_with_offsets,
    highlight,
    html_to_text,
    query_words,
    snippet,
    words,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đẩy mạnh hoạt động đối ngoại nhân dân", "day manh hoat dong doi ngoai nhan dan"),
        ("ĐÀ NẴNG", "da nang"),
        ("Straße", "strasse"),
        ("２０２４年", "2024年"),
        ("平阳省", "平阳省"),
    ],
)
def test_fold_removes_case_and_diacritics(text, folded):
    assert fold(text) == folded


def test_fold_is_the_same_for_decomposed_vietnamese():
    text = "Đẩy mạnh hoạt động đối ngoại"

    assert fold(unicodedata.normalize("NFD", text)) == fold(text)


def test_fold_with_offsets_points_back_to_the_original_characters():
    folded, offsets = fold_with_offsets("Đường ß")

    assert folded == "duong ss"
    assert offsets == [0, 1, 2, 3, 4, 5, 6, 6]


def test_fold_with_offsets_of_composed_text_points_at_each_character():
    folded, offsets = fold_with_offsets("Hữu nghị")

    assert folded == "huu nghi"
    assert list(offsets) == list(range(8))


def test_highlight_marks_decomposed_text_as_written():
    text = unicodedata.normalize("NFD", "Hoạt động đối ngoại")

    assert highlight(text, ["doi", "ngoai"]) == unicodedata.normalize(
        "NFD", "Hoạt động <mark>đối ngoại</mark>"
    )


def test_words_segments_chinese_and_keeps_the_words_inside_long_words():
    assert words("平阳省友好组织联合会") == ["平阳", "省", "友好", "组织", "联合", "合会", "联合会"]


def test_query_words_segment_chinese_precisely():
    assert query_words("友好组织联合会") == ["友好", "组织", "联合会"]


def test_words_of_mixed_scripts():
    assert words("Hữu nghị Việt Nam–Lào, 中越友好 2024!") == [
        "huu",
        "nghi",
        "viet",
        "nam",
        "lao",
        "中",
        "越",
        "友好",
        "2024",
    ]


def test_query_words_are_distinct_and_in_order():
    assert query_words("Đối ngoại, ĐỐI NGOẠI và đối tác") == ["doi", "ngoai", "va", "tac"]


def test_query_words_drop_overlong_words():
    assert query_words("a" * (MAX_WORD_LENGTH + 1) + " hữu") == ["huu"]


def test_query_words_of_punctuation_are_none():
    assert query_words("%_'\"--;<>…!?") == []


def test_document_pads_words_with_spaces():
    assert document("Hữu nghị", "Lào") == " huu nghi lao "


def test_document_of_nothing_is_empty():
    assert document("", "…") == ""


def test_html_to_text_separates_blocks_and_decodes_entities():
    html = "<h2>Hữu nghị</h2><p>Việt&nbsp;Nam &amp; <strong>L</strong>ào</p><ul><li>Một</li></ul>"

    assert html_to_text(html) == "Hữu nghị Việt Nam & Lào Một"


def test_highlight_marks_words_with_their_diacritics_and_merges_neighbours():
    html = highlight("Đẩy mạnh hoạt động đối ngoại nhân dân", ["doi", "ngoai"])

    assert html == "Đẩy mạnh hoạt động <mark>đối ngoại</mark> nhân dân"


def test_highlight_matches_whole_latin_words_only():
    assert highlight("Laos and Laotian", ["laos"]) == "<mark>Laos</mark> and Laotian"


def test_highlight_marks_chinese_words_inside_a_sentence():
    assert highlight("平阳省友好组织联合会", ["友好"]) == "平阳省<mark>友好</mark>组织联合会"


def test_highlight_escapes_the_text():
    html = highlight("<b>Hữu nghị</b> & co", ["huu"])

    assert html == "&lt;b&gt;<mark>Hữu</mark> nghị&lt;/b&gt; &amp; co"


def test_snippet_is_a_window_around_the_first_match():
    text = " ".join(f"w{number}" for number in range(100)) + " đối ngoại " + "x " * 100

    html = snippet(text, ["doi"], size=12)

    assert html == "… w96 w97 w98 w99 <mark>đối</mark> ngoại x x x x x x …"


def test_snippet_without_a_match_is_the_opening():
    html = snippet("Một hai ba bốn năm sáu", ["khong"], size=3)

    assert html == "Một hai ba …"


def test_snippet_of_chinese_counts_two_characters_as_a_word():
    text = "一二三四五六七八九十" * 10 + "友好组织" + "十九八七六五四三二一" * 10

    html = snippet(text, ["友好"], size=6)

    assert html == "… 七八九十<mark>友好</mark>组织十九八七 …"


def test_snippet_prefers_the_place_where_most_query_words_meet():
    text = "Đổi mới " + "x " * 50 + "đối ngoại nhân dân " + "y " * 50

    html = snippet(text, ["doi", "ngoai", "nhan", "dan"], size=8)

    assert html == "… x x <mark>đối ngoại nhân dân</mark> y y …"
